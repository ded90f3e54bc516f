/**
 * The in-house histogram tree learner behind the random forest and gradient boosting.
 *
 * Why in-house: no npm package trains trees well enough: `ml-cart` / `ml-random-forest`
 * were 200–475× slower per tree than scikit-learn and single-output only, `@tensorflow/tfjs-node`
 * cannot install here, `ml-xgboost` is an unmaintained 2018 WASM build.
 *
 * How: features are binned once per fit (binning.ts). Each node keeps a histogram over all global
 * bins of (row count, weight, weighted target sums per output); a split is chosen by scanning the
 * histogram of each candidate feature with the squared-error criterion summed over outputs, as
 * scikit-learn's (proxy: Σₖ S_L,k² / W_L + Σₖ S_R,k² / W_R). The sibling histogram comes by
 * subtraction: the larger child takes the parent's histogram minus the smaller child (either the
 * smaller child's rows are removed from it, or, when the smaller child has a histogram of its own,
 * it is subtracted bin by bin, whichever touches fewer values); only the smaller child is ever built
 * from its rows. The root's histogram is summed bin by bin over rows grouped by bin (binning.ts).
 * Nodes too small to pay for a scan of every bin search feature by feature without a node
 * histogram (findSplitDirect). Trees grow depth-first, so node ids increase from parent to child
 * (TreeModel's invariant) and few histograms are alive at once.
 *
 * Semantics follow scikit-learn's DecisionTreeRegressor: min_samples_split / min_samples_leaf count
 * distinct rows (bootstrap copies are weights), a node whose targets are constant is a leaf, a node
 * value is the weighted mean of its targets, splits with zero improvement are allowed.
 */
import type { Rng } from '../rng.js';
import { TREE_LEAF, TreeModel } from '../models/tree-model.js';
import type { BinnedFeatures } from './binning.js';

export interface GrowParams {
  /** Deepest split level: nodes at this depth are leaves (root is depth 0); Infinity for none. */
  readonly maxDepth: number;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** Number of features examined per node (1 .. cols); fewer than all are drawn with the rng. */
  readonly maxFeatures: number;
}

export interface GrownTree {
  readonly tree: TreeModel;
  /** For each internal node, the last bin (local to its feature) that goes left; -1 at leaves. */
  readonly splitBin: Int32Array;
}

/** Impurity at or below this is a pure node (scikit-learn uses DBL_EPSILON). */
const EPSILON = 2.220446049250313e-16;
/**
 * A node takes its parent's histogram (minus the sibling's rows) when searching without one would
 * cost more than INHERIT_FACTOR scans of all bins, and builds a fresh one when that would cost more
 * than FRESH_FACTOR fills of all bins. Measured on feature matrices of 149 and 434 columns.
 */
const INHERIT_FACTOR = 2;
const FRESH_FACTOR = 1;

/**
 * Grows trees on one binned matrix; reuses its buffers from tree to tree, so keep one per fit (and
 * per thread). Not re-entrant.
 */
export class TreeGrower {
  private readonly p: number;
  private readonly k: number;
  private readonly weighted: boolean;
  /** Values per bin in a histogram: count, [weight,] k sums. */
  private readonly stride: number;
  private readonly sumOff: number;
  private readonly histLen: number;
  private readonly pool: Float64Array[] = [];
  private readonly scratch: Int32Array;
  private readonly nodeSums: Float64Array;
  private readonly leftSums: Float64Array;
  // Node arrays, grown as needed.
  private cap = 0;
  private left = new Int32Array(0);
  private right = new Int32Array(0);
  private feat = new Int32Array(0);
  private sbin = new Int32Array(0);
  private thr = new Float64Array(0);
  private val = new Float64Array(0);
  private nodeW = new Float64Array(0);
  private imp = new Float64Array(0);
  // Best split of the last search.
  private bestFeature = -1;
  private bestLeftBin = -1;
  private bestRightBin = -1;
  // Scratch of the small-node split search.
  private directWy = new Float64Array(0);
  private directW = new Float64Array(0);
  private readonly localHist: Float64Array;
  private readonly compactHist: Float64Array;
  private readonly bitmap = new Int32Array(8);
  private readonly directIds = new Int32Array(256);
  private readonly lanes = new Float64Array(4 * 32 * 2);
  private readonly best = { gain: -Infinity, feature: -1, left: -1, right: -1 };
  private buildRows = new Int32Array(0);
  private rootWy = new Float64Array(0);
  private buildWy = new Float64Array(0);
  private buildW = new Float64Array(0);

  /**
   * @param nOutputs targets per row (1 for a boosting tree, 6 for a multi-output forest tree).
   * @param weighted rows carry weights (bootstrap counts); otherwise every row weighs 1.
   */
  constructor(
    private readonly binned: BinnedFeatures,
    nOutputs: number,
    weighted: boolean,
  ) {
    this.p = binned.cols;
    this.k = nOutputs;
    this.weighted = weighted;
    this.sumOff = weighted ? 2 : 1;
    this.stride = this.sumOff + nOutputs;
    this.histLen = (binned.offsets[binned.cols] as number) * this.stride;
    this.scratch = new Int32Array(binned.rows);
    this.nodeSums = new Float64Array(nOutputs);
    this.leftSums = new Float64Array(nOutputs);
    this.localHist = new Float64Array(256 * (nOutputs + 2));
    this.compactHist = new Float64Array(256 * (nOutputs + 2));
  }

  /**
   * Grows one tree.
   * @param targets row-major `rows × nOutputs` targets of every row of the binned matrix.
   * @param weights per-row weights when the grower is weighted; `rows` must be exactly the rows
   *   with a positive weight (a bootstrap sample: its rows drawn at least once).
   * @param rows the rows of the sample, distinct; reordered in place.
   */
  grow(
    targets: Float64Array,
    weights: Float64Array | null,
    rows: Int32Array,
    params: GrowParams,
    rng: Rng | null,
    rootHistogram: Float64Array | null = null,
  ): GrownTree {
    const { p, k } = this;
    const m = rows.length;
    this.ensureCapacity(2 * m + 1);
    const { minSamplesLeaf, minSamplesSplit, maxDepth } = params;
    const maxFeatures = Math.max(1, Math.min(p, Math.floor(params.maxFeatures)));
    const allFeatures = new Int32Array(p);
    for (let f = 0; f < p; f++) allFeatures[f] = f;
    let nodeCount = 1;
    // Depth-first stack of pending nodes.
    const sNode: number[] = [0];
    const sStart: number[] = [0];
    const sEnd: number[] = [m];
    const sDepth: number[] = [0];
    const sHist: (Float64Array | null)[] = [null];
    const canSplit = (n: number, depth: number): boolean =>
      depth < maxDepth && n >= minSamplesSplit && n >= 2 * minSamplesLeaf;
    // A node histogram pays when its node has many rows: scanning it costs about T (bins), while a
    // per-feature search without it costs about p·m·(stride + 1) (p features, m rows). Smaller
    // nodes search feature by feature (findSplitDirect).
    const totalBins = this.histLen / this.stride;
    const directCost = (n: number): number => p * n * (this.stride + 1);
    const inheritHist = (n: number): boolean => directCost(n) > INHERIT_FACTOR * totalBins;
    const freshHist = (n: number): boolean => directCost(n) > FRESH_FACTOR * totalBins * this.stride;
    if (rootHistogram && !(canSplit(m, 0) && freshHist(m))) this.release(rootHistogram);
    else if (rootHistogram) sHist[0] = rootHistogram;
    else if (canSplit(m, 0) && freshHist(m)) {
      const h = this.acquire();
      // All rows (weights 0 for rows out of a bootstrap): sum bin by bin.
      if (m === this.binned.rows || weights) this.rootHist(h, targets, weights);
      else {
        h.fill(0);
        this.addRows(h, rows, 0, m, targets, weights, 1);
      }
      sHist[0] = h;
    }
    const sums = this.nodeSums;
    while (sNode.length > 0) {
      const node = sNode.pop() as number;
      const start = sStart.pop() as number;
      const end = sEnd.pop() as number;
      const depth = sDepth.pop() as number;
      const hist = sHist.pop() as Float64Array | null;
      const n = end - start;
      // Node totals and impurity (two passes, so a constant node is exactly 0).
      sums.fill(0);
      let w = 0;
      for (let i = start; i < end; i++) {
        const r = rows[i] as number;
        const wr = weights ? (weights[r] as number) : 1;
        w += wr;
        for (let j = 0; j < k; j++) sums[j] = (sums[j] as number) + wr * (targets[r * k + j] as number);
      }
      let impurity = 0;
      for (let i = start; i < end; i++) {
        const r = rows[i] as number;
        const wr = weights ? (weights[r] as number) : 1;
        for (let j = 0; j < k; j++) {
          const d = (targets[r * k + j] as number) - (sums[j] as number) / w;
          impurity += wr * d * d;
        }
      }
      impurity /= w * k;
      for (let j = 0; j < k; j++) this.val[node * k + j] = (sums[j] as number) / w;
      this.nodeW[node] = w;
      this.imp[node] = impurity;
      this.left[node] = TREE_LEAF;
      this.right[node] = TREE_LEAF;
      this.feat[node] = -2;
      this.thr[node] = -2;
      this.sbin[node] = -1;
      if (!canSplit(n, depth) || impurity <= EPSILON) {
        if (hist) this.release(hist);
        continue;
      }
      let features: Int32Array = allFeatures;
      let nf = p;
      if (maxFeatures < p && rng) {
        features = rng.sampleWithoutReplacement(p, maxFeatures);
        nf = maxFeatures;
      }
      const found = hist
        ? this.findSplit(hist, n, w, features, nf, minSamplesLeaf)
        : this.findSplitDirect(rows, start, end, w, targets, weights, features, nf, minSamplesLeaf);
      if (!found) {
        if (hist) this.release(hist);
        continue;
      }
      const f = this.bestFeature;
      const off = this.binned.offsets[f] as number;
      const lb = this.bestLeftBin;
      const loR = this.binned.lo[off + this.bestRightBin] as number;
      const hiL = this.binned.hi[off + lb] as number;
      let t = hiL / 2 + loR / 2;
      if (!(t >= hiL && t < loR)) t = hiL; // rounding: keep float32(left) <= t < float32(right)
      // Stable partition: rows going left keep their order, then the right ones.
      const bins = this.binned.bins;
      const col = f * this.binned.rows;
      const tmp = this.scratch;
      let nl = start;
      let nr = 0;
      for (let i = start; i < end; i++) {
        const r = rows[i] as number;
        if ((bins[col + r] as number) <= lb) rows[nl++] = r;
        else tmp[nr++] = r;
      }
      rows.set(tmp.subarray(0, nr), nl);
      const mid = nl;
      const leftId = nodeCount++;
      const rightId = nodeCount++;
      this.left[node] = leftId;
      this.right[node] = rightId;
      this.feat[node] = f;
      this.thr[node] = t;
      this.sbin[node] = lb;
      const nL = mid - start;
      const nR = end - mid;
      const smallIsLeft = nL <= nR;
      const nSmall = smallIsLeft ? nL : nR;
      const nLarge = smallIsLeft ? nR : nL;
      // The larger child inherits the parent's histogram minus the smaller child's rows (removed
      // in place: p·m_small work, no pass over all bins); the smaller child gets a fresh one only
      // when it is big enough to pay for it.
      const needLarge = hist !== null && canSplit(nLarge, depth + 1) && inheritHist(nLarge);
      const needSmall = canSplit(nSmall, depth + 1) && freshHist(nSmall);
      let large: Float64Array | null = null;
      let small: Float64Array | null = null;
      const sStart0 = smallIsLeft ? start : mid;
      const sEnd0 = smallIsLeft ? mid : end;
      if (needSmall) {
        small = this.acquire();
        small.fill(0);
        this.addRows(small, rows, sStart0, sEnd0, targets, weights, 1);
      }
      if (hist) {
        if (needLarge) {
          // parent − small: one pass over all bins, or removing the small child's rows, whichever
          // touches fewer values.
          if (small && this.histLen < nSmall * p * this.stride) {
            const len = this.histLen;
            for (let i = 0; i < len; i++) hist[i] = (hist[i] as number) - (small[i] as number);
          } else this.addRows(hist, rows, sStart0, sEnd0, targets, weights, -1);
          large = hist;
        } else this.release(hist);
      }
      const hL = smallIsLeft ? small : large;
      const hR = smallIsLeft ? large : small;
      // Push right first so the left subtree is grown first.
      sNode.push(rightId, leftId);
      sStart.push(mid, start);
      sEnd.push(end, mid);
      sDepth.push(depth + 1, depth + 1);
      sHist.push(hR, hL);
    }
    const tree = new TreeModel({
      nFeatures: p,
      nOutputs: k,
      childrenLeft: this.left.slice(0, nodeCount),
      childrenRight: this.right.slice(0, nodeCount),
      feature: this.feat.slice(0, nodeCount),
      threshold: this.thr.slice(0, nodeCount),
      value: this.val.slice(0, nodeCount * k),
      nodeWeight: this.nodeW.slice(0, nodeCount),
      impurity: this.imp.slice(0, nodeCount),
    });
    return { tree, splitBin: this.sbin.slice(0, nodeCount) };
  }

  /**
   * Split search of a node without a node histogram, feature by feature. The node's rows are added
   * into a 256-bin histogram of that one feature (a few KB, in L1 cache) while a 256-bit bitmap
   * records which bins they hit; the set bits, read in order, give the occupied bins already sorted,
   * which are moved into a compact histogram (zeroing what they used) and scanned as a node
   * histogram would be. Cost per feature: rows + occupied bins, with no sort and no pass over
   * empty bins.
   */
  private findSplitDirect(
    rows: Int32Array,
    start: number,
    end: number,
    w: number,
    targets: Float64Array,
    weights: Float64Array | null,
    features: Int32Array,
    nf: number,
    minLeaf: number,
  ): boolean {
    const { k } = this;
    const n = end - start;
    const nRows = this.binned.rows;
    const bins = this.binned.bins;
    const off = this.binned.offsets;
    const ls = k + 2; // local histogram stride: count, weight, k sums
    // Weights and weighted targets of the node's rows, by position in the node.
    const wy = this.directWy.length >= n * k ? this.directWy : (this.directWy = new Float64Array(nRows * k));
    const ww = this.directW.length >= n ? this.directW : (this.directW = new Float64Array(nRows));
    const ids = this.directIds;
    const lh = this.localHist; // 256 bins × ls, all zero between features
    const ch = this.compactHist; // occupied bins only, in bin order
    const bm = this.bitmap;
    for (let i = 0; i < n; i++) {
      const r = rows[start + i] as number;
      const wr = weights ? (weights[r] as number) : 1;
      ww[i] = wr;
      for (let q = 0; q < k; q++) wy[i * k + q] = wr * (targets[r * k + q] as number);
    }
    const best = this.best;
    best.gain = -Infinity;
    best.feature = -1;
    for (let fi = 0; fi < nf; fi++) {
      const f = features[fi] as number;
      const col = f * nRows;
      const nb = (off[f + 1] as number) - (off[f] as number);
      if (nb < 2) continue;
      if (k === 1) {
        for (let i = 0; i < n; i++) {
          const b = bins[col + (rows[start + i] as number)] as number;
          bm[b >>> 5] = (bm[b >>> 5] as number) | (1 << (b & 31));
          const j = b * 3;
          lh[j] = (lh[j] as number) + 1;
          lh[j + 1] = (lh[j + 1] as number) + (ww[i] as number);
          lh[j + 2] = (lh[j + 2] as number) + (wy[i] as number);
        }
      } else if (k === 6) {
        for (let i = 0; i < n; i++) {
          const b = bins[col + (rows[start + i] as number)] as number;
          bm[b >>> 5] = (bm[b >>> 5] as number) | (1 << (b & 31));
          const j = b * 8;
          const y = i * 6;
          lh[j] = (lh[j] as number) + 1;
          lh[j + 1] = (lh[j + 1] as number) + (ww[i] as number);
          lh[j + 2] = (lh[j + 2] as number) + (wy[y] as number);
          lh[j + 3] = (lh[j + 3] as number) + (wy[y + 1] as number);
          lh[j + 4] = (lh[j + 4] as number) + (wy[y + 2] as number);
          lh[j + 5] = (lh[j + 5] as number) + (wy[y + 3] as number);
          lh[j + 6] = (lh[j + 6] as number) + (wy[y + 4] as number);
          lh[j + 7] = (lh[j + 7] as number) + (wy[y + 5] as number);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const b = bins[col + (rows[start + i] as number)] as number;
          bm[b >>> 5] = (bm[b >>> 5] as number) | (1 << (b & 31));
          const j = b * ls;
          lh[j] = (lh[j] as number) + 1;
          lh[j + 1] = (lh[j + 1] as number) + (ww[i] as number);
          for (let q = 0; q < k; q++) lh[j + 2 + q] = (lh[j + 2 + q] as number) + (wy[i * k + q] as number);
        }
      }
      // Occupied bins in order (lowest set bit first), moved to the compact histogram.
      let e = 0;
      const words = (nb + 31) >>> 5;
      for (let wd = 0; wd < words; wd++) {
        let word = bm[wd] as number;
        bm[wd] = 0;
        while (word !== 0) {
          const b = (wd << 5) | (31 - Math.clz32(word & -word));
          word &= word - 1;
          ids[e] = b;
          const src = b * ls;
          const dst = e * ls;
          for (let z = 0; z < ls; z++) {
            ch[dst + z] = lh[src + z] as number;
            lh[src + z] = 0;
          }
          e++;
        }
      }
      if (e > 1) this.scan(ch, 0, e, ls, 1, ids, 0, f, n, w, minLeaf);
    }
    return this.takeBest();
  }

  private ensureCapacity(n: number): void {
    if (n <= this.cap) return;
    this.cap = n;
    this.left = new Int32Array(n);
    this.right = new Int32Array(n);
    this.feat = new Int32Array(n);
    this.sbin = new Int32Array(n);
    this.thr = new Float64Array(n);
    this.val = new Float64Array(n * this.k);
    this.nodeW = new Float64Array(n);
    this.imp = new Float64Array(n);
  }

  private acquire(): Float64Array {
    return this.pool.pop() ?? new Float64Array(this.histLen);
  }

  private release(h: Float64Array): void {
    this.pool.push(h);
  }

  /**
   * Root histograms of `q` single-output targets over every row at once (unweighted grower,
   * k = 1), for boosting several outputs in step: one pass over the grouped rows instead of q.
   * Each equals rootHist's for its target bit for bit (same pairwise summation order). Pass each to
   * grow() as its root histogram; grow() takes ownership.
   * @param targets row-major `rows × q`.
   */
  rootHists(targets: Float64Array, q: number): Float64Array[] {
    const { order, start } = this.binned;
    const total = this.histLen / this.stride;
    const hs = Array.from({ length: q }, () => this.acquire());
    if (q === 3) {
      // The common case (six outputs over two threads), unrolled: six running sums in registers.
      const [h0, h1, h2] = hs as [Float64Array, Float64Array, Float64Array];
      for (let g = 0; g < total; g++) {
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
      return hs;
    }
    const acc = new Float64Array(2 * q);
    for (let g = 0; g < total; g++) {
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
        const h = hs[o] as Float64Array;
        h[2 * g] = b - a;
        h[2 * g + 1] = (acc[2 * o] as number) + (acc[2 * o + 1] as number);
      }
    }
    return hs;
  }

  /**
   * The histogram of every row of the binned matrix with a positive weight (all rows when
   * unweighted), summed bin by bin through the grouped row order: sequential reads and one store
   * per bin, instead of one scattered add per row and feature.
   */
  private rootHist(h: Float64Array, targets: Float64Array, weights: Float64Array | null): void {
    const { k, stride } = this;
    const { order, start } = this.binned;
    const total = this.histLen / stride;
    if (!weights && k === 1 && stride === 2) {
      for (let g = 0; g < total; g++) {
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
        h[2 * g] = b - a;
        h[2 * g + 1] = s0 + s1;
      }
      return;
    }
    const so = this.sumOff;
    const cs = this.leftSums;
    if (weights && k === 6 && so === 2) {
      // One 8-value record per row (present, weight, six weighted targets): rows out of the
      // bootstrap are all zeros, so every row is added without a branch (adding 0 changes no sum).
      const n = this.binned.rows;
      const rec = this.rootWy.length >= n * 8 ? this.rootWy : (this.rootWy = new Float64Array(n * 8));
      for (let r = 0; r < n; r++) {
        const wr = weights[r] as number;
        const o = r * 8;
        rec[o] = wr > 0 ? 1 : 0;
        rec[o + 1] = wr;
        for (let q = 0; q < 6; q++) rec[o + 2 + q] = wr * (targets[r * 6 + q] as number);
      }
      for (let g = 0; g < total; g++) {
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
        h[j] = c;
        h[j + 1] = w;
        h[j + 2] = s0;
        h[j + 3] = s1;
        h[j + 4] = s2;
        h[j + 5] = s3;
        h[j + 6] = s4;
        h[j + 7] = s5;
      }
      return;
    }
    for (let g = 0; g < total; g++) {
      const a = start[g] as number;
      const b = start[g + 1] as number;
      let c = 0;
      let w = 0;
      cs.fill(0);
      for (let i = a; i < b; i++) {
        const r = order[i] as number;
        const wr = weights ? (weights[r] as number) : 1;
        if (wr === 0) continue;
        c++;
        w += wr;
        for (let q = 0; q < k; q++) cs[q] = (cs[q] as number) + wr * (targets[r * k + q] as number);
      }
      const j = g * stride;
      h[j] = c;
      if (so === 2) h[j + 1] = w;
      for (let q = 0; q < k; q++) h[j + so + q] = cs[q] as number;
    }
  }

  /**
   * Adds (sign 1) or removes (sign -1) rows[start..end) to or from histogram `h`, one feature at a
   * time: that feature's bins (a few KB of `h`) stay in L1 cache and its column of bins is read in
   * row order.
   */
  private addRows(
    h: Float64Array,
    rows: Int32Array,
    start: number,
    end: number,
    targets: Float64Array,
    weights: Float64Array | null,
    sign: 1 | -1,
  ): void {
    const { p, k, stride } = this;
    const n = end - start;
    const nRows = this.binned.rows;
    const bins = this.binned.bins;
    const off = this.binned.offsets;
    const so = this.sumOff;
    // The node's rows, their weights and weighted targets, contiguous by position.
    const idx = this.buildRows.length >= n ? this.buildRows : (this.buildRows = new Int32Array(nRows));
    const wy = this.buildWy.length >= n * k ? this.buildWy : (this.buildWy = new Float64Array(nRows * k));
    const ww = this.buildW.length >= n ? this.buildW : (this.buildW = new Float64Array(nRows));
    for (let i = 0; i < n; i++) {
      const r = rows[start + i] as number;
      idx[i] = r;
      const wr = (weights && this.weighted ? (weights[r] as number) : 1) * sign;
      ww[i] = wr;
      for (let q = 0; q < k; q++) wy[i * k + q] = wr * (targets[r * k + q] as number);
    }
    if (so === 1 && k === 1) {
      const lanes = this.lanes;
      for (let f = 0; f < p; f++) {
        const col = f * nRows;
        const o = off[f] as number;
        const nb = (off[f + 1] as number) - o;
        if (nb <= 32 && n >= 64) {
          // Few bins: consecutive rows keep hitting the same bin, and each add waits for the
          // previous one. Four interleaved copies of this feature's bins break that chain.
          const span = nb * 2;
          lanes.fill(0, 0, span * 4);
          let i = 0;
          for (; i + 3 < n; i += 4) {
            const j0 = (bins[col + (idx[i] as number)] as number) << 1;
            const j1 = span + ((bins[col + (idx[i + 1] as number)] as number) << 1);
            const j2 = 2 * span + ((bins[col + (idx[i + 2] as number)] as number) << 1);
            const j3 = 3 * span + ((bins[col + (idx[i + 3] as number)] as number) << 1);
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
            const j = (bins[col + (idx[i] as number)] as number) << 1;
            lanes[j] = (lanes[j] as number) + 1;
            lanes[j + 1] = (lanes[j + 1] as number) + (wy[i] as number);
          }
          const base = o << 1;
          // Counts were added as +1 (apply the sign now); sums already carry it.
          for (let j = 0; j < span; j += 2) {
            h[base + j] =
              (h[base + j] as number) +
              sign *
                ((lanes[j] as number) +
                  (lanes[span + j] as number) +
                  (lanes[2 * span + j] as number) +
                  (lanes[3 * span + j] as number));
            h[base + j + 1] =
              (h[base + j + 1] as number) +
              (lanes[j + 1] as number) +
              (lanes[span + j + 1] as number) +
              (lanes[2 * span + j + 1] as number) +
              (lanes[3 * span + j + 1] as number);
          }
          continue;
        }
        for (let i = 0; i < n; i++) {
          const j = (o + (bins[col + (idx[i] as number)] as number)) << 1;
          h[j] = (h[j] as number) + sign;
          h[j + 1] = (h[j + 1] as number) + (wy[i] as number);
        }
      }
      return;
    }
    if (so === 2 && k === 6) {
      for (let f = 0; f < p; f++) {
        const col = f * nRows;
        const o = off[f] as number;
        for (let i = 0; i < n; i++) {
          const j = (o + (bins[col + (idx[i] as number)] as number)) * 8;
          const y = i * 6;
          h[j] = (h[j] as number) + sign;
          h[j + 1] = (h[j + 1] as number) + (ww[i] as number);
          h[j + 2] = (h[j + 2] as number) + (wy[y] as number);
          h[j + 3] = (h[j + 3] as number) + (wy[y + 1] as number);
          h[j + 4] = (h[j + 4] as number) + (wy[y + 2] as number);
          h[j + 5] = (h[j + 5] as number) + (wy[y + 3] as number);
          h[j + 6] = (h[j + 6] as number) + (wy[y + 4] as number);
          h[j + 7] = (h[j + 7] as number) + (wy[y + 5] as number);
        }
      }
      return;
    }
    for (let f = 0; f < p; f++) {
      const col = f * nRows;
      const o = off[f] as number;
      for (let i = 0; i < n; i++) {
        const j = (o + (bins[col + (idx[i] as number)] as number)) * stride;
        h[j] = (h[j] as number) + sign;
        if (so === 2) h[j + 1] = (h[j + 1] as number) + (ww[i] as number);
        for (let q = 0; q < k; q++) h[j + so + q] = (h[j + so + q] as number) + (wy[i * k + q] as number);
      }
    }
  }

  /** Best split over the given features of a node histogram; false when none is allowed. */
  private findSplit(
    h: Float64Array,
    n: number,
    w: number,
    features: Int32Array,
    nf: number,
    minLeaf: number,
  ): boolean {
    const { stride } = this;
    const wOff = this.sumOff === 2 ? 1 : 0;
    const off = this.binned.offsets;
    const best = this.best;
    best.gain = -Infinity;
    best.feature = -1;
    for (let fi = 0; fi < nf; fi++) {
      const f = features[fi] as number;
      const o0 = off[f] as number;
      const nb = (off[f + 1] as number) - o0;
      if (nb < 2) continue;
      this.scan(h, o0, nb, stride, wOff, null, o0, f, n, w, minLeaf);
    }
    return this.takeBest();
  }

  /** Copies the best split into the fields read by grow(); false when there is none. */
  private takeBest(): boolean {
    const best = this.best;
    if (best.feature < 0) return false;
    this.bestFeature = best.feature;
    this.bestLeftBin = best.left;
    this.bestRightBin = best.right;
    return true;
  }

  /**
   * Scans `nb` consecutive bins of `h` (from bin index `b0`, `stride` values each: count, [weight,]
   * sums) as the ordered values of feature f, and records a better split in `this.best`. Bin
   * positions map to feature-local bins through `ids` when given, else by subtracting `idBase`.
   */
  private scan(
    h: Float64Array,
    b0: number,
    nb: number,
    stride: number,
    wOff: number,
    ids: Int32Array | null,
    idBase: number,
    f: number,
    n: number,
    w: number,
    minLeaf: number,
  ): void {
    const k = this.k;
    const so = stride - k;
    const total = this.nodeSums;
    const best = this.best;
    let bestGain = best.gain;
    let bl = -1;
    let br = -1;
    let cn = 0;
    let cw = 0;
    let prev = -1;
    const end = b0 + nb;
    if (k === 1) {
      const t0 = total[0] as number;
      let s0 = 0;
      for (let b = b0; b < end; b++) {
        const j = b * stride;
        const c = h[j] as number;
        if (c === 0) continue;
        if (prev >= 0 && cn >= minLeaf) {
          if (n - cn < minLeaf) break;
          const r0 = t0 - s0;
          const gain = (s0 * s0) / cw + (r0 * r0) / (w - cw);
          if (gain > bestGain) {
            bestGain = gain;
            bl = prev;
            br = b;
          }
        }
        cn += c;
        cw += h[j + wOff] as number;
        s0 += h[j + so] as number;
        prev = b;
      }
    } else if (k === 6) {
      const t0 = total[0] as number;
      const t1 = total[1] as number;
      const t2 = total[2] as number;
      const t3 = total[3] as number;
      const t4 = total[4] as number;
      const t5 = total[5] as number;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      for (let b = b0; b < end; b++) {
        const j = b * stride;
        const c = h[j] as number;
        if (c === 0) continue;
        if (prev >= 0 && cn >= minLeaf) {
          if (n - cn < minLeaf) break;
          const r0 = t0 - s0;
          const r1 = t1 - s1;
          const r2 = t2 - s2;
          const r3 = t3 - s3;
          const r4 = t4 - s4;
          const r5 = t5 - s5;
          const gain =
            (s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3 + s4 * s4 + s5 * s5) / cw +
            (r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3 + r4 * r4 + r5 * r5) / (w - cw);
          if (gain > bestGain) {
            bestGain = gain;
            bl = prev;
            br = b;
          }
        }
        cn += c;
        cw += h[j + wOff] as number;
        const q = j + so;
        s0 += h[q] as number;
        s1 += h[q + 1] as number;
        s2 += h[q + 2] as number;
        s3 += h[q + 3] as number;
        s4 += h[q + 4] as number;
        s5 += h[q + 5] as number;
        prev = b;
      }
    } else {
      const cs = this.leftSums;
      cs.fill(0);
      for (let b = b0; b < end; b++) {
        const j = b * stride;
        const c = h[j] as number;
        if (c === 0) continue;
        if (prev >= 0 && cn >= minLeaf) {
          if (n - cn < minLeaf) break;
          let gl = 0;
          let gr = 0;
          for (let q = 0; q < k; q++) {
            const sl = cs[q] as number;
            const sr = (total[q] as number) - sl;
            gl += sl * sl;
            gr += sr * sr;
          }
          const gain = gl / cw + gr / (w - cw);
          if (gain > bestGain) {
            bestGain = gain;
            bl = prev;
            br = b;
          }
        }
        cn += c;
        cw += h[j + wOff] as number;
        for (let q = 0; q < k; q++) cs[q] = (cs[q] as number) + (h[j + so + q] as number);
        prev = b;
      }
    }
    if (bl >= 0) {
      best.gain = bestGain;
      best.feature = f;
      best.left = ids ? (ids[bl] as number) : bl - idBase;
      best.right = ids ? (ids[br] as number) : br - idBase;
    }
  }
}

/** The leaf a row of the binned training matrix reaches (routing by bins, not thresholds). */
export function leafOfBinnedRow(grown: GrownTree, binned: BinnedFeatures, row: number): number {
  const { tree, splitBin } = grown;
  const cl = tree.childrenLeft;
  const cr = tree.childrenRight;
  const feat = tree.feature;
  const bins = binned.bins;
  const n = binned.rows;
  let node = 0;
  while ((cl[node] as number) !== TREE_LEAF) {
    node =
      (bins[(feat[node] as number) * n + row] as number) <= (splitBin[node] as number)
        ? (cl[node] as number)
        : (cr[node] as number);
  }
  return node;
}
