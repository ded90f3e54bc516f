import { describe, expect, it } from 'vitest';
import { GradientBoostingRegressor } from '../../src/ml/gradient-boosting.js';
import { maePerTarget, overallMae } from '../../src/ml/metrics.js';
import { denseMatrix } from '../../src/ml/matrix.js';
import { serializeModel } from '../../src/ml/models/index.js';
import { remoteUnitCount, warmUpWorkers } from '../../src/ml/parallel/pool.js';
import { Rng } from '../../src/ml/rng.js';
import { runRegressorConformance, syntheticProblem } from './regressor-conformance.js';
import { crossValidateInWorker } from './cv-in-worker.js';
import { loadReference } from './sklearn-fixture.js';

runRegressorConformance({
  name: 'gradient boosting',
  create: () => new GradientBoostingRegressor({ nEstimators: 40, maxDepth: 3 }),
});

runRegressorConformance({
  name: 'gradient boosting with multi-output trees',
  create: () => new GradientBoostingRegressor({ nEstimators: 40, maxDepth: 3, multiOutputTrees: true }),
});

describe('GradientBoostingRegressor', () => {
  it("uses the legacy app's defaults and one single-output tree per output per stage", () => {
    expect(new GradientBoostingRegressor().params).toEqual({
      nEstimators: 100,
      learningRate: 0.1,
      maxDepth: 6,
      minSamplesSplit: 5,
      minSamplesLeaf: 2,
      subsample: 1.0,
      maxFeatures: 1.0,
      maxBins: 255,
      multiOutputTrees: false,
    });
    const { x, y } = syntheticProblem(100, 1);
    const m = new GradientBoostingRegressor({ nEstimators: 7 }).fit(x, y, { seed: 1 });
    expect(m.stages).toHaveLength(7);
    expect(m.stages.every((s) => s.length === 2 && s.every((t) => t.nOutputs === 1 && t.depth <= 6))).toBe(
      true,
    );
    expect(Array.from(m.init)).toEqual(
      [0, 1].map(
        (o) =>
          Array.from({ length: 100 }, (_, r) => y.data[r * 2 + o] as number).reduce((a, b) => a + b) / 100,
      ),
    );
  });

  it('gives the same model on one thread and on worker threads', async () => {
    await warmUpWorkers(3);
    const before = remoteUnitCount();
    const { x, y } = syntheticProblem(300, 9);
    const reg = new GradientBoostingRegressor({ nEstimators: 20, subsample: 0.8 });
    const one = serializeModel(reg.fit(x, y, { seed: 5, threads: 1 }));
    // With two outputs there are two units; on a loaded machine the calling thread may finish both
    // before a worker claims one, so fit again (same result each time) until a worker took part.
    for (let attempt = 0; attempt < 10 && remoteUnitCount() === before; attempt++) {
      const two = serializeModel(reg.fit(x, y, { seed: 5, threads: 2 }));
      expect(Buffer.from(two).equals(Buffer.from(one))).toBe(true);
    }
    expect(remoteUnitCount()).toBeGreaterThan(before);
  });

  it('gives the same model whichever way the outputs are grouped (shared root histograms)', async () => {
    await warmUpWorkers(3);
    // subsample 1.0: every stage uses all rows, so a group's roots come from one shared pass;
    // 1, 2, 3 and 4 threads group the six outputs by 6, 3, 2 and 2.
    const { x } = syntheticProblem(300, 9);
    const rng = new Rng(3);
    const y = denseMatrix(
      300,
      6,
      Float64Array.from(
        { length: 300 * 6 },
        (_, i) => (x.data[i] as number) * (1 + (i % 6)) + rng.nextFloat(),
      ),
    );
    const reg = new GradientBoostingRegressor({ nEstimators: 15, maxDepth: 4 });
    const models = [1, 2, 3, 4].map((threads) =>
      Buffer.from(serializeModel(reg.fit(x, y, { seed: 5, threads }))),
    );
    expect(models[1]?.equals(models[0] as Buffer)).toBe(true);
    expect(models[2]?.equals(models[0] as Buffer)).toBe(true);
    expect(models[3]?.equals(models[0] as Buffer)).toBe(true);
  });

  it('can fit one multi-output tree per stage instead', () => {
    const { x, y } = syntheticProblem(200, 6);
    const m = new GradientBoostingRegressor({ nEstimators: 5, multiOutputTrees: true }).fit(x, y, {
      seed: 1,
    });
    expect(m.stages.every((s) => s.length === 1 && s[0]?.nOutputs === 2)).toBe(true);
  });

  it('lowers the training error stage after stage', () => {
    const { x, y } = syntheticProblem(300, 2);
    const errors = [1, 5, 20, 80].map((n) =>
      overallMae(
        maePerTarget(
          new GradientBoostingRegressor({ nEstimators: n, maxDepth: 3 }).fit(x, y, { seed: 1 }).predict(x),
          y,
        ),
      ),
    );
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThan(errors[i - 1] as number);
  });

  it('subsamples rows per stage reproducibly for a seed', () => {
    const { x, y } = syntheticProblem(200, 4);
    const fit = (seed: number): number[] =>
      Array.from(
        new GradientBoostingRegressor({ nEstimators: 10, subsample: 0.5 }).fit(x, y, { seed }).predict(x)
          .data,
      );
    expect(fit(3)).toEqual(fit(3));
    expect(fit(3)).not.toEqual(fit(4));
    expect(() => new GradientBoostingRegressor({ subsample: 0 })).toThrow(/subsample/);
    expect(() => new GradientBoostingRegressor({ learningRate: -1 })).toThrow(/learningRate/);
  });

  it("has 5-fold time-series CV MAE within 2% of scikit-learn's MultiOutputRegressor(GradientBoostingRegressor)", async () => {
    const ref = loadReference().cv.gradient_boosting;
    const res = await crossValidateInWorker({ model: 'gradient_boosting', folds: 5, seed: 42 });
    const rel = Math.abs(res.overall - ref.mean_mae) / ref.mean_mae;
    expect(rel, `ours ${res.overall}, scikit-learn ${ref.mean_mae}`).toBeLessThan(0.02);
    res.folds.forEach((f, i) =>
      expect(Math.abs(f.overall - (ref.folds[i]?.overall as number))).toBeLessThan(0.05 * f.overall),
    );
  }, 300_000);
});
