import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import { PbiError } from '../../src/domain/errors.js';
import { RandomForestRegressor } from '../../src/ml/random-forest.js';
import { serializeModel } from '../../src/ml/models/index.js';
import type { Clock } from '../../src/services/context.js';
import { recordTrainingRun, type TuneReport } from '../../src/services/experiment-service.js';
import { MLPredictionService } from '../../src/services/ml-prediction-service.js';
import { modelVerdict } from '../../src/services/model-verdict.js';
import { evaluateTrial, TrialPool } from '../../src/services/tuning-worker.js';
import { openStore } from '../../src/store/store.js';
import { makeTestDb } from '../support/test-db.js';

let dir: string;
let svc: MLPredictionService;
let tick = 0;
const start = Date.now();
const clock: Clock = { now: () => new Date(start + 1000 * tick++) };

beforeAll(() => {
  const { dir: folder, config } = makeTestDb({ name: 'x.db', prefix: 'pbi-exp-', config: { backupKeep: 2 } });
  dir = folder;
  svc = new MLPredictionService({ config, store: openStore(config.dbPath), clock });
  svc.draws.init();
});
afterAll(() => {
  svc.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function errorOf(fn: () => unknown): PbiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PbiError) return e;
    throw e;
  }
  throw new Error('expected an error');
}
async function asyncErrorOf(p: Promise<unknown>): Promise<PbiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PbiError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

const storedDigest = () => {
  const h = createHash('sha256');
  for (const d of svc.context.store.draws.list({ from: CURRENT_ERA.from }))
    h.update(`${d.date},${d.whites.join(',')},${d.powerball}\n`);
  return h.digest('hex');
};

describe('tuning with tracked runs on a real database', () => {
  let first: TuneReport;

  beforeAll(async () => {
    // alpha 0 is singular on these collinear features: a trial that fails while the search goes on.
    first = await svc.experiments.tune({
      model: 'ridge',
      search: 'grid',
      params: { alpha: [0, 10000, 100000] },
      folds: 2,
      workers: 1,
      registerBest: true,
    });
  });

  it('records every trial as a child run with params, fold history, digest and seed; a failure does not stop the search', () => {
    expect(first.trials).toHaveLength(3);
    expect(first.failed).toBe(1);
    const failed = first.trials.find((t) => t.status === 'failed');
    expect(failed?.params).toEqual({ alpha: 0 });
    expect(failed?.error).toMatch(/singular/);
    expect(first.trials.map((t) => t.rank)).toEqual([1, 2, null]);
    expect((first.trials[0]?.mae ?? 0) <= (first.trials[1]?.mae ?? 0)).toBe(true);

    const store = svc.context.store;
    const search = store.runs.require(first.searchRunId);
    expect(search).toMatchObject({ kind: 'search', status: 'finished', experiment: 'tune-ridge' });
    expect(search.tags.best_run_id).toBe(String(first.best?.runId));
    const children = store.runs.search({ parentRunId: first.searchRunId }).runs;
    expect(children).toHaveLength(3);
    const best = store.runs.require(first.best?.runId ?? -1);
    expect(best).toMatchObject({ kind: 'trial', status: 'finished', seed: 42, dataDigest: storedDigest() });
    expect(best.features.length).toBeGreaterThan(10);
    expect(best.metrics.mae).toBeCloseTo(first.best?.mae ?? NaN, 12);
    const history = store.runs.history(best.id, 'fold_mae');
    expect(history.map((p) => p.step)).toEqual([0, 1]);
    expect((history[0]!.value! + history[1]!.value!) / 2).toBeCloseTo(best.metrics.mae ?? NaN, 12);
    const failedRun = store.runs.require(failed?.runId ?? -1);
    expect(failedRun).toMatchObject({ status: 'failed', params: { alpha: 0 } });
    expect(failedRun.error).toMatch(/singular/);
  });

  it('--register-best registers the refit best as a new version, not active when one exists', async () => {
    // Active only if it beats both naive baselines (there is no active version to beat yet).
    const v1 = svc.context.store.models.getVersion('ridge', 1);
    expect(first.registered).toMatchObject({
      name: 'ridge',
      version: 1,
      active: modelVerdict(v1).beatsBaselines,
    });
    expect(String(first.registered!.activation)).toMatch(/beat/);
    const second = await svc.experiments.tune({
      model: 'ridge',
      search: 'random',
      params: { alpha: [20000, 50000] },
      trials: 2,
      folds: 2,
      workers: 1,
      experiment: 'ridge-wide',
      registerBest: true,
    });
    const v2 = svc.context.store.models.getVersion('ridge', 2);
    const earned =
      modelVerdict(v2).beatsBaselines &&
      (!v1.active || (modelVerdict(v2).cvMae as number) < (modelVerdict(v1).cvMae as number));
    expect(second.registered).toMatchObject({ name: 'ridge', version: 2, active: earned });
    expect(v2.active).toBe(earned);
    expect(v2.hyperparameters).toEqual({ alpha: second.best?.params.alpha, fit_intercept: true });
    expect(v2.folds).toHaveLength(2);
    // The same fold record as `pbi train` stores: per-target MAE and both naive baselines.
    expect(Object.keys(v2.folds[0]?.metrics ?? {})).toEqual([
      'mae',
      'mae_w1',
      'mae_w2',
      'mae_w3',
      'mae_w4',
      'mae_w5',
      'mae_pb',
    ]);
    expect(Object.keys(v2.folds[0]?.baselines ?? {})).toEqual(['training_mean', 'order_statistics']);
    expect(svc.context.store.runs.require(second.best?.runId ?? -1).modelVersion).toBe(2);
    const summary = svc.context.store.models.listModels().find((m) => m.name === 'ridge');
    expect(summary?.activeVersion ?? null).toBe(earned ? 2 : v1.active ? 1 : null);
  });

  it('lists, filters by experiment, model and threshold, orders by a metric, and compares runs', () => {
    const trials = svc.experiments.listRuns({ experiment: 'tune-ridge', kind: 'trial', orderBy: 'mae' }).runs;
    expect(trials.map((r) => r.status)).toEqual(['finished', 'finished', 'failed']);
    const worst = svc.experiments.listRuns({ kind: 'trial', orderBy: '-mae', status: 'finished' }).runs[0];
    const threshold = (first.best?.mae ?? 0) + 1e-9;
    const good = svc.experiments.listRuns({ where: [{ key: 'mae', op: '<=', value: threshold }] }).runs;
    expect(good.map((r) => r.id)).toContain(first.best?.runId);
    expect(good.every((r) => (r.metrics.mae ?? Infinity) <= threshold)).toBe(true);
    const cmp = svc.experiments.compareRuns([first.best?.runId ?? -1, worst?.id ?? -1]);
    expect(cmp.params.alpha).toHaveLength(2);
    expect(cmp.differingParams).toEqual(['alpha']);
    expect(cmp.metrics.mae?.[0]).toBeLessThanOrEqual(cmp.metrics.mae?.[1] ?? -1);
    expect(svc.experiments.showRun(first.searchRunId).children).toHaveLength(3);
  });

  it('rejects bad input with a clear INVALID_INPUT or NOT_FOUND, recording nothing', async () => {
    const before = svc.context.store.runs.search({ limit: 10_000 }).runs.length;
    const spaceFile = path.join(dir, 'space.json');
    fs.writeFileSync(spaceFile, '{}');
    const badFile = path.join(dir, 'bad.json');
    fs.writeFileSync(badFile, '{"alpha": "lots"}');
    const cases: [Parameters<typeof svc.experiments.tune>[0], RegExp][] = [
      [{ model: 'svm', search: 'grid' }, /unknown model "svm"/],
      [
        { model: 'ridge', search: 'grid', params: { gamma: [1, 2] } },
        /params\.gamma: unknown parameter for ridge/,
      ],
      [{ model: 'ridge', search: 'grid', spaceFile }, /search space is empty/],
      [{ model: 'ridge', search: 'grid', spaceFile: badFile }, /1 invalid entry/],
      [{ model: 'ridge', search: 'grid', params: { alpha: [-5] } }, /params\.alpha: value -5/],
      [
        { model: 'ridge', search: 'grid', params: { alpha: ['0x10'] } },
        /params\.alpha: value "0x10": alpha of ridge must be a number \(written in decimal\)/,
      ],
      [
        { model: 'gradient_boosting', search: 'grid', trials: 20 },
        /the grid has 72 combinations, more than the trial budget of 20/,
      ],
      [{ model: 'ridge', search: 'grid', folds: 1 }, /folds: expected a whole number from 2 to 20, got 1/],
    ];
    for (const [request, message] of cases) {
      const e = await asyncErrorOf(svc.experiments.tune(request));
      expect(e.code).toBe('INVALID_INPUT');
      expect(e.message).toMatch(message);
    }
    expect(svc.context.store.runs.search({ limit: 10_000 }).runs.length).toBe(before);
    expect(errorOf(() => svc.experiments.showRun(424242)).code).toBe('NOT_FOUND');
    const unknown = errorOf(() => svc.experiments.listRuns({ experiment: 'no-such' }));
    expect(unknown.code).toBe('NOT_FOUND');
    expect(unknown.message).toMatch(/tune-ridge/);
    expect(errorOf(() => svc.experiments.compareRuns([1])).code).toBe('INVALID_INPUT');
    expect(errorOf(() => svc.experiments.compareRuns([1, 424242])).message).toMatch(/424242/);
  });

  it('records a pbi train as a run of the training experiment', () => {
    const id = recordTrainingRun(svc.context, {
      modelName: 'ridge',
      params: { alpha: 1, fit_intercept: true },
      seed: 7,
      featureNames: ['a', 'b'],
      folds: [
        { fold: 0, metrics: { mae: 9 }, baselines: { training_mean: { mae: 8.5 } } },
        { fold: 1, metrics: { mae: 7 }, baselines: { training_mean: { mae: 8.1 } } },
      ],
      durationMs: 1234,
      modelVersion: 1,
    });
    const run = svc.context.store.runs.require(id);
    expect(run).toMatchObject({
      experiment: 'training',
      kind: 'train',
      status: 'finished',
      modelVersion: 1,
      seed: 7,
      dataDigest: storedDigest(),
      params: { alpha: 1, fit_intercept: true },
      metrics: { mae: 8, mae_std: 1, baseline_training_mean_mae: 8.3 },
    });
  });
});

describe('aliases with history through the service', () => {
  it('moves aliases, logs activations, rolls back', () => {
    const ex = svc.experiments;
    // Tuned ridges that do not beat the baselines stay inactive; activate by hand, as a user can.
    if (svc.context.store.models.listModels().find((m) => m.name === 'ridge')?.activeVersion !== 1)
      svc.context.store.models.activate('ridge', 1);
    ex.setAlias('ridge@1', 'champion');
    ex.setAlias('ridge@2', 'challenger');
    svc.context.store.models.activate('ridge', 2);
    ex.setAlias('ridge@2', 'champion');
    expect(ex.rollback('ridge', 'champion')).toEqual({ alias: 'champion', from: 2, to: 1 });
    expect(ex.rollback('ridge')).toEqual({ alias: 'active', from: 2, to: 1 });
    expect(svc.context.store.models.getVersion('ridge', 'active').version).toBe(1);
    const h = ex.aliasHistory('ridge');
    expect(h.current.map((a) => [a.alias, a.version])).toEqual([
      ['active', 1],
      ['challenger', 2],
      ['champion', 1],
    ]);
    expect(h.events.filter((e) => e.alias === 'active').map((e) => [e.previousVersion, e.version])).toEqual([
      [null, 1],
      [1, 2],
      [2, 1],
    ]);
    expect(h.events.filter((e) => e.alias === 'champion').map((e) => e.version)).toEqual([1, 2, 1]);
    expect(svc.context.store.check().ok).toBe(true);
    expect(errorOf(() => ex.setAlias('ridge@99', 'champion')).code).toBe('NOT_FOUND');
    expect(errorOf(() => ex.setAlias('ridge', 'champion')).code).toBe('INVALID_INPUT');
    expect(errorOf(() => ex.setAlias('ridge@1', 'active')).message).toMatch(/models activate/);
    expect(errorOf(() => ex.aliasHistory('nobody')).code).toBe('NOT_FOUND');
    expect(errorOf(() => ex.rollback('ridge', 'nothing')).code).toBe('NOT_FOUND');
  });
});

describe('feature importance of a stored model', () => {
  it('gives impurity importances summing to 1 and permutation importance on the last fold', () => {
    const m = svc.features.matrix();
    const rf = new RandomForestRegressor({ nEstimators: 4, maxDepth: 3 });
    const fitted = rf.fit(m.x, m.y, { seed: 3 });
    svc.context.store.models.registerModelVersion({
      name: 'random_forest',
      kind: 'random_forest',
      hyperparameters: { n_estimators: 4, max_depth: 3 },
      featureNames: m.names,
      folds: [],
      trainingDurationMs: 1,
      seed: 3,
      artifact: serializeModel(fitted),
      createdAt: clock.now().toISOString(),
    });
    const r = svc.experiments.importance('random_forest', { repeats: 1 });
    expect(r.impurity).not.toBeNull();
    const total = (r.impurity ?? []).reduce((s, x) => s + x.importance, 0);
    expect(total).toBeCloseTo(1, 9);
    expect(r.impurity?.[0]?.importance).toBeGreaterThan(0);
    // A depth-3 forest of 4 trees splits on few features: most score exactly 0.
    expect((r.impurity ?? []).filter((s) => s.importance === 0).length).toBeGreaterThan(m.names.length / 2);
    expect(r.permutation?.scores).toHaveLength(m.names.length);
    expect(r.permutation?.fold).toBe(4);
    // The permutation pass refits the recipe on the rows before the last fold: a small forest uses
    // few features, and shuffling any other feature cannot change its predictions.
    const scores = r.permutation?.scores ?? [];
    expect(scores.filter((s) => s.importance === 0 && s.std === 0).length).toBeGreaterThan(
      m.names.length / 2,
    );
    expect(scores.map((s) => s.importance)).toEqual(
      [...scores.map((s) => s.importance)].sort((a, b) => b - a),
    );
    expect(Number.isFinite(r.permutation?.baselineMae)).toBe(true);
    expect(errorOf(() => svc.experiments.importance('random_forest@7')).code).toBe('NOT_FOUND');
  });
});

describe('trial pool', () => {
  it('gives the same results on worker threads as in this thread', async () => {
    const m = svc.features.matrix();
    const task = { id: 0, model: 'ridge' as const, params: { alpha: 10 }, seed: 1, folds: 2 };
    const inline = evaluateTrial(task, m.x, m.y);
    const pool = new TrialPool(m.x, m.y, 2);
    expect(pool.threaded).toBe(true);
    try {
      const [a, b] = await Promise.all([pool.run(task), pool.run({ ...task, id: 1 })]);
      expect(inline.ok).toBe(true);
      expect(a).toMatchObject({ ok: true, folds: inline.ok ? inline.folds : [] });
      expect(b.ok).toBe(true);
    } finally {
      await pool.close();
    }
  });
});

describe('pbi train is tracked', () => {
  it('records a run of the training experiment with the version it registered', () => {
    const report = svc.training.train({ model: 'ridge', folds: 2, params: { alpha: 5000 } });
    const version = report.models[0]?.version;
    const runs = svc.experiments.listRuns({ experiment: 'training', model: 'ridge', kind: 'train' }).runs;
    const run = runs.find((r) => r.modelVersion === version);
    expect(run).toMatchObject({ status: 'finished', seed: report.seed, dataDigest: storedDigest() });
    expect(run?.params.alpha).toBe(5000);
    expect(run?.metrics.mae).toBeCloseTo(report.models[0]?.cv.mae ?? NaN, 9);
    expect(svc.context.store.runs.history(run?.id ?? -1, 'fold_mae')).toHaveLength(2);
  });
});
