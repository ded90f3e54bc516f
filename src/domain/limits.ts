/**
 * Limits that the CLI, the API and the services share, so one value is accepted or refused the
 * same way everywhere.
 */

import { FieldError } from './errors.js';

/** The largest seed of the seeded RNG (it keeps 32 bits), for every command and endpoint. */
export const MAX_SEED = 2 ** 32 - 1;

/** Checks a requested seed. @throws FieldError naming `seed` unless a whole number in [0, MAX_SEED]. */
export function checkSeed(seed: number): void {
  if (Number.isSafeInteger(seed) && seed >= 0 && seed <= MAX_SEED) return;
  throw new FieldError(
    (n) => `${n('seed')} must be a whole number from 0 to ${MAX_SEED}, got ${seed}`,
    [{ where: 'seed', reason: `expected a whole number from 0 to ${MAX_SEED}` }],
  );
}
