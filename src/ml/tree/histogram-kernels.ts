/**
 * The histogram kernels of the tree learner: plain functions over typed arrays, the loops where
 * training spends its time.
 *
 * A node histogram has one record per global bin of the binned matrix (binning.ts), `stride` values
 * each: the number of rows in the bin, their total weight (only when rows are weighted; otherwise the
 * count is the weight), then the weighted target sum of each output. The common shapes — one output
 * unweighted (boosting) and six outputs weighted (a bootstrap forest) — have kernels of their own with
 * the per-output loop unrolled; every other shape takes the generic loop.
 */
import type { BinnedFeatures } from './binning.js';

/** How a histogram is laid out for one grower. */
export interface HistogramLayout {
  /** Targets per row. */
  readonly outputs: number;
  /** Rows carry weights (bootstrap counts); otherwise every row weighs 1. */
  readonly weighted: boolean;
  /** Index of the first target sum in a bin's record: 2 when weighted (count, weight), else 1. */
  readonly sumOffset: number;
  /** Values per bin record: count, [weight,] one sum per output. */
  readonly stride: number;
  /** Bins of all features together. */
  readonly totalBins: number;
  /** Values in one histogram: totalBins × stride. */
  readonly length: number;
}

export function histogramLayout(binned: BinnedFeatures, outputs: number, weighted: boolean): HistogramLayout {
  const sumOffset = weighted ? 2 : 1;
  const stride = sumOffset + outputs;
  const totalBins = binned.offsets[binned.cols] as number;
  return Object.freeze({ outputs, weighted, sumOffset, stride, totalBins, length: totalBins * stride });
}

/** Most bins a feature can have (binning.ts caps at 255). */
export const MAX_FEATURE_BINS = 256;
/** Features with at most this many bins are added through interleaved lanes (addOneOutput). */
const LANE_MAX_BINS = 32;
const LANES = 4;

/**
 * Per-row buffers the kernels reuse from node to node, sized for one binned matrix. One set per
 * grower (so per thread): the kernels that use them never run nested.
 */
export class RowScratch {
  /** Row ids of the rows being added, by position. */
  readonly rowIds: Int32Array;
  /** Weight of each of those rows (negated when removing rows). */
  readonly rowWeights: Float64Array;
  /** Their weighted targets, positions × outputs. */
  readonly weightedTargets: Float64Array;
  /** LANES interleaved copies of one feature's (count, sum) records. */
  readonly laneBins = new Float64Array(LANES * LANE_MAX_BINS * 2);
  /** One running sum per output. */
  readonly outputSums: Float64Array;
  /** One 8-value record per row of the matrix (sumRootSixOutputsWeighted); allocated on first use. */
  rowRecords: Float64Array | null = null;
  /** How many rows the last gatherRows copied, and the sign it applied. */
  count = 0;
  sign: 1 | -1 = 1;

  constructor(rows: number, outputs: number) {
    this.rowIds = new Int32Array(rows);
    this.rowWeights = new Float64Array(rows);
    this.weightedTargets = new Float64Array(rows * outputs);
    this.outputSums = new Float64Array(outputs);
  }
}

/**
 * Copies rows[start..end) into the scratch by position: row id, weight × sign (1 without weights) and
 * weighted targets, so the kernels read them contiguously; records how many and the sign.
 */
export function gatherRows(
  scratch: RowScratch,
  rows: Int32Array,
  start: number,
  end: number,
  targets: Float64Array,
  weights: Float64Array | null,
  outputs: number,
  sign: 1 | -1,
): void {
  const ids = scratch.rowIds;
  const ww = scratch.rowWeights;
  const wy = scratch.weightedTargets;
  const n = end - start;
  const k = outputs;
  for (let i = 0; i < n; i++) {
    const r = rows[start + i] as number;
    ids[i] = r;
    const wr = (weights ? (weights[r] as number) : 1) * sign;
    ww[i] = wr;
    for (let q = 0; q < k; q++) wy[i * k + q] = wr * (targets[r * k + q] as number);
  }
  scratch.count = n;
  scratch.sign = sign;
}

/**
 * Adds (sign 1) or removes (sign -1) rows[start..end) to or from histogram `hist`, one feature at a
 * time: that feature's bins (a few KB of `hist`) stay in L1 cache and its column of bins is read in
 * row order. `weights` are read only when the layout is weighted. The loop over features is here,
 * once; each layout has its own kernel for one feature.
 */
export function addRows(
  hist: Float64Array,
  layout: HistogramLayout,
  binned: BinnedFeatures,
  scratch: RowScratch,
  rows: Int32Array,
  start: number,
  end: number,
  targets: Float64Array,
  weights: Float64Array | null,
  sign: 1 | -1,
): void {
  gatherRows(scratch, rows, start, end, targets, layout.weighted ? weights : null, layout.outputs, sign);
  const singleOutput = layout.sumOffset === 1 && layout.outputs === 1;
  const sixOutputsWeighted = layout.sumOffset === 2 && layout.outputs === 6;
  for (let f = 0; f < binned.cols; f++) {
    if (singleOutput) addOneOutput(hist, binned, f, scratch);
    else if (sixOutputsWeighted) addSixWeighted(hist, binned, f, scratch);
    else addAnyLayout(hist, layout, binned, f, scratch);
  }
}

/** addRows's kernel for feature `f` and one unweighted output: records (count, sum). */
function addOneOutput(hist: Float64Array, binned: BinnedFeatures, f: number, rows: RowScratch): void {
  const { count: n, sign, rowIds: ids, weightedTargets: wy, laneBins: lanes } = rows;
  const bins = binned.bins;
  const col = f * binned.rows;
  const o = binned.offsets[f] as number;
  const nb = (binned.offsets[f + 1] as number) - o;
  if (nb <= LANE_MAX_BINS && n >= 64) {
    // Few bins: consecutive rows keep hitting the same bin, and each add waits for the
    // previous one. Four interleaved copies of this feature's bins break that chain.
    const span = nb * 2;
    lanes.fill(0, 0, span * 4);
    let i = 0;
    for (; i + 3 < n; i += 4) {
      const j0 = (bins[col + (ids[i] as number)] as number) << 1;
      const j1 = span + ((bins[col + (ids[i + 1] as number)] as number) << 1);
      const j2 = 2 * span + ((bins[col + (ids[i + 2] as number)] as number) << 1);
      const j3 = 3 * span + ((bins[col + (ids[i + 3] as number)] as number) << 1);
      lanes[j0] = (lanes[j0] as number) + 1;
      lanes[j0 + 1] = (lanes[j0 + 1] as number) + (wy[i] as number);
      lanes[j1] = (lanes[j1] as number) + 1;
      lanes[j1 + 1] = (lanes[j1 + 1] as number) + (wy[i + 1] as number);
      lanes[j2] = (lanes[j2] as number) + 1;
      lanes[j2 + 1] = (lanes[j2 + 1] as number) + (wy[i + 2] as number);
      lanes[j3] = (lanes[j3] as number) + 1;
      lanes[j3 + 1] = (lanes[j3 + 1] as number) + (wy[i + 3] as number);
    }
    for (; i < n; i++) {
      const j = (bins[col + (ids[i] as number)] as number) << 1;
      lanes[j] = (lanes[j] as number) + 1;
      lanes[j + 1] = (lanes[j + 1] as number) + (wy[i] as number);
    }
    const base = o << 1;
    // Counts were added as +1 (apply the sign now); sums already carry it.
    for (let j = 0; j < span; j += 2) {
      hist[base + j] =
        (hist[base + j] as number) +
        sign *
          ((lanes[j] as number) +
            (lanes[span + j] as number) +
            (lanes[2 * span + j] as number) +
            (lanes[3 * span + j] as number));
      hist[base + j + 1] =
        (hist[base + j + 1] as number) +
        (lanes[j + 1] as number) +
        (lanes[span + j + 1] as number) +
        (lanes[2 * span + j + 1] as number) +
        (lanes[3 * span + j + 1] as number);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const j = (o + (bins[col + (ids[i] as number)] as number)) << 1;
    hist[j] = (hist[j] as number) + sign;
    hist[j + 1] = (hist[j + 1] as number) + (wy[i] as number);
  }
}

/**
 * addRows's kernel for feature `f` and six weighted outputs: records (count, weight, six sums). Kept
 * apart from addAnyLayout: merged into it behind a per-row branch, a fixed forest+boosting case ran
 * ~2% more instructions under callgrind (3.34-3.36 G against 3.28-3.30 G, two runs each).
 */
function addSixWeighted(hist: Float64Array, binned: BinnedFeatures, f: number, rows: RowScratch): void {
  const { count: n, sign, rowIds: ids, rowWeights: ww, weightedTargets: wy } = rows;
  const bins = binned.bins;
  const col = f * binned.rows;
  const o = binned.offsets[f] as number;
  for (let i = 0; i < n; i++) {
    const j = (o + (bins[col + (ids[i] as number)] as number)) * 8;
    addSixOutputRecord(hist, j, sign, ww[i] as number, wy, i * 6);
  }
}

/**
 * Adds one row to the record at `j` of a six-output weighted histogram (count, weight, six sums):
 * `count` to the count, `weight` to the weight, wy[y..y+6) to the sums. Small enough for V8 to
 * inline into the node and per-feature loops that share it.
 */
export function addSixOutputRecord(
  hist: Float64Array,
  j: number,
  count: number,
  weight: number,
  wy: Float64Array,
  y: number,
): void {
  hist[j] = (hist[j] as number) + count;
  hist[j + 1] = (hist[j + 1] as number) + weight;
  hist[j + 2] = (hist[j + 2] as number) + (wy[y] as number);
  hist[j + 3] = (hist[j + 3] as number) + (wy[y + 1] as number);
  hist[j + 4] = (hist[j + 4] as number) + (wy[y + 2] as number);
  hist[j + 5] = (hist[j + 5] as number) + (wy[y + 3] as number);
  hist[j + 6] = (hist[j + 6] as number) + (wy[y + 4] as number);
  hist[j + 7] = (hist[j + 7] as number) + (wy[y + 5] as number);
}

/** addRows's kernel for feature `f` and any other layout. */
function addAnyLayout(
  hist: Float64Array,
  layout: HistogramLayout,
  binned: BinnedFeatures,
  f: number,
  rows: RowScratch,
): void {
  const { outputs: k, stride, sumOffset: so } = layout;
  const { count: n, sign, rowIds: ids, rowWeights: ww, weightedTargets: wy } = rows;
  const bins = binned.bins;
  const col = f * binned.rows;
  const o = binned.offsets[f] as number;
  for (let i = 0; i < n; i++) {
    const j = (o + (bins[col + (ids[i] as number)] as number)) * stride;
    hist[j] = (hist[j] as number) + sign;
    if (so === 2) hist[j + 1] = (hist[j + 1] as number) + (ww[i] as number);
    for (let q = 0; q < k; q++) hist[j + so + q] = (hist[j + so + q] as number) + (wy[i * k + q] as number);
  }
}

/** hist −= other, value by value over the whole histogram. */
export function subtractHistogram(hist: Float64Array, other: Float64Array, length: number): void {
  for (let i = 0; i < length; i++) hist[i] = (hist[i] as number) - (other[i] as number);
}

/**
 * The histogram of every row of the binned matrix with a positive weight (all rows when
 * unweighted), summed bin by bin through the grouped row order: sequential reads and one store
 * per bin, instead of one scattered add per row and feature.
 */
export function sumRootHistogram(
  hist: Float64Array,
  layout: HistogramLayout,
  binned: BinnedFeatures,
  scratch: RowScratch,
  targets: Float64Array,
  weights: Float64Array | null,
): void {
  const { outputs: k, stride, sumOffset: so } = layout;
  if (!weights && k === 1 && stride === 2) sumRootSingleOutput(hist, binned, layout.totalBins, targets);
  else if (weights && k === 6 && so === 2)
    sumRootSixOutputsWeighted(hist, binned, layout.totalBins, scratch, targets, weights);
  else sumRootGeneric(hist, layout, binned, scratch.outputSums, targets, weights);
}

/** sumRootHistogram for one unweighted output; two running sums per bin (pairwise order). */
function sumRootSingleOutput(
  hist: Float64Array,
  binned: BinnedFeatures,
  totalBins: number,
  targets: Float64Array,
): void {
  const { order, start } = binned;
  for (let g = 0; g < totalBins; g++) {
    const a = start[g] as number;
    const b = start[g + 1] as number;
    let s0 = 0;
    let s1 = 0;
    let i = a;
    for (; i + 1 < b; i += 2) {
      s0 += targets[order[i] as number] as number;
      s1 += targets[order[i + 1] as number] as number;
    }
    if (i < b) s0 += targets[order[i] as number] as number;
    hist[2 * g] = b - a;
    hist[2 * g + 1] = s0 + s1;
  }
}

/**
 * sumRootHistogram for six weighted outputs. One 8-value record per row (present, weight, six
 * weighted targets): rows out of the bootstrap are all zeros, so every row is added without a branch
 * (adding 0 changes no sum).
 */
function sumRootSixOutputsWeighted(
  hist: Float64Array,
  binned: BinnedFeatures,
  totalBins: number,
  scratch: RowScratch,
  targets: Float64Array,
  weights: Float64Array,
): void {
  const { order, start } = binned;
  const n = binned.rows;
  const rec =
    scratch.rowRecords && scratch.rowRecords.length >= n * 8
      ? scratch.rowRecords
      : (scratch.rowRecords = new Float64Array(n * 8));
  for (let r = 0; r < n; r++) {
    const wr = weights[r] as number;
    const o = r * 8;
    rec[o] = wr > 0 ? 1 : 0;
    rec[o + 1] = wr;
    for (let q = 0; q < 6; q++) rec[o + 2 + q] = wr * (targets[r * 6 + q] as number);
  }
  for (let g = 0; g < totalBins; g++) {
    const a = start[g] as number;
    const b = start[g + 1] as number;
    let c = 0;
    let w = 0;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    for (let i = a; i < b; i++) {
      const y = (order[i] as number) * 8;
      c += rec[y] as number;
      w += rec[y + 1] as number;
      s0 += rec[y + 2] as number;
      s1 += rec[y + 3] as number;
      s2 += rec[y + 4] as number;
      s3 += rec[y + 5] as number;
      s4 += rec[y + 6] as number;
      s5 += rec[y + 7] as number;
    }
    const j = g * 8;
    hist[j] = c;
    hist[j + 1] = w;
    hist[j + 2] = s0;
    hist[j + 3] = s1;
    hist[j + 4] = s2;
    hist[j + 5] = s3;
    hist[j + 6] = s4;
    hist[j + 7] = s5;
  }
}

/** sumRootHistogram for any other layout; rows of weight 0 are left out. */
function sumRootGeneric(
  hist: Float64Array,
  layout: HistogramLayout,
  binned: BinnedFeatures,
  sums: Float64Array,
  targets: Float64Array,
  weights: Float64Array | null,
): void {
  const { outputs: k, stride, sumOffset: so, totalBins } = layout;
  const { order, start } = binned;
  for (let g = 0; g < totalBins; g++) {
    const a = start[g] as number;
    const b = start[g + 1] as number;
    let c = 0;
    let w = 0;
    sums.fill(0);
    for (let i = a; i < b; i++) {
      const r = order[i] as number;
      const wr = weights ? (weights[r] as number) : 1;
      if (wr === 0) continue;
      c++;
      w += wr;
      for (let q = 0; q < k; q++) sums[q] = (sums[q] as number) + wr * (targets[r * k + q] as number);
    }
    const j = g * stride;
    hist[j] = c;
    if (so === 2) hist[j + 1] = w;
    for (let q = 0; q < k; q++) hist[j + so + q] = sums[q] as number;
  }
}

/**
 * Root histograms (count, sum) of `q` single-output unweighted targets over every row at once, for
 * boosting several outputs in step: one pass over the grouped rows instead of q. Each equals
 * sumRootSingleOutput's for its target bit for bit (same pairwise summation order).
 * @param targets row-major `rows × q`.
 */
export function sumRootHistogramsInStep(
  hists: readonly Float64Array[],
  binned: BinnedFeatures,
  totalBins: number,
  targets: Float64Array,
  q: number,
): void {
  if (q === 3) sumThreeRootHistograms(hists, binned, totalBins, targets);
  else sumRootHistogramsGeneric(hists, binned, totalBins, targets, q);
}

/** The common case (six outputs over two threads), unrolled: six running sums in registers. */
function sumThreeRootHistograms(
  hists: readonly Float64Array[],
  binned: BinnedFeatures,
  totalBins: number,
  targets: Float64Array,
): void {
  const { order, start } = binned;
  const [h0, h1, h2] = hists as [Float64Array, Float64Array, Float64Array];
  for (let g = 0; g < totalBins; g++) {
    const a = start[g] as number;
    const b = start[g + 1] as number;
    let a0 = 0;
    let b0 = 0;
    let a1 = 0;
    let b1 = 0;
    let a2 = 0;
    let b2 = 0;
    let i = a;
    for (; i + 1 < b; i += 2) {
      const y0 = (order[i] as number) * 3;
      const y1 = (order[i + 1] as number) * 3;
      a0 += targets[y0] as number;
      b0 += targets[y1] as number;
      a1 += targets[y0 + 1] as number;
      b1 += targets[y1 + 1] as number;
      a2 += targets[y0 + 2] as number;
      b2 += targets[y1 + 2] as number;
    }
    if (i < b) {
      const y0 = (order[i] as number) * 3;
      a0 += targets[y0] as number;
      a1 += targets[y0 + 1] as number;
      a2 += targets[y0 + 2] as number;
    }
    const c = b - a;
    h0[2 * g] = c;
    h0[2 * g + 1] = a0 + b0;
    h1[2 * g] = c;
    h1[2 * g + 1] = a1 + b1;
    h2[2 * g] = c;
    h2[2 * g + 1] = a2 + b2;
  }
}

/** sumRootHistogramsInStep for any other group size. */
function sumRootHistogramsGeneric(
  hists: readonly Float64Array[],
  binned: BinnedFeatures,
  totalBins: number,
  targets: Float64Array,
  q: number,
): void {
  const { order, start } = binned;
  // Two running sums per output (even and odd positions), as the single-output kernel.
  const acc = new Float64Array(2 * q);
  for (let g = 0; g < totalBins; g++) {
    const a = start[g] as number;
    const b = start[g + 1] as number;
    acc.fill(0);
    let i = a;
    for (; i + 1 < b; i += 2) {
      const y0 = (order[i] as number) * q;
      const y1 = (order[i + 1] as number) * q;
      for (let o = 0; o < q; o++) {
        acc[2 * o] = (acc[2 * o] as number) + (targets[y0 + o] as number);
        acc[2 * o + 1] = (acc[2 * o + 1] as number) + (targets[y1 + o] as number);
      }
    }
    if (i < b) {
      const y0 = (order[i] as number) * q;
      for (let o = 0; o < q; o++) acc[2 * o] = (acc[2 * o] as number) + (targets[y0 + o] as number);
    }
    for (let o = 0; o < q; o++) {
      const h = hists[o] as Float64Array;
      h[2 * g] = b - a;
      h[2 * g + 1] = (acc[2 * o] as number) + (acc[2 * o + 1] as number);
    }
  }
}
