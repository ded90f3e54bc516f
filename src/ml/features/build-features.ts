/**
 * Feature engineering: the one pipeline used by training, the ML strategy and the dashboard
 * (DESIGN §1, §8: "one pipeline, past draws only").
 *
 * Row t describes draw t using only draws 0..t-1 of the same era plus draw t's date (which is known
 * before the draw). Era choice: rows are built only for draws of one era (the current one by
 * default), from the history inside that era, because a frequency of "white 62" or a gap of
 * "Powerball 30" does not mean the same thing under other ranges. The first `warmup` draws of the
 * era (the largest window, by default) only feed the state, so every window is full in every row.
 *
 * One incremental pass: sliding-window counts are updated by adding the newest draw and removing the
 * one that left the window, pair/triplet counts by adding each draw's 10 pairs and 10 triplets, so the
 * cost is O(draws × columns) for writing the matrix and O(draws × windows) for the state.
 */
import { toEpochDay, type IsoDate } from '../../domain/dates.js';
import type { Draw } from '../../domain/draw.js';
import { CURRENT_ERA, eraOf, type RuleEra } from '../../domain/eras.js';
import { InsufficientDataError, ValidationError } from '../../domain/errors.js';
import type { DenseMatrix } from '../matrix.js';
import {
  DEFAULT_WINDOWS,
  DOW_COLUMNS,
  featureLayout,
  type FeatureLayout,
  ROLLING_STATS,
  TARGET_NAMES,
} from './feature-names.js';

export interface FeatureOptions {
  /** The era whose draws get rows (default: the current era). */
  readonly era?: RuleEra;
  /** Rolling windows in draws (default 10, 50, 100). */
  readonly windows?: readonly number[];
  /** Era draws used only as history before the first row (default: the largest window). */
  readonly warmup?: number;
}

/** The training matrix: one row per era draw after the warm-up, features and the six targets. */
export interface FeatureMatrix {
  readonly layout: FeatureLayout;
  readonly era: RuleEra;
  /** Feature names, one per column of `x` (same as `layout.names`). */
  readonly names: readonly string[];
  readonly targetNames: readonly string[];
  /** rows × features. */
  readonly x: DenseMatrix;
  /** rows × 6: the five sorted whites and the Powerball of each row's draw. */
  readonly y: DenseMatrix;
  /** Date of the draw each row describes. */
  readonly dates: readonly IsoDate[];
  readonly warmup: number;
  /** Draws of the era that were used (warm-up included). */
  readonly eraDraws: number;
}

/** The features of a draw that has not happened yet: the next one after the history. */
export interface NextDrawFeatures {
  readonly layout: FeatureLayout;
  readonly era: RuleEra;
  readonly names: readonly string[];
  readonly date: IsoDate;
  readonly row: Float64Array;
}

interface Packed {
  readonly n: number;
  readonly whites: Int32Array; // n × 5, ascending
  readonly pb: Int32Array;
  readonly day: Int32Array;
  /** n × ROLLING_STATS.length: each draw's values of the rolling statistics. */
  readonly stats: Float64Array;
  readonly dates: IsoDate[];
}

const NS = ROLLING_STATS.length;

/** The draws of `era`, checked for order, packed into typed arrays with their per-draw statistics. */
function packEra(draws: readonly Draw[], era: RuleEra): Packed {
  const picked: Draw[] = [];
  let prev = '';
  for (const d of draws) {
    if (d.date <= prev) {
      throw new ValidationError(`draws must be sorted by date without repeats (${d.date} after ${prev})`);
    }
    prev = d.date;
    if (d.date >= era.from && (era.to === null || d.date <= era.to)) picked.push(d);
  }
  const n = picked.length;
  const whites = new Int32Array(n * 5);
  const pb = new Int32Array(n);
  const day = new Int32Array(n);
  const stats = new Float64Array(n * NS);
  const dates = new Array<IsoDate>(n);
  const half = era.whiteMax >> 1;
  for (let i = 0; i < n; i++) {
    const d = picked[i] as Draw;
    let sum = 0;
    let odd = 0;
    let high = 0;
    const o = i * NS;
    for (let k = 0; k < 5; k++) {
      const v = d.whites[k] as number;
      whites[i * 5 + k] = v;
      sum += v;
      odd += v & 1;
      if (v > half) high++;
      stats[o + 4 + k] = v;
    }
    // Same order as ROLLING_STATS: sum, spread, odd, high, w1..w5, pb.
    stats[o] = sum;
    stats[o + 1] = (d.whites[4] as number) - (d.whites[0] as number);
    stats[o + 2] = odd;
    stats[o + 3] = high;
    stats[o + 9] = d.powerball;
    pb[i] = d.powerball;
    day[i] = toEpochDay(d.date);
    dates[i] = d.date;
  }
  return { n, whites, pb, day, stats, dates };
}

/**
 * A float64 array whose every element the caller overwrites: on Node, memory that is not zeroed
 * first (the matrix is megabytes, and zeroing it is a fifth of the work); elsewhere a plain array.
 */
function uninitialized(n: number): Float64Array {
  if (typeof Buffer === 'undefined' || n === 0) return new Float64Array(n);
  const b = Buffer.allocUnsafeSlow(n * 8);
  return new Float64Array(b.buffer, b.byteOffset, n);
}

function bump(a: Float64Array, i: number, by: number): void {
  a[i] = (a[i] as number) + by;
}

/**
 * The incremental state after some draws, able to write the row of the next draw. Used by both
 * `buildFeatureMatrix` and `nextDrawFeatures`, so training and prediction see the same features.
 */
class FeatureState {
  private readonly L: FeatureLayout;
  private readonly nw: number;
  private readonly windows: Int32Array;
  /**
   * Sliding-window counts laid out exactly like the `freq_*` columns (per window: whites 1..W, then
   * Powerballs 1..P), as float64 so writing a row is one memcpy.
   */
  private readonly freq: Float64Array;
  /** Per window, the sums of ROLLING_STATS over the draws in it. */
  private readonly roll: Float64Array;
  private readonly lastSeenW: Int32Array;
  private readonly lastSeenP: Int32Array;
  /** Counts of each white pair and triplet so far, by combinatorial index (C(69,3) = 52,394 slots). */
  private readonly pairs: Int32Array;
  private readonly triplets: Int32Array;
  private readonly c2: Int32Array;
  private readonly c3: Int32Array;
  private readonly dow: Int32Array;
  /** LAST_DRAW_STATS then COMBO_STATS of the newest draw. */
  private readonly lastStats = new Float64Array(15);
  private readonly comboStats = new Float64Array(4);
  /** Draws added so far (= index of the next draw). */
  t = 0;
  private lastDay = 0;

  constructor(
    layout: FeatureLayout,
    private readonly p: Packed,
  ) {
    this.L = layout;
    this.nw = layout.windows.length;
    this.windows = Int32Array.from(layout.windows);
    this.freq = new Float64Array(this.nw * (layout.whiteMax + layout.powerballMax));
    this.roll = new Float64Array(this.nw * NS);
    this.lastSeenW = new Int32Array(layout.whiteMax + 1).fill(-1);
    this.lastSeenP = new Int32Array(layout.powerballMax + 1).fill(-1);
    const W = layout.whiteMax;
    this.c2 = new Int32Array(W + 1);
    this.c3 = new Int32Array(W + 1);
    for (let v = 0; v <= W; v++) {
      this.c2[v] = (v * (v - 1)) / 2;
      this.c3[v] = (v * (v - 1) * (v - 2)) / 6;
    }
    this.pairs = new Int32Array((W * (W - 1)) / 2);
    this.triplets = new Int32Array((W * (W - 1) * (W - 2)) / 6);
    this.dow = Int32Array.from(DOW_COLUMNS, ([, d]) => d);
  }

  /** Adds draw `this.t` (the next one in the packed history) to the state. */
  add(): void {
    const i = this.t;
    const { whites, pb, day, stats } = this.p;
    const L = this.L;
    const b = i * 5;
    const so = i * NS;
    // Combination recurrence of this draw against the draws before it, then count it. Whites are
    // ascending, so (a, c, e) index the combinatorial number system with 0-based values.
    const pairs = this.pairs;
    const triplets = this.triplets;
    const c2 = this.c2;
    const c3 = this.c3;
    let pairsSeen = 0;
    let pairsTotal = 0;
    let tripSeen = 0;
    let tripTotal = 0;
    for (let a = 0; a < 5; a++) {
      const va = (whites[b + a] as number) - 1;
      for (let c = a + 1; c < 5; c++) {
        const vc = (whites[b + c] as number) - 1;
        const pi = (c2[vc] as number) + va;
        const pc = pairs[pi] as number;
        if (pc > 0) pairsSeen++;
        pairsTotal += pc;
        pairs[pi] = pc + 1;
        for (let e = c + 1; e < 5; e++) {
          const ti = (c3[(whites[b + e] as number) - 1] as number) + (c2[vc] as number) + va;
          const tc = triplets[ti] as number;
          if (tc > 0) tripSeen++;
          tripTotal += tc;
          triplets[ti] = tc + 1;
        }
      }
    }
    const cs = this.comboStats;
    cs[0] = pairsSeen;
    cs[1] = pairsTotal;
    cs[2] = tripSeen;
    cs[3] = tripTotal;
    // Last-draw statistics (LAST_DRAW_STATS order).
    const ls = this.lastStats;
    const sum = stats[so] as number;
    const mean = sum / 5;
    let sq = 0;
    let repeat = 0;
    for (let k = 0; k < 5; k++) {
      const v = whites[b + k] as number;
      ls[k] = v;
      sq += (v - mean) * (v - mean);
      if (i > 0 && this.lastSeenW[v] === i - 1) repeat++;
    }
    const odd = stats[so + 2] as number;
    const high = stats[so + 3] as number;
    ls[5] = pb[i] as number;
    ls[6] = sum;
    ls[7] = mean;
    ls[8] = stats[so + 1] as number;
    ls[9] = Math.sqrt(sq / 5);
    ls[10] = odd;
    ls[11] = 5 - odd;
    ls[12] = high;
    ls[13] = 5 - high;
    ls[14] = repeat;
    // Sliding windows: add draw i, drop draw i - w.
    const f = this.freq;
    const r = this.roll;
    const block = L.whiteMax + L.powerballMax;
    for (let k = 0; k < this.nw; k++) {
      const fw = k * block - 1; // white n at fw + n
      const fp = fw + L.whiteMax; // Powerball n at fp + n
      const ro = k * NS;
      for (let q = 0; q < 5; q++) bump(f, fw + (whites[b + q] as number), 1);
      bump(f, fp + (pb[i] as number), 1);
      for (let q = 0; q < NS; q++) r[ro + q] = (r[ro + q] as number) + (stats[so + q] as number);
      const j = i - (this.windows[k] as number);
      if (j >= 0) {
        const bj = j * 5;
        const sj = j * NS;
        for (let q = 0; q < 5; q++) bump(f, fw + (whites[bj + q] as number), -1);
        bump(f, fp + (pb[j] as number), -1);
        for (let q = 0; q < NS; q++) r[ro + q] = (r[ro + q] as number) - (stats[sj + q] as number);
      }
    }
    for (let q = 0; q < 5; q++) this.lastSeenW[whites[b + q] as number] = i;
    this.lastSeenP[pb[i] as number] = i;
    this.lastDay = day[i] as number;
    this.t = i + 1;
  }

  /** Writes the features of the draw after the current state, on epoch day `day`, at `out[o..]`. */
  write(out: Float64Array, o: number, day: number): void {
    const L = this.L;
    const t = this.t;
    const W = L.whiteMax;
    const P = L.powerballMax;
    out.set(this.freq, o + L.freq);
    let c = o + L.gap;
    // Never seen in the era: as if seen just before its first draw.
    const lw = this.lastSeenW;
    const lp = this.lastSeenP;
    for (let n = 1; n <= W; n++) out[c++] = t - (lw[n] as number);
    for (let n = 1; n <= P; n++) out[c++] = t - (lp[n] as number);
    const dow = (((day + 4) % 7) + 7) % 7;
    const dows = this.dow;
    for (let q = 0; q < dows.length; q++) out[c++] = dow === dows[q] ? 1 : 0;
    out[c++] = t;
    out[c++] = t > 0 ? day - this.lastDay : 0;
    if (t > 0) out.set(this.lastStats, c);
    else out.fill(0, c, c + this.lastStats.length);
    c += this.lastStats.length;
    const r = this.roll;
    for (let k = 0; k < this.nw; k++) {
      const m = Math.min(t, this.windows[k] as number);
      const ro = k * NS;
      for (let q = 0; q < NS; q++) out[c++] = m > 0 ? (r[ro + q] as number) / m : 0;
    }
    if (t > 0) out.set(this.comboStats, c);
    else out.fill(0, c, c + this.comboStats.length);
  }
}

function resolve(options: FeatureOptions): { era: RuleEra; layout: FeatureLayout; warmup: number } {
  const era = options.era ?? CURRENT_ERA;
  const layout = featureLayout(era, options.windows ?? DEFAULT_WINDOWS);
  const warmup = options.warmup ?? Math.max(...layout.windows);
  if (!Number.isInteger(warmup) || warmup < 0) {
    throw new ValidationError(`feature warm-up must be a whole number ≥ 0, got ${warmup}`);
  }
  return { era, layout, warmup };
}

/**
 * The feature matrix and targets of every era draw after the warm-up.
 * @throws ValidationError when draws are not sorted by date or options are invalid.
 */
export function buildFeatureMatrix(draws: readonly Draw[], options: FeatureOptions = {}): FeatureMatrix {
  const { era, layout, warmup } = resolve(options);
  const p = packEra(draws, era);
  const rows = Math.max(0, p.n - warmup);
  const cols = layout.width;
  // Every cell of x and y is written below (write() covers every column of a row).
  const x = uninitialized(rows * cols);
  const y = uninitialized(rows * 6);
  const dates = new Array<IsoDate>(rows);
  const state = new FeatureState(layout, p);
  for (let t = 0; t < p.n; t++) {
    const r = t - warmup;
    if (r >= 0) {
      state.write(x, r * cols, p.day[t] as number);
      for (let k = 0; k < 5; k++) y[r * 6 + k] = p.whites[t * 5 + k] as number;
      y[r * 6 + 5] = p.pb[t] as number;
      dates[r] = p.dates[t] as IsoDate;
    }
    state.add();
  }
  return {
    layout,
    era,
    names: layout.names,
    targetNames: TARGET_NAMES,
    x: { rows, cols, data: x },
    y: { rows, cols: 6, data: y },
    dates,
    warmup,
    eraDraws: p.n,
  };
}

/**
 * The features of the next draw after the history, on `date` (exactly the row `buildFeatureMatrix`
 * would give that draw once it happened).
 * @throws ValidationError when `date` is not after the last draw or not in the era;
 * InsufficientDataError when the era has fewer draws than the warm-up.
 */
export function nextDrawFeatures(
  draws: readonly Draw[],
  date: IsoDate,
  options: FeatureOptions = {},
): NextDrawFeatures {
  const { era, layout, warmup } = resolve(options);
  if (eraOf(date).id !== era.id) {
    throw new ValidationError(`${date} is not in the era that began ${era.from}`, [
      { where: 'date', reason: 'outside the era' },
    ]);
  }
  const p = packEra(draws, era);
  const last = p.dates[p.n - 1];
  if (last !== undefined && date <= last) {
    throw new ValidationError(`${date} is not after the last draw in the history (${last})`, [
      { where: 'date', reason: 'not after the history' },
    ]);
  }
  if (p.n < warmup) {
    throw new InsufficientDataError(
      `the era that began ${era.from} has ${p.n} draw(s); features need at least ${warmup}`,
    );
  }
  const state = new FeatureState(layout, p);
  for (let t = 0; t < p.n; t++) state.add();
  const row = new Float64Array(layout.width);
  state.write(row, 0, toEpochDay(date));
  return { layout, era, names: layout.names, date, row };
}

/**
 * Reorders the columns of `x` (named `from`) into the order `to` (a model's stored feature names).
 * @throws ValidationError listing every name of `to` missing from `from`.
 */
export function alignFeatures(x: DenseMatrix, from: readonly string[], to: readonly string[]): DenseMatrix {
  if (from.length !== x.cols) throw new ValidationError(`${from.length} names for ${x.cols} columns`);
  if (from.length === to.length && from.every((n, i) => n === to[i])) return x;
  const index = new Map<string, number>();
  from.forEach((n, i) => index.set(n, i));
  const missing = to.filter((n) => !index.has(n));
  if (missing.length > 0) {
    throw new ValidationError(
      `${missing.length} feature(s) the model needs are missing: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
      missing.map((n) => ({ where: n, reason: 'missing feature column' })),
    );
  }
  const cols = to.map((n) => index.get(n) as number);
  const out = new Float64Array(x.rows * to.length);
  for (let r = 0; r < x.rows; r++) {
    const src = r * x.cols;
    const dst = r * to.length;
    for (let c = 0; c < cols.length; c++) out[dst + c] = x.data[src + (cols[c] as number)] as number;
  }
  return { rows: x.rows, cols: to.length, data: out };
}
