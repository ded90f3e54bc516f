import type { DenseMatrix } from '../matrix.js';
import type { FittedModel } from '../regressor.js';
import { checkCount, checkInput, modelError, toFloat64 } from './common.js';
import type { TreeModel } from './tree-model.js';

/** Constructor fields of {@link BoostingModel}. */
export interface BoostingModelInit {
  readonly nFeatures: number;
  readonly nOutputs: number;
  /** The initial prediction of each output (scikit-learn: `init_.predict`, the training mean). */
  readonly init: ArrayLike<number>;
  readonly learningRate: number;
  /**
   * `stages[s]` is the list of trees of stage s; their outputs, concatenated in order, cover the
   * `nOutputs` outputs. scikit-learn's GradientBoostingRegressor has one single-output tree per stage
   * (`estimators_[s][0]`); our learner has one single-output tree per output per stage.
   */
  readonly stages: readonly (readonly TreeModel[])[];
}

/**
 * Gradient-boosted trees for squared error: `init + learningRate × Σ stage trees`, accumulated stage
 * by stage in order (as scikit-learn's `predict_stages`), so converted models agree exactly.
 */
export class BoostingModel implements FittedModel {
  readonly kind = 'gradient_boosting' as const;
  readonly nFeatures: number;
  readonly nOutputs: number;
  readonly init: Float64Array;
  readonly learningRate: number;
  readonly stages: readonly (readonly TreeModel[])[];

  /** @throws PbiError (MODEL) when a stage's trees do not cover the outputs or shapes differ. */
  constructor(init: BoostingModelInit) {
    this.nFeatures = checkCount(init.nFeatures, 'nFeatures');
    this.nOutputs = checkCount(init.nOutputs, 'nOutputs');
    this.init = toFloat64(init.init, 'init', this.nOutputs);
    if (!Number.isFinite(init.learningRate))
      throw modelError(`learningRate must be finite, got ${init.learningRate}`);
    this.learningRate = init.learningRate;
    init.stages.forEach((stage, s) => {
      let outs = 0;
      for (const t of stage) {
        if (t.kind !== 'decision_tree')
          throw modelError(`boosting stage ${s} holds a ${String(t.kind)}, not a tree`);
        if (t.nFeatures !== this.nFeatures)
          throw modelError(`boosting stage ${s}: tree has ${t.nFeatures} features`);
        outs += t.nOutputs;
      }
      if (outs !== this.nOutputs)
        throw modelError(`boosting stage ${s} covers ${outs} outputs, expected ${this.nOutputs}`);
    });
    this.stages = Object.freeze(init.stages.map((s) => Object.freeze([...s])));
  }

  /** @throws ValidationError when `x` has the wrong number of columns. */
  predict(x: DenseMatrix): DenseMatrix {
    checkInput(x, this.nFeatures, 'gradient boosting');
    const xf = Float32Array.from(x.data);
    const k = this.nOutputs;
    const out = new Float64Array(x.rows * k);
    for (let r = 0; r < x.rows; r++) out.set(this.init, r * k);
    for (const stage of this.stages) {
      let col = 0;
      for (const t of stage) {
        t.accumulate(xf, x.rows, out, k, col, this.learningRate);
        col += t.nOutputs;
      }
    }
    return { rows: x.rows, cols: k, data: out };
  }
}
