/** Error metrics of multi-output predictions. */
import { ValidationError } from '../domain/errors.js';
import type { DenseMatrix } from './matrix.js';

/**
 * Mean absolute error of each output (column).
 * @throws ValidationError when the shapes differ or there are no rows.
 */
export function maePerTarget(predicted: DenseMatrix, actual: DenseMatrix): number[] {
  if (predicted.rows !== actual.rows || predicted.cols !== actual.cols) {
    throw new ValidationError(
      `predictions are ${predicted.rows}x${predicted.cols}, actual values ${actual.rows}x${actual.cols}`,
    );
  }
  if (actual.rows === 0) throw new ValidationError('cannot score zero rows');
  const k = actual.cols;
  const sums = new Float64Array(k);
  for (let r = 0; r < actual.rows; r++) {
    for (let o = 0; o < k; o++) {
      sums[o] =
        (sums[o] as number) +
        Math.abs((predicted.data[r * k + o] as number) - (actual.data[r * k + o] as number));
    }
  }
  return Array.from(sums, (s) => s / actual.rows);
}

/** The mean of per-target MAEs: the MAE over all cells (every target has the same row count). */
export function overallMae(perTarget: readonly number[]): number {
  if (perTarget.length === 0) throw new ValidationError('no targets to average');
  return perTarget.reduce((a, b) => a + b, 0) / perTarget.length;
}

/** MAE of each output when every row is predicted by the same constant vector. */
export function maeOfConstant(constant: ArrayLike<number>, actual: DenseMatrix): number[] {
  if (constant.length !== actual.cols) {
    throw new ValidationError(
      `constant predictor has ${constant.length} values, targets have ${actual.cols}`,
    );
  }
  const data = new Float64Array(actual.rows * actual.cols);
  for (let r = 0; r < actual.rows; r++)
    for (let o = 0; o < actual.cols; o++) data[r * actual.cols + o] = constant[o] as number;
  return maePerTarget({ rows: actual.rows, cols: actual.cols, data }, actual);
}
