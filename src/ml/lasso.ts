/**
 * Lasso regression as scikit-learn's `Lasso(alpha, fit_intercept=True, max_iter=1000, tol=1e-4,
 * selection='cyclic')`: cyclic coordinate descent on (1/(2n))‖y − Xw‖² + α‖w‖₁ over centred X and
 * y, from w = 0, stopped by scikit-learn's duality-gap rule (`enet_coordinate_descent` in
 * `_cd_fast.pyx`), so it makes the same passes and reports the same `n_iter_` and `dual_gap_`.
 * A 2-D y is fitted one output at a time, independently, as scikit-learn does.
 *
 * Hand-written on typed arrays because no maintained npm package does scikit-learn-compatible
 * coordinate descent (same objective scaling, cyclic order, stopping rule and iteration count).
 * Column norms are computed once; each coordinate's correlation with the residual comes from Gram
 * columns computed when first needed (glmnet's covariance updates: O(p) per moved coefficient,
 * O(1) per coefficient that stays zero), or, past a memory budget, from a residual vector kept up
 * to date as scikit-learn does. Both give scikit-learn's iterates up to rounding: the tests hold
 * coefficients, pass counts and CV MAE to scikit-learn's on the real feature matrix.
 */
import { ValidationError } from '../domain/errors.js';
import { columnMeans } from './centring.js';
import { checkFitInput, numberParam } from './fit-input.js';
import type { DenseMatrix } from './matrix.js';
import { LinearModel } from './models/linear-model.js';
import type { FitOptions, Regressor } from './regressor.js';

/** Hyperparameters of {@link LassoRegressor}, scikit-learn's names in camelCase. */
export interface LassoParams {
  /** L1 penalty (scikit-learn `alpha`), default 1.0. */
  readonly alpha: number;
  /** Fit an intercept by centring (default true). */
  readonly fitIntercept: boolean;
  /** Most passes over the features per output (scikit-learn `max_iter`), default 1000. */
  readonly maxIter: number;
  /** Stopping tolerance on the duality gap, relative to ‖y‖² (scikit-learn `tol`), default 1e-4. */
  readonly tol: number;
}

export const LASSO_DEFAULTS: LassoParams = Object.freeze({
  alpha: 1.0,
  fitIntercept: true,
  maxIter: 1000,
  tol: 1e-4,
});

/** What one output's coordinate descent did (scikit-learn's `n_iter_` and `dual_gap_`). */
export interface LassoOutputReport {
  /** Passes over the features, as scikit-learn counts them (1 ..= maxIter). */
  readonly nIter: number;
  /** The duality gap when it stopped, of (1/(2n))‖y − Xw‖² + α‖w‖₁ (scikit-learn's `dual_gap_`). */
  readonly dualGap: number;
  /** False when maxIter passes ended with the gap still above tolerance (scikit-learn warns). */
  readonly converged: boolean;
}

/** A fitted model together with the per-output solver report. */
export interface LassoFit {
  readonly model: LinearModel;
  readonly outputs: readonly LassoOutputReport[];
}

/** Lasso regression behind the `Regressor` seam. */
export class LassoRegressor implements Regressor {
  readonly kind = 'lasso' as const;
  readonly params: Readonly<LassoParams>;
  private readonly gramBudgetBytes: number;

  /**
   * @param solver `gramBudgetBytes`: memory the solver may give the Gram matrix XᵀX (default 32 MB,
   *   up to 2,048 features); above it every pass works on the residual, scikit-learn's way (slower,
   *   same results up to rounding). Not a hyperparameter: the model does not depend on it.
   * @throws ValidationError for a negative or non-numeric alpha or tol, or a max_iter below 1.
   */
  constructor(params: Partial<LassoParams> = {}, solver: { readonly gramBudgetBytes?: number } = {}) {
    this.gramBudgetBytes = solver.gramBudgetBytes ?? GRAM_BUDGET_BYTES;
    const p = { ...LASSO_DEFAULTS, ...params };
    numberParam('alpha', p.alpha, { min: 0, max: 1e15 });
    numberParam('tol', p.tol, { min: 0, max: 1 });
    numberParam('maxIter', p.maxIter, { min: 1, max: 100_000, integer: true });
    if (typeof p.fitIntercept !== 'boolean')
      throw new ValidationError(`fitIntercept must be true or false, got ${String(p.fitIntercept)}`, [
        { where: 'fitIntercept', reason: 'expected a boolean' },
      ]);
    this.params = Object.freeze(p);
  }

  /** @throws ValidationError / InsufficientDataError for bad inputs (see checkFitInput). */
  fit(x: DenseMatrix, y: DenseMatrix, options: FitOptions): LinearModel {
    return this.fitWithReport(x, y, options).model;
  }

  /**
   * As {@link fit}, and says how many passes each output took and whether it converged.
   * @throws ValidationError / InsufficientDataError for bad inputs (see checkFitInput).
   */
  fitWithReport(x: DenseMatrix, y: DenseMatrix, options: FitOptions): LassoFit {
    checkFitInput(x, y, 1);
    const n = x.rows;
    const p = x.cols;
    const k = y.cols;
    const { alpha, fitIntercept, maxIter, tol } = this.params;
    options.onProgress?.(0);
    const xMean = new Float64Array(p);
    const yMean = new Float64Array(k);
    if (fitIntercept) {
      columnMeans(x.data, n, p, xMean);
      columnMeans(y.data, n, k, yMean);
    }
    // Centred X, column-major (scikit-learn's Fortran order): each coordinate reads one contiguous column.
    const cols = new Float64Array(n * p);
    const xd = x.data;
    for (let r = 0; r < n; r++) {
      const ro = r * p;
      for (let j = 0; j < p; j++) cols[j * n + r] = (xd[ro + j] as number) - (xMean[j] as number);
    }
    const design = new Design(cols, n, p, this.gramBudgetBytes);
    const coef = new Float64Array(k * p);
    const intercept = new Float64Array(k);
    const outputs: LassoOutputReport[] = [];
    const yc = new Float64Array(n);
    // scikit-learn scales the penalty by n (objective ½‖y − Xw‖² + nα‖w‖₁ in the solver).
    const l1 = alpha * n;
    for (let o = 0; o < k; o++) {
      for (let r = 0; r < n; r++) yc[r] = (y.data[r * k + o] as number) - (yMean[o] as number);
      const w = coef.subarray(o * p, (o + 1) * p);
      outputs.push(coordinateDescent(design, yc, l1, maxIter, tol, w));
      let s = 0;
      for (let j = 0; j < p; j++) s += (xMean[j] as number) * (w[j] as number);
      intercept[o] = (yMean[o] as number) - s;
      options.onProgress?.((o + 1) / k);
    }
    const model = new LinearModel({ kind: 'lasso', nFeatures: p, nOutputs: k, coef, intercept });
    return { model, outputs };
  }
}

/** Σ a[ao + i]·b[bo + i] for i < n, four running sums (a dot product bound by add latency otherwise). */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += (a[ao + i] as number) * (b[bo + i] as number);
    s1 += (a[ao + i + 1] as number) * (b[bo + i + 1] as number);
    s2 += (a[ao + i + 2] as number) * (b[bo + i + 2] as number);
    s3 += (a[ao + i + 3] as number) * (b[bo + i + 3] as number);
  }
  for (; i < n; i++) s0 += (a[ao + i] as number) * (b[bo + i] as number);
  return s0 + s1 + (s2 + s3);
}

/** b[i] += a·x[xo + i] for i < n (unrolled by four: about 1.5× faster than one at a time here). */
function axpy(a: number, x: Float64Array, xo: number, b: Float64Array, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    b[i] = (b[i] as number) + a * (x[xo + i] as number);
    b[i + 1] = (b[i + 1] as number) + a * (x[xo + i + 1] as number);
    b[i + 2] = (b[i + 2] as number) + a * (x[xo + i + 2] as number);
    b[i + 3] = (b[i + 3] as number) + a * (x[xo + i + 3] as number);
  }
  for (; i < n; i++) b[i] = (b[i] as number) + a * (x[xo + i] as number);
}

/** Default memory for Gram columns: 32 MB, all of XᵀX up to 2,048 features. */
const GRAM_BUDGET_BYTES = 32 * 1024 * 1024;

/**
 * The centred design of one fit, column-major, shared by its outputs, with the columns of its Gram
 * matrix XᵀX computed when first needed (a coefficient becomes non-zero) and kept for the other
 * outputs: glmnet's "covariance updates". With them a pass costs O(1) per coefficient that stays
 * zero and O(p) per one that moves, instead of O(n) and O(n) more, and a fit computes only the
 * columns of the features it uses (alpha 1 on the real matrix: about a fifth of them).
 */
class Design {
  readonly norms: Float64Array;
  /** Column j of XᵀX once computed. */
  private readonly gram: (Float64Array | null)[];
  /** Whether the whole Gram matrix fits the memory budget: otherwise every pass uses the residual. */
  readonly useGram: boolean;

  constructor(
    readonly cols: Float64Array,
    readonly n: number,
    readonly p: number,
    gramBudgetBytes: number,
  ) {
    this.norms = new Float64Array(p);
    for (let j = 0; j < p; j++) this.norms[j] = dot(cols, j * n, cols, j * n, n);
    this.useGram = 8 * p * p <= gramBudgetBytes;
    this.gram = new Array<Float64Array | null>(p).fill(null);
  }

  /**
   * Column j of XᵀX. Entries shared with columns already computed are copied from them (the same
   * dot product: the multiplication is commutative and the sums run in the same order), the rest
   * are dot products of column j with four other columns at a time (each load of column j serves
   * four products).
   */
  gramColumn(j: number): Float64Array {
    const known = this.gram[j];
    if (known) return known;
    const { cols, n, p, gram } = this;
    const g = new Float64Array(p);
    const cj = j * n;
    const unknown: number[] = [];
    for (let i = 0; i < p; i++) {
      const gi = gram[i];
      if (gi) g[i] = gi[j] as number;
      else unknown.push(i);
    }
    let t = 0;
    for (; t + 4 <= unknown.length; t += 4) {
      const i0 = unknown[t] as number;
      const i1 = unknown[t + 1] as number;
      const i2 = unknown[t + 2] as number;
      const i3 = unknown[t + 3] as number;
      const c0 = i0 * n;
      const c1 = i1 * n;
      const c2 = i2 * n;
      const c3 = i3 * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let r = 0; r < n; r++) {
        const v = cols[cj + r] as number;
        s0 += v * (cols[c0 + r] as number);
        s1 += v * (cols[c1 + r] as number);
        s2 += v * (cols[c2 + r] as number);
        s3 += v * (cols[c3 + r] as number);
      }
      g[i0] = s0;
      g[i1] = s1;
      g[i2] = s2;
      g[i3] = s3;
    }
    for (; t < unknown.length; t++) {
      const i = unknown[t] as number;
      let s = 0;
      for (let r = 0; r < n; r++) s += (cols[cj + r] as number) * (cols[i * n + r] as number);
      g[i] = s;
    }
    gram[j] = g;
    return g;
  }
}

/**
 * One output: scikit-learn's `enet_coordinate_descent` with l2 = 0 and selection 'cyclic', from
 * w = 0. Each coordinate soft-thresholds ρⱼ = Xⱼ·(R + wⱼXⱼ), R = y − Xw, and divides by ‖Xⱼ‖².
 * ρⱼ = Xⱼ·y − (XᵀXw)ⱼ + wⱼ‖Xⱼ‖² with XᵀXw kept up to date (the same numbers as scikit-learn's
 * residual form up to rounding), or, when the Gram matrix is over the memory budget, from the
 * residual R kept up to date, scikit-learn's way. After a pass whose largest coefficient change is
 * below tol × the largest coefficient (or on the last pass), the duality gap is checked, and the
 * descent stops once it is below tol·‖y‖². `w` (length p) receives the coefficients.
 */
function coordinateDescent(
  d: Design,
  y: Float64Array,
  l1: number,
  maxIter: number,
  tol: number,
  w: Float64Array,
): LassoOutputReport {
  const { cols, norms, n, p } = d;
  const resid = Float64Array.from(y);
  const yy = dot(y, 0, y, 0, n);
  const gapTol = tol * yy;
  let gap = tol + 1;
  let iter = 0;
  let converged = false;
  // Gram mode: Xᵀy and XᵀXw; `resid` is then only computed for an exact gap check.
  let xty: Float64Array | null = null;
  let gw: Float64Array | null = null;
  if (d.useGram) {
    xty = new Float64Array(p);
    gw = new Float64Array(p);
    for (let j = 0; j < p; j++) xty[j] = dot(cols, j * n, y, 0, n);
  }
  for (; iter < maxIter; iter++) {
    let wMax = 0;
    let dwMax = 0;
    if (gw && xty) {
      for (let j = 0; j < p; j++) {
        const nj = norms[j] as number;
        if (nj === 0) continue;
        const wOld = w[j] as number;
        const t = (xty[j] as number) - (gw[j] as number) + wOld * nj;
        const mag = Math.abs(t) - l1;
        const wNew = mag > 0 ? (t > 0 ? mag : -mag) / nj : 0;
        w[j] = wNew;
        if (wNew !== wOld) axpy(wNew - wOld, d.gramColumn(j), 0, gw, p);
        const dw = Math.abs(wNew - wOld);
        if (dw > dwMax) dwMax = dw;
        const aw = Math.abs(wNew);
        if (aw > wMax) wMax = aw;
      }
    } else {
      for (let j = 0; j < p; j++) {
        const nj = norms[j] as number;
        if (nj === 0) continue;
        const off = j * n;
        const wOld = w[j] as number;
        // Xⱼ·(R + wOld·Xⱼ) without writing R + wOld·Xⱼ back; R then moves by (wOld − wNew)·Xⱼ in
        // one pass (scikit-learn adds and subtracts in two; equal up to rounding).
        const t = dot(cols, off, resid, 0, n) + wOld * nj;
        const mag = Math.abs(t) - l1;
        const wNew = mag > 0 ? (t > 0 ? mag : -mag) / nj : 0;
        w[j] = wNew;
        if (wNew !== wOld) axpy(wOld - wNew, cols, off, resid, n);
        const dw = Math.abs(wNew - wOld);
        if (dw > dwMax) dwMax = dw;
        const aw = Math.abs(wNew);
        if (aw > wMax) wMax = aw;
      }
    }
    if (wMax === 0 || dwMax / wMax < tol || iter === maxIter - 1) {
      // In Gram mode the gap is first bounded in O(p) from Xᵀy and XᵀXw (slow fits check it after
      // almost every pass); the exact O(np) gap from the residual decides whenever the bound does
      // not rule convergence out, so the decision is the residual's, as scikit-learn's.
      if (gw && xty) {
        const estimate = gramGap(xty, gw, w, yy, p, l1);
        gap = estimate.gap;
        if (estimate.gap - estimate.error > gapTol) continue;
        resid.set(y);
        for (let j = 0; j < p; j++) {
          const wj = w[j] as number;
          if (wj !== 0) axpy(-wj, cols, j * n, resid, n);
        }
      }
      gap = dualityGap(cols, y, resid, w, n, p, l1);
      if (gap < gapTol) {
        converged = true;
        break;
      }
    }
  }
  // scikit-learn reports the gap of the objective divided by n.
  return { nIter: converged ? iter + 1 : maxIter, dualGap: gap / n, converged };
}

/**
 * The duality gap from Xᵀy, XᵀXw and ‖y‖² alone (scikit-learn's Gram-mode formulas), with a bound
 * on its rounding error: ‖R‖² = ‖y‖² − 2w·Xᵀy + w·XᵀXw and R·y = ‖y‖² − w·Xᵀy cancel, losing a few
 * ε of the largest term (generously: 1e-8 of their sum, which is far above any real loss).
 */
function gramGap(
  xty: Float64Array,
  gw: Float64Array,
  w: Float64Array,
  yy: number,
  p: number,
  l1: number,
): { gap: number; error: number } {
  let dualNorm = 0;
  let l1Norm = 0;
  let wq = 0;
  let wgw = 0;
  for (let j = 0; j < p; j++) {
    const wj = w[j] as number;
    const q = xty[j] as number;
    const h = gw[j] as number;
    const g = Math.abs(q - h);
    if (g > dualNorm) dualNorm = g;
    l1Norm += Math.abs(wj);
    wq += wj * q;
    wgw += wj * h;
  }
  const rNorm2 = yy - 2 * wq + wgw;
  const ry = yy - wq;
  let scale = 1;
  let gap = rNorm2;
  if (dualNorm > l1) {
    scale = l1 / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * scale * scale);
  }
  gap += l1 * l1Norm - scale * ry;
  return { gap, error: 1e-8 * (yy + 2 * Math.abs(wq) + Math.abs(wgw) + l1 * l1Norm) };
}

/** scikit-learn's duality gap of the Lasso (l2 = 0) at w with residual R. */
function dualityGap(
  cols: Float64Array,
  y: Float64Array,
  resid: Float64Array,
  w: Float64Array,
  n: number,
  p: number,
  l1: number,
): number {
  let dualNorm = 0;
  let l1Norm = 0;
  for (let j = 0; j < p; j++) {
    const g = Math.abs(dot(cols, j * n, resid, 0, n));
    if (g > dualNorm) dualNorm = g;
    l1Norm += Math.abs(w[j] as number);
  }
  const rNorm2 = dot(resid, 0, resid, 0, n);
  let scale = 1;
  let gap = rNorm2;
  if (dualNorm > l1) {
    scale = l1 / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * scale * scale);
  }
  return gap + l1 * l1Norm - scale * dot(resid, 0, y, 0, n);
}
