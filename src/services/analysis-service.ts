/**
 * `pbi analyze` (and the HTTP API's analysis): statistics of the draw history, always per rule era
 * and with the white balls and the Powerball as separate pools (DESIGN §8).
 *
 * With `era: 'all'` each era is analysed on its own — its numbers, its ranges, its draw days — and
 * reported as one entry per era, because pooling eras of different ranges would make numbers that
 * did not exist look "cold" and mix two different uniform baselines. `window` (the newest N draws)
 * is applied to the whole history first, then the draws are split by era.
 *
 * The work is O(draws) over typed arrays (combinations keyed by their colex rank); the whole
 * history, every era, takes a few milliseconds (see bench/draws.bench.ts).
 */
import { isDrawEpochDay } from '../domain/calendar.js';
import {
  checkDateRange,
  epochDayWeekday,
  type IsoDate,
  toEpochDay,
  WEEKDAYS,
  type Weekday,
} from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, ERAS, eraOf, type RuleEra } from '../domain/eras.js';
import { FieldError, InsufficientDataError } from '../domain/errors.js';
import { binomial } from '../domain/prizes.js';
import {
  checkSelection,
  consecutiveStats,
  prizeOdds,
  type PrizeOdds,
  type Selection,
  selectionStats,
  type SelectionStats,
} from './analysis-selection.js';
import { comboStats, type ComboSize, pairMatrix, type PairMatrix } from './analysis-combinations.js';
import { trendStats } from './analysis-trends.js';
import { chiSquareSurvival, percentileOfSorted } from './analysis-stats.js';
import type { ServiceContext } from './context.js';

export type AnalysisEraMode = 'current' | 'all';
export type TrendPeriod = 'weekly' | 'monthly' | 'yearly';

export const TREND_PERIODS: readonly TrendPeriod[] = ['weekly', 'monthly', 'yearly'];

export { DEFAULT_TREND_PERIODS } from './analysis-trends.js';

export interface AnalyzeOptions {
  /** Only the newest N draws (of those between `from` and `to`). */
  readonly window?: number;
  /** Only draws on or after this date. */
  readonly from?: IsoDate;
  /** Only draws on or before this date. */
  readonly to?: IsoDate;
  /** Draws holding these whites (and Powerball): count against chance, gap, weekdays. */
  readonly selection?: Selection;
  readonly era?: AnalysisEraMode;
  /** A sum of the five whites to place in the distribution. */
  readonly sum?: number;
  /**
   * Largest combination counted (2 = pairs only; 0 = none): the 4- and 5-number counts are the
   * slowest part, skipped by callers that read none of them. Default: all sizes.
   */
  readonly maxCombinationSize?: number;
  /** Count combinations of whites together with the Powerball. */
  readonly withPowerball?: boolean;
  readonly period?: TrendPeriod;
  /**
   * K: the last K periods against the K before. Windows are anchored at the newest analysed draw:
   * recent = (newest − K periods, newest], previous = the K periods before that (months and years
   * by the calendar, a day past a month's end clamped to its last day).
   */
  readonly periods?: number;
  /** Length of the hot/cold/overdue/trend/combination lists. */
  readonly top?: number;
}

export interface NumberStats {
  readonly number: number;
  readonly count: number;
  /** Count expected by chance over the same draws. */
  readonly expected: number;
  /** (count − expected) / binomial standard deviation. */
  readonly z: number;
  readonly lastSeen: IsoDate | null;
  /** Draws since it was last drawn (0 = in the newest draw); the number of draws when never drawn. */
  readonly gap: number;
  /** Longest run of consecutive draws without it, including the runs before its first and after its last appearance. */
  readonly longestGap: number;
}

export interface ChiSquare {
  /** The statistic the p-value is computed from. */
  readonly statistic: number;
  /** Pearson's Σ(o−e)²/e before any correction. */
  readonly pearson: number;
  readonly df: number;
  readonly pValue: number;
  readonly note: string;
}

export interface PoolStats {
  readonly pool: 'whites' | 'powerball';
  /** Numbers 1..size. */
  readonly size: number;
  /** Numbers of this pool in each draw (5 whites, 1 Powerball). */
  readonly perDraw: number;
  readonly expectedCount: number;
  /** Mean number of draws between appearances under chance: size / perDraw. */
  readonly expectedGap: number;
  readonly numbers: readonly NumberStats[];
  /** Most drawn (ties: smaller number first). */
  readonly hot: readonly NumberStats[];
  /** Least drawn. */
  readonly cold: readonly NumberStats[];
  /** Longest current gap. */
  readonly overdue: readonly NumberStats[];
  readonly chiSquare: ChiSquare;
}

export interface SumPosition {
  readonly sum: number;
  /** Whether five distinct whites of the era can add up to it. */
  readonly possible: boolean;
  readonly below: number;
  readonly equal: number;
  readonly above: number;
  /** Mid-rank percentile among the analysed draws: (below + equal/2) / draws × 100. */
  readonly percentile: number;
  /** The same percentile under chance (exact, from the distribution of sums of 5 distinct whites). */
  readonly expectedPercentile: number;
  /** Draws expected by chance below, at and above the sum. */
  readonly expectedBelow: number;
  readonly expectedEqual: number;
  readonly expectedAbove: number;
}

export interface SumStats {
  readonly mean: number;
  /** Sample standard deviation. */
  readonly sd: number;
  readonly min: number;
  readonly max: number;
  readonly percentiles: Readonly<Record<'p5' | 'p10' | 'p25' | 'p50' | 'p75' | 'p90' | 'p95', number>>;
  readonly expectedMean: number;
  readonly expectedSd: number;
  /** Counts in bins of 10 beside the count expected by chance. */
  readonly histogram: readonly {
    readonly from: number;
    readonly to: number;
    readonly count: number;
    readonly expected: number;
  }[];
  readonly position: SumPosition | null;
}

export interface SplitStats {
  /** What `k` counts, e.g. "odd whites". */
  readonly label: string;
  /** One row per k = 0..5: draws with exactly k such whites, and the count expected by chance. */
  readonly distribution: readonly { readonly k: number; readonly count: number; readonly expected: number }[];
}

export interface TrendWindow {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly draws: number;
}

export interface TrendEntry {
  readonly number: number;
  readonly recent: number;
  readonly previous: number;
  /** Per-draw rate in the recent window minus the rate in the previous one. */
  readonly change: number;
}

export interface Trends {
  readonly period: TrendPeriod;
  readonly periods: number;
  readonly recent: TrendWindow;
  readonly previous: TrendWindow;
  readonly whites: { readonly rising: readonly TrendEntry[]; readonly falling: readonly TrendEntry[] };
  readonly powerball: { readonly rising: readonly TrendEntry[]; readonly falling: readonly TrendEntry[] };
  /** Set when a window holds no draws (for example it lies before the era began). */
  readonly note: string | null;
}

export interface WeekdayStats {
  readonly weekday: Weekday;
  readonly observed: number;
  /** Scheduled draw dates on that weekday between the first and last analysed draw. */
  readonly expected: number;
}

export interface EraAnalysis {
  readonly era: RuleEra;
  readonly draws: number;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly whites: PoolStats;
  readonly powerball: PoolStats;
  readonly sums: SumStats;
  readonly oddEven: SplitStats;
  readonly highLow: SplitStats;
  /** Draws whose Powerball was odd, and the count expected by chance. */
  readonly powerballOdd: { readonly count: number; readonly expected: number };
  /** Draws with at least two consecutive whites, and the count expected by chance. */
  readonly consecutive: { readonly count: number; readonly expected: number };
  /** The `selection` option's statistics, or null without one. */
  readonly selection: SelectionStats | null;
  /** Exact odds of each prize tier for one ticket under this era's ranges. */
  readonly prizeOdds: readonly PrizeOdds[];
  readonly combinations: readonly ComboSize[];
  readonly trends: Trends;
  readonly weekdays: readonly WeekdayStats[];
  /** Scheduled draw dates in the analysed span with no stored draw. */
  readonly missingDraws: number;
}

export interface AnalysisReport {
  readonly eraMode: AnalysisEraMode;
  readonly window: number | null;
  readonly totalDraws: number;
  readonly eras: readonly EraAnalysis[];
  readonly disclaimer: string;
}

const DISCLAIMER =
  'Draws are random and independent: hot, cold, overdue and trending numbers describe the past and do not change the odds of the next draw.';

export class AnalysisService {
  /** The history as last read, reused while the store's revision token is the same. */
  private cached: { readonly revision: string; readonly draws: readonly Draw[] } | null = null;

  constructor(private readonly ctx: ServiceContext<'draws'>) {}

  /**
   * Statistics of the stored history.
   * @throws InsufficientDataError when there are no draws to analyse; ValidationError on bad options.
   */
  analyze(options: AnalyzeOptions = {}): AnalysisReport {
    return analyzeDraws(this.history(), options);
  }

  /** All stored draws, oldest first; read again only when the draws changed (a long-lived API). */
  history(): readonly Draw[] {
    const revision = this.ctx.store.draws.revision();
    if (this.cached?.revision !== revision) this.cached = { revision, draws: this.ctx.store.draws.list() };
    return this.cached.draws;
  }

  /**
   * Pair co-occurrence of the white balls of one era (the current era by default).
   * @throws ValidationError when `eraId` is not an era's first date.
   */
  pairs(eraId?: string): PairMatrix {
    return pairMatrix(this.history(), eraId);
  }
}

/**
 * The analysis of `draws` (oldest first, valid draws).
 * @throws InsufficientDataError when no draw falls in the chosen era; ValidationError on bad options.
 */
export function analyzeDraws(draws: readonly Draw[], options: AnalyzeOptions = {}): AnalysisReport {
  const mode = options.era ?? 'current';
  const window = options.window ?? null;
  if (window !== null && (!Number.isInteger(window) || window < 1))
    throw new FieldError(
      (n) => `${n('window')} must be a whole number ≥ 1, got ${window}`,
      [{ where: 'window', reason: 'expected a whole number ≥ 1' }],
    );
  const from = options.from ?? null;
  const to = options.to ?? null;
  checkDateRange(from ?? undefined, to ?? undefined);
  if (options.selection) checkSelection(options.selection);
  const inDates =
    from === null && to === null
      ? draws
      : draws.filter((d) => (from === null || d.date >= from) && (to === null || d.date <= to));
  const inWindow = window === null ? inDates : inDates.slice(Math.max(0, inDates.length - window));
  const byEra = new Map<RuleEra, Draw[]>();
  for (const d of inWindow) {
    const era = eraOf(d.date);
    if (mode === 'current' && era !== CURRENT_ERA) continue;
    let list = byEra.get(era);
    if (!list) byEra.set(era, (list = []));
    list.push(d);
  }
  const eras = ERAS.filter((e) => byEra.has(e)).map((e) => analyzeEra(e, byEra.get(e) as Draw[], options));
  if (eras.length === 0)
    throw new InsufficientDataError(
      from !== null || to !== null
        ? `no draws to analyse between ${from ?? 'the first draw'} and ${to ?? 'the last'}${mode === 'current' ? ` in the current era (since ${CURRENT_ERA.from})` : ''}`
        : mode === 'current'
          ? `no draws of the current era (since ${CURRENT_ERA.from}) to analyse; run pbi init or import draws`
          : 'no draws to analyse; run pbi init or import draws',
    );
  return { eraMode: mode, window, totalDraws: inWindow.length, eras, disclaimer: DISCLAIMER };
}

function analyzeEra(era: RuleEra, draws: readonly Draw[], options: AnalyzeOptions): EraAnalysis {
  const n = draws.length;
  const top = options.top ?? 5;
  const W = era.whiteMax;
  const P = era.powerballMax;
  // Flatten once: whites row-major (n × 5), Powerballs, epoch days.
  const whites = new Uint8Array(n * 5);
  const pbs = new Uint8Array(n);
  const days = new Int32Array(n);
  draws.forEach((d, i) => {
    for (let j = 0; j < 5; j++) whites[i * 5 + j] = d.whites[j] as number;
    pbs[i] = d.powerball;
    days[i] = toEpochDay(d.date);
  });
  const first = draws[0] as Draw;
  const last = draws[n - 1] as Draw;
  return {
    era,
    draws: n,
    from: first.date,
    to: last.date,
    whites: poolStats('whites', whites, 5, W, draws, top),
    powerball: poolStats('powerball', pbs, 1, P, draws, Math.min(top, 3)),
    sums: sumStats(whites, n, W, options.sum),
    oddEven: splitStats('odd whites', whites, n, W, (x) => x % 2 === 1),
    highLow: splitStats(
      `high whites (${Math.floor(W / 2) + 1}–${W})`,
      whites,
      n,
      W,
      (x) => x > Math.floor(W / 2),
    ),
    powerballOdd: {
      count: pbs.reduce((s, x) => s + (x % 2), 0),
      expected: (n * Math.ceil(P / 2)) / P,
    },
    consecutive: consecutiveStats(whites, n, W),
    selection: options.selection
      ? selectionStats(
          era,
          options.selection,
          whites,
          pbs,
          days,
          draws.map((d) => d.date),
        )
      : null,
    prizeOdds: prizeOdds(era),
    combinations: comboStats(
      whites,
      pbs,
      n,
      W,
      P,
      options.withPowerball === true,
      top,
      options.maxCombinationSize,
    ),
    trends: trendStats(whites, pbs, days, W, P, options, top),
    ...weekdayStats(days),
  };
}

function inc(a: Int32Array, i: number): void {
  a[i] = (a[i] as number) + 1;
}

function poolStats(
  pool: 'whites' | 'powerball',
  values: Uint8Array,
  perDraw: number,
  size: number,
  draws: readonly Draw[],
  top: number,
): PoolStats {
  const n = draws.length;
  const counts = new Int32Array(size + 1);
  const lastIndex = new Int32Array(size + 1).fill(-1);
  const longest = new Int32Array(size + 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < perDraw; j++) {
      const x = values[i * perDraw + j] as number;
      inc(counts, x);
      const run = i - (lastIndex[x] as number) - 1;
      if (run > (longest[x] as number)) longest[x] = run;
      lastIndex[x] = i;
    }
  }
  const p = perDraw / size;
  const expected = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  const numbers: NumberStats[] = [];
  let pearson = 0;
  for (let x = 1; x <= size; x++) {
    const c = counts[x] as number;
    const li = lastIndex[x] as number;
    const gap = n - 1 - li;
    numbers.push({
      number: x,
      count: c,
      expected,
      z: sd > 0 ? (c - expected) / sd : 0,
      lastSeen: li >= 0 ? (draws[li] as Draw).date : null,
      gap,
      longestGap: Math.max(longest[x] as number, gap),
    });
    pearson += ((c - expected) * (c - expected)) / expected;
  }
  const df = size - 1;
  // Five whites are drawn without replacement, so the counts are negatively correlated and Pearson's
  // statistic is (size−5)/(size−1) × χ²(size−1); rescale so the p-value is right.
  const factor = perDraw > 1 ? (size - 1) / (size - perDraw) : 1;
  const statistic = pearson * factor;
  const chiSquare: ChiSquare = {
    statistic,
    pearson,
    df,
    pValue: chiSquareSurvival(statistic, df),
    note:
      perDraw > 1
        ? `Pearson's statistic × ${(size - 1).toString()}/${(size - perDraw).toString()}: the ${perDraw} whites of a draw are drawn without replacement`
        : 'Pearson chi-square against a uniform Powerball',
  };
  const byCount = [...numbers].sort((a, b) => b.count - a.count || a.number - b.number);
  const coldest = [...numbers].sort((a, b) => a.count - b.count || a.number - b.number);
  const byGap = [...numbers].sort((a, b) => b.gap - a.gap || a.number - b.number);
  return {
    pool,
    size,
    perDraw,
    expectedCount: expected,
    expectedGap: size / perDraw,
    numbers,
    hot: byCount.slice(0, top),
    cold: coldest.slice(0, top),
    overdue: byGap.slice(0, top),
    chiSquare,
  };
}

const SUM_WAYS = new Map<number, Float64Array>();

/** ways[s] = number of 5-subsets of 1..W whose sum is s (dynamic programming, no enumeration). */
function sumWays(W: number): Float64Array {
  const cached = SUM_WAYS.get(W);
  if (cached) return cached;
  const maxSum = 5 * W;
  const ways = Array.from({ length: 6 }, () => new Float64Array(maxSum + 1));
  (ways[0] as Float64Array)[0] = 1;
  for (let x = 1; x <= W; x++) {
    for (let k = 5; k >= 1; k--) {
      const to = ways[k] as Float64Array;
      const from = ways[k - 1] as Float64Array;
      for (let s = maxSum; s >= x; s--) to[s] = (to[s] as number) + (from[s - x] as number);
    }
  }
  SUM_WAYS.set(W, ways[5] as Float64Array);
  return ways[5] as Float64Array;
}

function sumStats(whites: Uint8Array, n: number, W: number, given: number | undefined): SumStats {
  const sums = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < 5; j++) s += whites[i * 5 + j] as number;
    sums[i] = s;
    total += s;
  }
  const mean = total / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((sums[i] as number) - mean) ** 2;
  const sorted = Int32Array.from(sums).sort();
  const pct = (q: number) => percentileOfSorted(sorted, q);
  const ways = sumWays(W);
  const combos = binomial(W, 5);
  const histogram: { from: number; to: number; count: number; expected: number }[] = [];
  const minPossible = 15;
  const maxPossible = 5 * W - 10;
  const firstBin = Math.floor(minPossible / 10) * 10;
  const binCounts = new Int32Array(Math.floor(maxPossible / 10) - firstBin / 10 + 1);
  for (let i = 0; i < n; i++) inc(binCounts, Math.floor((sums[i] as number) / 10) - firstBin / 10);
  for (let from = firstBin; from <= maxPossible; from += 10) {
    const to = from + 9;
    const count = binCounts[(from - firstBin) / 10] as number;
    let p = 0;
    for (let s = from; s <= Math.min(to, 5 * W); s++) p += ways[s] as number;
    histogram.push({ from, to, count, expected: (n * p) / combos });
  }
  let position: SumPosition | null = null;
  if (given !== undefined) {
    let below = 0;
    let equal = 0;
    for (let i = 0; i < n; i++) {
      if ((sums[i] as number) < given) below++;
      else if (sums[i] === given) equal++;
    }
    let pBelow = 0;
    for (let s = 0; s < Math.min(given, ways.length); s++) pBelow += ways[s] as number;
    const pEqual = given >= 0 && given < ways.length ? (ways[given] as number) : 0;
    position = {
      sum: given,
      possible: given >= minPossible && given <= maxPossible,
      below,
      equal,
      above: n - below - equal,
      percentile: ((below + equal / 2) / n) * 100,
      expectedPercentile: ((pBelow + pEqual / 2) / combos) * 100,
      expectedBelow: (n * pBelow) / combos,
      expectedEqual: (n * pEqual) / combos,
      expectedAbove: (n * (combos - pBelow - pEqual)) / combos,
    };
  }
  return {
    mean,
    sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    percentiles: {
      p5: pct(5),
      p10: pct(10),
      p25: pct(25),
      p50: pct(50),
      p75: pct(75),
      p90: pct(90),
      p95: pct(95),
    },
    expectedMean: (5 * (W + 1)) / 2,
    // Variance of a sum of 5 draws without replacement from 1..W.
    expectedSd: Math.sqrt(((5 * (W * W - 1)) / 12) * ((W - 5) / (W - 1))),
    histogram,
    position,
  };
}

function splitStats(
  label: string,
  whites: Uint8Array,
  n: number,
  W: number,
  pick: (x: number) => boolean,
): SplitStats {
  const hist = new Int32Array(6);
  let marked = 0;
  for (let x = 1; x <= W; x++) if (pick(x)) marked++;
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let j = 0; j < 5; j++) if (pick(whites[i * 5 + j] as number)) k++;
    inc(hist, k);
  }
  const total = binomial(W, 5);
  return {
    label,
    distribution: Array.from({ length: 6 }, (_, k) => ({
      k,
      count: hist[k] as number,
      // Hypergeometric: k of the 5 from the `marked` numbers.
      expected: (n * binomial(marked, k) * binomial(W - marked, 5 - k)) / total,
    })),
  };
}

/** Observed draws per weekday against the draw dates the calendar scheduled in the same span. */
function weekdayStats(days: Int32Array): { weekdays: WeekdayStats[]; missingDraws: number } {
  const observed = new Int32Array(7);
  for (const day of days) inc(observed, epochDayWeekday(day));
  const expected = new Int32Array(7);
  const firstDay = days[0] as number;
  const lastDay = days[days.length - 1] as number;
  for (let day = firstDay; day <= lastDay; day++)
    if (isDrawEpochDay(day)) inc(expected, epochDayWeekday(day));
  const weekdays = WEEKDAYS.map((weekday, i) => ({
    weekday,
    observed: observed[i] as number,
    expected: expected[i] as number,
  })).filter((w) => w.observed > 0 || w.expected > 0);
  const scheduled = expected.reduce((a, b) => a + b, 0);
  return { weekdays, missingDraws: Math.max(0, scheduled - days.length) };
}
