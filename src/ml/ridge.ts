/**
 * Ridge regression, closed form, as scikit-learn's `Ridge(alpha, fit_intercept=True)` with its
 * default solver on dense data: X and y are centred (scikit-learn does not scale features for
 * Ridge), then (XᵀX + αI) w = Xᵀy is solved by Cholesky (the kernel form X Xᵀ when there are more
 * features than rows), and the intercept is ȳ − x̄·w. All outputs are solved at once.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { PbiError } from '../domain/errors.js';
import { checkFitInput, numberParam } from './fit-input.js';
import type { DenseMatrix } from './matrix.js';
import { LinearModel } from './models/linear-model.js';
import type { FitOptions, Regressor } from './regressor.js';

/** Hyperparameters of {@link RidgeRegressor}. */
export interface RidgeParams {
  /** L2 penalty (scikit-learn `alpha`), default 1.0. */
  readonly alpha: number;
  /** Fit an intercept by centring (default true). */
  readonly fitIntercept: boolean;
}

export const RIDGE_DEFAULTS: RidgeParams = Object.freeze({ alpha: 1.0, fitIntercept: true });

/** Ridge regression behind the `Regressor` seam. */
export class RidgeRegressor implements Regressor {
  readonly kind = 'ridge' as const;
  readonly params: Readonly<RidgeParams>;

  /** @throws ValidationError for a negative or non-finite alpha. */
  constructor(params: Partial<RidgeParams> = {}) {
    const p = { ...RIDGE_DEFAULTS, ...params };
    numberParam('alpha', p.alpha, { min: 0 });
    if (typeof p.fitIntercept !== 'boolean') numberParam('fitIntercept', p.fitIntercept, { min: 0, max: 1 });
    this.params = Object.freeze(p);
  }

  /**
   * @throws ValidationError / InsufficientDataError for bad inputs (see checkFitInput).
   * @throws PbiError (MODEL) when the system is singular (alpha 0 with collinear features).
   */
  fit(x: DenseMatrix, y: DenseMatrix, options: FitOptions): LinearModel {
    checkFitInput(x, y, 1);
    const n = x.rows;
    const p = x.cols;
    const k = y.cols;
    const { alpha, fitIntercept } = this.params;
    // Centre copies (inputs are never mutated).
    const xMean = new Float64Array(p);
    const yMean = new Float64Array(k);
    const xc = new Float64Array(x.data);
    const yc = new Float64Array(y.data);
    if (fitIntercept) {
      columnMeans(xc, n, p, xMean);
      columnMeans(yc, n, k, yMean);
      subtractRow(xc, n, p, xMean);
      subtractRow(yc, n, k, yMean);
    }
    options.onProgress?.(0.1);
    const coef = p <= n ? solvePrimal(xc, yc, n, p, k, alpha) : solveKernel(xc, yc, n, p, k, alpha);
    const intercept = new Float64Array(k);
    if (fitIntercept) {
      for (let o = 0; o < k; o++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += (xMean[j] as number) * (coef[o * p + j] as number);
        intercept[o] = (yMean[o] as number) - s;
      }
    }
    options.onProgress?.(1);
    return new LinearModel({ kind: 'ridge', nFeatures: p, nOutputs: k, coef, intercept });
  }
}

function columnMeans(d: Float64Array, n: number, p: number, out: Float64Array): void {
  for (let r = 0; r < n; r++)
    for (let j = 0; j < p; j++) out[j] = (out[j] as number) + (d[r * p + j] as number);
  for (let j = 0; j < p; j++) out[j] = (out[j] as number) / n;
}

function subtractRow(d: Float64Array, n: number, p: number, v: Float64Array): void {
  for (let r = 0; r < n; r++)
    for (let j = 0; j < p; j++) d[r * p + j] = (d[r * p + j] as number) - (v[j] as number);
}

function cholesky(a: Matrix, what: string): CholeskyDecomposition {
  const chol = new CholeskyDecomposition(a);
  if (!chol.isPositiveDefinite()) {
    throw new PbiError('MODEL', `ridge: ${what} is singular; use alpha > 0`);
  }
  return chol;
}

/** (XᵀX + αI) W = XᵀY, W is p × k; returns coef row-major k × p. */
function solvePrimal(
  xc: Float64Array,
  yc: Float64Array,
  n: number,
  p: number,
  k: number,
  alpha: number,
): Float64Array {
  // Column-major copy: each Gram entry is then a dot product of two contiguous columns, summed in
  // registers (four partial sums) instead of read-modify-writing a p × p matrix for every row.
  const cols = new Float64Array(n * p);
  for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) cols[j * n + r] = xc[r * p + j] as number;
  const a = new Matrix(p, p);
  for (let i = 0; i < p; i++) {
    const ci = i * n;
    for (let j = i; j < p; j++) {
      const cj = j * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let r = 0;
      for (; r + 3 < n; r += 4) {
        s0 += (cols[ci + r] as number) * (cols[cj + r] as number);
        s1 += (cols[ci + r + 1] as number) * (cols[cj + r + 1] as number);
        s2 += (cols[ci + r + 2] as number) * (cols[cj + r + 2] as number);
        s3 += (cols[ci + r + 3] as number) * (cols[cj + r + 3] as number);
      }
      for (; r < n; r++) s0 += (cols[ci + r] as number) * (cols[cj + r] as number);
      const g = s0 + s1 + (s2 + s3);
      if (i === j) a.set(i, i, g + alpha);
      else {
        a.set(i, j, g);
        a.set(j, i, g);
      }
    }
  }
  const b = new Matrix(p, k);
  for (let i = 0; i < p; i++) {
    const ci = i * n;
    for (let o = 0; o < k; o++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += (cols[ci + r] as number) * (yc[r * k + o] as number);
      b.set(i, o, s);
    }
  }
  const w = cholesky(a, 'XᵀX').solve(b);
  const coef = new Float64Array(k * p);
  for (let o = 0; o < k; o++) for (let j = 0; j < p; j++) coef[o * p + j] = w.get(j, o);
  return coef;
}

/** More features than rows: W = Xᵀ (XXᵀ + αI)⁻¹ Y. */
function solveKernel(
  xc: Float64Array,
  yc: Float64Array,
  n: number,
  p: number,
  k: number,
  alpha: number,
): Float64Array {
  const a = new Matrix(n, n);
  for (let r = 0; r < n; r++) {
    for (let s = r; s < n; s++) {
      let d = 0;
      for (let j = 0; j < p; j++) d += (xc[r * p + j] as number) * (xc[s * p + j] as number);
      a.set(r, s, d + (r === s ? alpha : 0));
      a.set(s, r, d + (r === s ? alpha : 0));
    }
  }
  const b = new Matrix(n, k);
  for (let r = 0; r < n; r++) for (let o = 0; o < k; o++) b.set(r, o, yc[r * k + o] as number);
  const dual = cholesky(a, 'XXᵀ').solve(b);
  const coef = new Float64Array(k * p);
  for (let o = 0; o < k; o++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += (xc[r * p + j] as number) * dual.get(r, o);
      coef[o * p + j] = s;
    }
  }
  return coef;
}
