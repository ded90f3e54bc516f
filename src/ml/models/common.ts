/**
 * Shared checks and helpers of the fitted model classes. Shapes are checked once at construction and
 * once per `predict` call (STYLE §8), never inside the per-row loops.
 */
import { PbiError, ValidationError } from '../../domain/errors.js';
import type { DenseMatrix } from '../matrix.js';

/** A model whose parameters are inconsistent or whose artifact is unusable. */
export function modelError(message: string): PbiError {
  return new PbiError('MODEL', message);
}

/**
 * Checks that `x` has the model's number of features.
 * @throws ValidationError (INVALID_INPUT) when the column count differs.
 */
export function checkInput(x: DenseMatrix, nFeatures: number, what: string): void {
  if (x.cols !== nFeatures) {
    throw new ValidationError(`${what} expects ${nFeatures} features per row, got ${x.cols}`, [
      { where: 'input', reason: `expected ${nFeatures} columns, got ${x.cols}` },
    ]);
  }
  if (x.data.length !== x.rows * x.cols) {
    throw new ValidationError(
      `${what}: matrix data has ${x.data.length} values, shape needs ${x.rows * x.cols}`,
    );
  }
}

/** A positive integer count, or a MODEL error naming the field. */
export function checkCount(value: number, field: string, min = 1): number {
  if (!Number.isInteger(value) || value < min)
    throw modelError(`${field} must be an integer >= ${min}, got ${value}`);
  return value;
}

/** Numbers as a Float64Array: the array itself when it already is one (ownership passes to the model). */
export function toFloat64(values: ArrayLike<number>, field: string, expectedLength?: number): Float64Array {
  const out = values instanceof Float64Array ? values : Float64Array.from(values);
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw modelError(`${field} has ${out.length} values, expected ${expectedLength}`);
  }
  return out;
}

/**
 * Integers as an Int32Array. Accepts a BigInt64Array too (numpy intp arrays read from a pickle), as
 * long as every value fits in 32 bits.
 */
export function toInt32(
  values: ArrayLike<number> | BigInt64Array,
  field: string,
  expectedLength?: number,
): Int32Array {
  let out: Int32Array;
  if (values instanceof Int32Array) out = values;
  else if (values instanceof BigInt64Array) {
    out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as bigint;
      if (v < -2147483648n || v > 2147483647n)
        throw modelError(`${field}[${i}] = ${v} does not fit in 32 bits`);
      out[i] = Number(v);
    }
  } else {
    out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
        throw modelError(`${field}[${i}] = ${v} is not a 32-bit integer`);
      }
      out[i] = v;
    }
  }
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw modelError(`${field} has ${out.length} values, expected ${expectedLength}`);
  }
  return out;
}
