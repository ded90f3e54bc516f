/**
 * Quantile binning of the feature matrix, done once per fit and shared by every tree and every
 * target: each feature's float32 values (scikit-learn's trees compare float32 inputs) are mapped to
 * at most 255 bins, so a node's split search scans bins instead of sorting rows.
 *
 * When a feature has at most `maxBins` distinct values (counts, gaps, weekdays: most features here)
 * each value is its own bin and a split between two bins is exactly a split scikit-learn could
 * choose; otherwise bins hold about equal numbers of rows and never split a value.
 */
import type { DenseMatrix } from '../matrix.js';

export interface BinnedFeatures {
  readonly rows: number;
  readonly cols: number;
  /**
   * Column-major bin of each value, local to its feature: row r of feature f is `bins[f * rows + r]`.
   * Column-major because every hot loop (histograms, partitions, small-node sorts) reads one
   * feature over many rows.
   */
  readonly bins: Uint8Array;
  /** Feature f's bins are the global bins `offsets[f] .. offsets[f+1]-1`; `offsets[cols]` is the total. */
  readonly offsets: Int32Array;
  /** Smallest float32 value (as a double) in each global bin. */
  readonly lo: Float64Array;
  /** Largest float32 value (as a double) in each global bin. */
  readonly hi: Float64Array;
  /**
   * Every feature's rows grouped by bin (a counting sort): feature f's block is
   * `order[f * rows .. (f + 1) * rows)`, and global bin g holds `order[start[g] .. start[g + 1])`.
   * Lets a histogram over all rows be summed bin by bin (sequential reads, no scattered stores).
   */
  readonly order: Int32Array;
  /** Length total bins + 1; see `order`. */
  readonly start: Int32Array;
}

/** Bins every column of `x` into at most `maxBins` (≤ 255) bins. */
export function binFeatures(x: DenseMatrix, maxBins = 255): BinnedFeatures {
  const { rows: n, cols: p } = x;
  const limit = Math.max(2, Math.min(255, Math.floor(maxBins)));
  const bins = new Uint8Array(n * p);
  const offsets = new Int32Array(p + 1);
  const los: Float64Array[] = [];
  const his: Float64Array[] = [];
  const col = new Float32Array(n);
  const sorted = new Float32Array(n);
  for (let f = 0; f < p; f++) {
    for (let r = 0; r < n; r++) col[r] = x.data[r * p + f] as number;
    sorted.set(col);
    sorted.sort();
    // Distinct values and their counts.
    const distinct: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = sorted[i] as number;
      if (distinct.length === 0 || v !== distinct[distinct.length - 1]) {
        distinct.push(v);
        counts.push(1);
      } else counts[counts.length - 1]! += 1;
    }
    let lo: number[];
    let hi: number[];
    if (distinct.length <= limit) {
      lo = distinct;
      hi = distinct;
    } else {
      lo = [];
      hi = [];
      let cum = 0;
      let start = 0;
      for (let i = 0; i < distinct.length; i++) {
        cum += counts[i] as number;
        const binsLeft = limit - lo.length;
        const valuesLeft = distinct.length - i - 1;
        // Close the bin at the next quantile, or when every remaining value must get its own bin.
        if (cum >= ((lo.length + 1) * n) / limit || valuesLeft < binsLeft || i === distinct.length - 1) {
          lo.push(distinct[start] as number);
          hi.push(distinct[i] as number);
          start = i + 1;
          if (lo.length === limit - 1 && i < distinct.length - 1) {
            lo.push(distinct[start] as number);
            hi.push(distinct[distinct.length - 1] as number);
            break;
          }
        }
      }
    }
    const nb = lo.length;
    offsets[f + 1] = (offsets[f] as number) + nb;
    const loA = Float64Array.from(lo);
    const hiA = Float64Array.from(hi);
    los.push(loA);
    his.push(hiA);
    for (let r = 0; r < n; r++) {
      const v = col[r] as number;
      // First bin whose upper value is >= v (binary search).
      let a = 0;
      let b = nb - 1;
      while (a < b) {
        const mid = (a + b) >> 1;
        if ((hiA[mid] as number) < v) a = mid + 1;
        else b = mid;
      }
      bins[f * n + r] = a;
    }
  }
  const total = offsets[p] as number;
  const lo = new Float64Array(total);
  const hi = new Float64Array(total);
  for (let f = 0; f < p; f++) {
    lo.set(los[f] as Float64Array, offsets[f]);
    hi.set(his[f] as Float64Array, offsets[f]);
  }
  const order = new Int32Array(n * p);
  const start = new Int32Array(total + 1);
  for (let f = 0; f < p; f++) {
    const o = offsets[f] as number;
    const nb = (offsets[f + 1] as number) - o;
    const col = f * n;
    for (let r = 0; r < n; r++) start[o + (bins[col + r] as number) + 1]! += 1;
    start[o] = col;
    for (let b = 1; b <= nb; b++) start[o + b] = (start[o + b - 1] as number) + (start[o + b] as number);
    const fill = start.slice(o, o + nb);
    for (let r = 0; r < n; r++) {
      const b = bins[col + r] as number;
      order[fill[b] as number] = r;
      fill[b] = (fill[b] as number) + 1;
    }
  }
  return { rows: n, cols: p, bins, offsets, lo, hi, order, start };
}
