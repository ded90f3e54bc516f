import type { DenseMatrix } from '../matrix.js';
import type { FittedModel } from '../regressor.js';
import { checkInput, modelError } from './common.js';

/**
 * A scikit-learn Pipeline: each step's outputs are the next step's inputs (transformers such as
 * {@link StandardScaler} have as many outputs as features), the last step is the model.
 */
export class PipelineModel implements FittedModel {
  readonly kind = 'pipeline' as const;
  readonly nFeatures: number;
  readonly nOutputs: number;
  readonly steps: readonly FittedModel[];

  /** @throws PbiError (MODEL) when there are no steps or one step's outputs do not feed the next. */
  constructor(steps: readonly FittedModel[]) {
    const first = steps[0];
    const last = steps[steps.length - 1];
    if (!first || !last) throw modelError('a pipeline needs at least one step');
    for (let i = 1; i < steps.length; i++) {
      const prev = steps[i - 1] as FittedModel;
      const cur = steps[i] as FittedModel;
      if (prev.nOutputs !== cur.nFeatures) {
        throw modelError(
          `pipeline step ${i - 1} gives ${prev.nOutputs} values, step ${i} expects ${cur.nFeatures}`,
        );
      }
    }
    this.steps = Object.freeze([...steps]);
    this.nFeatures = first.nFeatures;
    this.nOutputs = last.nOutputs;
  }

  /** @throws ValidationError when `x` has the wrong number of columns. */
  predict(x: DenseMatrix): DenseMatrix {
    checkInput(x, this.nFeatures, 'pipeline');
    let cur = x;
    for (const s of this.steps) cur = s.predict(cur);
    return cur;
  }
}
