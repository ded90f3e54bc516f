/**
 * Limits that the CLI, the API and the services share, so one value is accepted or refused the
 * same way everywhere.
 */

/** The largest seed of the seeded RNG (it keeps 32 bits), for every command and endpoint. */
export const MAX_SEED = 2 ** 32 - 1;
