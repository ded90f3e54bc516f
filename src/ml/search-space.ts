/**
 * Hyperparameter search spaces: building (value lists, a JSON space file), the rule every
 * hyperparameter value follows, validation against the model's own hyperparameter checks, grid enumeration and seeded random
 * sampling. Pure: no I/O, all randomness from the given seed.
 *
 * Keys are accepted in scikit-learn's snake_case (`n_estimators`) or the regressors' camelCase
 * (`nEstimators`) and always stored in snake_case, as users type them.
 *
 * A space maps each key to either a list of values (grid- or random-searchable) or a range
 * `{ "int": [lo, hi] }` / `{ "float": [lo, hi], "log": true }` (random search only).
 */
import { FieldError, PbiError, ValidationError, type ErrorIssue } from '../domain/errors.js';
import { GRADIENT_BOOSTING_DEFAULTS, GradientBoostingRegressor } from './gradient-boosting.js';
import { LASSO_DEFAULTS, LassoRegressor } from './lasso.js';
import { RANDOM_FOREST_DEFAULTS, RandomForestRegressor } from './random-forest.js';
import type { Regressor } from './regressor.js';
import { RIDGE_DEFAULTS, RidgeRegressor } from './ridge.js';
import { RidgeAlphaCvRegressor } from './ridge-alpha.js';
import { Rng } from './rng.js';
import { MODEL_NAMES, type ModelName } from '../domain/model-names.js';

import type { ParamSet, ParamValue } from '../domain/params.js';

export type { ParamSet, ParamValue };
export type ParamDomain =
  | { readonly values: readonly ParamValue[] }
  | { readonly int: readonly [number, number]; readonly log?: boolean }
  | { readonly float: readonly [number, number]; readonly log?: boolean };
export type SearchSpace = Readonly<Record<string, ParamDomain>>;
export type SearchKind = 'grid' | 'random';

interface ModelEntry {
  readonly defaults: object;
  readonly create: (params: Record<string, unknown>) => Regressor;
}

const MODELS: Record<ModelName, ModelEntry> = {
  ridge: { defaults: { ...RIDGE_DEFAULTS, alpha: 'auto' }, create: createRidge },
  random_forest: { defaults: RANDOM_FOREST_DEFAULTS, create: (p) => new RandomForestRegressor(p) },
  gradient_boosting: {
    defaults: GRADIENT_BOOSTING_DEFAULTS,
    create: (p) => new GradientBoostingRegressor(p),
  },
  lasso: { defaults: LASSO_DEFAULTS, create: (p) => new LassoRegressor(p) },
};

/**
 * Ridge for train/tune parameters: `alpha` omitted or `auto` chooses it by nested time-series CV
 * (ridge-alpha.ts); a number gives the plain scikit-learn-equal ridge at that alpha.
 * @throws ValidationError for any other alpha or a bad fitIntercept.
 */
function createRidge(p: Record<string, unknown>): Regressor {
  if (p.alpha !== undefined && p.alpha !== 'auto' && typeof p.alpha !== 'number') {
    throw new ValidationError(`alpha must be "auto" or a number >= 0, got ${String(p.alpha)}`, [
      { where: 'alpha', reason: 'expected "auto" or a number >= 0' },
    ]);
  }
  if (typeof p.alpha === 'number') return new RidgeRegressor(p);
  const checked = new RidgeRegressor({ ...p, alpha: 1 }); // checks fitIntercept
  return new RidgeAlphaCvRegressor({ fitIntercept: checked.params.fitIntercept });
}

/**
 * The default spaces: around the legacy defaults, wide enough to matter, cheap enough that a random
 * search of 20 gradient-boosting trials (5-fold CV each) over the real history fits its 60 s budget
 * on two cores. The cost of a boosting trial grows with stages × depth × rows sampled, so the space
 * stops at 100 stages of depth 4 and includes row subsampling; widen it with a space file when time allows.
 */
export const DEFAULT_SPACES: Readonly<Record<ModelName, SearchSpace>> = {
  ridge: { alpha: { values: ['auto', 0.1, 1, 10, 100, 1000, 10000, 100000] } },
  random_forest: {
    n_estimators: { values: [50, 100] },
    max_depth: { values: [3, 5, 8, 10] },
    min_samples_leaf: { values: [2, 5, 10, 20] },
    max_features: { values: [0.1, 0.3, 'sqrt', 1.0] },
  },
  gradient_boosting: {
    n_estimators: { values: [50, 100] },
    learning_rate: { values: [0.01, 0.03, 0.1, 0.3] },
    max_depth: { values: [2, 3, 4] },
    subsample: { values: [0.5, 0.8, 1.0] },
  },
  // Log-spaced 1e-3 .. 10 as a list, so both grid and random search can use it. Below about 0.1
  // the real matrix needs all 1000 passes (seconds per fit); at 10 only a handful stay non-zero.
  lasso: { alpha: { values: [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] } },
};

/** snake_case of a key (`nEstimators` → `n_estimators`). */
export function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** camelCase of a key (`n_estimators` → `nEstimators`), as the regressors name them. */
export function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Checks a model name.
 * @throws ValidationError (INVALID_INPUT) listing the known models.
 */
export function checkModelName(name: string): ModelName {
  if (!(MODEL_NAMES as readonly string[]).includes(name))
    throw new ValidationError(`unknown model "${name}"; known models: ${MODEL_NAMES.join(', ')}`, [
      { where: 'model', reason: 'unknown model' },
    ]);
  return name as ModelName;
}

/** The hyperparameter names a model accepts, snake_case. */
export function paramNames(model: ModelName): string[] {
  return Object.keys(MODELS[model].defaults).map(snakeKey);
}

/** The model's defaults, snake_case keys. */
export function defaultParams(model: ModelName): ParamSet {
  return Object.fromEntries(
    Object.entries(MODELS[model].defaults).map(([k, v]) => [snakeKey(k), v as ParamValue]),
  );
}

/**
 * The regressor for a model with the given (snake_case or camelCase) hyperparameters, defaults for
 * the rest.
 * @throws ValidationError for an unknown key or an invalid value (named by the regressor).
 */
export function createRegressor(model: ModelName, params: ParamSet): Regressor {
  const entry = MODELS[model];
  const camel: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    const key = camelKey(k);
    if (!(key in entry.defaults)) throw unknownParam(model, k);
    camel[key] = v;
  }
  return entry.create(camel);
}

function unknownParam(model: ModelName, key: string): ValidationError {
  return new ValidationError(
    `unknown parameter "${key}" for ${model}; known: ${paramNames(model).join(', ')}`,
    [{ where: key, reason: 'unknown parameter' }],
  );
}

const WORD = /^[A-Za-z][A-Za-z0-9_]*$/;

const show = (v: ParamValue): string => (typeof v === 'string' ? `"${v}"` : String(v));

/**
 * The one rule for a hyperparameter value, however it arrives (a flag parsed by the CLI, a JSON
 * body, a space file): it must have the parameter's type — true/false for a flag parameter, a
 * decimal number for a numeric one — and pass the regressor's own checks (ranges, named choices).
 * Text that only another notation makes a number (`0x10`, `0b1`) is refused: hyperparameters are
 * decimal.
 *
 * Why `value` is not a valid `key` (snake_case, known to the model) of `model`, or null when it is.
 * Type problems are checked first, then the regressor's own checks decide (ranges, named choices).
 */
export function valueProblem(model: ModelName, key: string, value: ParamValue): string | null {
  const def = defaultParams(model)[key];
  if (typeof def === 'boolean' && typeof value !== 'boolean')
    return `${key} of ${model} must be true or false, got ${show(value)}`;
  if (typeof def !== 'boolean' && typeof value === 'boolean')
    return `${key} of ${model} must be a number, got ${value}`;
  if (typeof value === 'string' && !WORD.test(value)) {
    // A word may be a named choice (max_features=sqrt, alpha=auto); anything else is a bad number.
    const hint = value.trim() !== '' && Number.isFinite(Number(value)) ? ' (written in decimal)' : '';
    if (typeof def === 'number' || hint !== '')
      return `${key} of ${model} must be a number${hint}, got ${show(value)}`;
  }
  try {
    createRegressor(model, { [key]: value });
  } catch (error) {
    if (!(error instanceof PbiError)) throw error;
    return `${model}: ${error.message}`;
  }
  return null;
}

/**
 * A search space of value lists (what `pbi tune --param KEY=V1,V2` and the API's `params` give),
 * keys in snake_case.
 * @throws FieldError when two keys name the same parameter (`nEstimators` and `n_estimators`).
 */
export function spaceOfValues(
  params: Readonly<Record<string, readonly ParamValue[]>>,
  field: (key: string) => string = (key) => `params.${key}`,
): SearchSpace {
  const space: Record<string, ParamDomain> = {};
  const issues: ErrorIssue[] = [];
  for (const [k, values] of Object.entries(params)) {
    const key = snakeKey(k);
    if (key in space) issues.push({ where: field(key), reason: `${key} is given twice` });
    else space[key] = { values: [...values] };
  }
  if (issues.length) throw new FieldError('invalid search space', issues);
  return space;
}

/**
 * Parses a JSON space file: `{ "key": [v1, v2], "key2": { "int": [lo, hi] }, "key3": { "float": [lo, hi], "log": true } }`.
 * @throws ValidationError (MALFORMED_FILE for bad JSON) naming the key.
 */
export function parseSpaceJson(text: string, source = 'space file'): SearchSpace {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PbiError('MALFORMED_FILE', `${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ValidationError(`${source} must hold a JSON object of parameter → values`);
  const space: Record<string, ParamDomain> = {};
  const issues: ErrorIssue[] = [];
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const key = snakeKey(k);
    if (Array.isArray(v)) {
      if (v.every((x) => x === null || ['number', 'string', 'boolean'].includes(typeof x)))
        space[key] = { values: v as ParamValue[] };
      else issues.push({ where: key, reason: 'list values must be numbers, strings, booleans or null' });
      continue;
    }
    if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      const kind = 'int' in o ? 'int' : 'float' in o ? 'float' : null;
      const range = kind ? o[kind] : null;
      const extra = Object.keys(o).filter((x) => x !== kind && x !== 'log');
      if (
        kind &&
        Array.isArray(range) &&
        range.length === 2 &&
        range.every((x) => typeof x === 'number' && Number.isFinite(x)) &&
        extra.length === 0 &&
        (o.log === undefined || typeof o.log === 'boolean')
      ) {
        const r = [range[0] as number, range[1] as number] as const;
        space[key] = kind === 'int' ? { int: r, log: o.log === true } : { float: r, log: o.log === true };
        continue;
      }
    }
    issues.push({
      where: key,
      reason: 'expected a list of values, {"int": [lo, hi]} or {"float": [lo, hi], "log"?: bool}',
    });
  }
  if (issues.length)
    throw new ValidationError(
      `${source} has ${issues.length} invalid entr${issues.length === 1 ? 'y' : 'ies'}`,
      issues,
    );
  return space;
}

/**
 * Checks a space against the model: known keys, non-empty lists, ordered ranges, and every value
 * (each list value, both range ends) by the rule of {@link valueProblem}. `field(key)` names a key
 * in the issues (default: the key itself, as in a space file).
 * @throws FieldError listing every problem.
 */
export function validateSpace(
  model: ModelName,
  space: SearchSpace,
  field: (key: string) => string = (key) => key,
): void {
  const keys = Object.keys(space);
  if (keys.length === 0)
    throw new ValidationError(
      'the search space is empty: give values to try for a parameter, or a space file',
      [{ where: 'params', reason: 'no parameters' }],
    );
  const known = new Set(paramNames(model));
  const issues: ErrorIssue[] = [];
  for (const key of keys) {
    const where = field(key);
    if (!known.has(key)) {
      issues.push({ where, reason: `unknown parameter for ${model}; known: ${[...known].join(', ')}` });
      continue;
    }
    const d = space[key] as ParamDomain;
    let probes: ParamValue[];
    if ('values' in d) {
      if (d.values.length === 0) {
        issues.push({ where, reason: 'no values' });
        continue;
      }
      probes = [...d.values];
    } else {
      const [lo, hi] = 'int' in d ? d.int : d.float;
      if (!(lo <= hi)) issues.push({ where, reason: `range [${lo}, ${hi}] is empty` });
      if ('int' in d && !(Number.isInteger(lo) && Number.isInteger(hi)))
        issues.push({ where, reason: 'int range ends must be integers' });
      if (d.log && !(lo > 0)) issues.push({ where, reason: 'a log range must be positive' });
      probes = [lo, hi];
    }
    for (const v of probes) {
      const problem = valueProblem(model, key, v);
      if (problem !== null) issues.push({ where, reason: `value ${JSON.stringify(v)}: ${problem}` });
    }
  }
  if (issues.length) throw new FieldError(`invalid search space for ${model}`, issues);
}

/** Number of grid points, or null when a key is a range (not enumerable). */
export function gridSize(space: SearchSpace): number | null {
  let n = 1;
  for (const d of Object.values(space)) {
    if (!('values' in d)) return null;
    n *= d.values.length;
  }
  return n;
}

/** Every combination, the last key varying fastest. */
export function enumerateGrid(space: SearchSpace): ParamSet[] {
  const keys = Object.keys(space);
  let out: Record<string, ParamValue>[] = [{}];
  for (const key of keys) {
    const d = space[key] as ParamDomain;
    if (!('values' in d))
      throw new ValidationError(`${key} is a range; a grid search needs a list of values`);
    const next: Record<string, ParamValue>[] = [];
    for (const partial of out) for (const v of d.values) next.push({ ...partial, [key]: v });
    out = next;
  }
  return out;
}

/** Rounds a sampled float to 4 significant digits, so runs show readable values. */
function round4(v: number): number {
  return Number(v.toPrecision(4));
}

function sampleDomain(d: ParamDomain, rng: Rng): ParamValue {
  if ('values' in d) return d.values[rng.nextInt(d.values.length)] as ParamValue;
  if ('int' in d) {
    const [lo, hi] = d.int;
    if (d.log)
      return Math.min(
        hi,
        Math.max(lo, Math.round(Math.exp(Math.log(lo) + rng.nextFloat() * (Math.log(hi) - Math.log(lo))))),
      );
    return lo + rng.nextInt(hi - lo + 1);
  }
  const [lo, hi] = d.float;
  if (d.log) return round4(Math.exp(Math.log(lo) + rng.nextFloat() * (Math.log(hi) - Math.log(lo))));
  return round4(lo + rng.nextFloat() * (hi - lo));
}

/**
 * The trials of a search: the whole grid (in order), or `trials` seeded random draws, distinct
 * where the space allows it.
 * @throws ValidationError when a grid is larger than the trial budget (saying how large), or a
 *   grid is asked of a space with ranges.
 */
export function planTrials(options: {
  readonly space: SearchSpace;
  readonly search: SearchKind;
  readonly trials: number;
  readonly seed: number;
}): ParamSet[] {
  const { space, search, trials } = options;
  if (!Number.isInteger(trials) || trials < 1)
    throw new FieldError('invalid trial budget', [{ where: 'trials', reason: `must be ≥ 1, got ${trials}` }]);
  if (search === 'grid') {
    const size = gridSize(space);
    if (size === null) {
      const ranges = Object.entries(space)
        .filter(([, d]) => !('values' in d))
        .map(([k]) => k);
      throw new ValidationError(
        `a grid search needs lists of values, but ${ranges.join(', ')} ${ranges.length === 1 ? 'is a range' : 'are ranges'}; use a random search`,
        ranges.map((k) => ({ where: k, reason: 'range in a grid search' })),
      );
    }
    if (size > trials)
      throw new FieldError('the grid is larger than the trial budget', [
        {
          where: 'trials',
          reason: `the grid has ${size} combinations, more than the trial budget of ${trials}; raise it to ${size} or shrink the space`,
        },
      ]);
    return enumerateGrid(space);
  }
  const rng = new Rng(options.seed);
  const finite = gridSize(space);
  const seen = new Set<string>();
  const out: ParamSet[] = [];
  for (let t = 0; t < trials; t++) {
    let p: Record<string, ParamValue> = {};
    // Every trial uses the same fit seed, so a repeated point would only repeat a result: draw
    // distinct points, and stop early once a finite space is exhausted.
    for (let attempt = 0; attempt < 100; attempt++) {
      p = {};
      for (const [k, d] of Object.entries(space)) p[k] = sampleDomain(d, rng);
      if (!seen.has(JSON.stringify(p))) break;
      if (finite !== null && seen.size >= finite) break;
    }
    const id = JSON.stringify(p);
    if (finite !== null && seen.size >= finite && seen.has(id)) break;
    seen.add(id);
    out.push(p);
  }
  return out;
}
