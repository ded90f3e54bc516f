/**
 * Centring shared by the linear models: scikit-learn's `fit_intercept=True` for Ridge and Lasso
 * subtracts the column means of X and y and does not scale features; the intercept is then
 * ȳ − x̄·w. One copy, so ridge, ridge with alpha by CV and lasso centre alike.
 */
import type { DenseMatrix } from './matrix.js';

/** Adds the column means of the n × p row-major `d` to `out` (pass zeros). */
export function columnMeans(d: Float64Array, n: number, p: number, out: Float64Array): void {
  for (let r = 0; r < n; r++)
    for (let j = 0; j < p; j++) out[j] = (out[j] as number) + (d[r * p + j] as number);
  for (let j = 0; j < p; j++) out[j] = (out[j] as number) / n;
}

/** Subtracts `v` from each of the n rows of the n × p row-major `d`, in place. */
export function subtractRow(d: Float64Array, n: number, p: number, v: Float64Array): void {
  for (let r = 0; r < n; r++)
    for (let j = 0; j < p; j++) d[r * p + j] = (d[r * p + j] as number) - (v[j] as number);
}

/** Rows of X and y minus their column means (the means are zero when not centred). */
export interface CentredRows {
  readonly xc: Float64Array;
  readonly yc: Float64Array;
  readonly xMean: Float64Array;
  readonly yMean: Float64Array;
}

/**
 * Copies of rows 0 .. rows-1 of x and y, centred by their own column means when `fitIntercept`
 * (the inputs are never mutated).
 */
export function centredRows(
  x: DenseMatrix,
  y: DenseMatrix,
  rows: number,
  fitIntercept: boolean,
): CentredRows {
  const p = x.cols;
  const k = y.cols;
  const xc = x.data.slice(0, rows * p);
  const yc = y.data.slice(0, rows * k);
  const xMean = new Float64Array(p);
  const yMean = new Float64Array(k);
  if (fitIntercept) {
    columnMeans(xc, rows, p, xMean);
    columnMeans(yc, rows, k, yMean);
    subtractRow(xc, rows, p, xMean);
    subtractRow(yc, rows, k, yMean);
  }
  return { xc, yc, xMean, yMean };
}
