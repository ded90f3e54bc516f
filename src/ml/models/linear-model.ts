import type { DenseMatrix } from '../matrix.js';
import type { FittedModel } from '../regressor.js';
import { checkCount, checkInput, modelError, toFloat64 } from './common.js';

/** Constructor fields of {@link LinearModel}. */
export interface LinearModelInit {
  /** Row-major coefficients, `nOutputs × nFeatures` (scikit-learn's `coef_`, 2-D). */
  readonly coef: ArrayLike<number>;
  /** One intercept per output (scikit-learn's `intercept_`; zeros when fit_intercept=False). */
  readonly intercept: ArrayLike<number>;
  readonly nFeatures: number;
  readonly nOutputs: number;
  /** 'ridge' / 'lasso' when trained by our ridge / lasso regressor; 'linear' for any other linear model. */
  readonly kind?: 'ridge' | 'lasso' | 'linear';
}

/** A fitted linear model: `y = x · coefᵀ + intercept`, every output at once. */
export class LinearModel implements FittedModel {
  readonly kind: 'ridge' | 'lasso' | 'linear';
  readonly nFeatures: number;
  readonly nOutputs: number;
  /** Row-major `nOutputs × nFeatures`. */
  readonly coef: Float64Array;
  readonly intercept: Float64Array;

  /** @throws PbiError (MODEL) when the arrays do not match the shape. */
  constructor(init: LinearModelInit) {
    this.kind = init.kind ?? 'linear';
    if (this.kind !== 'ridge' && this.kind !== 'lasso' && this.kind !== 'linear')
      throw modelError(`bad linear model kind ${String(init.kind)}`);
    this.nFeatures = checkCount(init.nFeatures, 'nFeatures', 0);
    this.nOutputs = checkCount(init.nOutputs, 'nOutputs');
    this.coef = toFloat64(init.coef, 'coef', this.nOutputs * this.nFeatures);
    this.intercept = toFloat64(init.intercept, 'intercept', this.nOutputs);
  }

  /** @throws ValidationError when `x` has the wrong number of columns. */
  predict(x: DenseMatrix): DenseMatrix {
    checkInput(x, this.nFeatures, 'linear model');
    const { rows } = x;
    const p = this.nFeatures;
    const k = this.nOutputs;
    const out = new Float64Array(rows * k);
    const xd = x.data;
    const coef = this.coef;
    for (let r = 0; r < rows; r++) {
      const xo = r * p;
      for (let o = 0; o < k; o++) {
        const co = o * p;
        let s = 0;
        for (let j = 0; j < p; j++) s += (xd[xo + j] as number) * (coef[co + j] as number);
        out[r * k + o] = s + (this.intercept[o] as number);
      }
    }
    return { rows, cols: k, data: out };
  }
}
