import { describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { denseMatrix, type DenseMatrix } from '../../src/ml/matrix.js';
import type { LinearModel } from '../../src/ml/models/linear-model.js';
import { RidgeRegressor, type RidgeParams } from '../../src/ml/ridge.js';
import { Rng } from '../../src/ml/rng.js';
import { loadMatrix } from './sklearn-fixture.js';

const prefix = (m: DenseMatrix, end: number): DenseMatrix =>
  denseMatrix(end, m.cols, m.data.slice(0, end * m.cols));

/** Largest |a − b| over the largest |b|: 0 when equal, ~1e-16 per rounding. */
function relativeDiff(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

/** Asserts that fitPrefixes gives, prefix by prefix, the model fit gives (coef and predictions). */
function expectSameAsFit(
  params: Partial<RidgeParams>,
  x: DenseMatrix,
  y: DenseMatrix,
  ends: number[],
  tolerance: number,
): void {
  const ridge = new RidgeRegressor(params);
  const models = [...ridge.fitPrefixes(x, y, ends, { seed: 1 })];
  expect(models).toHaveLength(ends.length);
  ends.forEach((end, i) => {
    const alone = ridge.fit(prefix(x, end), prefix(y, end), { seed: 1 });
    const model = models[i] as LinearModel;
    expect(relativeDiff(model.coef, alone.coef)).toBeLessThan(tolerance);
    // Predictions on every row, seen and unseen, take the intercept into account.
    expect(relativeDiff(model.predict(x).data, alone.predict(x).data)).toBeLessThan(tolerance);
  });
}

/** Columns of mean ~offset·(j+1) and spread ~0.3, drifting over time, and two noisy outputs. */
function offsetProblem(n: number, p: number, seed: number, offset = 1e5): { x: DenseMatrix; y: DenseMatrix } {
  const rng = new Rng(seed);
  const x = new Float64Array(n * p);
  const y = new Float64Array(n * 2);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < p; j++) x[r * p + j] = offset * (j + 1) + r / n + rng.nextFloat();
    let s = 0;
    for (let j = 0; j < p; j++) s += (j % 3) * (x[r * p + j] as number);
    y[r * 2] = s + rng.nextFloat();
    y[r * 2 + 1] = 50 + 10 * rng.nextFloat();
  }
  return { x: denseMatrix(n, p, x), y: denseMatrix(n, 2, y) };
}

describe('RidgeRegressor.fitPrefixes', () => {
  it('gives the models fit gives on each prefix of the real feature matrix, kernel and primal alike', () => {
    const { x, y } = loadMatrix();
    // 434 features: the first three prefixes take the kernel form, the rest share one Gram matrix.
    expectSameAsFit({}, x, y, [100, 215, 433, 434, 645, 860, 1075, x.rows], 1e-9);
  });

  it('stays equal to fit when column means dwarf their spread (1e5 against 1)', () => {
    const { x, y } = offsetProblem(400, 12, 7);
    expectSameAsFit({ alpha: 0.5 }, x, y, [40, 41, 150, 300, 400], 1e-9);
  });

  it('equals fit with several alphas and without an intercept, repeated ends included', () => {
    const ends = [5, 30, 30, 200];
    for (const alpha of [0.01, 10]) {
      const { x, y } = offsetProblem(200, 8, 3);
      expectSameAsFit({ alpha }, x, y, ends, 1e-9);
      // Without centring, offset columns would make XᵀX nearly singular for fit too: no offset.
      const small = offsetProblem(200, 8, 3, 0);
      expectSameAsFit({ alpha, fitIntercept: false }, small.x, small.y, ends, 1e-9);
    }
  });

  it('produces the models one at a time, reporting progress as each is ready, and mutates nothing', () => {
    const { x, y } = offsetProblem(120, 5, 9);
    const xCopy = Float64Array.from(x.data);
    const yCopy = Float64Array.from(y.data);
    const seen: number[] = [];
    const progress = { seed: 1, onProgress: (f: number) => seen.push(f) };
    const sequence = new RidgeRegressor().fitPrefixes(x, y, [20, 60, 120], progress);
    const models = sequence[Symbol.iterator]();
    expect(seen).toEqual([]);
    expect(models.next().done).toBe(false);
    expect(seen).toEqual([1 / 3]);
    models.next();
    models.next();
    expect(seen).toEqual([1 / 3, 2 / 3, 1]);
    expect(models.next().done).toBe(true);
    expect(x.data).toEqual(xCopy);
    expect(y.data).toEqual(yCopy);
  });

  it('rejects ends that are not ascending row counts before producing anything', () => {
    const { x, y } = offsetProblem(50, 3, 1);
    const ridge = new RidgeRegressor();
    for (const ends of [[10, 5], [0], [51], [2.5]]) {
      expect(() => ridge.fitPrefixes(x, y, ends, { seed: 1 })).toThrow(PbiError);
    }
    expect(() => ridge.fitPrefixes(x, y, [10, 5], { seed: 1 })).toThrow(/ascending/);
    expect(() => ridge.fitPrefixes(x, denseMatrix(49, 2), [10], { seed: 1 })).toThrow(PbiError);
  });

  it('reports a singular system (alpha 0, collinear features) on the prefix that is', () => {
    // Column 1 is twice column 0: singular once centred, whatever the prefix.
    const n = 30;
    const x = denseMatrix(
      n,
      2,
      Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 === 0 ? i : 2 * (i - 1))),
    );
    const y = denseMatrix(
      n,
      1,
      Float64Array.from({ length: n }, (_, i) => i),
    );
    const sequence = new RidgeRegressor({ alpha: 0 }).fitPrefixes(x, y, [10, 30], { seed: 1 });
    const models = sequence[Symbol.iterator]();
    expect(() => models.next()).toThrow(/singular/);
  });
});
