/**
 * The one shape check at the numeric entry points (STYLE §8): fit and cross-validation inputs are
 * checked here once, and trusted inside the hot loops.
 */
import { InsufficientDataError, ValidationError } from '../domain/errors.js';
import type { DenseMatrix } from './matrix.js';

/**
 * Checks that x (rows × features) and y (rows × outputs) describe the same rows, hold only finite
 * numbers and have at least `minRows` rows.
 * @throws ValidationError for mismatched shapes or non-finite values.
 * @throws InsufficientDataError for fewer than `minRows` rows.
 */
export function checkFitInput(x: DenseMatrix, y: DenseMatrix, minRows = 2): void {
  if (x.data.length !== x.rows * x.cols || y.data.length !== y.rows * y.cols) {
    throw new ValidationError('matrix data length does not match its shape');
  }
  if (x.rows !== y.rows) {
    throw new ValidationError(`features have ${x.rows} rows but targets have ${y.rows}`);
  }
  if (x.cols < 1 || y.cols < 1) throw new ValidationError('need at least one feature and one target');
  if (x.rows < minRows)
    throw new InsufficientDataError(`need at least ${minRows} rows to fit, got ${x.rows}`);
  for (const [name, m] of [
    ['features', x],
    ['targets', y],
  ] as const) {
    const d = m.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) {
        const r = Math.floor(i / m.cols);
        const c = i % m.cols;
        throw new ValidationError(`${name} hold a non-finite value at row ${r}, column ${c}`, [
          { where: `${name}[${r}][${c}]`, reason: `value ${d[i]} is not finite` },
        ]);
      }
    }
  }
}

/** A hyperparameter that must be a number in a range; names the parameter in the error. */
export function numberParam(
  name: string,
  value: unknown,
  opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean },
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!opts.integer || Number.isInteger(value)) &&
    (opts.min === undefined || (opts.exclusiveMin ? value > opts.min : value >= opts.min)) &&
    (opts.max === undefined || value <= opts.max);
  if (!ok) {
    const range = `${opts.integer ? 'an integer' : 'a number'}${opts.min !== undefined ? ` ${opts.exclusiveMin ? '>' : '>='} ${opts.min}` : ''}${opts.max !== undefined ? ` and <= ${opts.max}` : ''}`;
    throw new ValidationError(`${name} must be ${range}, got ${String(value)}`, [
      { where: name, reason: `expected ${range}` },
    ]);
  }
  return value as number;
}
