/**
 * Split search of the tree learner: the best cut of a node over the candidate features, by the
 * squared-error criterion summed over outputs, as scikit-learn's (the proxy Σₖ S_L,k² / W_L +
 * Σₖ S_R,k² / W_R). A feature's bins are scanned in order and every cut between two occupied bins
 * with at least `minLeaf` rows either side is a candidate; the first best one wins.
 *
 * Two searches feed the same scan: one over a node histogram (histogram-kernels.ts), and one for
 * nodes too small to pay for a scan of every bin, which builds each feature's histogram from the
 * node's rows alone (bestSplitByFeature).
 */
import type { BinnedFeatures } from './binning.js';
import {
  addSixOutputRecord,
  gatherRows,
  MAX_FEATURE_BINS,
  type HistogramLayout,
  type RowScratch,
} from './histogram-kernels.js';
import { scanFeatureOneOutput, scanOccupiedSixOutputs } from './occupied-scan.js';

/** The node being split, as the search needs it. */
export class NodeTotals {
  /** Distinct rows in the node. */
  rows = 0;
  /** Their total weight. */
  weight = 0;
  /** Weighted target sum of each output. */
  readonly sums: Float64Array;

  constructor(outputs: number) {
    this.sums = new Float64Array(outputs);
  }
}

/** The best split found so far. */
export class SplitChoice {
  /** Criterion proxy of the split (larger is better). */
  gain = -Infinity;
  feature = -1;
  /** Last bin (local to the feature) that goes left. */
  leftBin = -1;
  /** First occupied bin (local to the feature) that goes right. */
  rightBin = -1;

  reset(): void {
    this.gain = -Infinity;
    this.feature = -1;
  }
}

/** Buffers of the search, reused from node to node; one set per grower. */
export class SplitScratch {
  /** Left-side sums per output (the generic scan). */
  readonly leftSums: Float64Array;
  /** One feature's histogram over its bins, records of (count, weight, sums); all zero between features. */
  readonly featureHist: Float64Array;
  /** The occupied records of featureHist, moved here in bin order. */
  readonly occupiedHist: Float64Array;
  /** The bin of each record of occupiedHist. */
  readonly occupiedBins = new Int32Array(MAX_FEATURE_BINS);
  /** One bit per bin: which bins the node's rows hit. */
  readonly hitBits = new Int32Array(MAX_FEATURE_BINS / 32);
  /** The scan in progress. */
  readonly scan = new BinScan();

  constructor(outputs: number) {
    this.leftSums = new Float64Array(outputs);
    this.featureHist = new Float64Array(MAX_FEATURE_BINS * (outputs + 2));
    this.occupiedHist = new Float64Array(MAX_FEATURE_BINS * (outputs + 2));
  }
}

/** Best split over the given features of a node histogram; false when none is allowed. */
export function bestSplitInHistogram(
  hist: Float64Array,
  layout: HistogramLayout,
  offsets: Int32Array,
  features: Int32Array,
  featureCount: number,
  node: NodeTotals,
  minLeaf: number,
  choice: SplitChoice,
  scratch: SplitScratch,
): boolean {
  const { stride } = layout;
  // Unweighted records have no weight: the count is the weight.
  const weightOffset = layout.sumOffset === 2 ? 1 : 0;
  choice.reset();
  if (stride === 2) return bestSplitOneOutput(hist, offsets, features, featureCount, node, minLeaf, choice);
  for (let fi = 0; fi < featureCount; fi++) {
    const f = features[fi] as number;
    const first = offsets[f] as number;
    const binCount = (offsets[f + 1] as number) - first;
    if (binCount < 2) continue;
    const scan = scratch.scan.set(hist, first, binCount, stride, weightOffset, null, first, f);
    scanBins(scan, node, minLeaf, choice, scratch.leftSums);
  }
  return choice.feature >= 0;
}

/**
 * bestSplitInHistogram for one unweighted output (boosting), the loop over features and over bins
 * in one function: per feature it costs only its bins, with no scan object or dispatch. Same
 * arithmetic in the same order as scanSingleOutput, so the same split.
 */
function bestSplitOneOutput(
  hist: Float64Array,
  offsets: Int32Array,
  features: Int32Array,
  featureCount: number,
  node: NodeTotals,
  minLeaf: number,
  choice: SplitChoice,
): boolean {
  const { rows: n, weight: w } = node;
  const t0 = node.sums[0] as number;
  let bestGain = choice.gain;
  let bestFeature = -1;
  let bestLeft = -1;
  let bestRight = -1;
  let bestFirst = 0;
  for (let fi = 0; fi < featureCount; fi++) {
    const f = features[fi] as number;
    const first = offsets[f] as number;
    const end = offsets[f + 1] as number;
    if (end - first < 2) continue;
    let leftRows = 0;
    let prev = -1;
    let s0 = 0;
    for (let b = first; b < end; b++) {
      const j = b << 1;
      const c = hist[j] as number;
      if (c === 0) continue;
      if (prev >= 0 && leftRows >= minLeaf) {
        if (n - leftRows < minLeaf) break;
        const r0 = t0 - s0;
        // Unweighted: the left weight is the left row count.
        const gain = (s0 * s0) / leftRows + (r0 * r0) / (w - leftRows);
        if (gain > bestGain) {
          bestGain = gain;
          bestFeature = f;
          bestLeft = prev;
          bestRight = b;
          bestFirst = first;
        }
      }
      leftRows += c;
      s0 += hist[j + 1] as number;
      prev = b;
    }
  }
  if (bestFeature < 0) return false;
  choice.gain = bestGain;
  choice.feature = bestFeature;
  choice.leftBin = bestLeft - bestFirst;
  choice.rightBin = bestRight - bestFirst;
  return true;
}

/**
 * Split search of a node without a node histogram, feature by feature. The node's rows are added
 * into a 256-bin histogram of that one feature (a few KB, in L1 cache) while a 256-bit bitmap
 * records which bins they hit; the set bits, read in order, give the occupied bins already sorted,
 * which are moved into a compact histogram (zeroing what they used) and scanned as a node
 * histogram would be. Cost per feature: rows + occupied bins, with no sort and no pass over
 * empty bins.
 */
export function bestSplitByFeature(
  binned: BinnedFeatures,
  rows: Int32Array,
  start: number,
  end: number,
  targets: Float64Array,
  weights: Float64Array | null,
  features: Int32Array,
  featureCount: number,
  node: NodeTotals,
  minLeaf: number,
  choice: SplitChoice,
  rowScratch: RowScratch,
  scratch: SplitScratch,
): boolean {
  const k = node.sums.length;
  const n = end - start;
  const nRows = binned.rows;
  const offsets = binned.offsets;
  const recordLen = k + 2; // count, weight, k sums
  gatherRows(rowScratch, rows, start, end, targets, weights, k, 1);
  choice.reset();
  if (k === 1 && !weights) {
    for (let fi = 0; fi < featureCount; fi++) {
      const f = features[fi] as number;
      const binCount = (offsets[f + 1] as number) - (offsets[f] as number);
      if (binCount >= 2)
        scanFeatureOneOutput(
          scratch,
          binned.bins,
          f * nRows,
          n,
          binCount,
          rowScratch,
          node,
          minLeaf,
          choice,
          f,
        );
    }
    return choice.feature >= 0;
  }
  for (let fi = 0; fi < featureCount; fi++) {
    const f = features[fi] as number;
    const col = f * nRows;
    const binCount = (offsets[f + 1] as number) - (offsets[f] as number);
    if (binCount < 2) continue;
    addFeature(scratch, binned.bins, col, n, rowScratch);
    if (k === 6) {
      scanOccupiedSixOutputs(scratch, binCount, node, minLeaf, choice, f);
      continue;
    }
    const occupied = compactOccupiedBins(scratch, binCount, recordLen);
    if (occupied > 1) {
      const scan = scratch.scan.set(
        scratch.occupiedHist,
        0,
        occupied,
        recordLen,
        1,
        scratch.occupiedBins,
        0,
        f,
      );
      scanBins(scan, node, minLeaf, choice, scratch.leftSums);
    }
  }
  return choice.feature >= 0;
}

/**
 * Adds the node's rows to the one-feature histogram (records of count, weight, k sums), marking the
 * bins hit. One loop for every k: the branch on k is the same for every row and predicted.
 */
function addFeature(
  scratch: SplitScratch,
  bins: Uint8Array,
  col: number,
  n: number,
  rowScratch: RowScratch,
): void {
  const k = scratch.leftSums.length;
  const lh = scratch.featureHist;
  const bm = scratch.hitBits;
  const ids = rowScratch.rowIds;
  const ww = rowScratch.rowWeights;
  const wy = rowScratch.weightedTargets;
  const recordLen = k + 2;
  for (let i = 0; i < n; i++) {
    const b = bins[col + (ids[i] as number)] as number;
    bm[b >>> 5] = (bm[b >>> 5] as number) | (1 << (b & 31));
    const j = b * recordLen;
    if (k === 6) {
      addSixOutputRecord(lh, j, 1, ww[i] as number, wy, i * 6);
      continue;
    }
    lh[j] = (lh[j] as number) + 1;
    lh[j + 1] = (lh[j + 1] as number) + (ww[i] as number);
    if (k === 1) lh[j + 2] = (lh[j + 2] as number) + (wy[i] as number);
    else for (let q = 0; q < k; q++) lh[j + 2 + q] = (lh[j + 2 + q] as number) + (wy[i * k + q] as number);
  }
}

/**
 * Moves the occupied records of the one-feature histogram, in bin order (lowest set bit first), to
 * the compact histogram, zeroing them and the bitmap for the next feature. Returns how many.
 */
function compactOccupiedBins(scratch: SplitScratch, binCount: number, recordLen: number): number {
  const lh = scratch.featureHist;
  const ch = scratch.occupiedHist;
  const bm = scratch.hitBits;
  const ids = scratch.occupiedBins;
  let e = 0;
  const words = (binCount + 31) >>> 5;
  for (let wd = 0; wd < words; wd++) {
    let word = bm[wd] as number;
    bm[wd] = 0;
    while (word !== 0) {
      const b = (wd << 5) | (31 - Math.clz32(word & -word));
      word &= word - 1;
      ids[e] = b;
      const src = b * recordLen;
      const dst = e * recordLen;
      for (let z = 0; z < recordLen; z++) {
        ch[dst + z] = lh[src + z] as number;
        lh[src + z] = 0;
      }
      e++;
    }
  }
  return e;
}

/**
 * One scan of `binCount` consecutive records of `hist` (from record `first`, `stride` values each:
 * count, [weight,] sums) as the ordered bins of `feature`. Record positions map to feature-local bins
 * through `binIds` when given, else by subtracting `binIdBase`. Passed as one reused object so the
 * three scans below share a signature rather than eleven parameters each.
 */
export class BinScan {
  hist: Float64Array = new Float64Array(0);
  first = 0;
  binCount = 0;
  stride = 0;
  weightOffset = 0;
  binIds: Int32Array | null = null;
  binIdBase = 0;
  feature = -1;

  set(
    hist: Float64Array,
    first: number,
    binCount: number,
    stride: number,
    weightOffset: number,
    binIds: Int32Array | null,
    binIdBase: number,
    feature: number,
  ): BinScan {
    this.hist = hist;
    this.first = first;
    this.binCount = binCount;
    this.stride = stride;
    this.weightOffset = weightOffset;
    this.binIds = binIds;
    this.binIdBase = binIdBase;
    this.feature = feature;
    return this;
  }
}

/** Scans the bins of `scan` and records a better split in `choice`. */
function scanBins(
  scan: BinScan,
  node: NodeTotals,
  minLeaf: number,
  choice: SplitChoice,
  leftSums: Float64Array,
): void {
  const k = node.sums.length;
  if (k === 1) scanSingleOutput(scan, node, minLeaf, choice);
  else if (k === 6) scanSixOutputs(scan, node, minLeaf, choice);
  else scanGeneric(scan, node, minLeaf, choice, leftSums);
}

/** Records the split between records `left` and `right` of a scan as the best so far. */
function choose(choice: SplitChoice, gain: number, scan: BinScan, left: number, right: number): void {
  const { binIds, binIdBase } = scan;
  choice.gain = gain;
  choice.feature = scan.feature;
  choice.leftBin = binIds ? (binIds[left] as number) : left - binIdBase;
  choice.rightBin = binIds ? (binIds[right] as number) : right - binIdBase;
}

/** scanBins for one output. */
function scanSingleOutput(scan: BinScan, node: NodeTotals, minLeaf: number, choice: SplitChoice): void {
  const { hist, first, stride, weightOffset } = scan;
  const sumOffset = stride - 1;
  const { rows: n, weight: w } = node;
  const t0 = node.sums[0] as number;
  let bestGain = choice.gain;
  let bestLeft = -1;
  let bestRight = -1;
  let leftRows = 0;
  let leftWeight = 0;
  let prev = -1;
  let s0 = 0;
  const end = first + scan.binCount;
  for (let b = first; b < end; b++) {
    const j = b * stride;
    const c = hist[j] as number;
    if (c === 0) continue;
    if (prev >= 0 && leftRows >= minLeaf) {
      if (n - leftRows < minLeaf) break;
      const r0 = t0 - s0;
      const gain = (s0 * s0) / leftWeight + (r0 * r0) / (w - leftWeight);
      if (gain > bestGain) {
        bestGain = gain;
        bestLeft = prev;
        bestRight = b;
      }
    }
    leftRows += c;
    leftWeight += hist[j + weightOffset] as number;
    s0 += hist[j + sumOffset] as number;
    prev = b;
  }
  if (bestLeft >= 0) choose(choice, bestGain, scan, bestLeft, bestRight);
}

/** scanBins for six outputs, unrolled: twelve running sums in registers. */
function scanSixOutputs(scan: BinScan, node: NodeTotals, minLeaf: number, choice: SplitChoice): void {
  const { hist, first, stride, weightOffset } = scan;
  const sumOffset = stride - 6;
  const { rows: n, weight: w, sums } = node;
  const t0 = sums[0] as number;
  const t1 = sums[1] as number;
  const t2 = sums[2] as number;
  const t3 = sums[3] as number;
  const t4 = sums[4] as number;
  const t5 = sums[5] as number;
  let bestGain = choice.gain;
  let bestLeft = -1;
  let bestRight = -1;
  let leftRows = 0;
  let leftWeight = 0;
  let prev = -1;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  let s5 = 0;
  const end = first + scan.binCount;
  for (let b = first; b < end; b++) {
    const j = b * stride;
    const c = hist[j] as number;
    if (c === 0) continue;
    if (prev >= 0 && leftRows >= minLeaf) {
      if (n - leftRows < minLeaf) break;
      const r0 = t0 - s0;
      const r1 = t1 - s1;
      const r2 = t2 - s2;
      const r3 = t3 - s3;
      const r4 = t4 - s4;
      const r5 = t5 - s5;
      const gain =
        (s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3 + s4 * s4 + s5 * s5) / leftWeight +
        (r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3 + r4 * r4 + r5 * r5) / (w - leftWeight);
      if (gain > bestGain) {
        bestGain = gain;
        bestLeft = prev;
        bestRight = b;
      }
    }
    leftRows += c;
    leftWeight += hist[j + weightOffset] as number;
    const q = j + sumOffset;
    s0 += hist[q] as number;
    s1 += hist[q + 1] as number;
    s2 += hist[q + 2] as number;
    s3 += hist[q + 3] as number;
    s4 += hist[q + 4] as number;
    s5 += hist[q + 5] as number;
    prev = b;
  }
  if (bestLeft >= 0) choose(choice, bestGain, scan, bestLeft, bestRight);
}

/** scanBins for any number of outputs; `leftSums` holds the left side's sums. */
function scanGeneric(
  scan: BinScan,
  node: NodeTotals,
  minLeaf: number,
  choice: SplitChoice,
  leftSums: Float64Array,
): void {
  const { hist, first, stride, weightOffset } = scan;
  const { rows: n, weight: w, sums } = node;
  const k = sums.length;
  const sumOffset = stride - k;
  let bestGain = choice.gain;
  let bestLeft = -1;
  let bestRight = -1;
  let leftRows = 0;
  let leftWeight = 0;
  let prev = -1;
  leftSums.fill(0);
  const end = first + scan.binCount;
  for (let b = first; b < end; b++) {
    const j = b * stride;
    const c = hist[j] as number;
    if (c === 0) continue;
    if (prev >= 0 && leftRows >= minLeaf) {
      if (n - leftRows < minLeaf) break;
      let gl = 0;
      let gr = 0;
      for (let q = 0; q < k; q++) {
        const sl = leftSums[q] as number;
        const sr = (sums[q] as number) - sl;
        gl += sl * sl;
        gr += sr * sr;
      }
      const gain = gl / leftWeight + gr / (w - leftWeight);
      if (gain > bestGain) {
        bestGain = gain;
        bestLeft = prev;
        bestRight = b;
      }
    }
    leftRows += c;
    leftWeight += hist[j + weightOffset] as number;
    for (let q = 0; q < k; q++) leftSums[q] = (leftSums[q] as number) + (hist[j + sumOffset + q] as number);
    prev = b;
  }
  if (bestLeft >= 0) choose(choice, bestGain, scan, bestLeft, bestRight);
}
