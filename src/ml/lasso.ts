/**
 * Lasso regression as scikit-learn's `Lasso(alpha, fit_intercept=True, max_iter=1000, tol=1e-4,
 * selection='cyclic')`: cyclic coordinate descent on (1/(2n))‖y − Xw‖² + α‖w‖₁ over centred X and
 * y, stopped by scikit-learn's duality-gap rule (`enet_coordinate_descent` in `_cd_fast.pyx`).
 * A 2-D y is fitted one output at a time, independently, as scikit-learn does.
 *
 * Hand-written on typed arrays because no maintained npm package does scikit-learn-compatible
 * coordinate descent (same objective scaling, cyclic order, stopping rule and iteration count);
 * the tests hold it to scikit-learn's coefficients and CV MAE on the real feature matrix.
 */
import { ValidationError } from '../domain/errors.js';
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

  /** @throws ValidationError for a negative or non-numeric alpha or tol, or a max_iter below 1. */
  constructor(params: Partial<LassoParams> = {}) {
    const p = { ...LASSO_DEFAULTS, ...params };
    numberParam('alpha', p.alpha, { min: 0 });
    numberParam('tol', p.tol, { min: 0 });
    numberParam('maxIter', p.maxIter, { min: 1, max: 1_000_000, integer: true });
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
    const design = new Design(cols, n, p);
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

function columnMeans(d: Float64Array, n: number, p: number, out: Float64Array): void {
  for (let r = 0; r < n; r++)
    for (let j = 0; j < p; j++) out[j] = (out[j] as number) + (d[r * p + j] as number);
  for (let j = 0; j < p; j++) out[j] = (out[j] as number) / n;
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

/** Above this many features the Gram matrix (8p² bytes, 32 MB here) is not built. */
const MAX_GRAM_FEATURES = 2048;

/**
 * The centred design of one fit, column-major, shared by its outputs. Its Gram matrix XᵀX is built
 * only once the residual passes have cost about as much as building it: a pass then costs O(p) per
 * coefficient that moves instead of O(n) per feature, and slow fits (small alpha: hundreds of
 * passes per output) run several times faster, while fits that converge in a few passes never
 * pay for it.
 */
class Design {
  readonly norms: Float64Array;
  gram: Float64Array | null = null;
  /** Work of the residual passes so far, in units of n·p multiply-adds. */
  work = 0;

  constructor(
    readonly cols: Float64Array,
    readonly n: number,
    readonly p: number,
  ) {
    this.norms = new Float64Array(p);
    for (let j = 0; j < p; j++) this.norms[j] = dot(cols, j * n, cols, j * n, n);
  }

  /**
   * Whether to use Gram passes from now on: once the residual passes have cost about what the
   * Gram matrix costs to build (p/4 passes, its kernel being about twice as fast per product). A
   * Gram pass costs p per feature plus p per moved coefficient, a residual pass n per feature plus
   * n per moved coefficient and, at most passes of a slow fit, np more for the gap check; so Gram
   * passes are cheaper even with fewer rows than features, where at most n coefficients move.
   */
  wantsGram(): boolean {
    return this.gram !== null || (this.p <= MAX_GRAM_FEATURES && this.work >= (this.p + 1) / 4);
  }

  /** XᵀX, p × p, full (both triangles): each entry a dot product of two contiguous columns. */
  buildGram(): Float64Array {
    const { cols, n, p } = this;
    const g = new Float64Array(p * p);
    for (let i = 0; i < p; i++) {
      const ci = i * n;
      let j = 0;
      // Four entries at a time, so each load of column i serves four products.
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
        g[i * p + j] = s0;
        g[i * p + j + 1] = s1;
        g[i * p + j + 2] = s2;
        g[i * p + j + 3] = s3;
      }
      for (; j <= i; j++) g[i * p + j] = dot(cols, ci, cols, j * n, n);
    }
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) g[j * p + i] = g[i * p + j] as number;
    this.gram = g;
    return g;
  }
}

/**
 * One output: scikit-learn's `enet_coordinate_descent` with l2 = 0 and selection 'cyclic', from
 * w = 0. Each coordinate soft-thresholds ρⱼ = Xⱼ·(R + wⱼXⱼ), R = y − Xw, and divides by ‖Xⱼ‖².
 * ρⱼ comes from the residual R, kept up to date (scikit-learn's way), or, once the design has its
 * Gram matrix, from ρⱼ = Xⱼ·y − (XᵀXw)ⱼ + wⱼ‖Xⱼ‖² with XᵀXw kept up to date (the same numbers up to
 * rounding). After a pass whose largest coefficient change is below tol × the largest coefficient
 * (or on the last pass), the duality gap is computed from the exact residual and the descent stops
 * once it is below tol·‖y‖². `w` (length p) receives the coefficients.
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
  // Gram mode: Xᵀy and XᵀXw; `resid` is then stale except right after a gap check.
  let xty: Float64Array | null = null;
  let gw: Float64Array | null = null;
  for (; iter < maxIter; iter++) {
    let wMax = 0;
    let dwMax = 0;
    if (!gw && d.wantsGram()) {
      const g = d.gram ?? d.buildGram();
      xty = new Float64Array(p);
      gw = new Float64Array(p);
      for (let j = 0; j < p; j++) {
        xty[j] = dot(cols, j * n, y, 0, n);
        const wj = w[j] as number;
        if (wj !== 0) axpy(wj, g, j * p, gw, p);
      }
    }
    if (gw && xty && d.gram) {
      const g = d.gram;
      for (let j = 0; j < p; j++) {
        const nj = norms[j] as number;
        if (nj === 0) continue;
        const wOld = w[j] as number;
        const t = (xty[j] as number) - (gw[j] as number) + wOld * nj;
        const mag = Math.abs(t) - l1;
        const wNew = mag > 0 ? (t > 0 ? mag : -mag) / nj : 0;
        w[j] = wNew;
        if (wNew !== wOld) axpy(wNew - wOld, g, j * p, gw, p);
        const dw = Math.abs(wNew - wOld);
        if (dw > dwMax) dwMax = dw;
        const aw = Math.abs(wNew);
        if (aw > wMax) wMax = aw;
      }
    } else {
      let moved = 0;
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
        if (wNew !== wOld) {
          axpy(wOld - wNew, cols, off, resid, n);
          moved++;
        }
        const dw = Math.abs(wNew - wOld);
        if (dw > dwMax) dwMax = dw;
        const aw = Math.abs(wNew);
        if (aw > wMax) wMax = aw;
      }
      d.work += 1 + moved / p;
    }
    if (wMax === 0 || dwMax / wMax < tol || iter === maxIter - 1) {
      // In Gram mode the gap is first estimated in O(p) from Xᵀy and XᵀXw (slow fits check it
      // after almost every pass); the exact O(np) gap decides only when the estimate is near the
      // tolerance, so the decision is the residual's.
      if (gw && xty) {
        gap = gramGap(xty, gw, w, yy, p, l1);
        if (gap > 2 * gapTol + 1e-9 * yy) continue;
        resid.set(y);
        for (let j = 0; j < p; j++) {
          const wj = w[j] as number;
          if (wj !== 0) axpy(-wj, cols, j * n, resid, n);
        }
      } else d.work += 1;
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
 * The duality gap from Xᵀy, XᵀXw and ‖y‖² alone (scikit-learn's Gram-mode formulas): ‖R‖² =
 * ‖y‖² − 2w·Xᵀy + w·XᵀXw and R·y = ‖y‖² − w·Xᵀy lose about ε‖y‖² to cancellation, so it is only
 * an estimate.
 */
function gramGap(
  xty: Float64Array,
  gw: Float64Array,
  w: Float64Array,
  yy: number,
  p: number,
  l1: number,
): number {
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
  return gap + l1 * l1Norm - scale * ry;
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
