/**
 * What each model's hyperparameters are, for forms that must offer every one of them: name
 * (snake_case, as users type them), type, default and the bounds the regressor checks. Names and
 * defaults come from the regressors' own defaults, so a new hyperparameter appears here by itself;
 * the bounds are those the constructors enforce (a value outside them is refused there anyway).
 */
import { MODEL_NAMES, type ModelName } from '../domain/model-names.js';
import { defaultParams, type ParamValue } from './search-space.js';
import { MAX_DEPTH, MAX_SAMPLES, MAX_TREES } from './tree-params.js';

export interface HyperparameterSpec {
  readonly name: string;
  readonly type: 'number' | 'integer' | 'boolean' | 'choice';
  readonly default: ParamValue;
  readonly min: number | null;
  readonly max: number | null;
  /** True when the useful values are spread over orders of magnitude (a log-scale input). */
  readonly log: boolean;
  /** Words accepted besides (or instead of) a number, e.g. `auto`, `sqrt`. */
  readonly choices: readonly string[];
  /** `null` is accepted (no limit). */
  readonly nullable: boolean;
  readonly description: string;
}

type Bounds = Partial<Omit<HyperparameterSpec, 'name' | 'default'>>;

/** Bounds and meaning by key; keys missing here are described by their default's type alone. */
const BOUNDS: Readonly<Record<string, Bounds>> = {
  alpha: { type: 'number', min: 0, max: 1e15, log: true, description: 'L2 (ridge) or L1 (lasso) penalty' },
  fit_intercept: { type: 'boolean', description: 'fit an intercept' },
  n_estimators: { type: 'integer', min: 1, max: MAX_TREES, description: 'trees (or boosting stages)' },
  max_depth: {
    type: 'integer',
    min: 1,
    max: MAX_DEPTH,
    nullable: true,
    description: 'deepest split; empty: unlimited',
  },
  min_samples_split: { type: 'integer', min: 2, max: MAX_SAMPLES, description: 'rows a node needs to split' },
  min_samples_leaf: { type: 'integer', min: 1, max: MAX_SAMPLES, description: 'rows every leaf keeps' },
  max_features: {
    type: 'number',
    min: 0,
    max: MAX_SAMPLES,
    choices: ['sqrt', 'log2'],
    description: 'features tried per split: a fraction ≤ 1, a count, sqrt or log2',
  },
  bootstrap: { type: 'boolean', description: 'sample rows with replacement per tree' },
  max_bins: { type: 'integer', min: 2, max: 255, description: 'histogram bins per feature' },
  learning_rate: { type: 'number', min: 0, max: 10, log: true, description: 'shrinkage of each stage' },
  subsample: { type: 'number', min: 0, max: 1, description: 'fraction of rows per stage' },
  multi_output_trees: { type: 'boolean', description: 'one tree for all six outputs per stage' },
  max_iter: { type: 'integer', min: 1, max: 100_000, description: 'coordinate-descent passes at most' },
  tol: { type: 'number', min: 0, max: 1, log: true, description: 'stopping tolerance' },
};

function typeOf(value: ParamValue): HyperparameterSpec['type'] {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return 'choice';
}

/** Every hyperparameter of `model`, in the regressor's order. */
export function hyperparameterSpecs(model: ModelName): HyperparameterSpec[] {
  return Object.entries(defaultParams(model)).map(([name, value]) => {
    const b = BOUNDS[name] ?? {};
    const choices = [...(b.choices ?? []), ...(typeof value === 'string' ? [value] : [])];
    return {
      name,
      type: b.type ?? typeOf(value),
      default: value,
      min: b.min ?? null,
      max: b.max ?? null,
      log: b.log ?? false,
      choices: [...new Set(choices)],
      nullable: b.nullable ?? value === null,
      description: b.description ?? '',
    };
  });
}

/** Every model's hyperparameters. */
export function allHyperparameterSpecs(): { model: ModelName; params: HyperparameterSpec[] }[] {
  return MODEL_NAMES.map((model) => ({ model, params: hyperparameterSpecs(model) }));
}
