/**
 * The in-house histogram tree learner behind the random forest and gradient boosting: the builder
 * that grows one tree node by node. Its loops over bins live in histogram-kernels.ts (building,
 * subtracting and summing node histograms) and split-search.ts (choosing a node's cut).
 *
 * Why in-house: no npm package trains trees well enough: `ml-cart` / `ml-random-forest`
 * were 200–475× slower per tree than scikit-learn and single-output only, `@tensorflow/tfjs-node`
 * cannot install here, `ml-xgboost` is an unmaintained 2018 WASM build.
 *
 * How: features are binned once per fit (binning.ts). Each node keeps a histogram over all global
 * bins of (row count, weight, weighted target sums per output); a split is chosen by scanning the
 * histogram of each candidate feature (split-search.ts). The sibling histogram comes by
 * subtraction: the larger child takes the parent's histogram minus the smaller child (either the
 * smaller child's rows are removed from it, or, when the smaller child has a histogram of its own,
 * it is subtracted bin by bin, whichever touches fewer values); only the smaller child is ever built
 * from its rows. The root's histogram is summed bin by bin over rows grouped by bin (binning.ts).
 * Nodes too small to pay for a scan of every bin search feature by feature without a node
 * histogram (bestSplitByFeature). Trees grow depth-first, so node ids increase from parent to child
 * (TreeModel's invariant) and few histograms are alive at once.
 *
 * Semantics follow scikit-learn's DecisionTreeRegressor: min_samples_split / min_samples_leaf count
 * distinct rows (bootstrap copies are weights), a node whose targets are constant is a leaf, a node
 * value is the weighted mean of its targets, splits with zero improvement are allowed.
 */
import type { Rng } from '../rng.js';
import { TREE_LEAF, TreeModel } from '../models/tree-model.js';
import type { BinnedFeatures } from './binning.js';
import {
  addRows,
  histogramLayout,
  RowScratch,
  subtractHistogram,
  sumRootHistogram,
  sumRootHistogramsInStep,
  type HistogramLayout,
} from './histogram-kernels.js';
import {
  bestSplitByFeature,
  bestSplitInHistogram,
  NodeTotals,
  SplitChoice,
  SplitScratch,
} from './split-search.js';

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

/** The grown nodes by id, reused from tree to tree and enlarged as needed. */
class NodeArrays {
  private capacity = 0;
  childLeft = new Int32Array(0);
  childRight = new Int32Array(0);
  feature = new Int32Array(0);
  /** Last bin (local to the feature) going left; -1 at leaves. */
  splitBin = new Int32Array(0);
  threshold = new Float64Array(0);
  /** nodes × outputs: the weighted mean target of each node. */
  value = new Float64Array(0);
  weight = new Float64Array(0);
  impurity = new Float64Array(0);

  constructor(private readonly outputs: number) {}

  ensureCapacity(n: number): void {
    if (n <= this.capacity) return;
    this.capacity = n;
    this.childLeft = new Int32Array(n);
    this.childRight = new Int32Array(n);
    this.feature = new Int32Array(n);
    this.splitBin = new Int32Array(n);
    this.threshold = new Float64Array(n);
    this.value = new Float64Array(n * this.outputs);
    this.weight = new Float64Array(n);
    this.impurity = new Float64Array(n);
  }

  /** Records a node as a leaf (its split, if any, is recorded later by setSplit). */
  setLeaf(node: number, totals: NodeTotals, impurity: number): void {
    const k = this.outputs;
    for (let j = 0; j < k; j++) this.value[node * k + j] = (totals.sums[j] as number) / totals.weight;
    this.weight[node] = totals.weight;
    this.impurity[node] = impurity;
    this.childLeft[node] = TREE_LEAF;
    this.childRight[node] = TREE_LEAF;
    this.feature[node] = -2;
    this.threshold[node] = -2;
    this.splitBin[node] = -1;
  }

  setSplit(node: number, left: number, right: number, feature: number, threshold: number, bin: number): void {
    this.childLeft[node] = left;
    this.childRight[node] = right;
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.splitBin[node] = bin;
  }

  /** Copies of the first `count` nodes as a tree. */
  toGrownTree(count: number, nFeatures: number): GrownTree {
    const k = this.outputs;
    const tree = new TreeModel({
      nFeatures,
      nOutputs: k,
      childrenLeft: this.childLeft.slice(0, count),
      childrenRight: this.childRight.slice(0, count),
      feature: this.feature.slice(0, count),
      threshold: this.threshold.slice(0, count),
      value: this.value.slice(0, count * k),
      nodeWeight: this.weight.slice(0, count),
      impurity: this.impurity.slice(0, count),
    });
    return { tree, splitBin: this.splitBin.slice(0, count) };
  }
}

/** Nodes waiting to be grown, depth-first, as parallel arrays (no object per node). */
class PendingNodes {
  readonly id: number[] = [];
  readonly start: number[] = [];
  readonly end: number[] = [];
  readonly depth: number[] = [];
  readonly histogram: (Float64Array | null)[] = [];

  push(id: number, start: number, end: number, depth: number, histogram: Float64Array | null): void {
    this.id.push(id);
    this.start.push(start);
    this.end.push(end);
    this.depth.push(depth);
    this.histogram.push(histogram);
  }
}

/** What one grow() call grows a tree from. */
interface Sample {
  readonly targets: Float64Array;
  readonly weights: Float64Array | null;
  readonly rows: Int32Array;
  readonly params: GrowParams;
}

/** A node just split: its children's ids, their rows (start..mid, mid..end of the row order) and depth. */
interface SplitRows {
  readonly leftId: number;
  readonly rightId: number;
  readonly start: number;
  readonly mid: number;
  readonly end: number;
  /** Depth of the node split (its children are one deeper). */
  readonly depth: number;
}

const canSplit = (rows: number, depth: number, params: GrowParams): boolean =>
  depth < params.maxDepth && rows >= params.minSamplesSplit && rows >= 2 * params.minSamplesLeaf;

/**
 * Grows trees on one binned matrix; reuses its buffers from tree to tree, so keep one per fit (and
 * per thread). Not re-entrant.
 */
export class TreeGrower {
  private readonly featureCount: number;
  private readonly outputs: number;
  private readonly layout: HistogramLayout;
  /** Node histograms no longer in use, handed out again before allocating. */
  private readonly histogramPool: Float64Array[] = [];
  private readonly rowScratch: RowScratch;
  private readonly splitScratch: SplitScratch;
  /** Rows going right while a node's rows are partitioned. */
  private readonly rightRows: Int32Array;
  /** The node being split. */
  private readonly totals: NodeTotals;
  private readonly choice = new SplitChoice();
  private readonly nodes: NodeArrays;

  /**
   * @param nOutputs targets per row (1 for a boosting tree, 6 for a multi-output forest tree).
   * @param weighted rows carry weights (bootstrap counts); otherwise every row weighs 1.
   */
  constructor(
    private readonly binned: BinnedFeatures,
    nOutputs: number,
    weighted: boolean,
  ) {
    this.featureCount = binned.cols;
    this.outputs = nOutputs;
    this.layout = histogramLayout(binned, nOutputs, weighted);
    this.rowScratch = new RowScratch(binned.rows, nOutputs);
    this.splitScratch = new SplitScratch(nOutputs);
    this.rightRows = new Int32Array(binned.rows);
    this.totals = new NodeTotals(nOutputs);
    this.nodes = new NodeArrays(nOutputs);
  }

  /**
   * Grows one tree.
   * @param targets row-major `rows × nOutputs` targets of every row of the binned matrix.
   * @param weights per-row weights when the grower is weighted; `rows` must be exactly the rows
   *   with a positive weight (a bootstrap sample: its rows drawn at least once).
   * @param rows the rows of the sample, distinct; reordered in place.
   * @param rootHistogram the root's histogram when already summed (rootHists); grow() takes it.
   */
  grow(
    targets: Float64Array,
    weights: Float64Array | null,
    rows: Int32Array,
    params: GrowParams,
    rng: Rng | null,
    rootHistogram: Float64Array | null = null,
  ): GrownTree {
    const p = this.featureCount;
    const m = rows.length;
    const sample: Sample = { targets, weights, rows, params };
    this.nodes.ensureCapacity(2 * m + 1);
    const maxFeatures = Math.max(1, Math.min(p, Math.floor(params.maxFeatures)));
    const allFeatures = new Int32Array(p);
    for (let f = 0; f < p; f++) allFeatures[f] = f;
    let nodeCount = 1;
    const pending = new PendingNodes();
    pending.push(0, 0, m, 0, this.rootHistogram(sample, rootHistogram));
    while (pending.id.length > 0) {
      const node = pending.id.pop() as number;
      const start = pending.start.pop() as number;
      const end = pending.end.pop() as number;
      const depth = pending.depth.pop() as number;
      const hist = pending.histogram.pop() as Float64Array | null;
      const impurity = this.measureNode(sample, start, end);
      this.nodes.setLeaf(node, this.totals, impurity);
      if (!canSplit(end - start, depth, params) || impurity <= EPSILON) {
        if (hist) this.release(hist);
        continue;
      }
      let features: Int32Array = allFeatures;
      let nf = p;
      if (maxFeatures < p && rng) {
        features = rng.sampleWithoutReplacement(p, maxFeatures);
        nf = maxFeatures;
      }
      if (!this.findSplit(sample, start, end, hist, features, nf)) {
        if (hist) this.release(hist);
        continue;
      }
      const leftId = nodeCount++;
      const rightId = nodeCount++;
      const mid = this.splitNode(node, leftId, rightId, rows, start, end);
      this.pushChildren(pending, sample, { leftId, rightId, start, mid, end, depth }, hist);
    }
    return this.nodes.toGrownTree(nodeCount, p);
  }

  /**
   * Root histograms of `q` single-output targets over every row at once (unweighted grower,
   * k = 1), for boosting several outputs in step: one pass over the grouped rows instead of q.
   * Each equals the one grow() would sum for its target, bit for bit. Pass each to grow() as its
   * root histogram; grow() takes ownership.
   * @param targets row-major `rows × q`.
   */
  rootHists(targets: Float64Array, q: number): Float64Array[] {
    const hists = Array.from({ length: q }, () => this.acquire());
    sumRootHistogramsInStep(hists, this.binned, this.layout.totalBins, targets, q);
    return hists;
  }

  /**
   * Searching a node without a histogram costs about p·n·(stride + 1) (p features, n rows), while
   * a histogram costs a scan (inherited) or a fill and a scan (fresh) of every bin.
   */
  private directSearchCost(rows: number): number {
    return this.featureCount * rows * (this.layout.stride + 1);
  }

  private inheritPays(rows: number): boolean {
    return this.directSearchCost(rows) > INHERIT_FACTOR * this.layout.totalBins;
  }

  private freshPays(rows: number): boolean {
    return this.directSearchCost(rows) > FRESH_FACTOR * this.layout.totalBins * this.layout.stride;
  }

  /** The root's histogram: the one given, or a fresh one when it pays; null to search without. */
  private rootHistogram(sample: Sample, given: Float64Array | null): Float64Array | null {
    const { targets, weights, rows, params } = sample;
    const m = rows.length;
    const pays = canSplit(m, 0, params) && this.freshPays(m);
    if (given) {
      if (pays) return given;
      this.release(given);
      return null;
    }
    if (!pays) return null;
    const h = this.acquire();
    // All rows (weights 0 for rows out of a bootstrap): sum bin by bin.
    if (m === this.binned.rows || weights)
      sumRootHistogram(h, this.layout, this.binned, this.rowScratch, targets, weights);
    else {
      h.fill(0);
      this.addRowsOf(sample, h, 0, m, 1);
    }
    return h;
  }

  /**
   * The node's totals (rows, weight, target sums) into `this.totals`, and its impurity (two passes,
   * so a constant node is exactly 0).
   */
  private measureNode(sample: Sample, start: number, end: number): number {
    const { rows, targets, weights } = sample;
    const k = this.outputs;
    const totals = this.totals;
    const sums = totals.sums;
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
    totals.rows = end - start;
    totals.weight = w;
    return impurity / (w * k);
  }

  /** Best split of a node into `this.choice`: over its histogram, or from its rows; false when none. */
  private findSplit(
    sample: Sample,
    start: number,
    end: number,
    hist: Float64Array | null,
    features: Int32Array,
    featureCount: number,
  ): boolean {
    const minLeaf = sample.params.minSamplesLeaf;
    if (hist) {
      const offsets = this.binned.offsets;
      return bestSplitInHistogram(
        hist,
        this.layout,
        offsets,
        features,
        featureCount,
        this.totals,
        minLeaf,
        this.choice,
        this.splitScratch,
      );
    }
    return bestSplitByFeature(
      this.binned,
      sample.rows,
      start,
      end,
      sample.targets,
      sample.weights,
      features,
      featureCount,
      this.totals,
      minLeaf,
      this.choice,
      this.rowScratch,
      this.splitScratch,
    );
  }

  /**
   * Records the chosen split of `node` and partitions its rows, stably: rows going left keep their
   * order, then the right ones. Returns where the right rows start.
   */
  private splitNode(
    node: number,
    leftId: number,
    rightId: number,
    rows: Int32Array,
    start: number,
    end: number,
  ): number {
    const { feature: f, leftBin, rightBin } = this.choice;
    const binned = this.binned;
    const off = binned.offsets[f] as number;
    const rightLow = binned.lo[off + rightBin] as number;
    const leftHigh = binned.hi[off + leftBin] as number;
    let threshold = leftHigh / 2 + rightLow / 2;
    // rounding: keep float32(left) <= threshold < float32(right)
    if (!(threshold >= leftHigh && threshold < rightLow)) threshold = leftHigh;
    this.nodes.setSplit(node, leftId, rightId, f, threshold, leftBin);
    const bins = binned.bins;
    const col = f * binned.rows;
    const right = this.rightRows;
    let nl = start;
    let nr = 0;
    for (let i = start; i < end; i++) {
      const r = rows[i] as number;
      if ((bins[col + r] as number) <= leftBin) rows[nl++] = r;
      else right[nr++] = r;
    }
    rows.set(right.subarray(0, nr), nl);
    return nl;
  }

  /**
   * Queues both children with their histograms. The larger child inherits the parent's histogram
   * minus the smaller child's rows (removed in place: p·m_small work, no pass over all bins); the
   * smaller child gets a fresh one only when it is big enough to pay for it. The left child is
   * pushed last, so it is grown first.
   */
  private pushChildren(
    pending: PendingNodes,
    sample: Sample,
    split: SplitRows,
    hist: Float64Array | null,
  ): void {
    const params = sample.params;
    const { leftId, rightId, start, mid, end, depth } = split;
    const nLeft = mid - start;
    const nRight = end - mid;
    const smallIsLeft = nLeft <= nRight;
    const nSmall = smallIsLeft ? nLeft : nRight;
    const nLarge = smallIsLeft ? nRight : nLeft;
    const smallStart = smallIsLeft ? start : mid;
    const smallEnd = smallIsLeft ? mid : end;
    const needLarge = hist !== null && canSplit(nLarge, depth + 1, params) && this.inheritPays(nLarge);
    const needSmall = canSplit(nSmall, depth + 1, params) && this.freshPays(nSmall);
    let small: Float64Array | null = null;
    let large: Float64Array | null = null;
    if (needSmall) {
      small = this.acquire();
      small.fill(0);
      this.addRowsOf(sample, small, smallStart, smallEnd, 1);
    }
    if (hist && needLarge) {
      // parent − small: one pass over all bins, or removing the small child's rows, whichever
      // touches fewer values.
      const len = this.layout.length;
      if (small && len < nSmall * this.featureCount * this.layout.stride) subtractHistogram(hist, small, len);
      else this.addRowsOf(sample, hist, smallStart, smallEnd, -1);
      large = hist;
    } else if (hist) this.release(hist);
    pending.push(rightId, mid, end, depth + 1, smallIsLeft ? large : small);
    pending.push(leftId, start, mid, depth + 1, smallIsLeft ? small : large);
  }

  /** Adds (1) or removes (-1) sample rows[start..end) to or from `hist`. */
  private addRowsOf(sample: Sample, hist: Float64Array, start: number, end: number, sign: 1 | -1): void {
    const { layout, binned, rowScratch } = this;
    addRows(hist, layout, binned, rowScratch, sample.rows, start, end, sample.targets, sample.weights, sign);
  }

  private acquire(): Float64Array {
    return this.histogramPool.pop() ?? new Float64Array(this.layout.length);
  }

  private release(h: Float64Array): void {
    this.histogramPool.push(h);
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
