import type { DenseMatrix } from '../matrix.js';
import type { FittedModel } from '../regressor.js';
import { checkInput, modelError } from './common.js';

/**
 * Several models on the same features whose outputs are placed side by side, in order.
 * kind 'multi_output' is scikit-learn's MultiOutputRegressor (one single-output model per output);
 * kind 'stacked_outputs' joins models with several outputs each (for example the legacy app's
 * white-ball pipeline, 5 outputs, and Powerball pipeline, 1 output).
 */
export class MultiOutputModel implements FittedModel {
  readonly kind: 'multi_output' | 'stacked_outputs';
  readonly nFeatures: number;
  readonly nOutputs: number;
  readonly models: readonly FittedModel[];

  /**
   * @throws PbiError (MODEL) when there are no models, their feature counts differ, or kind is
   *   'multi_output' and a model has more than one output.
   */
  constructor(models: readonly FittedModel[], kind: 'multi_output' | 'stacked_outputs' = 'multi_output') {
    const first = models[0];
    if (!first) throw modelError('a multi-output model needs at least one model');
    if (kind !== 'multi_output' && kind !== 'stacked_outputs')
      throw modelError(`bad multi-output kind ${String(kind)}`);
    let outs = 0;
    for (const m of models) {
      if (m.nFeatures !== first.nFeatures)
        throw modelError('all models of a multi-output model take the same features');
      if (kind === 'multi_output' && m.nOutputs !== 1) {
        throw modelError(`a multi_output model holds single-output models, got one with ${m.nOutputs}`);
      }
      outs += m.nOutputs;
    }
    this.kind = kind;
    this.models = Object.freeze([...models]);
    this.nFeatures = first.nFeatures;
    this.nOutputs = outs;
  }

  /** @throws ValidationError when `x` has the wrong number of columns. */
  predict(x: DenseMatrix): DenseMatrix {
    checkInput(x, this.nFeatures, 'multi-output model');
    const k = this.nOutputs;
    const out = new Float64Array(x.rows * k);
    let col = 0;
    for (const m of this.models) {
      const y = m.predict(x);
      const mk = y.cols;
      for (let r = 0; r < x.rows; r++) {
        for (let j = 0; j < mk; j++) out[r * k + col + j] = y.data[r * mk + j] as number;
      }
      col += mk;
    }
    return { rows: x.rows, cols: k, data: out };
  }
}
