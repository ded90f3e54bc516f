/**
 * Typed hyperparameters of a training request checked against the models' schemas (the value
 * rule is `valueProblem` in search-space.ts, shared with search spaces).
 */
import { FieldError, type ErrorIssue } from '../domain/errors.js';
import type { ParamSet, ParamValue } from '../domain/params.js';
import type { ModelName } from '../domain/model-names.js';
import { paramNames, snakeKey, valueProblem } from './search-space.js';

/**
 * Checks typed hyperparameters for the given models (snake_case or camelCase keys): each key must
 * belong to at least one of them, and with several models a key applies to every model that has it.
 * `field(key)` names a parameter in the issues (default `params.<key>`).
 * @returns the snake_case parameters of each model.
 * @throws FieldError listing every problem, each naming its field.
 */
export function checkParams(
  models: readonly ModelName[],
  params: ParamSet,
  field: (key: string) => string = (key) => `params.${key}`,
): Map<ModelName, ParamSet> {
  const issues: ErrorIssue[] = [];
  const given = new Map<string, ParamValue>();
  for (const [rawKey, value] of Object.entries(params)) {
    const key = snakeKey(rawKey);
    if (given.has(key)) issues.push({ where: field(key), reason: `${key} is given twice` });
    else given.set(key, value);
  }
  const out = new Map<ModelName, ParamSet>(models.map((m) => [m, {}]));
  for (const [key, value] of given) {
    const owners = models.filter((m) => paramNames(m).includes(key));
    if (owners.length === 0) {
      const known = [...new Set(models.flatMap(paramNames))].join(', ');
      issues.push({
        where: field(key),
        reason: `unknown parameter "${key}" for ${models.join(', ')}; known: ${known}`,
      });
      continue;
    }
    for (const model of owners) {
      const problem = valueProblem(model, key, value);
      if (problem !== null) issues.push({ where: field(key), reason: problem });
      else out.set(model, { ...out.get(model), [key]: value });
    }
  }
  if (issues.length) throw new FieldError('invalid hyperparameters', issues);
  return out;
}
