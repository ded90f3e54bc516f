/**
 * Hyperparameter values as users give them and runs record them: the one definition shared by the
 * numeric code (search spaces), the store (run params) and the services.
 */

/** One hyperparameter value: a number, a named choice (`sqrt`, `auto`), a flag, or null (no limit). */
export type ParamValue = number | string | boolean | null;

/** Hyperparameters by snake_case name. */
export type ParamSet = Readonly<Record<string, ParamValue>>;
