/**
 * Ridge regression, closed form, as scikit-learn's `Ridge(alpha, fit_intercept=True)` with its
 * default solver on dense data: X and y are centred (scikit-learn does not scale features for
 * Ridge), then (XᵀX + αI) w = Xᵀy is solved by Cholesky (the kernel form X Xᵀ when there are more
 * features than rows), and the intercept is ȳ − x̄·w. All outputs are solved at once. The Cholesky
 * solve is hand-written on typed arrays rather than ml-matrix's (same results, see choleskySolve).
 */
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

/**
 * Solves the symmetric positive definite system A X = B in place of nothing: A (p × p, row-major,
 * only the lower triangle read) is factored as L Lᵀ (Cholesky–Banachiewicz: each entry is a dot
 * product of two contiguous row prefixes), then two triangular solves per right-hand side.
 * Hand-written on typed arrays: ml-matrix's CholeskyDecomposition gives the same numbers but, with
 * its per-element accessors, took 150–230 ms for p = 434, longer than all the rest of a fold.
 * @throws PbiError (MODEL) when A is not positive definite.
 */
function choleskySolve(a: Float64Array, p: number, b: Float64Array, k: number, what: string): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    const ri = i * p;
    for (let j = 0; j <= i; j++) {
      const rj = j * p;
      let s = a[ri + j] as number;
      for (let q = 0; q < j; q++) s -= (l[ri + q] as number) * (l[rj + q] as number);
      if (i === j) {
        if (!(s > 0)) throw new PbiError('MODEL', `ridge: ${what} is singular; use alpha > 0`);
        l[ri + i] = Math.sqrt(s);
      } else l[ri + j] = s / (l[rj + j] as number);
    }
  }
  // b is p × k row-major; solve L z = b, then Lᵀ x = z, column by column.
  const x = new Float64Array(p * k);
  const z = new Float64Array(p);
  for (let o = 0; o < k; o++) {
    for (let i = 0; i < p; i++) {
      let s = b[i * k + o] as number;
      const ri = i * p;
      for (let q = 0; q < i; q++) s -= (l[ri + q] as number) * (z[q] as number);
      z[i] = s / (l[ri + i] as number);
    }
    for (let i = p - 1; i >= 0; i--) {
      let s = z[i] as number;
      for (let q = i + 1; q < p; q++) s -= (l[q * p + i] as number) * (x[q * k + o] as number);
      x[i * k + o] = s / (l[i * p + i] as number);
    }
  }
  return x;
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
  // Column-major copy: each Gram entry is then a dot product of two contiguous columns, four
  // entries at a time so each load of column i serves four products.
  const cols = new Float64Array(n * p);
  for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) cols[j * n + r] = xc[r * p + j] as number;
  const a = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    const ci = i * n;
    let j = 0;
    for (; j + 3 <= i; j += 4) {
      const c0 = j * n;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = 0; r < n; r++) {
        const v = cols[ci + r] as number;
        s0 += v * (cols[c0 + r] as number);
        s1 += v * (cols[c1 + r] as number);
        s2 += v * (cols[c2 + r] as number);
        s3 += v * (cols[c3 + r] as number);
      }
      a[i * p + j] = s0;
      a[i * p + j + 1] = s1;
      a[i * p + j + 2] = s2;
      a[i * p + j + 3] = s3;
    }
    for (; j <= i; j++) {
      const cj = j * n;
      let s0 = 0;
      for (let r = 0; r < n; r++) s0 += (cols[ci + r] as number) * (cols[cj + r] as number);
      a[i * p + j] = s0;
    }
    a[i * p + i] = (a[i * p + i] as number) + alpha;
  }
  const b = new Float64Array(p * k);
  for (let i = 0; i < p; i++) {
    const ci = i * n;
    for (let o = 0; o < k; o++) {
      let s0 = 0;
      for (let r = 0; r < n; r++) s0 += (cols[ci + r] as number) * (yc[r * k + o] as number);
      b[i * k + o] = s0;
    }
  }
  const w = choleskySolve(a, p, b, k, 'XᵀX');
  const coef = new Float64Array(k * p);
  for (let o = 0; o < k; o++) for (let j = 0; j < p; j++) coef[o * p + j] = w[j * k + o] as number;
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
  const a = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let s2 = 0; s2 <= r; s2++) {
      let d = 0;
      for (let j = 0; j < p; j++) d += (xc[r * p + j] as number) * (xc[s2 * p + j] as number);
      a[r * n + s2] = d + (r === s2 ? alpha : 0);
    }
  }
  const dual = choleskySolve(a, n, yc, k, 'XXᵀ');
  const coef = new Float64Array(k * p);
  for (let o = 0; o < k; o++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += (xc[r * p + j] as number) * (dual[r * k + o] as number);
      coef[o * p + j] = s;
    }
  }
  return coef;
}
