import type { DenseMatrix } from '../matrix.js';
import type { FittedModel } from '../regressor.js';
import { checkCount, checkInput, modelError, toFloat64, toInt32 } from './common.js';

/** The child index of a leaf (scikit-learn's TREE_LEAF). */
export const TREE_LEAF = -1;

/** Constructor fields of {@link TreeModel}: scikit-learn's `tree_` arrays, one entry per node. */
export interface TreeModelInit {
  readonly nFeatures: number;
  readonly nOutputs: number;
  /** Left child of each node, or -1 at a leaf. */
  readonly childrenLeft: ArrayLike<number> | BigInt64Array;
  /** Right child of each node, or -1 at a leaf. */
  readonly childrenRight: ArrayLike<number> | BigInt64Array;
  /** Split feature of each internal node (anything, e.g. -2, at a leaf). */
  readonly feature: ArrayLike<number> | BigInt64Array;
  /** Split threshold: go left when `float32(x[feature]) <= threshold`. */
  readonly threshold: ArrayLike<number>;
  /** Row-major `nodeCount × nOutputs` node values (scikit-learn's `value[:, :, 0]`). */
  readonly value: ArrayLike<number>;
  /** Optional weighted sample count per node (`weighted_n_node_samples`), for feature importances. */
  readonly nodeWeight?: ArrayLike<number> | null;
  /** Optional impurity per node (`impurity`), for feature importances. */
  readonly impurity?: ArrayLike<number> | null;
}

/**
 * A fitted regression tree, single- or multi-output, in scikit-learn's array layout. Prediction
 * walks from node 0 and compares `Math.fround(x[f]) <= threshold[node]`: scikit-learn casts inputs
 * to float32 before comparing with its float64 thresholds, so this matches it exactly. Our own
 * learner bins the float32 values too, so its thresholds mean the same thing.
 */
export class TreeModel implements FittedModel {
  readonly kind = 'decision_tree' as const;
  readonly nFeatures: number;
  readonly nOutputs: number;
  readonly nodeCount: number;
  readonly childrenLeft: Int32Array;
  readonly childrenRight: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly value: Float64Array;
  readonly nodeWeight: Float64Array | null;
  readonly impurity: Float64Array | null;

  /**
   * Takes ownership of typed arrays of the right type (no copy).
   * @throws PbiError (MODEL) when the arrays are inconsistent: wrong lengths, a child that does not
   *   come after its parent (which also rules out cycles), a split on a feature out of range.
   */
  constructor(init: TreeModelInit) {
    this.nFeatures = checkCount(init.nFeatures, 'nFeatures');
    this.nOutputs = checkCount(init.nOutputs, 'nOutputs');
    this.childrenLeft = toInt32(init.childrenLeft, 'childrenLeft');
    const n = this.childrenLeft.length;
    if (n < 1) throw modelError('a tree needs at least one node');
    this.nodeCount = n;
    this.childrenRight = toInt32(init.childrenRight, 'childrenRight', n);
    this.feature = toInt32(init.feature, 'feature', n);
    this.threshold = toFloat64(init.threshold, 'threshold', n);
    this.value = toFloat64(init.value, 'value', n * this.nOutputs);
    this.nodeWeight = init.nodeWeight == null ? null : toFloat64(init.nodeWeight, 'nodeWeight', n);
    this.impurity = init.impurity == null ? null : toFloat64(init.impurity, 'impurity', n);
    for (let i = 0; i < n; i++) {
      const l = this.childrenLeft[i] as number;
      const r = this.childrenRight[i] as number;
      if (l === TREE_LEAF && r === TREE_LEAF) continue;
      if (l <= i || r <= i || l >= n || r >= n)
        throw modelError(`tree node ${i} has invalid children ${l}, ${r}`);
      const f = this.feature[i] as number;
      if (f < 0 || f >= this.nFeatures)
        throw modelError(`tree node ${i} splits on feature ${f} of ${this.nFeatures}`);
      if (Number.isNaN(this.threshold[i])) throw modelError(`tree node ${i} has a NaN threshold`);
    }
  }

  /** Number of leaves. */
  get leafCount(): number {
    let c = 0;
    for (let i = 0; i < this.nodeCount; i++) if (this.childrenLeft[i] === TREE_LEAF) c++;
    return c;
  }

  /** Depth of the deepest leaf (a single leaf has depth 0). */
  get depth(): number {
    const d = new Int32Array(this.nodeCount);
    let max = 0;
    for (let i = 0; i < this.nodeCount; i++) {
      const l = this.childrenLeft[i] as number;
      if (l === TREE_LEAF) continue;
      const di = (d[i] as number) + 1;
      d[l] = di;
      d[this.childrenRight[i] as number] = di;
      if (di > max) max = di;
    }
    return max;
  }

  /** The leaf reached by row `r` of a float32 copy of the inputs. */
  leafOf(xf: Float32Array, rowOffset: number): number {
    const cl = this.childrenLeft;
    const cr = this.childrenRight;
    const feat = this.feature;
    const thr = this.threshold;
    let node = 0;
    let left = cl[0] as number;
    while (left !== TREE_LEAF) {
      node =
        (xf[rowOffset + (feat[node] as number)] as number) <= (thr[node] as number)
          ? left
          : (cr[node] as number);
      left = cl[node] as number;
    }
    return node;
  }

  /**
   * Adds `scale × value(leaf)` of every row to `out` (row-major, `outCols` wide, from column
   * `outCol`). The shared inner loop of trees, forests and boosting.
   */
  accumulate(
    xf: Float32Array,
    rows: number,
    out: Float64Array,
    outCols: number,
    outCol: number,
    scale: number,
  ): void {
    const k = this.nOutputs;
    const p = this.nFeatures;
    const value = this.value;
    for (let r = 0; r < rows; r++) {
      const leaf = this.leafOf(xf, r * p);
      const o = r * outCols + outCol;
      const v = leaf * k;
      if (scale === 1)
        for (let j = 0; j < k; j++) out[o + j] = (out[o + j] as number) + (value[v + j] as number);
      else for (let j = 0; j < k; j++) out[o + j] = (out[o + j] as number) + scale * (value[v + j] as number);
    }
  }

  /** @throws ValidationError when `x` has the wrong number of columns. */
  predict(x: DenseMatrix): DenseMatrix {
    checkInput(x, this.nFeatures, 'decision tree');
    const xf = Float32Array.from(x.data);
    const out = new Float64Array(x.rows * this.nOutputs);
    const k = this.nOutputs;
    for (let r = 0; r < x.rows; r++) {
      const leaf = this.leafOf(xf, r * this.nFeatures);
      out.set(this.value.subarray(leaf * k, leaf * k + k), r * k);
    }
    return { rows: x.rows, cols: k, data: out };
  }
}
