/**
 * Flag parsers that name the flag in their error (STYLE §8). A flag value that cannot be parsed is a
 * usage error (exit 2), like an unknown option.
 */
import { ValidationError } from '../../domain/errors.js';

/** Parses a whole number in [min, max]. @throws ValidationError naming the flag. */
export function intFlag(flag: string, min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
      throw new ValidationError(
        `${flag} must be a whole number ${range}, got "${value}"`,
        [{ where: flag, reason: `expected a whole number ${range}` }],
        'USAGE',
      );
    }
    return n;
  };
}

/** Parses one of the given choices. @throws ValidationError naming the flag. */
export function choiceFlag<T extends string>(flag: string, choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new ValidationError(
        `${flag} must be one of ${choices.join(', ')}, got "${value}"`,
        [{ where: flag, reason: 'unknown choice' }],
        'USAGE',
      );
    }
    return value as T;
  };
}
