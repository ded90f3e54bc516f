/**
 * Ridge regression, closed form, as scikit-learn's `Ridge(alpha, fit_intercept=True)` with its
 * default solver on dense data: X and y are centred (centring.ts: scikit-learn does not scale
 * features for Ridge), then (XᵀX + αI) w = Xᵀy is solved by Cholesky (the kernel form X Xᵀ when there are more
 * features than rows), and the intercept is ȳ − x̄·w. All outputs are solved at once. The Cholesky
 * solve is hand-written on typed arrays rather than ml-matrix's (same results, see choleskySolve).
 */
import { PbiError, ValidationError } from '../domain/errors.js';
import { centredRows, columnMeans, subtractRow } from './centring.js';
import { addGram } from './dot-blocks.js';
import { checkFitInput, numberParam } from './fit-input.js';
import { denseMatrix, type DenseMatrix } from './matrix.js';
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
    numberParam('alpha', p.alpha, { min: 0, max: 1e15 });
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
    const { xc, yc, xMean, yMean } = centredRows(x, y, n, fitIntercept);
    options.onProgress?.(0.1);
    const coef = p <= n ? solvePrimal(xc, yc, n, p, k, alpha) : solveKernel(xc, yc, n, p, k, alpha);
    options.onProgress?.(1);
    return ridgeModel(coef, xMean, yMean, p, k);
  }

  /**
   * The models {@link fit} gives on each prefix, rows `0 .. end-1`, for ascending `ends`, one at a
   * time (see Regressor.fitPrefixes). Why: time-series CV trains on nested prefixes, so each
   * prefix's XᵀX is the previous prefix's plus the new rows' — one pass over the rows instead of
   * one per fold, then a centring correction and a Cholesky solve per prefix. The models equal
   * `fit`'s up to rounding. Prefixes with fewer rows than features (the kernel form) use `fit`.
   * @throws ValidationError / InsufficientDataError for bad inputs or ends (see checkFitInput).
   * @throws PbiError (MODEL) when a system is singular (alpha 0 with collinear features), on the
   * prefix that is.
   */
  fitPrefixes(
    x: DenseMatrix,
    y: DenseMatrix,
    ends: readonly number[],
    options: FitOptions,
  ): Iterable<LinearModel> {
    checkFitInput(x, y, 1);
    ends.forEach((end, i) => {
      if (!Number.isInteger(end) || end < 1 || end > x.rows || (i > 0 && end < (ends[i - 1] as number))) {
        throw new ValidationError(
          `prefix ends must be ascending row counts in 1..${x.rows}, got ${String(end)}`,
          [{ where: `ends[${i}]`, reason: 'not ascending or out of range' }],
        );
      }
    });
    return this.prefixModels(x, y, ends, options);
  }

  private *prefixModels(
    x: DenseMatrix,
    y: DenseMatrix,
    ends: readonly number[],
    options: FitOptions,
  ): Generator<LinearModel> {
    let sums: ShiftedSums | null = null;
    for (const [i, end] of ends.entries()) {
      let model: LinearModel;
      if (end < x.cols) {
        const prefix = (m: DenseMatrix): DenseMatrix =>
          denseMatrix(end, m.cols, m.data.subarray(0, end * m.cols));
        model = this.fit(prefix(x), prefix(y), { seed: options.seed });
      } else {
        sums ??= new ShiftedSums(x, y, this.params.fitIntercept ? end : 0);
        sums.addRowsUpTo(end);
        model = sums.solve(this.params.alpha, this.params.fitIntercept);
      }
      options.onProgress?.((i + 1) / ends.length);
      yield model;
    }
  }
}

/**
 * Running sums over rows 0 .. rows-1 of x and y, each row shifted by a fixed vector: XᵀX, XᵀY and
 * the column sums, from which the centred ridge system of that prefix follows. Centring from sums
 * (XᵀX − n·x̄x̄ᵀ) cancels badly when a column's mean is large against its spread (up to 80× on
 * the real matrix); the shift, the means of the first rows, keeps the cancellation small, and a
 * constant shift leaves the centred system unchanged.
 */
class ShiftedSums {
  private readonly p: number;
  private readonly k: number;
  private readonly xShift: Float64Array;
  private readonly yShift: Float64Array;
  private readonly gram: Float64Array;
  private readonly xty: Float64Array;
  private readonly xSum: Float64Array;
  private readonly ySum: Float64Array;
  private rows = 0;

  /** Shifts by the means of the first `shiftRows` rows (no shift when 0). */
  constructor(
    private readonly x: DenseMatrix,
    private readonly y: DenseMatrix,
    shiftRows: number,
  ) {
    this.p = x.cols;
    this.k = y.cols;
    this.xShift = new Float64Array(this.p);
    this.yShift = new Float64Array(this.k);
    if (shiftRows > 0) {
      columnMeans(x.data, shiftRows, this.p, this.xShift);
      columnMeans(y.data, shiftRows, this.k, this.yShift);
    }
    this.gram = new Float64Array(this.p * this.p);
    this.xty = new Float64Array(this.p * this.k);
    this.xSum = new Float64Array(this.p);
    this.ySum = new Float64Array(this.k);
  }

  addRowsUpTo(end: number): void {
    const { p, k, rows } = this;
    if (end <= rows) return;
    const m = end - rows;
    const xb = this.x.data.slice(rows * p, end * p);
    const yb = this.y.data.slice(rows * k, end * k);
    subtractRow(xb, m, p, this.xShift);
    subtractRow(yb, m, k, this.yShift);
    addColumnSums(xb, m, p, this.xSum);
    addColumnSums(yb, m, k, this.ySum);
    const cols = columnMajor(xb, m, p);
    addGram(cols, p, m, this.gram);
    addXty(cols, yb, m, p, k, this.xty);
    this.rows = end;
  }

  /** The ridge model of the rows added so far: (XcᵀXc + αI) W = XcᵀYc with Xc = X − x̄. */
  solve(alpha: number, fitIntercept: boolean): LinearModel {
    const { p, k, rows: n } = this;
    const a = new Float64Array(this.gram);
    const b = new Float64Array(this.xty);
    const xMean = new Float64Array(p);
    const yMean = new Float64Array(k);
    if (fitIntercept) {
      // Means of the shifted rows; XcᵀXc = XᵀX − n·x̄x̄ᵀ and XcᵀYc = XᵀY − n·x̄ȳᵀ.
      for (let j = 0; j < p; j++) xMean[j] = (this.xSum[j] as number) / n;
      for (let o = 0; o < k; o++) yMean[o] = (this.ySum[o] as number) / n;
      for (let r = 0; r < p; r++) {
        const sr = this.xSum[r] as number;
        for (let j = 0; j <= r; j++) a[r * p + j] = (a[r * p + j] as number) - sr * (xMean[j] as number);
        for (let o = 0; o < k; o++) b[r * k + o] = (b[r * k + o] as number) - sr * (yMean[o] as number);
      }
      for (let j = 0; j < p; j++) xMean[j] = (xMean[j] as number) + (this.xShift[j] as number);
      for (let o = 0; o < k; o++) yMean[o] = (yMean[o] as number) + (this.yShift[o] as number);
    }
    for (let j = 0; j < p; j++) a[j * p + j] = (a[j * p + j] as number) + alpha;
    return ridgeModel(transposedSolve(a, b, p, k), xMean, yMean, p, k);
  }
}

/** The fitted model; the intercept is ȳ − x̄·w (zero means when there is no intercept). */
export function ridgeModel(
  coef: Float64Array,
  xMean: Float64Array,
  yMean: Float64Array,
  p: number,
  k: number,
): LinearModel {
  const intercept = new Float64Array(k);
  for (let o = 0; o < k; o++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += (xMean[j] as number) * (coef[o * p + j] as number);
    intercept[o] = (yMean[o] as number) - s;
  }
  return new LinearModel({ kind: 'ridge', nFeatures: p, nOutputs: k, coef, intercept });
}

function addColumnSums(d: Float64Array, n: number, p: number, out: Float64Array): void {
  for (let r = 0; r < n; r++)
    for (let j = 0; j < p; j++) out[j] = (out[j] as number) + (d[r * p + j] as number);
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
    let j = 0;
    // Four entries of row i at a time, so each load of row i serves four products (one running
    // sum is bound by add latency). Each entry still subtracts its terms in order q = 0, 1, …, so
    // L is bit-for-bit the one-entry loop's below.
    for (; j + 4 <= i; j += 4) {
      const r0 = j * p;
      const r1 = r0 + p;
      const r2 = r1 + p;
      const r3 = r2 + p;
      let s0 = a[ri + j] as number;
      let s1 = a[ri + j + 1] as number;
      let s2 = a[ri + j + 2] as number;
      let s3 = a[ri + j + 3] as number;
      for (let q = 0; q < j; q++) {
        const v = l[ri + q] as number;
        s0 -= v * (l[r0 + q] as number);
        s1 -= v * (l[r1 + q] as number);
        s2 -= v * (l[r2 + q] as number);
        s3 -= v * (l[r3 + q] as number);
      }
      const l0 = s0 / (l[r0 + j] as number);
      s1 -= l0 * (l[r1 + j] as number);
      const l1 = s1 / (l[r1 + j + 1] as number);
      s2 -= l0 * (l[r2 + j] as number);
      s2 -= l1 * (l[r2 + j + 1] as number);
      const l2 = s2 / (l[r2 + j + 2] as number);
      s3 -= l0 * (l[r3 + j] as number);
      s3 -= l1 * (l[r3 + j + 1] as number);
      s3 -= l2 * (l[r3 + j + 2] as number);
      l[ri + j] = l0;
      l[ri + j + 1] = l1;
      l[ri + j + 2] = l2;
      l[ri + j + 3] = s3 / (l[r3 + j + 3] as number);
    }
    for (; j <= i; j++) {
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
  const cols = columnMajor(xc, n, p);
  const a = new Float64Array(p * p);
  addGram(cols, p, n, a);
  for (let j = 0; j < p; j++) a[j * p + j] = (a[j * p + j] as number) + alpha;
  const b = new Float64Array(p * k);
  addXty(cols, yc, n, p, k, b);
  return transposedSolve(a, b, p, k);
}

/** Column-major copy of an n × p row-major matrix: column j is `j*n .. j*n+n-1`. */
export function columnMajor(d: Float64Array, n: number, p: number): Float64Array {
  const cols = new Float64Array(n * p);
  for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) cols[j * n + r] = d[r * p + j] as number;
  return cols;
}

/** Adds XᵀY (p × k row-major) of the n rows of X held column-major in `cols` and Y (n × k) to `b`. */
export function addXty(
  cols: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  k: number,
  b: Float64Array,
): void {
  for (let i = 0; i < p; i++) {
    const ci = i * n;
    for (let o = 0; o < k; o++) {
      let s0 = 0;
      for (let r = 0; r < n; r++) s0 += (cols[ci + r] as number) * (y[r * k + o] as number);
      b[i * k + o] = (b[i * k + o] as number) + s0;
    }
  }
}

/** Solves A W = B (A = XᵀX + αI, p × p; B p × k) and returns Wᵀ, the coef row-major k × p. */
function transposedSolve(a: Float64Array, b: Float64Array, p: number, k: number): Float64Array {
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
  addGram(xc, n, p, a);
  for (let r = 0; r < n; r++) a[r * n + r] = (a[r * n + r] as number) + alpha;
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
