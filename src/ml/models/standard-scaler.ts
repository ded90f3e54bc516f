import type { DenseMatrix } from '../matrix.js';
import type { FittedModel } from '../regressor.js';
import { checkCount, checkInput, modelError, toFloat64 } from './common.js';

/** Constructor fields of {@link StandardScaler}. */
export interface StandardScalerInit {
  readonly nFeatures: number;
  /** Per-feature mean (scikit-learn `mean_`), or null when with_mean=False. */
  readonly mean: ArrayLike<number> | null;
  /**
   * Per-feature scale (scikit-learn `scale_`, where zero variances are already replaced by 1), or
   * null when with_std=False.
   */
  readonly scale: ArrayLike<number> | null;
}

/**
 * A fitted standard scaler, as scikit-learn's: `(x - mean) / scale`, computed in that order in
 * float64 so converted pipelines give the same numbers. As a `FittedModel` its "outputs" are the
 * transformed features (nOutputs = nFeatures), so it composes inside a {@link PipelineModel}.
 */
export class StandardScaler implements FittedModel {
  readonly kind = 'standard_scaler' as const;
  readonly nFeatures: number;
  readonly nOutputs: number;
  readonly mean: Float64Array | null;
  readonly scale: Float64Array | null;

  /** @throws PbiError (MODEL) when an array has the wrong length or a scale is zero. */
  constructor(init: StandardScalerInit) {
    this.nFeatures = checkCount(init.nFeatures, 'nFeatures');
    this.nOutputs = this.nFeatures;
    this.mean = init.mean === null ? null : toFloat64(init.mean, 'mean', this.nFeatures);
    this.scale = init.scale === null ? null : toFloat64(init.scale, 'scale', this.nFeatures);
    if (this.scale?.some((s) => s === 0 || !Number.isFinite(s)))
      throw modelError('scale has a zero or non-finite value');
  }

  /** Same as {@link predict}. */
  transform(x: DenseMatrix): DenseMatrix {
    return this.predict(x);
  }

  /** @throws ValidationError when `x` has the wrong number of columns. */
  predict(x: DenseMatrix): DenseMatrix {
    checkInput(x, this.nFeatures, 'standard scaler');
    const p = this.nFeatures;
    const out = new Float64Array(x.data);
    const { mean, scale } = this;
    for (let r = 0; r < x.rows; r++) {
      const o = r * p;
      for (let j = 0; j < p; j++) {
        let v = out[o + j] as number;
        if (mean) v -= mean[j] as number;
        if (scale) v /= scale[j] as number;
        out[o + j] = v;
      }
    }
    return { rows: x.rows, cols: p, data: out };
  }
}
