/**
 * How much work a fit asks for, estimated before anything runs, so a request for a billion trees or
 * ten thousand trials is refused at once instead of exhausting the heap or the cores for hours.
 * The unit is roughly "one feature value visited once": trees visit rows × features per level
 * (binned histograms), boosting does so per stage and per output, lasso works on the Gram matrix.
 */
import { ValidationError } from '../domain/errors.js';
import type { ModelName } from '../domain/model-names.js';
import type { ParamSet } from './search-space.js';

/** Targets every model predicts (five whites and the Powerball). */
const OUTPUTS = 6;

/**
 * The most work one request (a training of every model asked for, or a whole search) may ask for:
 * about 50 times a default gradient-boosting training on the real history (~4e8), minutes of CPU.
 */
export const MAX_WORK = 2e10;

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Estimated work of one fit of `model` with `params` (snake_case) on rows × features. */
export function fitWork(model: ModelName, params: ParamSet, rows: number, features: number): number {
  switch (model) {
    case 'ridge':
      return rows * features * features;
    case 'lasso':
      return num(params.max_iter, 1000) * features * features * OUTPUTS;
    case 'random_forest':
      return num(params.n_estimators, 100) * rows * features;
    case 'gradient_boosting':
      return num(params.n_estimators, 100) * rows * features * OUTPUTS;
  }
}

/** Work of a walk-forward cross-validation (`folds` fits) plus the final fit on every row. */
export function trainingWork(
  model: ModelName,
  params: ParamSet,
  rows: number,
  features: number,
  folds: number,
): number {
  return fitWork(model, params, rows, features) * (folds + 1);
}

/**
 * @throws ValidationError naming `where` and the limit when `work` is over MAX_WORK.
 */
export function checkWork(work: number, where: string, what: string): void {
  if (work <= MAX_WORK) return;
  throw new ValidationError(
    `${what} asks for about ${work.toExponential(1)} units of work, over the limit of ${MAX_WORK.toExponential(0)}; use fewer trees, trials or folds`,
    [{ where, reason: `estimated work ${work.toExponential(1)} > limit ${MAX_WORK.toExponential(0)}` }],
  );
}
