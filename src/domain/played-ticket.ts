/**
 * A ticket a person played: five whites and a Powerball for one or more consecutive draws, with
 * optional Power Play and Double Play, priced and paid by the prize period of its draws
 * (prize-tables.ts). Checking a play against its draw gives the prize tiers and dollars won.
 */
import { isDrawDay, nextDrawDate } from './calendar.js';
import { addDays, type IsoDate, weekdayOf } from './dates.js';
import type { Draw } from './draw.js';
import { CURRENT_ERA, eraOf, FIRST_DRAW_DATE, type RuleEra } from './eras.js';
import { type ErrorIssue, ValidationError } from './errors.js';
import { type PrizePeriod, prizePeriodOf, FIRST_PRIZED_DRAW } from './prize-tables.js';
import { PRIZE_TIERS, type PrizeTier, tierProbability } from './prizes.js';
import { type Ticket, ticketKey, ticketProblems, type Whites } from './ticket.js';

/** A year of draws: longer than any multi-draw a lottery sells, so only a typo guard. */
export const MAX_DRAWS_PER_TICKET = 156;
/** How far ahead a first draw may be (a typo guard too). */
export const MAX_DAYS_AHEAD = 366;

export interface TicketSlipInput {
  readonly firstDrawDate: IsoDate;
  readonly whites: readonly unknown[];
  readonly powerball: unknown;
  /** Consecutive draws from the first (default 1). */
  readonly draws?: unknown;
  readonly powerPlay?: unknown;
  readonly doublePlay?: unknown;
  readonly note?: unknown;
}

export interface PlannedPlay {
  readonly drawDate: IsoDate;
  /** Dollars paid for this draw: base price plus the add-ons. */
  readonly price: number;
}

/** A validated ticket: every play's draw has a sourced prize table and allows what was chosen. */
export interface TicketSlip {
  readonly whites: Whites;
  readonly powerball: number;
  readonly powerPlay: boolean;
  readonly doublePlay: boolean;
  readonly note: string | null;
  readonly plays: readonly PlannedPlay[];
}

function flag(value: unknown, where: string, issues: ErrorIssue[]): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  issues.push({ where, reason: `${String(value)} is not true or false` });
  return false;
}

/** The draw dates of a multi-draw ticket: the first and the next `count - 1` draws. */
export function consecutiveDraws(first: IsoDate, count: number): IsoDate[] {
  const dates = [first];
  while (dates.length < count) dates.push(nextDrawDate(dates[dates.length - 1] as IsoDate));
  return dates;
}

/** Dollars for one play in a period with the chosen add-ons. */
export function playPrice(period: PrizePeriod, powerPlay: boolean, doublePlay: boolean): number {
  return (
    period.price +
    (powerPlay ? period.powerPlay.price : 0) +
    (doublePlay && period.doublePlay ? period.doublePlay.price : 0)
  );
}

function dateProblems(first: IsoDate, today: IsoDate, where: string): ErrorIssue[] {
  if (first < FIRST_DRAW_DATE || !isDrawDay(first))
    return [{ where, reason: `${first} is not a Powerball draw day (${weekdayOf(first)})` }];
  if (first > addDays(today, MAX_DAYS_AHEAD))
    return [{ where, reason: `${first} is more than ${MAX_DAYS_AHEAD} days after today (${today})` }];
  if (first < FIRST_PRIZED_DRAW)
    return [
      {
        where,
        reason: `no sourced prize table before ${FIRST_PRIZED_DRAW}; tickets for earlier draws are not accepted`,
      },
    ];
  return [];
}

/**
 * Validates a played ticket and plans its plays.
 * @throws ValidationError listing every bad field (INVALID_NUMBERS when only the numbers are wrong).
 */
export function createTicketSlip(input: TicketSlipInput, today: IsoDate, where = 'ticket'): TicketSlip {
  const issues: ErrorIssue[] = dateProblems(input.firstDrawDate, today, `${where}.date`);
  const dated = issues.length === 0;
  const draws = input.draws ?? 1;
  if (typeof draws !== 'number' || !Number.isInteger(draws) || draws < 1 || draws > MAX_DRAWS_PER_TICKET)
    issues.push({
      where: `${where}.draws`,
      reason: `${String(draws)} is not a whole number of draws from 1 to ${MAX_DRAWS_PER_TICKET}`,
    });
  const powerPlay = flag(input.powerPlay, `${where}.powerPlay`, issues);
  const doublePlay = flag(input.doublePlay, `${where}.doublePlay`, issues);
  let note: string | null = null;
  if (input.note !== undefined && input.note !== null) {
    if (typeof input.note !== 'string') issues.push({ where: `${where}.note`, reason: 'expected text' });
    else if (input.note.length > 500)
      issues.push({ where: `${where}.note`, reason: 'longer than 500 characters' });
    else note = input.note.trim() === '' ? null : input.note;
  }
  // Numbers are checked against the era of the date even when the date itself is refused.
  const era: RuleEra = input.firstDrawDate >= FIRST_DRAW_DATE ? eraOf(input.firstDrawDate) : CURRENT_ERA;
  const numberIssues = ticketProblems(input.whites, input.powerball, era, where);
  issues.push(...numberIssues);
  let plays: PlannedPlay[] = [];
  if (dated && typeof draws === 'number' && issues.length === numberIssues.length) {
    const dates = consecutiveDraws(input.firstDrawDate, draws);
    const periods = dates.map((date) => prizePeriodOf(date));
    const first = periods[0] as PrizePeriod;
    const crossing = periods.findIndex((p) => p.saleGroup !== first.saleGroup);
    if (crossing >= 0)
      issues.push({
        where: `${where}.draws`,
        reason: `a multi-draw ticket cannot run across the rule change of ${(periods[crossing] as PrizePeriod).from} (its draw ${dates[crossing]}); enter two tickets`,
      });
    if (doublePlay) {
      const without = dates.findIndex((_, i) => (periods[i] as PrizePeriod).doublePlay === null);
      if (without >= 0)
        issues.push({
          where: `${where}.doublePlay`,
          reason: `Double Play began with the draw of 2021-08-23; the draw of ${dates[without]} had none`,
        });
    }
    plays = dates.map((date, i) => ({
      drawDate: date,
      price: playPrice(periods[i] as PrizePeriod, powerPlay, doublePlay),
    }));
  }
  if (issues.length > 0) {
    const numbersOnly = issues.length === numberIssues.length;
    throw new ValidationError(
      `invalid ticket, nothing stored: ${issues.map((i) => `${i.where}: ${i.reason}`).join('; ')}`,
      issues,
      numbersOnly ? 'INVALID_NUMBERS' : 'INVALID_INPUT',
    );
  }
  const whites = [...(input.whites as number[])].sort((a, b) => a - b) as unknown as Whites;
  return Object.freeze({
    whites,
    powerball: input.powerball as number,
    powerPlay,
    doublePlay,
    note,
    plays: Object.freeze(plays),
  });
}

export interface GameOutcome {
  readonly whiteMatches: number;
  readonly powerballMatch: boolean;
  readonly tier: PrizeTier | null;
  /** Dollars; null for a prize with no fixed amount (the jackpot, the Double Play top prize). */
  readonly amount: number | null;
}

export type PowerPlayApplied = 'none' | 'fixed' | 'multiplied' | 'multiplier-unknown';

export interface PlayOutcome {
  readonly main: GameOutcome & {
    /** The prize without Power Play. */
    readonly baseAmount: number | null;
    /** The drawn multiplier applied, when one was. */
    readonly multiplier: number | null;
    readonly powerPlay: PowerPlayApplied;
  };
  /** Null when Double Play was not played or the draw's Double Play numbers are not known. */
  readonly doublePlay: GameOutcome | null;
  /** Double Play was played but its numbers for the draw are not in the database yet. */
  readonly doublePlayPending: boolean;
  /** Dollars of fixed prizes won (the jackpot and the Double Play top prize are not included). */
  readonly won: number;
}

export interface PlayedNumbers extends Ticket {
  readonly powerPlay: boolean;
  readonly doublePlay: boolean;
}

function match(
  ticket: Ticket,
  drawn: Ticket,
  amounts: Readonly<Record<PrizeTier, number | null>>,
): GameOutcome {
  const set = new Set(drawn.whites);
  const whiteMatches = ticket.whites.filter((w) => set.has(w)).length;
  const powerballMatch = ticket.powerball === drawn.powerball;
  const info = PRIZE_TIERS.find(
    (t) => t.whiteMatches === whiteMatches && t.powerballMatch === powerballMatch,
  );
  return {
    whiteMatches,
    powerballMatch,
    tier: info?.tier ?? null,
    amount: info ? amounts[info.tier] : 0,
  };
}

/** The Power Play prize of a tier with a drawn multiplier (null: the jackpot). */
export function powerPlayAmount(period: PrizePeriod, tier: PrizeTier, multiplier: number): number | null {
  const rule = period.powerPlay;
  if (rule.kind === 'fixed') return rule.prizes[tier];
  const base = period.prizes[tier];
  if (base === null) return null;
  if (tier === '5') {
    if (rule.match5Fixed !== null) return rule.match5Fixed;
    return base * Math.max(multiplier, rule.match5MinMultiplier ?? 1);
  }
  return base * multiplier;
}

/** How Power Play applies to a draw: fixed prizes, a usable drawn multiplier, or unknown. */
function powerPlayMode(
  period: PrizePeriod,
  draw: Draw,
): { mode: PowerPlayApplied; multiplier: number | null } {
  if (period.powerPlay.kind === 'fixed') return { mode: 'fixed', multiplier: null };
  const m = draw.multiplier;
  if (m === null || !period.powerPlay.multipliers.includes(m))
    return { mode: 'multiplier-unknown', multiplier: null };
  return { mode: 'multiplied', multiplier: m };
}

/**
 * Checks one play against its draw. A Power Play play whose draw has no usable multiplier is paid
 * the base prize and marked `multiplier-unknown` (re-checked when the multiplier arrives).
 */
export function playOutcome(play: PlayedNumbers, draw: Draw): PlayOutcome {
  const period = prizePeriodOf(draw.date);
  const base = match(play, draw, period.prizes);
  let amount = base.amount;
  let applied: PowerPlayApplied = 'none';
  let multiplier: number | null = null;
  if (play.powerPlay && base.tier !== null) {
    const pp = powerPlayMode(period, draw);
    applied = pp.mode;
    multiplier = pp.multiplier;
    if (pp.mode === 'fixed') amount = powerPlayAmount(period, base.tier, 1);
    else if (pp.mode === 'multiplied') amount = powerPlayAmount(period, base.tier, pp.multiplier as number);
  } else if (play.powerPlay) applied = powerPlayMode(period, draw).mode;
  let doublePlay: GameOutcome | null = null;
  const dpRule = period.doublePlay;
  if (play.doublePlay && dpRule && draw.doublePlay) doublePlay = match(play, draw.doublePlay, dpRule.prizes);
  return {
    main: { ...base, amount, baseAmount: base.amount, multiplier, powerPlay: applied },
    doublePlay,
    doublePlayPending: play.doublePlay && dpRule !== null && !draw.doublePlay,
    won: (amount ?? 0) + (doublePlay?.amount ?? 0),
  };
}

/**
 * The expected dollars of fixed prizes for one play, from the exact odds of the draw's era and the
 * period's table (the jackpot and the Double Play top prize excluded). With Power Play the drawn
 * multiplier is used (it is drawn independently of the numbers); when it is unknown, the base prizes.
 */
export function expectedWinnings(play: PlayedNumbers, draw: Draw): number {
  const period = prizePeriodOf(draw.date);
  const era = eraOf(draw.date);
  const pp = play.powerPlay ? powerPlayMode(period, draw) : { mode: 'none' as const, multiplier: null };
  let total = 0;
  for (const info of PRIZE_TIERS) {
    const p = tierProbability(info, era);
    let amount = period.prizes[info.tier];
    if (pp.mode === 'fixed') amount = powerPlayAmount(period, info.tier, 1);
    else if (pp.mode === 'multiplied') amount = powerPlayAmount(period, info.tier, pp.multiplier as number);
    total += p * (amount ?? 0);
    if (play.doublePlay && period.doublePlay && draw.doublePlay)
      total += p * (period.doublePlay.prizes[info.tier] ?? 0);
  }
  return total;
}

/** What a result was computed from: changes when the draw's numbers, multiplier or Double Play do. */
export function drawFingerprint(draw: Draw): string {
  return `${ticketKey(draw)}|x${draw.multiplier ?? ''}|dp:${draw.doublePlay ? ticketKey(draw.doublePlay) : ''}`;
}
