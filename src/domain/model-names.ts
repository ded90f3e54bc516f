/**
 * The regressors a user can train, tune and name in `--model` (DESIGN §6): what the ml layer builds,
 * the services accept and the interfaces offer.
 */

export const MODEL_NAMES = ['ridge', 'random_forest', 'gradient_boosting', 'lasso'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/**
 * What `pbi train --model all` trains: the legacy app's three trained models. Lasso was only on
 * its tuning page, so it is trained when asked for by name (and its small alphas are slow).
 */
export const TRAIN_ALL_MODELS: readonly ModelName[] = ['ridge', 'random_forest', 'gradient_boosting'];
