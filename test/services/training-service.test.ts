/**
 * The training pipeline on a real SQLite database holding the bundled history: CV, registration,
 * running the stored model on exported rows, and every bad request of issue 4 (nothing registered).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draw } from '../../src/domain/draw.js';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import { PbiError } from '../../src/domain/errors.js';
import { buildFeatureMatrix, parseFeatureCsv } from '../../src/ml/features/index.js';
import { deserializeModel } from '../../src/ml/models/index.js';
import { expectedOrderStatistics, range, timeSeriesSplit } from '../../src/ml/cv.js';
import { selectRows } from '../../src/ml/matrix.js';
import { maeOfConstant, maePerTarget, overallMae } from '../../src/ml/metrics.js';
import { RidgeRegressor } from '../../src/ml/ridge.js';
import { MLPredictionService } from '../../src/services/ml-prediction-service.js';
import { checkParams } from '../../src/ml/param-check.js';
import { TARGET_KEYS } from '../../src/services/training-service.js';
import { makeTestContext, type TestContext } from '../support/test-db.js';

let ctx: TestContext;
let svc: MLPredictionService;
beforeAll(() => {
  ctx = makeTestContext();
  svc = new MLPredictionService(ctx);
  svc.draws.init();
});
afterAll(() => ctx.cleanup());

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof PbiError) return error.code;
    throw error;
  }
  throw new Error('expected a PbiError');
}

describe('train', () => {
  it('cross-validates ridge, registers a version with everything needed to reproduce it', () => {
    const progress: number[] = [];
    const report = svc.training.train({
      model: 'ridge',
      params: { alpha: 10 },
      folds: 4,
      seed: 7,
      activate: true, // forced: alpha = 10 does not beat the baselines (the rule is tested in model-activation)
      onProgress: (p) => progress.push(p.fraction),
    });
    const m = svc.features.matrix();
    expect(report.data.rows).toBe(m.x.rows);
    expect(report.models).toHaveLength(1);
    const r = report.models[0]!;
    expect(r.name).toBe('ridge');
    expect(r.version).toBe(1);
    expect(r.hyperparameters.alpha).toBe(10);
    expect(r.folds).toHaveLength(4);
    // Each fold's errors are those of a direct CV: ridge(alpha 10) fitted on the fold's training
    // rows, scored on its test rows, with both naive baselines on the same rows.
    const splits = timeSeriesSplit(m.x.rows, 4);
    const constant = expectedOrderStatistics();
    r.folds.forEach((f, i) => {
      const s = splits[i]!;
      const train = range(0, s.trainEnd);
      const test = range(s.testStart, s.testEnd);
      const yTest = selectRows(m.y, test);
      const fit = new RidgeRegressor({ alpha: 10 }).fit(selectRows(m.x, train), selectRows(m.y, train), {
        seed: 7,
      });
      const mae = maePerTarget(fit.predict(selectRows(m.x, test)), yTest);
      expect([f.trainSize, f.testSize]).toEqual([train.length, test.length]);
      expect(f.metrics.mae).toBeCloseTo(overallMae(mae), 9);
      TARGET_KEYS.forEach((t, o) => expect(f.metrics[`mae_${t}`]).toBeCloseTo(mae[o] as number, 9));
      expect(Object.keys(f.baselines ?? {}).sort()).toEqual(['order_statistics', 'training_mean']);
      expect(f.baselines?.order_statistics?.mae).toBeCloseTo(overallMae(maeOfConstant(constant, yTest)), 9);
    });
    // The report's CV error is the mean over the folds.
    expect(r.cv.mae).toBeCloseTo(r.folds.reduce((a, f) => a + (f.metrics.mae as number), 0) / 4, 9);
    // Expanding window: each fold trains on more rows than the one before.
    expect(r.folds.map((f) => f.trainSize)).toEqual(
      [...r.folds.map((f) => f.trainSize)].sort((a, b) => a! - b!),
    );
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toBe(1);

    const stored = ctx.store.models.loadModel('ridge', 'active');
    expect(stored.version).toBe(1);
    expect(stored.seed).toBe(7);
    expect(stored.featureNames).toEqual(m.names);
    expect(stored.hyperparameters).toMatchObject({ alpha: 10 });
    expect(stored.folds).toHaveLength(4);
    // The stored duration is the report's (to the microsecond), a real time taken by the fit.
    expect(stored.trainingDurationMs).toBe(Math.round(r.trainingDurationMs * 1000) / 1000);
    expect(stored.trainingDurationMs).toBeGreaterThan(0);
    expect(report.durationMs).toBeGreaterThan(r.cvDurationMs + r.trainingDurationMs);
    // The artifact is exactly the ridge fitted on every row.
    const model = deserializeModel(stored.artifact);
    const refit = new RidgeRegressor({ alpha: 10 }).fit(m.x, m.y, { seed: 7 });
    expect(Array.from(model.predict(m.x).data)).toEqual(Array.from(refit.predict(m.x).data));
  });

  it('models predict on the exported rows reproduces the stored model, whatever the column order', () => {
    const file = path.join(ctx.dir, 'features.csv');
    svc.features.exportCsv(file);
    const out = svc.models.predictFile({ name: 'ridge', version: 'active' }, file);
    const m = svc.features.matrix();
    const model = deserializeModel(ctx.store.models.loadModel('ridge', 1).artifact);
    const want = model.predict(m.x);
    expect(out.rows).toBe(m.x.rows);
    expect(out.outputs).toEqual([
      'target_w1',
      'target_w2',
      'target_w3',
      'target_w4',
      'target_w5',
      'target_pb',
    ]);
    expect(out.dates).toEqual(m.dates);
    expect(out.predictions.flat()).toEqual(Array.from(want.data));
    expect(out.ignoredColumns).toEqual([]);

    // Shuffle the columns (and drop the date and targets): same predictions.
    const csv = parseFeatureCsv(fs.readFileSync(file, 'utf8'), 'f');
    const order = csv.names.map((_, i) => i).reverse();
    const lines = [order.map((i) => csv.names[i]).join(',')];
    for (let r = 0; r < 5; r++)
      lines.push(order.map((i) => String(csv.x.data[r * csv.x.cols + i])).join(','));
    const shuffled = path.join(ctx.dir, 'shuffled.csv');
    fs.writeFileSync(shuffled, `${lines.join('\n')}\n`);
    const again = svc.models.predictFile({ name: 'ridge', version: 1 }, shuffled);
    expect(again.predictions.flat()).toEqual(Array.from(want.data.subarray(0, 5 * 6)));
    expect(again.dates).toBeNull();

    // A file missing a feature names it.
    const missing = path.join(ctx.dir, 'missing.csv');
    fs.writeFileSync(missing, 'freq_w_1_10,freq_w_2_10\n1,2\n');
    try {
      svc.models.predictFile({ name: 'ridge', version: 1 }, missing);
      expect.unreachable();
    } catch (error) {
      expect((error as PbiError).code).toBe('INVALID_INPUT');
      expect((error as PbiError).message).toMatch(
        /432 feature\(s\) the model needs are missing: freq_w_3_10/,
      );
    }
    expect(codeOf(() => svc.models.predictFile({ name: 'nope', version: 'active' }, file))).toBe('NOT_FOUND');
    expect(
      codeOf(() => svc.models.predictFile({ name: 'ridge', version: 1 }, path.join(ctx.dir, 'absent.csv'))),
    ).toBe('INVALID_INPUT');
  });

  it('trains every model with --model all, small trees, registering one new version each', () => {
    const report = svc.training.train({
      params: { n_estimators: 3, max_depth: 3 },
      folds: 2,
      seed: 1,
      activate: true,
    });
    expect(report.models.map((x) => [x.name, x.version])).toEqual([
      ['ridge', 2],
      ['random_forest', 1],
      ['gradient_boosting', 1],
    ]);
    const rf = report.models[1]!;
    expect(rf.hyperparameters).toMatchObject({ n_estimators: 3, max_depth: 3, min_samples_leaf: 2 });
    // Ridge's default alpha is chosen by nested time-series CV (issue: legacy alpha 1 loses badly).
    expect(report.models[0]!.hyperparameters).toEqual({ alpha: 'auto', fit_intercept: true });
    expect(report.models[0]!.alphaSelection?.curve).toHaveLength(33);
    for (const m of report.models) {
      expect(Number.isFinite(m.cv.mae)).toBe(true);
      expect(Object.keys(m.baselines)).toHaveLength(2);
    }
    expect(ctx.store.models.getVersion('ridge', 'active').version).toBe(2);
  });
});

describe('ridge alpha chosen by nested CV (the default)', () => {
  it('stores the chosen alpha and its curve with the version and the run; alpha=1 stays the legacy model', () => {
    const auto = svc.training.train({ model: 'ridge', folds: 3, seed: 3, activate: false });
    const r = auto.models[0]!;
    const sel = r.alphaSelection!;
    expect(sel.innerFolds).toBe(3);
    expect(sel.rows).toBe(auto.data.rows);
    expect(sel.curve.map((c) => c.alpha)[0]).toBe(0.01);
    expect(sel.curve.map((c) => c.alpha).at(-1)).toBe(1e6);
    const best = Math.min(...sel.curve.map((c) => c.mae));
    expect(sel.curve.find((c) => c.alpha === sel.alpha)!.mae).toBe(best);
    // On the real history the legacy alpha = 1 is far worse than the chosen one.
    expect(sel.curve.find((c) => c.alpha === 1)!.mae).toBeGreaterThan(2 * best);
    expect(r.cv.mae).toBeLessThan(20);
    const stored = ctx.store.models.getVersion('ridge', r.version);
    expect(stored.hyperparameters).toEqual({ alpha: 'auto', fit_intercept: true });
    expect(stored.extra?.alphaSelection).toEqual({
      chosen: sel.alpha,
      innerFolds: 3,
      rows: auto.data.rows,
      curve: sel.curve.map((c) => ({ alpha: c.alpha, mae: c.mae })),
    });
    // The artifact is the plain ridge at the chosen alpha.
    const m = buildFeatureMatrix(ctx.store.draws.list({ from: CURRENT_ERA.from }) as Draw[]);
    const plain = new RidgeRegressor({ alpha: sel.alpha }).fit(m.x, m.y, { seed: 3 });
    const model = deserializeModel(ctx.store.models.loadModel('ridge', r.version).artifact) as unknown as {
      coef: Float64Array;
    };
    expect(Array.from(model.coef)).toEqual(Array.from(plain.coef));
    const run = ctx.store.runs
      .search({ modelName: 'ridge', limit: 100 })
      .runs.find((x) => x.modelVersion === r.version);
    expect(run?.tags.alpha_chosen).toBe(String(sel.alpha));

    const legacy = svc.training.train({
      model: 'ridge',
      folds: 3,
      seed: 3,
      params: { alpha: 1 },
      activate: false,
    });
    expect(legacy.models[0]!.alphaSelection).toBeNull();
    expect(legacy.models[0]!.hyperparameters).toEqual({ alpha: 1, fit_intercept: true });
    expect(
      ctx.store.models.getVersion('ridge', legacy.models[0]!.version).extra?.alphaSelection,
    ).toBeUndefined();
    expect(legacy.models[0]!.cv.mae).toBeGreaterThan(50);
  });

  it('alpha auto is accepted by name and a word that is not auto names the field', () => {
    expect(checkParams(['ridge'], { alpha: 'auto' }).get('ridge')).toEqual({ alpha: 'auto' });
    expect(() => checkParams(['ridge'], { alpha: 'big' })).toThrow(
      /params\.alpha: ridge: alpha must be "auto"/,
    );
  });
});

describe('bad requests register nothing', () => {
  function versions(): number {
    return ctx.store.models.listModels().reduce((s, m) => s + m.versions, 0);
  }

  it.each([
    [{ model: 'svm' }, 'INVALID_INPUT', /model: "svm" is not one of/],
    [
      { model: 'ridge', params: { n_estimators: 10 } },
      'INVALID_INPUT',
      /params\.n_estimators: unknown parameter "n_estimators" for ridge/,
    ],
    [{ model: 'ridge', params: { alpha: 'abc' } }, 'INVALID_INPUT', /params\.alpha/],
    [{ model: 'ridge', params: { alpha: -1 } }, 'INVALID_INPUT', /params\.alpha/],
    // Hyperparameters are decimal: text that only another notation makes a number is refused.
    [
      { model: 'ridge', params: { alpha: '0x10' } },
      'INVALID_INPUT',
      /params\.alpha: alpha of ridge must be a number \(written in decimal\), got "0x10"/,
    ],
    [
      { model: 'random_forest', params: { n_estimators: '0x10' } },
      'INVALID_INPUT',
      /params\.n_estimators: n_estimators of random_forest must be a number \(written in decimal\)/,
    ],
    [
      { model: 'random_forest', params: { bootstrap: 1 } },
      'INVALID_INPUT',
      /bootstrap of random_forest must be true or false/,
    ],
    [
      { model: 'random_forest', params: { max_depth: true } },
      'INVALID_INPUT',
      /max_depth of random_forest must be a number/,
    ],
    [
      { model: 'random_forest', params: { n_estimators: 2.5 } },
      'INVALID_INPUT',
      /nEstimators must be an integer/,
    ],
    [{ model: 'random_forest', params: { max_features: 'cube' } }, 'INVALID_INPUT', /max_features/],
    [
      { model: 'gradient_boosting', params: { nEstimators: 5, n_estimators: 6 } },
      'INVALID_INPUT',
      /n_estimators is given twice/,
    ],
    [{ model: 'ridge', folds: 1 }, 'INVALID_INPUT', /folds: expected a whole number from 2 to 100, got 1/],
    [{ model: 'ridge', folds: 700 }, 'INVALID_INPUT', /folds: expected/],
  ])('%j → %s', (request, code, message) => {
    const before = versions();
    try {
      svc.training.train(request);
      expect.unreachable();
    } catch (error) {
      expect((error as PbiError).code).toBe(code);
      expect((error as PbiError).message).toMatch(message);
    }
    expect(versions()).toBe(before);
  });

  it('accepts typed values the models allow: null depth, sqrt features, booleans', () => {
    const p = checkParams(['random_forest', 'gradient_boosting'], {
      max_depth: null,
      max_features: 'sqrt',
      bootstrap: false,
      learningRate: 0.05,
    });
    expect(p.get('random_forest')).toEqual({ max_depth: null, max_features: 'sqrt', bootstrap: false });
    expect(p.get('gradient_boosting')).toEqual({
      max_depth: null,
      max_features: 'sqrt',
      learning_rate: 0.05,
    });
  });

  it('an empty database and too few draws for the folds are INSUFFICIENT_DATA', () => {
    const empty = makeTestContext();
    const small = makeTestContext();
    try {
      const e = new MLPredictionService(empty);
      expect(codeOf(() => e.training.train({ model: 'ridge' }))).toBe('INSUFFICIENT_DATA');
      expect(() => e.training.train({ model: 'ridge' })).toThrow(/no draws of the current era/);
      expect(codeOf(() => e.features.exportCsv(path.join(empty.dir, 'x.csv')))).toBe('INSUFFICIENT_DATA');

      // 108 current-era draws: 8 rows after the 100-draw warm-up; 3 folds need 8, 5 folds need 12.
      const s = new MLPredictionService(small);
      const era = ctx.store.draws.list({ from: CURRENT_ERA.from }).slice(0, 108) as Draw[];
      small.store.draws.apply({ insert: era, update: [], source: 'test', at: '2026-08-06T12:00:00Z' });
      expect(() => s.training.train({ model: 'ridge', folds: 5 })).toThrow(
        /5 folds need at least 12 feature rows/,
      );
      expect(s.training.train({ model: 'ridge', folds: 3 }).models[0]!.folds).toHaveLength(3);
      expect(small.store.models.listModels()).toHaveLength(1);
      expect(empty.store.models.listModels()).toHaveLength(0);
    } finally {
      empty.cleanup();
      small.cleanup();
    }
  });
});

describe('features of the stored history', () => {
  it('are the pipeline applied to the stored draws, and the next draw follows the last one', () => {
    const m = svc.features.matrix();
    const direct = buildFeatureMatrix(ctx.store.draws.list());
    expect(Buffer.from(m.x.data.buffer).equals(Buffer.from(direct.x.data.buffer))).toBe(true);
    const next = svc.features.next();
    expect(next.date > m.dates[m.dates.length - 1]!).toBe(true);
    expect(next.row).toHaveLength(m.x.cols);
    expect(svc.features.info().rows).toBe(m.x.rows);
  });
});
