import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { crossValidate, expectedOrderStatistics, timeSeriesSplit, type FoldResult } from '../../src/ml/cv.js';
import { denseMatrix, type DenseMatrix } from '../../src/ml/matrix.js';
import { maePerTarget, overallMae } from '../../src/ml/metrics.js';
import type { FitOptions, FittedModel, Regressor } from '../../src/ml/regressor.js';
import { RidgeRegressor } from '../../src/ml/ridge.js';
import { loadMatrix, loadReference } from './sklearn-fixture.js';

describe('timeSeriesSplit', () => {
  it('never trains on the future and has scikit-learn sizes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 0, max: 3000 }), (nSplits, extra) => {
        const n = nSplits + 1 + extra;
        const folds = timeSeriesSplit(n, nSplits);
        const testSize = Math.floor(n / (nSplits + 1));
        expect(folds).toHaveLength(nSplits);
        folds.forEach((f, i) => {
          // every train index (0 .. trainEnd-1) < every test index (testStart ..)
          expect(f.trainEnd).toBeLessThanOrEqual(f.testStart);
          expect(f.testEnd - f.testStart).toBe(testSize);
          expect(f.trainEnd).toBe(n - (nSplits - i) * testSize);
          if (i > 0) expect(f.testStart).toBe(folds[i - 1]?.testEnd);
        });
        expect(folds[nSplits - 1]?.testEnd).toBe(n);
        // the first training set holds the remainder rows
        expect(folds[0]?.trainEnd).toBe(testSize + (n % (nSplits + 1)));
      }),
    );
  });

  it('gives exactly the indices of scikit-learn TimeSeriesSplit(5)', () => {
    const ref = loadReference();
    for (const [n, folds] of Object.entries(ref.time_series_split)) {
      const ours = timeSeriesSplit(Number(n), 5);
      expect(
        ours.map((f) => ({ train_end: f.trainEnd, test_start: f.testStart, test_end: f.testEnd })),
      ).toEqual(
        folds.map((f) => ({ train_end: f.train_end, test_start: f.test_start, test_end: f.test_end })),
      );
      expect(folds.every((f) => f.contiguous)).toBe(true);
    }
  });

  it('rejects too few rows and fewer than two folds with a clear error', () => {
    expect(() => timeSeriesSplit(5, 5)).toThrow(/at least 6 rows/);
    try {
      timeSeriesSplit(5, 5);
    } catch (e) {
      expect((e as PbiError).code).toBe('INSUFFICIENT_DATA');
    }
    expect(() => timeSeriesSplit(100, 1)).toThrow(PbiError);
    expect(() => timeSeriesSplit(100, 2.5)).toThrow(PbiError);
  });
});

describe('expectedOrderStatistics', () => {
  it('gives the mean sorted draw of the current era and of an older one', () => {
    expect(expectedOrderStatistics()).toEqual([70 / 6, 140 / 6, 35, 280 / 6, 350 / 6, 13.5]);
    expect(expectedOrderStatistics(5, 59, 35)).toEqual([10, 20, 30, 40, 50, 18]);
    expect(expectedOrderStatistics(5, 69, null)).toHaveLength(5);
    expect(() => expectedOrderStatistics(6, 5)).toThrow(PbiError);
  });

  it('matches the simulated mean of sorted random draws', () => {
    // Monte Carlo check of the formula with a simple LCG, 20k draws of 5 of 69.
    let s = 12345;
    const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const sums = [0, 0, 0, 0, 0];
    const N = 20_000;
    for (let t = 0; t < N; t++) {
      const pick = new Set<number>();
      while (pick.size < 5) pick.add(1 + Math.floor(next() * 69));
      [...pick].sort((a, b) => a - b).forEach((v, i) => (sums[i]! += v));
    }
    const expected = expectedOrderStatistics(5, 69, null);
    sums.forEach((v, i) => expect(Math.abs(v / N - (expected[i] as number))).toBeLessThan(0.3));
  });
});

/** A regressor that records what it was trained on, to prove folds never see the future. */
class SpyRegressor implements Regressor {
  readonly kind = 'ridge' as const;
  readonly params = {};
  readonly seen: { rows: number; lastTarget: number }[] = [];
  fit(x: DenseMatrix, y: DenseMatrix, _o: FitOptions): FittedModel {
    this.seen.push({ rows: x.rows, lastTarget: y.data[(y.rows - 1) * y.cols] as number });
    return {
      kind: 'linear',
      nFeatures: x.cols,
      nOutputs: y.cols,
      predict: (q: DenseMatrix) => denseMatrix(q.rows, y.cols, new Float64Array(q.rows * y.cols)),
    };
  }
}

describe('crossValidate', () => {
  it('fits each fold on past rows only and scores the model and both baselines per target', () => {
    const n = 60;
    // target = row index: a model trained on the past can never have seen a test row's value.
    const x = denseMatrix(
      n,
      1,
      Float64Array.from({ length: n }, (_, i) => i),
    );
    const y = denseMatrix(
      n,
      2,
      Float64Array.from({ length: 2 * n }, (_, i) => Math.floor(i / 2)),
    );
    const spy = new SpyRegressor();
    const res = crossValidate(spy, x, y, { folds: 5, seed: 1, constantBaseline: [1, 2] });
    expect(spy.seen.map((s) => s.rows)).toEqual([10, 20, 30, 40, 50]);
    res.folds.forEach((f, i) => {
      expect(spy.seen[i]?.lastTarget).toBeLessThan(f.split.testStart);
      // the spy predicts 0, so its MAE is the mean test target
      const mean = (f.split.testStart + f.split.testEnd - 1) / 2;
      expect(f.mae).toEqual([mean, mean]);
      const trainMean = (f.trainSize - 1) / 2;
      expect(f.baselines.trainMean.overall).toBeCloseTo(mean - trainMean, 12);
      expect(f.baselines.constant?.mae).toEqual([mean - 1, mean - 2]);
    });
    expect(res.overall).toBeCloseTo(res.folds.reduce((s, f) => s + f.overall, 0) / 5, 12);
  });

  it("reports monotone progress ending at 1 and matches scikit-learn's ridge CV fold by fold", () => {
    const { x, y } = loadMatrix();
    const seen: number[] = [];
    const res = crossValidate(new RidgeRegressor(), x, y, {
      folds: 5,
      seed: 42,
      constantBaseline: expectedOrderStatistics(),
      onProgress: (f) => seen.push(f),
    });
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] as number);
    expect(seen.at(-1)).toBe(1);
    // Equal to scikit-learn's ridge CV (fixture), fold by fold.
    const ref = loadReference().cv.ridge;
    res.folds.forEach((f, i) => {
      expect(f.trainSize).toBe(ref.folds[i]?.train);
      // Ridge MAEs on this matrix reach the hundreds: equal to 1e-10 relative.
      f.mae.forEach((m, o) => expect(Math.abs(m / (ref.folds[i]?.mae[o] as number) - 1)).toBeLessThan(1e-10));
      f.baselines.trainMean.mae.forEach((m, o) =>
        expect(m).toBeCloseTo(ref.folds[i]?.train_mean_mae[o] as number, 10),
      );
    });
    // The expected-order-statistics baseline, by hand on scikit-learn's test ranges: per fold, the
    // mean over test rows and targets of |y - (i(n+1)/(k+1) for the whites, (m+1)/2 for the Powerball)|.
    const constant = [70 / 6, 140 / 6, 210 / 6, 280 / 6, 350 / 6, 13.5];
    const splits = loadReference().time_series_split[String(x.rows)] ?? [];
    expect(splits).toHaveLength(5);
    const byHand = splits.map(({ test_start, test_end }) => {
      let sum = 0;
      for (let r = test_start; r < test_end; r++)
        for (let o = 0; o < 6; o++) sum += Math.abs((y.data[r * 6 + o] as number) - (constant[o] as number));
      return sum / ((test_end - test_start) * 6);
    });
    res.folds.forEach((f, i) => expect(f.baselines.constant?.overall).toBeCloseTo(byHand[i] as number, 10));
    expect(res.baselines.constant).toBeCloseTo(byHand.reduce((a, b) => a + b, 0) / 5, 10);
  });

  it('fits ridge folds through fitPrefixes with the same fold MAEs as one fit per fold', () => {
    const { x, y } = loadMatrix();
    const ridge = new RidgeRegressor();
    // The same recipe without the capability: crossValidate falls back to one fit per fold.
    const perFold: Regressor = { kind: 'ridge', params: ridge.params, fit: (a, b, o) => ridge.fit(a, b, o) };
    const options = { folds: 5, seed: 42, constantBaseline: expectedOrderStatistics() };
    const shared = crossValidate(ridge, x, y, options);
    const separate = crossValidate(perFold, x, y, options);
    shared.folds.forEach((f, i) => {
      const g = separate.folds[i] as FoldResult;
      expect(f.split).toEqual(g.split);
      f.mae.forEach((m, o) => expect(Math.abs(m / (g.mae[o] as number) - 1)).toBeLessThan(1e-10));
      expect(f.baselines).toEqual(g.baselines);
    });
  });

  it('asks a regressor with fitPrefixes once and times each fold with its own model', () => {
    let clock = 0;
    const calls: number[][] = [];
    const zero = (q: DenseMatrix): DenseMatrix => denseMatrix(q.rows, 1, new Float64Array(q.rows));
    const regressor: Regressor = {
      kind: 'ridge',
      params: {},
      fit: () => {
        throw new Error('fit must not be called when fitPrefixes is offered');
      },
      fitPrefixes: (_x, _y, ends) => {
        calls.push([...ends]);
        // Lazily: the i-th model costs 10·(i+1) clock units, spent when it is asked for.
        return (function* () {
          for (let i = 0; i < ends.length; i++) {
            clock += 10 * (i + 1);
            yield { kind: 'linear' as const, nFeatures: 1, nOutputs: 1, predict: zero };
          }
        })();
      },
    };
    const n = 60;
    const x = denseMatrix(
      n,
      1,
      Float64Array.from({ length: n }, (_, i) => i),
    );
    const res = crossValidate(regressor, x, x, { folds: 5, seed: 1, now: () => clock });
    expect(calls).toEqual([[10, 20, 30, 40, 50]]);
    expect(res.folds.map((f) => f.durationMs)).toEqual([10, 20, 30, 40, 50]);
  });

  it('rejects a constant baseline of the wrong width and too few rows', () => {
    const x = denseMatrix(4, 1, Float64Array.from([1, 2, 3, 4]));
    const y = denseMatrix(4, 1, Float64Array.from([1, 2, 3, 4]));
    expect(() => crossValidate(new RidgeRegressor(), x, y, { folds: 5, seed: 1 })).toThrow(/at least 6 rows/);
    expect(() =>
      crossValidate(new RidgeRegressor(), x, y, { folds: 2, seed: 1, constantBaseline: [1, 2] }),
    ).toThrow(PbiError);
  });
});

describe('metrics', () => {
  it('computes MAE per target and overall', () => {
    const a = denseMatrix(2, 2, Float64Array.from([1, 2, 3, 4]));
    const b = denseMatrix(2, 2, Float64Array.from([2, 2, 1, 8]));
    expect(maePerTarget(a, b)).toEqual([1.5, 2]);
    expect(overallMae([1.5, 2])).toBe(1.75);
    expect(() => maePerTarget(a, denseMatrix(1, 2))).toThrow(PbiError);
  });
});
