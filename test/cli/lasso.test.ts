/**
 * Lasso as a user reaches it: `pbi train --model lasso`, `pbi tune --model lasso`, `pbi models
 * predict|importance` on the stored lasso, bad hyperparameters. The built CLI in a child process
 * on a real database (run `npm run build` first; `npm test` does).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatureMatrix } from '../../src/ml/features/index.js';
import { LassoRegressor } from '../../src/ml/lasso.js';
import { deserializeModel } from '../../src/ml/models/index.js';
import { openStore } from '../../src/store/store.js';
import { runPbi } from '../support/run-pbi.js';
import { makeTestDb } from '../support/test-db.js';

let dir: string;
let db: string;
beforeAll(async () => {
  ({ dir, dbPath: db } = makeTestDb({ name: 't.db' }));
  expect((await runPbi(['--db', db, 'init'])).code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function json<T>(...args: string[]): Promise<T> {
  const r = await runPbi(['--db', db, '--json', ...args], {}, 240_000);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

async function versionCount(): Promise<number> {
  const r = await json<{ models: { versions: number }[] }>('models', 'list');
  return r.models.reduce((s, m) => s + m.versions, 0);
}

describe('pbi train --model lasso', () => {
  it('cross-validates, registers a lasso version whose artifact is the fit on every row', async () => {
    const report = await json<{
      models: {
        name: string;
        version: number;
        active: boolean;
        kind: string;
        hyperparameters: object;
        cv: { mae: number };
      }[];
    }>('train', '--model', 'lasso', '--param', 'alpha=2', '--folds', '3', '--activate');
    expect(report.models).toHaveLength(1);
    expect(report.models[0]).toMatchObject({
      name: 'lasso',
      version: 1,
      active: true,
      kind: 'lasso',
      hyperparameters: { alpha: 2, fit_intercept: true, max_iter: 1000, tol: 0.0001 },
    });
    expect(Number.isFinite(report.models[0]?.cv.mae)).toBe(true);

    const store = openStore(db);
    try {
      const stored = store.models.loadModel('lasso', 1);
      const m = buildFeatureMatrix(store.draws.list());
      const want = new LassoRegressor({ alpha: 2 }).fit(m.x, m.y, { seed: 42 });
      const got = deserializeModel(stored.artifact, 'lasso');
      expect(Array.from(got.predict(m.x).data)).toEqual(Array.from(want.predict(m.x).data));
    } finally {
      store.close();
    }

    const file = path.join(dir, 'rows.csv');
    expect((await runPbi(['--db', db, 'features', 'export', file])).code).toBe(0);
    const p = await json<{ model: string; version: number; rows: number; predictions: number[][] }>(
      'models',
      'predict',
      'lasso',
      '--input',
      file,
    );
    expect(p).toMatchObject({ model: 'lasso', version: 1, rows: 1290 });
    expect(p.predictions.flat().every(Number.isFinite)).toBe(true);
  });

  it('says which outputs stopped at max_iter before converging (as scikit-learn warns)', async () => {
    // Its own copy of the database, so the versions the other tests expect are not taken.
    const copy = path.join(dir, 'warn.db');
    fs.copyFileSync(db, copy);
    const train = (json: boolean, ...params: string[]) =>
      runPbi(
        ['--db', copy, ...(json ? ['--json'] : []), 'train', '--model', 'lasso', '--folds', '2', ...params],
        {},
        240_000,
      );
    const r = await train(true, '--param', 'alpha=0.01', '--param', 'max_iter=2');
    expect(r.code).toBe(0);
    const warnings = (JSON.parse(r.stdout) as { models: { warnings: string[] }[] }).models[0]?.warnings ?? [];
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(
      /^lasso: target_w\d did not converge in 2 passes \(duality gap .+ above tol\); raise max_iter or alpha$/,
    );
    const text = await train(false, '--param', 'alpha=0.01', '--param', 'max_iter=2');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^warning: lasso: target_w\d did not converge in 2 passes/m);
    // A converged fit says nothing.
    const quiet = await train(true);
    expect((JSON.parse(quiet.stdout) as { models: { warnings: string[] }[] }).models[0]?.warnings).toEqual(
      [],
    );
  });

  it('is not part of --model all (the legacy three), and says so in the help', async () => {
    const help = await runPbi(['train', '--help']);
    expect(help.stdout).toMatch(
      /ridge, random_forest, gradient_boosting, lasso or all\s+\(ridge, random_forest,\s+gradient_boosting\)/,
    );
  });

  it.each([
    [['alpha=-1'], /alpha must be a number >= 0 and <= 1000000000000000, got -1/],
    [['alpha=abc'], /alpha must be a number >= 0 and <= 1000000000000000, got abc/],
    [['max_iter=0'], /maxIter must be an integer >= 1/],
    [
      ['n_estimators=5'],
      /unknown parameter "n_estimators" for lasso; known: alpha, fit_intercept, max_iter, tol/,
    ],
  ])('--param %j is a usage error (exit 2) and registers nothing', async (params, message) => {
    const before = await versionCount();
    const r = await runPbi([
      '--db',
      db,
      'train',
      '--model',
      'lasso',
      ...params.flatMap((p) => ['--param', p]),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(await versionCount()).toBe(before);
  });
});

describe('pbi tune --model lasso', () => {
  it('grid-searches alpha, ranks the trials and registers the best as a new lasso version', async () => {
    const r = await json<{
      trials: { rank: number | null; status: string; mae: number | null; params: { alpha: number } }[];
      registered: { name: string; version: number } | null;
    }>(
      'tune',
      '--model',
      'lasso',
      '--search',
      'grid',
      '--param',
      'alpha=1,3,10',
      '--folds',
      '3',
      '--register-best',
    );
    expect(r.trials.map((t) => t.status)).toEqual(['finished', 'finished', 'finished']);
    expect(r.trials.map((t) => t.rank)).toEqual([1, 2, 3]);
    const maes = r.trials.map((t) => t.mae as number);
    expect([...maes].sort((a, b) => a - b)).toEqual(maes);
    expect(r.registered).toMatchObject({ name: 'lasso', version: 2 });
  });

  it('rejects a negative alpha in the space, naming it', async () => {
    const r = await runPbi([
      '--db',
      db,
      'tune',
      '--model',
      'lasso',
      '--search',
      'grid',
      '--param',
      'alpha=-1,1',
    ]);
    // A value refused for --param is a usage error, for pbi tune as for pbi train.
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--param alpha: value -1: lasso: alpha must be a number >= 0/);
  });

  it('explains a lasso model by permutation importance (no trees, so no impurity)', async () => {
    const r = await json<{
      kind: string;
      impurity: unknown;
      impurityNote: string;
      permutation: { scores: unknown[] };
    }>('models', 'importance', 'lasso@1', '--repeats', '1');
    expect(r.kind).toBe('lasso');
    expect(r.impurity).toBeNull();
    expect(r.impurityNote).toMatch(/no trees/);
    expect(r.permutation.scores.length).toBe(434);
  });
});
