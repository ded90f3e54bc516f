/**
 * An independent path to the figures `pbi ask` reports: plain loops over the stored draws with
 * the era table of DESIGN §2 written out again and the combinatorics redone here, so a table test
 * can compare the answers with numbers that never went through the parser or analyzeDraws.
 */
import type { Draw } from '../../../src/domain/draw.js';

/** DESIGN §2: era start, white max, Powerball max. */
export const ORACLE_ERAS = [
  ['1992-04-22', 45, 45],
  ['1997-11-05', 49, 42],
  ['2002-10-09', 53, 42],
  ['2005-08-31', 55, 42],
  ['2009-01-07', 59, 39],
  ['2012-01-18', 59, 35],
  ['2015-10-07', 69, 26],
] as const;

export interface Era {
  readonly id: string;
  readonly W: number;
  readonly P: number;
  readonly draws: readonly Draw[];
}

export interface Expected {
  readonly name: string;
  readonly era: string | null;
  readonly value: number | string | readonly (number | string)[] | null;
  /** undefined = not checked. */
  readonly chance?: number | null;
}

export function eraIdOf(date: string): string {
  let id: string = ORACLE_ERAS[0][0];
  for (const [from] of ORACLE_ERAS) if (date >= from) id = from;
  return id;
}

/** The draws split by era (only eras that hold some), oldest first. */
export function splitEras(draws: readonly Draw[]): Era[] {
  return ORACLE_ERAS.map(([id, W, P]) => ({
    id,
    W,
    P,
    draws: draws.filter((d) => eraIdOf(d.date) === id),
  })).filter((e) => e.draws.length > 0);
}

export function binom(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 0; i < k; i++) r = (r * (n - i)) / (i + 1);
  return r;
}

export const hasWhite = (d: Draw, n: number) => d.whites.some((w) => w === n);
export const sumOf = (d: Draw) => d.whites.reduce((a, b) => a + b, 0);

/** Periods, resolved by hand in the table rather than by the parser. */
export function between(draws: readonly Draw[], from: string | null, to: string | null): Draw[] {
  return draws.filter((d) => (from === null || d.date >= from) && (to === null || d.date <= to));
}
export const lastK = (draws: readonly Draw[], k: number) => draws.slice(Math.max(0, draws.length - k));
export const currentEra = (draws: readonly Draw[]) => draws.filter((d) => d.date >= '2015-10-07');

/** Figures of "how often was N drawn (as …)". */
export function countFigures(
  ds: readonly Draw[],
  n: number,
  pools: readonly ('white' | 'powerball')[],
): Expected[] {
  const eras = splitEras(ds);
  const out: Expected[] = [];
  for (const pool of pools) {
    let total = 0;
    let chance = 0;
    for (const e of eras) {
      const valid = pool === 'white' ? n <= e.W : n <= e.P;
      const c = valid
        ? e.draws.filter((d) => (pool === 'white' ? hasWhite(d, n) : d.powerball === n)).length
        : 0;
      const x = valid ? (e.draws.length * (pool === 'white' ? 5 : 1)) / (pool === 'white' ? e.W : e.P) : 0;
      total += c;
      chance += x;
      out.push({ name: `${pool} count`, era: e.id, value: c, chance: x });
    }
    if (eras.length > 1) out.push({ name: `${pool} count`, era: null, value: total, chance });
  }
  return out;
}

/** Draws since `n` was last in `ds` (its length when never), and the longest run without it. */
export function gaps(
  ds: readonly Draw[],
  has: (d: Draw) => boolean,
): { gap: number; longest: number; last: string | null } {
  let last = -1;
  let longest = 0;
  ds.forEach((d, i) => {
    if (!has(d)) return;
    longest = Math.max(longest, i - last - 1);
    last = i;
  });
  const gap = ds.length - 1 - last;
  return { gap, longest: Math.max(longest, gap), last: last >= 0 ? (ds[last] as Draw).date : null };
}

/** numpy's default percentile (linear interpolation). */
export function percentile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = ((s.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(s.length - 1, lo + 1);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/** Ranks 1..max by count (descending, ties by the smaller number). */
export function rank(counts: readonly number[], order: 'most' | 'least', top: number): number[] {
  const nums = counts.map((c, i) => [i + 1, c] as const);
  nums.sort((a, b) => (order === 'most' ? b[1] - a[1] : a[1] - b[1]) || a[0] - b[0]);
  return nums.slice(0, top).map(([n]) => n);
}

export function whiteCounts(ds: readonly Draw[], W: number): number[] {
  const c = new Array<number>(W).fill(0);
  for (const d of ds) for (const w of d.whites) c[w - 1] = (c[w - 1] as number) + 1;
  return c;
}

export function pbCounts(ds: readonly Draw[], P: number): number[] {
  const c = new Array<number>(P).fill(0);
  for (const d of ds) c[d.powerball - 1] = (c[d.powerball - 1] as number) + 1;
  return c;
}

/** Probability that a sum of 5 distinct whites of 1..W is above / below / equal to s, by enumeration. */
export function sumProbabilities(W: number, s: number): { above: number; below: number; equal: number } {
  let above = 0;
  let below = 0;
  let equal = 0;
  for (let a = 1; a <= W; a++)
    for (let b = a + 1; b <= W; b++)
      for (let c = b + 1; c <= W; c++)
        for (let d = c + 1; d <= W; d++) {
          const partial = a + b + c + d;
          // e runs from d+1 to W: count how many make the sum above / equal / below.
          const lo = d + 1;
          if (lo > W) continue;
          const eq = s - partial;
          const count = W - lo + 1;
          const eqIn = eq >= lo && eq <= W ? 1 : 0;
          const belowIn = Math.max(0, Math.min(W, eq - 1) - lo + 1);
          equal += eqIn;
          below += belowIn;
          above += count - eqIn - belowIn;
        }
  const total = binom(W, 5);
  return { above: above / total, below: below / total, equal: equal / total };
}

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const weekdayName = (date: string) =>
  WEEKDAY_NAMES[new Date(`${date}T00:00:00Z`).getUTCDay()] as string;

/** Scheduled draw dates per weekday between two dates: Wed and Sat, Mon too from 2021-08-23. */
export function scheduled(from: string, to: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const d = new Date(t);
    const iso = d.toISOString().slice(0, 10);
    const wd = d.getUTCDay();
    if (wd === 3 || wd === 6 || (wd === 1 && iso >= '2021-08-23'))
      out.set(WEEKDAY_NAMES[wd] as string, (out.get(WEEKDAY_NAMES[wd] as string) ?? 0) + 1);
  }
  return out;
}
