import { describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { MODEL_NAMES } from '../../src/domain/model-names.js';
import {
  DEFAULT_SPACES,
  checkModelName,
  createRegressor,
  gridSize,
  spaceOfValues,
  parseSpaceJson,
  planTrials,
  validateSpace,
} from '../../src/ml/search-space.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof PbiError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
  return 'no error';
}

describe('search spaces', () => {
  it('default spaces are valid for every model', () => {
    for (const m of MODEL_NAMES) expect(() => validateSpace(m, DEFAULT_SPACES[m])).not.toThrow();
  });

  it('builds a space from typed value lists, snake_case or camelCase keys', () => {
    const space = spaceOfValues({
      learningRate: [0.05, 0.1],
      max_depth: [3, null],
      max_features: ['sqrt', 0.5],
    });
    expect(space).toEqual({
      learning_rate: { values: [0.05, 0.1] },
      max_depth: { values: [3, null] },
      max_features: { values: ['sqrt', 0.5] },
    });
    expect(() => validateSpace('gradient_boosting', space)).not.toThrow();
    expect(
      createRegressor('gradient_boosting', { learning_rate: 0.05, max_depth: null }).params,
    ).toMatchObject({
      learningRate: 0.05,
      maxDepth: null,
    });
  });

  it('parses a space file with lists and ranges', () => {
    const space = parseSpaceJson('{"alpha": {"float": [0.001, 100], "log": true}}');
    expect(space).toEqual({ alpha: { float: [0.001, 100], log: true } });
    const trials = planTrials({ space, search: 'random', trials: 30, seed: 1 });
    expect(trials).toHaveLength(30);
    for (const t of trials) expect(t.alpha).toBeGreaterThanOrEqual(0.001);
    // log-uniform: about half the draws below the geometric middle (0.316).
    const below = trials.filter((t) => (t.alpha as number) < 0.316).length;
    expect(below).toBeGreaterThan(7);
    expect(below).toBeLessThan(23);
  });

  it('enumerates a grid, last key fastest', () => {
    const space = spaceOfValues({ n_estimators: [50, 100], max_depth: [2, 3, 4] });
    expect(gridSize(space)).toBe(6);
    const grid = planTrials({ space, search: 'grid', trials: 6, seed: 0 });
    expect(grid.map((p) => `${p.n_estimators}/${p.max_depth}`)).toEqual([
      '50/2',
      '50/3',
      '50/4',
      '100/2',
      '100/3',
      '100/4',
    ]);
  });

  it('random search is seeded, distinct, and stops when a finite space is exhausted', () => {
    const space = DEFAULT_SPACES.gradient_boosting;
    const a = planTrials({ space, search: 'random', trials: 20, seed: 9 });
    expect(a).toEqual(planTrials({ space, search: 'random', trials: 20, seed: 9 }));
    expect(a).not.toEqual(planTrials({ space, search: 'random', trials: 20, seed: 10 }));
    expect(new Set(a.map((p) => JSON.stringify(p))).size).toBe(20);
    const small = planTrials({
      space: spaceOfValues({ alpha: [1, 2, 3] }),
      search: 'random',
      trials: 10,
      seed: 1,
    });
    expect(small.map((p) => p.alpha).sort()).toEqual([1, 2, 3]);
  });

  it('rejects bad input with clear, typed errors', () => {
    expect(code(() => checkModelName('svm'))).toMatch(
      /INVALID_INPUT: unknown model "svm"; known models: ridge, random_forest, gradient_boosting, lasso/,
    );
    expect(code(() => validateSpace('ridge', spaceOfValues({ gamma: [1, 2] })))).toMatch(
      /INVALID_INPUT: .*gamma: unknown parameter for ridge; known: alpha/,
    );
    expect(code(() => validateSpace('ridge', {}))).toMatch(/search space is empty/);
    expect(code(() => validateSpace('ridge', spaceOfValues({ alpha: [-1, 1] })))).toMatch(/alpha: value -1/);
    expect(
      code(() => validateSpace('gradient_boosting', spaceOfValues({ learning_rate: ['fast'] }))),
    ).toMatch(/learning_rate: value "fast"/);
    expect(code(() => validateSpace('ridge', { alpha: { values: [] } }))).toMatch(/alpha: no values/);
    expect(code(() => validateSpace('ridge', { alpha: { float: [5, 1] } }))).toMatch(
      /range \[5, 1\] is empty/,
    );
    expect(code(() => spaceOfValues({ nEstimators: [1], n_estimators: [2] }))).toMatch(
      /params\.n_estimators: n_estimators is given twice/,
    );
    // Hyperparameters are decimal, in a space as in a training request.
    expect(
      code(() =>
        validateSpace('gradient_boosting', spaceOfValues({ n_estimators: ['0x10'] }), (k) => `params.${k}`),
      ),
    ).toMatch(
      /params\.n_estimators: value "0x10": n_estimators of gradient_boosting must be a number \(written in decimal\)/,
    );
    expect(code(() => validateSpace('ridge', { alpha: { values: ['0x10'] } }))).toMatch(
      /alpha: value "0x10"/,
    );
    expect(code(() => validateSpace('random_forest', { bootstrap: { values: ['yes'] } }))).toMatch(
      /bootstrap of random_forest must be true or false/,
    );
    expect(code(() => parseSpaceJson('{oops'))).toMatch(/MALFORMED_FILE/);
    expect(code(() => parseSpaceJson('{"alpha": {"range": [1, 2]}}'))).toMatch(/1 invalid entry/);
    expect(
      code(() =>
        planTrials({ space: DEFAULT_SPACES.gradient_boosting, search: 'grid', trials: 20, seed: 1 }),
      ),
    ).toMatch(/the grid has 72 combinations, more than the trial budget of 20/);
    expect(
      code(() => planTrials({ space: { alpha: { float: [1, 2] } }, search: 'grid', trials: 5, seed: 1 })),
    ).toMatch(/alpha is a range; use a random search/);
  });
});
