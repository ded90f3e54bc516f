import type { DenseMatrix } from '../matrix.js';
import type { FittedModel } from '../regressor.js';
import { checkInput, modelError } from './common.js';
import type { TreeModel } from './tree-model.js';

/**
 * A random forest: the mean of its trees' predictions. Sums tree by tree in order, then divides,
 * as scikit-learn's RandomForestRegressor.predict does, so converted forests agree to rounding.
 */
export class ForestModel implements FittedModel {
  readonly kind = 'random_forest' as const;
  readonly nFeatures: number;
  readonly nOutputs: number;
  readonly trees: readonly TreeModel[];

  /** @throws PbiError (MODEL) when there are no trees or their shapes differ. */
  constructor(trees: readonly TreeModel[]) {
    const first = trees[0];
    if (!first) throw modelError('a forest needs at least one tree');
    for (const t of trees) {
      if (t.kind !== 'decision_tree')
        throw modelError(`a forest holds decision trees, got ${String(t.kind)}`);
      if (t.nFeatures !== first.nFeatures || t.nOutputs !== first.nOutputs) {
        throw modelError('all trees of a forest must have the same numbers of features and outputs');
      }
    }
    this.trees = Object.freeze([...trees]);
    this.nFeatures = first.nFeatures;
    this.nOutputs = first.nOutputs;
  }

  /** @throws ValidationError when `x` has the wrong number of columns. */
  predict(x: DenseMatrix): DenseMatrix {
    checkInput(x, this.nFeatures, 'random forest');
    const xf = Float32Array.from(x.data);
    const k = this.nOutputs;
    const out = new Float64Array(x.rows * k);
    for (const t of this.trees) t.accumulate(xf, x.rows, out, k, 0, 1);
    const n = this.trees.length;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / n;
    return { rows: x.rows, cols: k, data: out };
  }
}
