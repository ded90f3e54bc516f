/**
 * The dashboard's distribution pages: sums (with and without the Powerball, per year, where a sum
 * sits), gaps between appearances (in draws and in days), and each number's frequency per draw
 * weekday — each against what chance gives, per era, whites and Powerball apart.
 */
import { type IsoDate, toEpochDay, WEEKDAYS, type Weekday, weekdayIndex } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import type { RuleEra } from '../domain/eras.js';
import { analyzeDraws, type EraAnalysis, type SplitStats, type SumStats } from './analysis-service.js';
import { binomial } from '../domain/prizes.js';
import { type Pool, scopeDraws, type ViewScope } from './analysis-views.js';

interface Span {
  readonly era: RuleEra;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly draws: number;
}

function span(era: RuleEra, draws: readonly Draw[]): Span {
  return {
    era,
    from: (draws[0] as Draw).date,
    to: (draws[draws.length - 1] as Draw).date,
    draws: draws.length,
  };
}

/** ways[s] = number of 5-subsets of 1..W summing to s (dynamic programming, no enumeration). */
function fiveSumWays(W: number): Float64Array {
  const maxSum = 5 * W;
  const ways = Array.from({ length: 6 }, () => new Float64Array(maxSum + 1));
  (ways[0] as Float64Array)[0] = 1;
  for (let x = 1; x <= W; x++)
    for (let k = 5; k >= 1; k--) {
      const to = ways[k] as Float64Array;
      const from = ways[k - 1] as Float64Array;
      for (let s = maxSum; s >= x; s--) to[s] = (to[s] as number) + (from[s - x] as number);
    }
  return ways[5] as Float64Array;
}

export interface SumBin {
  readonly from: number;
  readonly to: number;
  readonly count: number;
  readonly expected: number;
}

export interface SumsView extends Span {
  /** The five whites: mean, spread, histogram against chance, and where `sum` sits. */
  readonly whites: SumStats;
  /** Whites plus the Powerball, in bins of 10, against chance. */
  readonly withPowerball: {
    readonly mean: number;
    readonly expectedMean: number;
    readonly histogram: readonly SumBin[];
    /** Where `sum` sits among the sums with the Powerball (null without one). */
    readonly position: {
      readonly sum: number;
      readonly percentile: number;
      readonly expectedPercentile: number;
    } | null;
  };
  /** Mean sum of the whites per calendar year, against chance. */
  readonly byYear: readonly {
    readonly year: number;
    readonly draws: number;
    readonly mean: number;
    readonly expected: number;
  }[];
  readonly oddEven: SplitStats;
  readonly highLow: SplitStats;
}

/** Sums of the scope's draws; `sum` is placed in both distributions. */
export function sumsView(all: readonly Draw[], scope: ViewScope & { readonly sum?: number }): SumsView {
  const s = scopeDraws(all, scope);
  const a: EraAnalysis = analyzeDraws(s.draws, {
    era: 'all',
    maxCombinationSize: 0,
    ...(scope.sum !== undefined && { sum: scope.sum }),
  }).eras[0] as EraAnalysis;
  const W = s.era.whiteMax;
  const P = s.era.powerballMax;
  const ways = fiveSumWays(W);
  // Distribution of whites + Powerball: the whites' sums shifted by each Powerball, equally likely.
  const total = binomial(W, 5) * P;
  const withPb = new Float64Array(5 * W + P + 1);
  for (let sum = 0; sum < ways.length; sum++) {
    const w = ways[sum] as number;
    if (w === 0) continue;
    for (let pb = 1; pb <= P; pb++) withPb[sum + pb] = (withPb[sum + pb] as number) + w;
  }
  const sums = s.draws.map((d) => d.whites.reduce((x, y) => x + y, 0) + d.powerball);
  const n = sums.length;
  const lowest = Math.floor(16 / 10) * 10;
  const highest = 5 * W - 10 + P;
  const histogram: SumBin[] = [];
  for (let from = lowest; from <= highest; from += 10) {
    let p = 0;
    for (let x = from; x <= Math.min(from + 9, withPb.length - 1); x++) p += withPb[x] as number;
    histogram.push({
      from,
      to: from + 9,
      count: sums.filter((x) => x >= from && x <= from + 9).length,
      expected: (n * p) / total,
    });
  }
  let position: SumsView['withPowerball']['position'] = null;
  if (scope.sum !== undefined) {
    const given = scope.sum;
    const below = sums.filter((x) => x < given).length;
    const equal = sums.filter((x) => x === given).length;
    let pBelow = 0;
    for (let x = 0; x < Math.min(given, withPb.length); x++) pBelow += withPb[x] as number;
    const pEqual = given >= 0 && given < withPb.length ? (withPb[given] as number) : 0;
    position = {
      sum: given,
      percentile: ((below + equal / 2) / n) * 100,
      expectedPercentile: ((pBelow + pEqual / 2) / total) * 100,
    };
  }
  const years = new Map<number, { draws: number; total: number }>();
  for (const d of s.draws) {
    const y = Number(d.date.slice(0, 4));
    const e = years.get(y) ?? { draws: 0, total: 0 };
    e.draws++;
    e.total += d.whites.reduce((x, v) => x + v, 0);
    years.set(y, e);
  }
  return {
    ...span(s.era, s.draws),
    whites: a.sums,
    withPowerball: {
      mean: sums.reduce((x, y) => x + y, 0) / n,
      expectedMean: a.sums.expectedMean + (P + 1) / 2,
      histogram,
      position,
    },
    byYear: [...years].map(([year, e]) => ({
      year,
      draws: e.draws,
      mean: e.total / e.draws,
      expected: a.sums.expectedMean,
    })),
    oddEven: a.oddEven,
    highLow: a.highLow,
  };
}

export interface GapNumber {
  readonly number: number;
  /** Completed gaps: draws from one appearance to the next (1 = drawn again in the next draw). */
  readonly gaps: number;
  readonly mean: number | null;
  readonly median: number | null;
  readonly max: number | null;
  /** Draws since it was last drawn (the open gap, not in the statistics above). */
  readonly current: number;
}

export interface GapPool {
  readonly pool: Pool;
  readonly size: number;
  /** Mean gap in draws by chance: size / numbers per draw. */
  readonly expectedMean: number;
  readonly numbers: readonly GapNumber[];
  /** Every completed gap of every number in draws (1, 2, …; the last bin holds the rest) against chance. */
  readonly inDraws: readonly {
    readonly from: number;
    readonly to: number;
    readonly count: number;
    readonly expected: number;
  }[];
  /** The same gaps in calendar days, in weeks (0–6 days, 7–13, …; the last bin holds the rest). */
  readonly inDays: readonly { readonly from: number; readonly to: number; readonly count: number }[];
}

export interface GapsView extends Span {
  readonly whites: GapPool;
  readonly powerball: GapPool;
}

const median = (sorted: readonly number[]): number | null => {
  if (sorted.length === 0) return null;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[m] as number) : ((sorted[m - 1] as number) + (sorted[m] as number)) / 2;
};

function gapPool(draws: readonly Draw[], pool: Pool, size: number): GapPool {
  const perDraw = pool === 'whites' ? 5 : 1;
  const p = perDraw / size;
  const last = new Array<number>(size + 1).fill(-1);
  const lists: number[][] = Array.from({ length: size + 1 }, () => []);
  const inDays: number[] = [];
  const days = draws.map((d) => toEpochDay(d.date));
  draws.forEach((d, i) => {
    for (const x of pool === 'whites' ? d.whites : [d.powerball]) {
      const prev = last[x] as number;
      if (prev >= 0) {
        (lists[x] as number[]).push(i - prev);
        inDays.push((days[i] as number) - (days[prev] as number));
      }
      last[x] = i;
    }
  });
  const numbers: GapNumber[] = [];
  const all: number[] = [];
  for (let x = 1; x <= size; x++) {
    const g = [...(lists[x] as number[])].sort((a, b) => a - b);
    all.push(...g);
    numbers.push({
      number: x,
      gaps: g.length,
      mean: g.length ? g.reduce((a, b) => a + b, 0) / g.length : null,
      median: median(g),
      max: g.length ? (g[g.length - 1] as number) : null,
      current: draws.length - 1 - (last[x] as number),
    });
  }
  // Draw-gap bins: single draws up to about three mean gaps, then one bin for the rest.
  const width = Math.max(1, Math.ceil(size / perDraw / 8));
  const cut = width * 24;
  const inDraws = [];
  for (let from = 1; from <= cut; from += width) {
    const to = from + width - 1;
    const open = from + width > cut;
    // Geometric: P(gap = g) = p(1−p)^(g−1); the last bin takes the tail.
    const pIn = open ? (1 - p) ** (from - 1) : (1 - p) ** (from - 1) - (1 - p) ** to;
    inDraws.push({
      from,
      to: open ? Math.max(to, ...all) : to,
      count: all.filter((g) => g >= from && (open || g <= to)).length,
      expected: all.length * pIn,
    });
  }
  const dayBins = [];
  const maxDays = Math.max(0, ...inDays);
  const dayCut = Math.min(maxDays, 7 * 30);
  for (let from = 0; from <= dayCut; from += 7) {
    const open = from + 7 > dayCut;
    dayBins.push({
      from,
      to: open ? maxDays : from + 6,
      count: inDays.filter((g) => g >= from && (open || g <= from + 6)).length,
    });
  }
  return { pool, size, expectedMean: size / perDraw, numbers, inDraws, inDays: dayBins };
}

/** Gaps between appearances of every number of the scope's era. */
export function gapsView(all: readonly Draw[], scope: ViewScope): GapsView {
  const s = scopeDraws(all, scope);
  return {
    ...span(s.era, s.draws),
    whites: gapPool(s.draws, 'whites', s.era.whiteMax),
    powerball: gapPool(s.draws, 'powerball', s.era.powerballMax),
  };
}

export interface WeekdayColumn {
  readonly weekday: Weekday;
  readonly draws: number;
  /** counts[n − 1]: draws on this weekday holding number n. */
  readonly whites: readonly number[];
  readonly powerball: readonly number[];
}

export interface WeekdaysView extends Span {
  /** Draws per weekday against the draws the calendar scheduled (from `pbi analyze`). */
  readonly schedule: EraAnalysis['weekdays'];
  /** Only weekdays with draws, Sunday first. */
  readonly days: readonly WeekdayColumn[];
  /** Chance of one number per draw: 5 / whiteMax and 1 / powerballMax. */
  readonly whiteChance: number;
  readonly powerballChance: number;
}

/** Each number's frequency per draw weekday. */
export function weekdaysView(all: readonly Draw[], scope: ViewScope): WeekdaysView {
  const s = scopeDraws(all, scope);
  const a = analyzeDraws(s.draws, { era: 'all', maxCombinationSize: 0 }).eras[0] as EraAnalysis;
  const W = s.era.whiteMax;
  const P = s.era.powerballMax;
  const cols = WEEKDAYS.map((weekday) => ({
    weekday,
    draws: 0,
    whites: new Array<number>(W).fill(0),
    powerball: new Array<number>(P).fill(0),
  }));
  for (const d of s.draws) {
    const c = cols[weekdayIndex(d.date)] as (typeof cols)[number];
    c.draws++;
    for (const w of d.whites) c.whites[w - 1] = (c.whites[w - 1] as number) + 1;
    c.powerball[d.powerball - 1] = (c.powerball[d.powerball - 1] as number) + 1;
  }
  return {
    ...span(s.era, s.draws),
    schedule: a.weekdays,
    days: cols.filter((c) => c.draws > 0),
    whiteChance: 5 / W,
    powerballChance: 1 / P,
  };
}
