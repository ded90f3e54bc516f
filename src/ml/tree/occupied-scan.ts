/**
 * In-place scans of a one-feature histogram (SplitScratch.featureHist) for bestSplitByFeature: the
 * set bits of the hit bitmap give the occupied bins in order, and each record is read, zeroed and
 * scanned in the same pass, instead of being copied to a compact histogram first. The sums and the
 * gain arithmetic are those of split-search.ts's scans, in the same order, so the same split.
 */
import type { RowScratch } from './histogram-kernels.js';
import type { NodeTotals, SplitChoice, SplitScratch } from './split-search.js';

/** Records the best cut of one feature, when better than the choice so far. */
function record(choice: SplitChoice, gain: number, feature: number, left: number, right: number): void {
  choice.gain = gain;
  choice.feature = feature;
  choice.leftBin = left;
  choice.rightBin = right;
}

/**
 * One feature for one unweighted output: the node's rows go into (count, sum) records, then the
 * occupied bins are scanned (a row weighs 1, so the left weight is the left count).
 */
export function scanFeatureOneOutput(
  scratch: SplitScratch,
  bins: Uint8Array,
  col: number,
  n: number,
  binCount: number,
  rowScratch: RowScratch,
  node: NodeTotals,
  minLeaf: number,
  choice: SplitChoice,
  feature: number,
): void {
  const lh = scratch.featureHist;
  const bm = scratch.hitBits;
  const ids = rowScratch.rowIds;
  const wy = rowScratch.weightedTargets;
  for (let i = 0; i < n; i++) {
    const b = bins[col + (ids[i] as number)] as number;
    bm[b >>> 5] = (bm[b >>> 5] as number) | (1 << (b & 31));
    const j = b << 1;
    lh[j] = (lh[j] as number) + 1;
    lh[j + 1] = (lh[j + 1] as number) + (wy[i] as number);
  }
  const { rows: total, weight: w } = node;
  const t0 = node.sums[0] as number;
  let bestGain = choice.gain;
  let bestLeft = -1;
  let bestRight = -1;
  let leftRows = 0;
  let prev = -1;
  let s0 = 0;
  // Past the last allowed cut the scan stops, but the records are still zeroed.
  let open = true;
  const words = (binCount + 31) >>> 5;
  for (let wd = 0; wd < words; wd++) {
    let word = bm[wd] as number;
    bm[wd] = 0;
    while (word !== 0) {
      const b = (wd << 5) | (31 - Math.clz32(word & -word));
      word &= word - 1;
      const j = b << 1;
      const c = lh[j] as number;
      const sum = lh[j + 1] as number;
      lh[j] = 0;
      lh[j + 1] = 0;
      if (!open) continue;
      if (prev >= 0 && leftRows >= minLeaf) {
        if (total - leftRows < minLeaf) {
          open = false;
          continue;
        }
        const r0 = t0 - s0;
        const gain = (s0 * s0) / leftRows + (r0 * r0) / (w - leftRows);
        if (gain > bestGain) {
          bestGain = gain;
          bestLeft = prev;
          bestRight = b;
        }
      }
      leftRows += c;
      s0 += sum;
      prev = b;
    }
  }
  if (bestLeft >= 0) record(choice, bestGain, feature, bestLeft, bestRight);
}

/**
 * The occupied (count, weight, six sums) records of the one-feature histogram, scanned in place
 * and zeroed with the bitmap: scanSixOutputs over them without the compact copy.
 */
export function scanOccupiedSixOutputs(
  scratch: SplitScratch,
  binCount: number,
  node: NodeTotals,
  minLeaf: number,
  choice: SplitChoice,
  feature: number,
): void {
  const lh = scratch.featureHist;
  const bm = scratch.hitBits;
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
  let open = true;
  const words = (binCount + 31) >>> 5;
  for (let wd = 0; wd < words; wd++) {
    let word = bm[wd] as number;
    bm[wd] = 0;
    while (word !== 0) {
      const b = (wd << 5) | (31 - Math.clz32(word & -word));
      word &= word - 1;
      const j = b * 8;
      const c = lh[j] as number;
      const wt = lh[j + 1] as number;
      const v0 = lh[j + 2] as number;
      const v1 = lh[j + 3] as number;
      const v2 = lh[j + 4] as number;
      const v3 = lh[j + 5] as number;
      const v4 = lh[j + 6] as number;
      const v5 = lh[j + 7] as number;
      for (let z = j; z < j + 8; z++) lh[z] = 0;
      if (!open) continue;
      if (prev >= 0 && leftRows >= minLeaf) {
        if (n - leftRows < minLeaf) {
          open = false;
          continue;
        }
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
      leftWeight += wt;
      s0 += v0;
      s1 += v1;
      s2 += v2;
      s3 += v3;
      s4 += v4;
      s5 += v5;
      prev = b;
    }
  }
  if (bestLeft >= 0) record(choice, bestGain, feature, bestLeft, bestRight);
}
