/**
 * Ridge with its alpha chosen by time-series cross-validation, nested inside the caller's CV.
 *
 * Why one decomposition per training prefix: with the centred Gram G = XcᵀXc = V Λ Vᵀ and
 * B = XcᵀYc, ridge's solution for any alpha is W(α) = V diag(1/(λ+α)) VᵀB, so after one
 * eigendecomposition every alpha of the grid costs O(p²) instead of a new solve. Centring
 * (centring.ts) and the intercept (ridgeModel) are ridge.ts's, so at a fixed alpha the
 * coefficients equal the Cholesky path's up to rounding.
 *
 * Nesting: an outer fold's alpha is the grid point with the lowest mean MAE over inner
 * expanding-window folds inside its training prefix (see nestedInnerFolds), so its score never
 * used its test rows. The final model's alpha comes from TimeSeriesSplit CV over all rows, whose
 * training prefixes are exactly the outer folds' (decompositions are cached by prefix length and
 * reused), and is then fitted by the Cholesky path, so the registered model equals
 * `RidgeRegressor({ alpha: chosen })`.
 */
import { InsufficientDataError } from '../domain/errors.js';
import { timeSeriesSplit } from './cv.js';
import { checkFitInput } from './fit-input.js';
import type { DenseMatrix } from './matrix.js';
import { LinearModel } from './models/linear-model.js';
import type { FitOptions, Regressor } from './regressor.js';
import { centredRows, subtractRow, type CentredRows } from './centring.js';
import { addGram, projectRows } from './dot-blocks.js';
import { addXty, columnMajor, ridgeModel, RidgeRegressor } from './ridge.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** 1e-2 … 1e6, four points per decade. */
export const RIDGE_ALPHA_GRID: readonly number[] = Array.from({ length: 33 }, (_, i) =>
  Number((10 ** (-2 + i / 4)).toPrecision(4)),
);

/** Inner folds per training prefix when no outer CV sets the count (it uses its own count). */
export const RIDGE_INNER_FOLDS = 5;

/** The alpha legacy ridge used; kept for prefixes too short for an inner CV. */
const FALLBACK_ALPHA = 1;

/** What the inner CV found: the chosen alpha and the mean MAE of every grid point. */
export interface AlphaSelection {
  readonly alpha: number;
  readonly innerFolds: number;
  readonly rows: number;
  /** Grid order; `mae` is the mean over the inner folds of the overall MAE. */
  readonly curve: readonly { readonly alpha: number; readonly mae: number }[];
}

/** A selection as stored with a model version (`extra.alphaSelection`): plain JSON. */
export function selectionRecord(s: AlphaSelection): {
  chosen: number;
  innerFolds: number;
  rows: number;
  curve: { alpha: number; mae: number }[];
} {
  return {
    chosen: s.alpha,
    innerFolds: s.innerFolds,
    rows: s.rows,
    curve: s.curve.map((c) => ({ alpha: c.alpha, mae: c.mae })),
  };
}

/** One prefix's centred system in the eigenbasis, with the means it was centred by. */
export interface PrefixEigen extends Pick<CentredRows, 'xMean' | 'yMean'> {
  readonly rows: number;
  /** Eigenvalues of XcᵀXc, ascending (only the non-zero ones when rows < p). */
  readonly values: Float64Array;
  /** values.length × p, row i = the unit eigenvector of values[i]. */
  readonly vectors: Float64Array;
  /** VᵀB, values.length × k row-major. */
  readonly projected: Float64Array;
}

/**
 * The eigen form of ridge on a training prefix's rows as centredRows gives them (centred when the
 * intercept is fitted). With fewer rows than features the n × n kernel XcXcᵀ = U M Uᵀ is decomposed instead (cheaper, as ridge.ts switches to
 * the kernel form): its non-zero eigenpairs give Gram's as vᵢ = Xcᵀuᵢ/√μᵢ, and the directions it
 * lacks are orthogonal to XcᵀYc, so they add nothing to any alpha's solution.
 */
export function prefixEigen(centred: CentredRows): PrefixEigen {
  const { xc, yc, xMean, yMean } = centred;
  const p = xMean.length;
  const k = yMean.length;
  const rows = xc.length / p;
  const cols = columnMajor(xc, rows, p);
  const b = new Float64Array(p * k);
  addXty(cols, yc, rows, p, k, b);
  const { values, vectors } = rows < p ? kernelEigen(xc, rows, p) : gramEigen(cols, rows, p);
  const r = values.length;
  const projected = new Float64Array(r * k);
  for (let i = 0; i < r; i++) {
    const vi = i * p;
    for (let o = 0; o < k; o++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += (vectors[vi + j] as number) * (b[j * k + o] as number);
      projected[i * k + o] = s;
    }
  }
  return { rows, xMean, yMean, values, vectors, projected };
}

function gramEigen(
  cols: Float64Array,
  rows: number,
  p: number,
): { values: Float64Array; vectors: Float64Array } {
  const gram = new Float64Array(p * p);
  addGram(cols, p, rows, gram);
  return symmetricEigen(gram, p);
}

/** Gram's eigenpairs with non-zero eigenvalue, from the kernel of the n centred rows. */
function kernelEigen(
  xc: Float64Array,
  n: number,
  p: number,
): { values: Float64Array; vectors: Float64Array } {
  const kernel = new Float64Array(n * n);
  addGram(xc, n, p, kernel);
  const eig = symmetricEigen(kernel, n);
  const top = eig.values[n - 1] as number;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if ((eig.values[i] as number) > top * 1e-12) keep.push(i);
  const values = new Float64Array(keep.length);
  const vectors = new Float64Array(keep.length * p);
  keep.forEach((i, q) => {
    const mu = eig.values[i] as number;
    values[q] = mu;
    const scale = 1 / Math.sqrt(mu);
    for (let r = 0; r < n; r++) {
      const u = (eig.vectors[i * n + r] as number) * scale;
      if (u === 0) continue;
      for (let j = 0; j < p; j++)
        vectors[q * p + j] = (vectors[q * p + j] as number) + u * (xc[r * p + j] as number);
    }
  });
  return { values, vectors };
}

/** The ridge model at `alpha` from a prefix's eigen form. */
export function eigenRidgeModel(e: PrefixEigen, alpha: number): LinearModel {
  const p = e.xMean.length;
  const k = e.yMean.length;
  const coef = new Float64Array(k * p);
  for (let i = 0; i < e.values.length; i++) {
    const vi = i * p;
    const inv = 1 / ((e.values[i] as number) + alpha);
    for (let o = 0; o < k; o++) {
      const c = (e.projected[i * k + o] as number) * inv;
      for (let j = 0; j < p; j++)
        coef[o * p + j] = (coef[o * p + j] as number) + c * (e.vectors[vi + j] as number);
    }
  }
  return ridgeModel(coef, e.xMean, e.yMean, p, k);
}

/** Overall MAE on rows from .. to-1 of the prefix's model at every alpha of the grid. */
function gridMae(
  e: PrefixEigen,
  x: DenseMatrix,
  y: DenseMatrix,
  from: number,
  to: number,
  grid: readonly number[],
): Float64Array {
  const p = x.cols;
  const k = y.cols;
  const m = to - from;
  const q = e.values.length;
  // Z = (X_test − x̄) V: the test rows in the eigenbasis, m × q.
  const rowsC = x.data.slice(from * p, to * p);
  subtractRow(rowsC, m, p, e.xMean);
  const z = projectRows(rowsC, m, p, e.vectors, q);
  const out = new Float64Array(grid.length);
  // Per alpha: the scaled coordinates, one contiguous row of q per output.
  const scaled = new Float64Array(k * q);
  grid.forEach((alpha, g) => {
    for (let i = 0; i < q; i++) {
      const inv = 1 / ((e.values[i] as number) + alpha);
      for (let o = 0; o < k; o++) scaled[o * q + i] = (e.projected[i * k + o] as number) * inv;
    }
    let total = 0;
    for (let r = 0; r < m; r++)
      for (let o = 0; o < k; o++) {
        let s = e.yMean[o] as number;
        const zr = r * q;
        const so = o * q;
        for (let i = 0; i < q; i++) s += (z[zr + i] as number) * (scaled[so + i] as number);
        total += Math.abs(s - (y.data[(from + r) * k + o] as number));
      }
    out[g] = total / (m * k);
  });
  return out;
}

/** One inner fold: train on rows 0 .. trainEnd-1, score rows trainEnd .. testEnd-1. */
export interface InnerFold {
  readonly trainEnd: number;
  readonly testEnd: number;
}

/**
 * The inner folds of each outer training prefix `ends[j]`, nested (they use rows < ends[j] only):
 * the last `folds` consecutive pairs of the grid "TimeSeriesSplit of ends[0], then
 * ends[0], ends[1], …" below ends[j]. The first prefix gets exactly scikit-learn's TimeSeriesSplit;
 * later ones reuse the earlier outer prefixes as training sets, so every training prefix is
 * decomposed once and serves every later fold (one decomposition per fold).
 */
export function nestedInnerFolds(ends: readonly number[], folds = RIDGE_INNER_FOLDS): InnerFold[][] {
  const first = ends[0];
  if (first === undefined) return [];
  const innerOfFirst = Math.min(folds, first - 1);
  let grid: number[] = [];
  if (innerOfFirst >= 2) grid = timeSeriesSplit(first, innerOfFirst).map((s) => s.trainEnd);
  grid = [...new Set([...grid, ...ends])].sort((a, b) => a - b);
  return ends.map((end) => {
    const below = grid.filter((g) => g <= end);
    const pairs: InnerFold[] = [];
    for (let i = 0; i + 1 < below.length; i++)
      pairs.push({ trainEnd: below[i] as number, testEnd: below[i + 1] as number });
    return pairs.filter((f) => f.trainEnd >= 2).slice(-folds);
  });
}

/**
 * Ridge whose alpha is chosen per training set by inner time-series CV over RIDGE_ALPHA_GRID.
 * `lastSelection()` says what the latest `fit` chose. Decompositions are cached per x and y (by
 * identity) and prefix length, so CV followed by the final fit on the same matrix reuses them: the
 * final fit's folds (TimeSeriesSplit of all rows, as many as the outer CV had; 5 without one) are
 * the outer CV's.
 */
export class RidgeAlphaCvRegressor implements Regressor {
  readonly kind = 'ridge' as const;
  readonly params: Readonly<{ alpha: 'auto'; fitIntercept: boolean }>;
  private readonly cache = new WeakMap<Float64Array, WeakMap<Float64Array, Map<number, PrefixEigen>>>();
  private selection: AlphaSelection | null = null;
  /** Folds of the final fit's CV: those of the outer CV last run through fitPrefixes, if any. */
  private folds = RIDGE_INNER_FOLDS;

  constructor(
    params: { fitIntercept?: boolean } = {},
    private readonly grid: readonly number[] = RIDGE_ALPHA_GRID,
  ) {
    this.params = Object.freeze({ alpha: 'auto' as const, fitIntercept: params.fitIntercept ?? true });
  }

  /** The alpha and curve of the latest `fit` (null before the first). */
  lastSelection(): AlphaSelection | null {
    return this.selection;
  }

  /** Picks alpha by TimeSeriesSplit CV on all rows, then fits them by the Cholesky path at that alpha. */
  fit(x: DenseMatrix, y: DenseMatrix, options: FitOptions): LinearModel {
    checkFitInput(x, y, 1);
    const folds = Math.min(this.folds, x.rows - 1);
    let inner: InnerFold[] = [];
    try {
      if (folds >= 2)
        inner = timeSeriesSplit(x.rows, folds).map((s) => ({ trainEnd: s.trainEnd, testEnd: s.testEnd }));
    } catch (error) {
      if (!(error instanceof InsufficientDataError)) throw error;
    }
    const selection = this.selectAlpha(x, y, x.rows, inner);
    options.onProgress?.(0.5);
    const ridge = new RidgeRegressor({ alpha: selection.alpha, fitIntercept: this.params.fitIntercept });
    const model = ridge.fit(x, y, { seed: options.seed });
    this.selection = selection;
    options.onProgress?.(1);
    return model;
  }

  /** Outer CV: each prefix's model at the alpha its own inner folds chose (nested CV). */
  fitPrefixes(
    x: DenseMatrix,
    y: DenseMatrix,
    ends: readonly number[],
    options: FitOptions,
  ): Iterable<LinearModel> {
    checkFitInput(x, y, 1);
    this.folds = Math.max(2, ends.length);
    const inner = nestedInnerFolds(ends, this.folds);
    const models = (function* (self: RidgeAlphaCvRegressor): Generator<LinearModel> {
      for (const [i, end] of ends.entries()) {
        const { alpha } = self.selectAlpha(x, y, end, inner[i] ?? []);
        yield eigenRidgeModel(self.decomposition(x, y, end), alpha);
        options.onProgress?.((i + 1) / ends.length);
      }
    })(this);
    return models;
  }

  /**
   * The grid point with the lowest mean MAE over the inner folds (ties: the larger alpha, the
   * simpler model). Without inner folds (too few rows) it keeps the legacy alpha 1.
   */
  selectAlpha(x: DenseMatrix, y: DenseMatrix, rows: number, inner: readonly InnerFold[]): AlphaSelection {
    if (inner.length === 0) return { alpha: FALLBACK_ALPHA, innerFolds: 0, rows, curve: [] };
    const sums = new Float64Array(this.grid.length);
    for (const f of inner) {
      const mae = gridMae(this.decomposition(x, y, f.trainEnd), x, y, f.trainEnd, f.testEnd, this.grid);
      for (let g = 0; g < sums.length; g++) sums[g] = (sums[g] as number) + (mae[g] as number);
    }
    const curve = this.grid.map((alpha, g) => ({ alpha, mae: (sums[g] as number) / inner.length }));
    let best = 0;
    curve.forEach((c, g) => {
      if (c.mae <= (curve[best] as (typeof curve)[number]).mae) best = g;
    });
    return { alpha: (curve[best] as (typeof curve)[number]).alpha, innerFolds: inner.length, rows, curve };
  }

  private decomposition(x: DenseMatrix, y: DenseMatrix, rows: number): PrefixEigen {
    let byY = this.cache.get(x.data);
    if (!byY) this.cache.set(x.data, (byY = new WeakMap()));
    let byRows = byY.get(y.data);
    if (!byRows) byY.set(y.data, (byRows = new Map()));
    let e = byRows.get(rows);
    if (!e) byRows.set(rows, (e = prefixEigen(centredRows(x, y, rows, this.params.fitIntercept))));
    return e;
  }
}
