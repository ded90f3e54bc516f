import { describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { serializeModel } from '../../src/ml/models/index.js';
import { remoteUnitCount, warmUpWorkers } from '../../src/ml/parallel/pool.js';
import { RandomForestRegressor, RANDOM_FOREST_DEFAULTS } from '../../src/ml/random-forest.js';
import { runRegressorConformance, syntheticProblem } from './regressor-conformance.js';
import { crossValidateInWorker } from './cv-in-worker.js';
import { loadReference } from './sklearn-fixture.js';

runRegressorConformance({
  name: 'random forest',
  create: () => new RandomForestRegressor({ nEstimators: 15, maxDepth: 8 }),
});

describe('RandomForestRegressor', () => {
  it("uses the legacy app's defaults", () => {
    expect(new RandomForestRegressor().params).toEqual({
      nEstimators: 100,
      maxDepth: 10,
      minSamplesSplit: 5,
      minSamplesLeaf: 2,
      maxFeatures: 1.0,
      bootstrap: true,
      maxBins: 255,
    });
    expect(RANDOM_FOREST_DEFAULTS.nEstimators).toBe(100);
  });

  it('grows different trees for different seeds, identical ones without bootstrap or feature sampling', () => {
    const { x, y } = syntheticProblem(200, 3);
    const a = new RandomForestRegressor({ nEstimators: 5 }).fit(x, y, { seed: 1 });
    const b = new RandomForestRegressor({ nEstimators: 5 }).fit(x, y, { seed: 2 });
    expect(Array.from(a.predict(x).data)).not.toEqual(Array.from(b.predict(x).data));
    const c = new RandomForestRegressor({ nEstimators: 3, bootstrap: false }).fit(x, y, { seed: 1 });
    const [t0, t1] = c.trees;
    expect(Array.from(t0?.threshold ?? [])).toEqual(Array.from(t1?.threshold ?? []));
    const d = new RandomForestRegressor({ nEstimators: 3, bootstrap: false, maxFeatures: 'sqrt' }).fit(x, y, {
      seed: 1,
    });
    expect(Array.from(d.trees[0]?.feature ?? [])).not.toEqual(Array.from(d.trees[1]?.feature ?? []));
    expect(c.trees.every((t) => t.nOutputs === 2)).toBe(true);
  });

  it('gives the same forest on one thread and on worker threads', async () => {
    await warmUpWorkers(3);
    const before = remoteUnitCount();
    const { x, y } = syntheticProblem(300, 8);
    const reg = new RandomForestRegressor({ nEstimators: 24 });
    const one = reg.fit(x, y, { seed: 5, threads: 1 });
    const two = reg.fit(x, y, { seed: 5, threads: 2 });
    const three = reg.fit(x, y, { seed: 5, threads: 3 });
    expect(Buffer.from(serializeModel(two)).equals(Buffer.from(serializeModel(one)))).toBe(true);
    expect(Buffer.from(serializeModel(three)).equals(Buffer.from(serializeModel(one)))).toBe(true);
    // the workers really did part of the work
    expect(remoteUnitCount()).toBeGreaterThan(before);
  });

  it('rejects invalid hyperparameters naming them', () => {
    expect(() => new RandomForestRegressor({ nEstimators: 0 })).toThrow(/nEstimators/);
    expect(() => new RandomForestRegressor({ maxDepth: 0 })).toThrow(/maxDepth/);
    expect(() => new RandomForestRegressor({ minSamplesLeaf: 0.5 })).toThrow(PbiError);
    expect(() => new RandomForestRegressor({ maxFeatures: 0 })).toThrow(/maxFeatures/);
    expect(() => new RandomForestRegressor({ maxBins: 300 })).toThrow(/maxBins/);
  });

  it("has 5-fold time-series CV MAE within 2% of scikit-learn's RandomForestRegressor", async () => {
    const ref = loadReference().cv.random_forest;
    const res = await crossValidateInWorker({ model: 'random_forest', folds: 5, seed: 42 });
    const rel = Math.abs(res.overall - ref.mean_mae) / ref.mean_mae;
    expect(rel, `ours ${res.overall}, scikit-learn ${ref.mean_mae}`).toBeLessThan(0.02);
    res.folds.forEach((f, i) =>
      expect(Math.abs(f.overall - (ref.folds[i]?.overall as number))).toBeLessThan(0.05 * f.overall),
    );
  }, 300_000);
});
