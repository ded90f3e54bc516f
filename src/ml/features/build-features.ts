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
  readonly dates: IsoDate[];
}

/** The draws of `era`, checked for order, packed into typed arrays. */
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
  const dates = new Array<IsoDate>(n);
  for (let i = 0; i < n; i++) {
    const d = picked[i] as Draw;
    for (let k = 0; k < 5; k++) whites[i * 5 + k] = d.whites[k] as number;
    pb[i] = d.powerball;
    day[i] = toEpochDay(d.date);
    dates[i] = d.date;
  }
  return { n, whites, pb, day, dates };
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
  /**
   * Sliding-window counts laid out exactly like the `freq_*` columns (per window: whites 1..W, then
   * Powerballs 1..P), as float64 so writing a row is one memcpy.
   */
  private readonly freq: Float64Array;
  private readonly roll: Float64Array[]; // per window, ROLLING_STATS sums
  private readonly lastSeenW: Int32Array;
  private readonly lastSeenP: Int32Array;
  private readonly pairs: Int32Array;
  private readonly triplets: Int32Array;
  private readonly stride: number;
  private readonly lastStats = new Float64Array(15);
  private readonly comboStats = new Float64Array(4);
  private readonly draw = new Float64Array(ROLLING_STATS.length);
  private readonly scratch = new Float64Array(ROLLING_STATS.length);
  /** Draws added so far (= index of the next draw). */
  t = 0;
  private lastDay = 0;

  constructor(
    layout: FeatureLayout,
    private readonly p: Packed,
  ) {
    this.L = layout;
    this.nw = layout.windows.length;
    this.freq = new Float64Array(this.nw * (layout.whiteMax + layout.powerballMax));
    this.roll = layout.windows.map(() => new Float64Array(ROLLING_STATS.length));
    this.lastSeenW = new Int32Array(layout.whiteMax + 1).fill(-1);
    this.lastSeenP = new Int32Array(layout.powerballMax + 1).fill(-1);
    this.stride = layout.whiteMax + 1;
    this.pairs = new Int32Array(this.stride * this.stride);
    this.triplets = new Int32Array(this.stride * this.stride * this.stride);
  }

  /** Per-draw values averaged by the rolling stats (same order as ROLLING_STATS). */
  private drawStats(i: number, out: Float64Array): void {
    const w = this.p.whites;
    const b = i * 5;
    let sum = 0;
    let odd = 0;
    let high = 0;
    const half = this.L.whiteMax >> 1;
    for (let k = 0; k < 5; k++) {
      const v = w[b + k] as number;
      sum += v;
      odd += v & 1;
      if (v > half) high++;
      out[4 + k] = v;
    }
    out[0] = sum;
    out[1] = (w[b + 4] as number) - (w[b] as number);
    out[2] = odd;
    out[3] = high;
    out[9] = this.p.pb[i] as number;
  }

  /** Adds draw `this.t` (the next one in the packed history) to the state. */
  add(): void {
    const i = this.t;
    const { whites, pb, day } = this.p;
    const L = this.L;
    const b = i * 5;
    const s = this.draw;
    this.drawStats(i, s);
    // Combination recurrence of this draw against the draws before it, then count it.
    const st = this.stride;
    let pairsSeen = 0;
    let pairsTotal = 0;
    let tripSeen = 0;
    let tripTotal = 0;
    for (let a = 0; a < 5; a++) {
      const va = whites[b + a] as number;
      for (let c = a + 1; c < 5; c++) {
        const vc = whites[b + c] as number;
        const pi = va * st + vc;
        const pc = this.pairs[pi] as number;
        if (pc > 0) pairsSeen++;
        pairsTotal += pc;
        this.pairs[pi] = pc + 1;
        for (let e = c + 1; e < 5; e++) {
          const ti = pi * st + (whites[b + e] as number);
          const tc = this.triplets[ti] as number;
          if (tc > 0) tripSeen++;
          tripTotal += tc;
          this.triplets[ti] = tc + 1;
        }
      }
    }
    const c = this.comboStats;
    c[0] = pairsSeen;
    c[1] = pairsTotal;
    c[2] = tripSeen;
    c[3] = tripTotal;
    // Last-draw statistics.
    const ls = this.lastStats;
    let sq = 0;
    const mean = (s[0] as number) / 5;
    for (let k = 0; k < 5; k++) {
      const v = whites[b + k] as number;
      ls[k] = v;
      sq += (v - mean) * (v - mean);
    }
    let repeat = 0;
    if (i > 0) {
      for (let k = 0; k < 5; k++) if (this.lastSeenW[whites[b + k] as number] === i - 1) repeat++;
    }
    ls[5] = pb[i] as number;
    ls[6] = s[0] as number;
    ls[7] = mean;
    ls[8] = s[1] as number;
    ls[9] = Math.sqrt(sq / 5);
    ls[10] = s[2] as number;
    ls[11] = 5 - (s[2] as number);
    ls[12] = s[3] as number;
    ls[13] = 5 - (s[3] as number);
    ls[14] = repeat;
    // Sliding windows: add draw i, drop draw i - w.
    for (let k = 0; k < this.nw; k++) {
      const w = L.windows[k] as number;
      const fw = k * (L.whiteMax + L.powerballMax) - 1; // white n at fw + n
      const fp = fw + L.whiteMax; // Powerball n at fp + n
      const f = this.freq;
      const r = this.roll[k] as Float64Array;
      for (let q = 0; q < 5; q++) bump(f, fw + (whites[b + q] as number), 1);
      bump(f, fp + (pb[i] as number), 1);
      for (let q = 0; q < s.length; q++) r[q] = (r[q] as number) + (s[q] as number);
      const j = i - w;
      if (j >= 0) {
        const bj = j * 5;
        for (let q = 0; q < 5; q++) bump(f, fw + (whites[bj + q] as number), -1);
        bump(f, fp + (pb[j] as number), -1);
        this.drawStats(j, this.scratch);
        for (let q = 0; q < s.length; q++) r[q] = (r[q] as number) - (this.scratch[q] as number);
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
    for (let n = 1; n <= W; n++) out[c++] = t - (this.lastSeenW[n] as number);
    for (let n = 1; n <= P; n++) out[c++] = t - (this.lastSeenP[n] as number);
    const dow = (((day + 4) % 7) + 7) % 7;
    for (const [, d] of DOW_COLUMNS) out[c++] = dow === d ? 1 : 0;
    out[c++] = t;
    out[c++] = t > 0 ? day - this.lastDay : 0;
    const ls = this.lastStats;
    for (let q = 0; q < ls.length; q++) out[c++] = t > 0 ? (ls[q] as number) : 0;
    for (let k = 0; k < this.nw; k++) {
      const r = this.roll[k] as Float64Array;
      const m = Math.min(t, L.windows[k] as number);
      for (let q = 0; q < r.length; q++) out[c++] = m > 0 ? (r[q] as number) / m : 0;
    }
    const cs = this.comboStats;
    for (let q = 0; q < cs.length; q++) out[c++] = t > 0 ? (cs[q] as number) : 0;
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
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows * 6);
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
