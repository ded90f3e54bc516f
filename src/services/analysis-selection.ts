/**
 * Parts of `pbi analyze` about one chosen selection of numbers and a few draw patterns, each beside
 * its count expected by chance: draws holding a selection (a white ball, a pair, whites with a
 * Powerball) with its gap and weekdays, draws with consecutive whites, and the prize odds of the era.
 * Kept apart from analysis-service.ts so that file stays about the whole-history statistics.
 */
import { type IsoDate, WEEKDAYS, type Weekday } from '../domain/dates.js';
import type { RuleEra } from '../domain/eras.js';
import { FieldError } from '../domain/errors.js';
import { binomial, PRIZE_TIERS, type PrizeTier, tierProbability } from '../domain/prizes.js';

/** A selection: draws holding every one of these whites (and this Powerball, when given). */
export interface Selection {
  readonly whites: readonly number[];
  readonly powerball: number | null;
}

export interface SelectionWeekday {
  readonly weekday: Weekday;
  /** Analysed draws on that weekday. */
  readonly draws: number;
  /** Of them, draws holding the selection. */
  readonly count: number;
  readonly expected: number;
}

export interface SelectionStats {
  readonly whites: readonly number[];
  readonly powerball: number | null;
  /** False when a number is outside this era's ranges (the selection could not be drawn). */
  readonly possible: boolean;
  /** Draws holding the whole selection, and the count expected by chance. */
  readonly count: number;
  readonly expected: number;
  /** Chance that one draw holds the selection. */
  readonly probability: number;
  readonly lastSeen: IsoDate | null;
  /** Draws since it was last held (0 = the newest draw); the number of draws when never. */
  readonly gap: number;
  /** Longest run of draws without it (including the current run). */
  readonly longestGap: number;
  readonly weekdays: readonly SelectionWeekday[];
}

export interface PrizeOdds {
  readonly tier: PrizeTier;
  readonly probability: number;
  /** 1 / probability, rounded: "1 in N". */
  readonly oneIn: number;
}

/**
 * Checks a selection once, before any era is analysed.
 * @throws FieldError (INVALID_NUMBERS) naming the request's `numbers` (the whites) or `pb`.
 */
export function checkSelection(s: Selection): void {
  const bad = (field: string, reason: string) =>
    new FieldError((n) => `${n(field)}: ${reason}`, [{ where: field, reason }], 'INVALID_NUMBERS');
  if (s.whites.length > 5) throw bad('numbers', `a draw holds 5 white balls, got ${s.whites.length}`);
  if (s.whites.length === 0 && s.powerball === null) throw bad('numbers', 'give at least one number');
  if (new Set(s.whites).size !== s.whites.length) throw bad('numbers', 'a white ball is repeated');
  for (const x of s.whites)
    if (!Number.isInteger(x) || x < 1 || x > 99) throw bad('numbers', `${x} is not a ball number`);
  if (s.powerball !== null && (!Number.isInteger(s.powerball) || s.powerball < 1 || s.powerball > 99))
    throw bad('pb', `${s.powerball} is not a ball number`);
}

/** The selection's statistics over one era's draws (whites row-major n × 5, epoch days). */
export function selectionStats(
  era: RuleEra,
  selection: Selection,
  whites: Uint8Array,
  pbs: Uint8Array,
  days: Int32Array,
  dates: readonly IsoDate[],
): SelectionStats {
  const n = days.length;
  const k = selection.whites.length;
  const pb = selection.powerball;
  const possible =
    selection.whites.every((x) => x <= era.whiteMax) && (pb === null || pb <= era.powerballMax);
  const probability = possible
    ? (binomial(era.whiteMax - k, 5 - k) / binomial(era.whiteMax, 5)) *
      (pb === null ? 1 : 1 / era.powerballMax)
    : 0;
  const drawsByDay = new Int32Array(7);
  const hitsByDay = new Int32Array(7);
  let count = 0;
  let last = -1;
  let longest = 0;
  for (let i = 0; i < n; i++) {
    const wd = ((((days[i] as number) + 4) % 7) + 7) % 7;
    drawsByDay[wd] = (drawsByDay[wd] as number) + 1;
    if (pb !== null && pbs[i] !== pb) continue;
    let held = 0;
    for (const x of selection.whites)
      for (let j = 0; j < 5; j++)
        if (whites[i * 5 + j] === x) {
          held++;
          break;
        }
    if (held !== k) continue;
    count++;
    hitsByDay[wd] = (hitsByDay[wd] as number) + 1;
    longest = Math.max(longest, i - last - 1);
    last = i;
  }
  const gap = n - 1 - last;
  return {
    whites: [...selection.whites],
    powerball: pb,
    possible,
    count,
    expected: n * probability,
    probability,
    lastSeen: last >= 0 ? (dates[last] as IsoDate) : null,
    gap,
    longestGap: Math.max(longest, gap),
    weekdays: WEEKDAYS.map((weekday, i) => ({
      weekday,
      draws: drawsByDay[i] as number,
      count: hitsByDay[i] as number,
      expected: (drawsByDay[i] as number) * probability,
    })).filter((w) => w.draws > 0),
  };
}

/**
 * Draws whose whites hold at least two consecutive numbers. By chance: 1 − C(W−4, 5) / C(W, 5)
 * (five numbers with no two adjacent correspond one-to-one to five numbers of 1..W−4).
 */
export function consecutiveStats(
  whites: Uint8Array,
  n: number,
  W: number,
): { readonly count: number; readonly expected: number } {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(whites.subarray(i * 5, i * 5 + 5)).sort((a, b) => a - b);
    for (let j = 1; j < 5; j++)
      if ((row[j] as number) - (row[j - 1] as number) === 1) {
        count++;
        break;
      }
  }
  return { count, expected: n * (1 - binomial(W - 4, 5) / binomial(W, 5)) };
}

/** Exact odds of each prize tier for one ticket under the era's ranges. */
export function prizeOdds(era: RuleEra): PrizeOdds[] {
  return PRIZE_TIERS.map((info) => {
    const probability = tierProbability(info, era);
    return { tier: info.tier, probability, oneIn: Math.round(1 / probability) };
  });
}
