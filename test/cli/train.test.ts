/**
 * `pbi features export`, `pbi train` and `pbi models predict` as the real executable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatureMatrix, parseFeatureCsv } from '../../src/ml/features/index.js';
import { deserializeModel } from '../../src/ml/models/index.js';
import { renderTrainReport } from '../../src/interfaces/cli/commands/train.js';
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

async function modelCount(file: string): Promise<number> {
  const r = await runPbi(['--db', file, '--json', 'models', 'list']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).models.length;
}

describe('pbi features export', () => {
  it('writes draw_date, every feature by name and the six targets: exactly the training matrix', async () => {
    const file = path.join(dir, 'features.csv');
    const r = await runPbi(['--db', db, '--json', 'features', 'export', file]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ rows: 1290, features: 434, firstDate: '2016-09-21', warmup: 100 });
    const csv = parseFeatureCsv(fs.readFileSync(file, 'utf8'), 'features.csv');
    const store = openStore(db);
    try {
      const m = buildFeatureMatrix(store.draws.list());
      expect(csv.names).toEqual(m.names);
      expect(csv.dates).toEqual(m.dates);
      expect(Buffer.from(csv.x.data.buffer).equals(Buffer.from(m.x.data.buffer))).toBe(true);
      expect(Buffer.from(csv.y!.data.buffer).equals(Buffer.from(m.y.data.buffer))).toBe(true);
    } finally {
      store.close();
    }
  });
});

describe('pbi train', () => {
  it('prints a per-fold table with the baselines and registers a version', async () => {
    const r = await runPbi(['--db', db, 'train', '--model', 'ridge', '--folds', '3', '--param', 'alpha=2']);
    expect(r.stderr).toBe(''); // no progress bar when stderr is not a terminal
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ridge@1\s+alpha=2/);
    expect(r.stdout).not.toMatch(/alpha chosen by/); // an explicit alpha is the legacy model
    expect(r.stdout).toMatch(/ridge@1 registered inactive: it does not beat the naive baselines: CV MAE/);
    expect(r.stdout).toMatch(/fold\s+train\s+test\s+MAE\s+MAE w1/);
    expect(r.stdout).toMatch(/^mean\s/m);
    expect(r.stdout).toMatch(/training_mean MAE\s+order_statistics MAE/);
    expect(r.stdout.split('\n').filter((l) => /^\s*[123]\s+\d+\s+\d+\s/.test(l))).toHaveLength(3);
  });

  it('--json reports the version; models predict on exported rows reproduces the stored model', async () => {
    const r = await runPbi([
      '--db',
      db,
      '--json',
      'train',
      '--model',
      'ridge',
      '--folds',
      '2',
      '--seed',
      '5',
      '--activate',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // --activate forces a version that does not beat the baselines to become active, and says so.
    expect(report.models[0]).toMatchObject({ name: 'ridge', version: 2, active: true });
    expect(report.models[0].activation).toMatch(/^activated by --activate although it does not beat/);
    expect(report.seed).toBe(5);
    // No --param: ridge's alpha is chosen by nested time-series CV, stored and printed.
    expect(report.models[0].hyperparameters).toEqual({ alpha: 'auto', fit_intercept: true });
    const selection = report.models[0].alphaSelection;
    expect(selection).toMatchObject({ innerFolds: 2, rows: 1290 });
    expect(selection.curve).toHaveLength(33);
    expect(renderTrainReport(report)).toContain(
      `alpha chosen by 2-fold time-series CV on all 1290 rows: ${selection.alpha >= 1e4 ? selection.alpha.toExponential(2) : selection.alpha}`,
    );
    expect(renderTrainReport(report)).toMatch(/alpha → CV MAE: 0\.01 \d+\.\d\d, 0\.01778 /);
    // The registry shows the stored choice and its curve too.
    const shown = await runPbi(['--db', db, 'models', 'show', 'ridge@2']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/alpha chosen\s+\S+ by 2-fold time-series CV on 1290 rows \(nested\)/);
    expect(shown.stdout).toMatch(/alpha → CV MAE\s+0\.01 \d+\.\d\d, 0\.01778 \d+\.\d\d,/);

    const file = path.join(dir, 'rows.csv');
    expect((await runPbi(['--db', db, 'features', 'export', file])).code).toBe(0);
    const p = await runPbi(['--db', db, '--json', 'models', 'predict', 'ridge@2', '--input', file]);
    expect(p.stderr).toBe('');
    expect(p.code).toBe(0);
    const out = JSON.parse(p.stdout);
    expect(out).toMatchObject({ model: 'ridge', version: 2, rows: 1290 });
    const store = openStore(db);
    try {
      const stored = store.models.loadModel('ridge', 2);
      const m = buildFeatureMatrix(store.draws.list());
      const want = deserializeModel(stored.artifact).predict(m.x);
      expect(out.predictions.flat()).toEqual(Array.from(want.data));
    } finally {
      store.close();
    }
    const text = await runPbi(['--db', db, 'models', 'predict', 'ridge', '--input', file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ridge@2 \(ridge, trained\) on 1290 row/);
    expect(text.stdout).toMatch(/draw_date\s+target_w1/);
  });

  it.each([
    [['--model', 'svm'], /--model must be one of ridge, random_forest, gradient_boosting, lasso, all/],
    [['--model', 'ridge', '--param', 'depth=3'], /--param depth: unknown parameter "depth" for ridge/],
    // Hyperparameters are decimal: pbi tune refuses 0x10 by the same rule.
    [
      ['--model', 'ridge', '--param', 'alpha=0x10'],
      /--param alpha: alpha of ridge must be a number \(written in decimal\), got "0x10"/,
    ],
    [['--model', 'ridge', '--param', 'alpha=1,2'], /--param alpha takes one value here/],
    [['--model', 'random_forest', '--param', 'n_estimators=many'], /n_estimators/],
    [['--model', 'ridge', '--folds', '1'], /--folds/],
  ])('pbi train %j is a usage error (exit 2) and registers nothing', async (args, message) => {
    const before = await modelCount(db);
    const r = await runPbi(['--db', db, 'train', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(await modelCount(db)).toBe(before);
  });

  it('an empty database is a clear error with exit 1', async () => {
    const empty = path.join(dir, 'empty.db');
    const r = await runPbi(['--db', empty, 'train', '--model', 'ridge']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no draws of the current era \(since 2015-10-07\) are stored; run `pbi init`/);
    const e = await runPbi(['--db', empty, '--json', 'features', 'export', path.join(dir, 'none.csv')]);
    expect(e.code).toBe(1);
    expect(JSON.parse(e.stderr).error.code).toBe('INSUFFICIENT_DATA');
    expect(await modelCount(empty)).toBe(0);
  });

  it('models predict with a bad reference, an unknown model or a malformed file exits 1', async () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'freq_w_1_10\nabc\n');
    const r1 = await runPbi(['--db', db, 'models', 'predict', 'ridge@x', '--input', bad]);
    expect(r1.code).toBe(1);
    const r2 = await runPbi(['--db', db, 'models', 'predict', 'lasso', '--input', bad]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/lasso/);
    const r3 = await runPbi(['--db', db, 'models', 'predict', 'ridge', '--input', bad]);
    expect(r3.code).toBe(1);
    expect(r3.stderr).toMatch(/bad\.csv:2/);
  });
});
