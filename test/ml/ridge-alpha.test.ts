/**
 * Ridge with alpha chosen by nested time-series CV: the eigen path gives the Cholesky path's
 * coefficients at any fixed alpha, the selection finds the right region on problems whose best
 * alpha is known, the nesting never lets a fold see its test rows, and the final model is exactly
 * the plain ridge at the chosen alpha.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { crossValidate } from '../../src/ml/cv.js';
import { centredRows } from '../../src/ml/centring.js';
import { denseMatrix, type DenseMatrix } from '../../src/ml/matrix.js';
import {
  eigenRidgeModel,
  nestedInnerFolds,
  prefixEigen,
  RIDGE_ALPHA_GRID,
  RidgeAlphaCvRegressor,
} from '../../src/ml/ridge-alpha.js';
import { RidgeRegressor } from '../../src/ml/ridge.js';
import { Rng } from '../../src/ml/rng.js';
import { createRegressor } from '../../src/ml/search-space.js';
import { loadMatrix } from './sklearn-fixture.js';

function relativeDiff(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return diff / scale;
}

function gauss(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
}

/** y = 5 + Xw + noise with w ~ N(0, tau²) per feature, X standard normal plus an offset. */
function linearProblem(n: number, p: number, tau: number, sigma: number, seed: number) {
  const rng = new Rng(seed);
  const w = Array.from({ length: p }, () => tau * gauss(rng));
  const x = new Float64Array(n * p);
  const y = new Float64Array(n * 2);
  for (let r = 0; r < n; r++) {
    let s = 5;
    for (let j = 0; j < p; j++) {
      const v = gauss(rng);
      x[r * p + j] = v + 10;
      s += (w[j] as number) * v;
    }
    y[r * 2] = s + sigma * gauss(rng);
    y[r * 2 + 1] = -s + sigma * gauss(rng);
  }
  return { x: denseMatrix(n, p, x), y: denseMatrix(n, 2, y) };
}

const prefix = (m: DenseMatrix, end: number): DenseMatrix =>
  denseMatrix(end, m.cols, m.data.slice(0, end * m.cols));

describe('eigen path = Cholesky path at a fixed alpha', () => {
  it.each([
    ['more rows than features (Gram)', 200, 30],
    ['fewer rows than features (kernel)', 40, 90],
  ])('%s', (_, n, p) => {
    const { x, y } = linearProblem(n, p, 1, 1, 3);
    const e = prefixEigen(centredRows(x, y, n, true));
    for (const alpha of [0.01, 1, 37, 1e4, 1e6]) {
      const eigen = eigenRidgeModel(e, alpha);
      const chol = new RidgeRegressor({ alpha }).fit(x, y, { seed: 0 });
      expect(relativeDiff(eigen.coef, chol.coef)).toBeLessThan(1e-8);
      expect(relativeDiff(eigen.intercept, chol.intercept)).toBeLessThan(1e-8);
    }
  });

  it('on prefixes of the real 434-column feature matrix', () => {
    const { x, y } = loadMatrix();
    for (const end of [300, 700]) {
      const e = prefixEigen(centredRows(x, y, end, true));
      for (const alpha of [1, 100, 1e5]) {
        const chol = new RidgeRegressor({ alpha }).fit(prefix(x, end), prefix(y, end), { seed: 0 });
        const eigen = eigenRidgeModel(e, alpha);
        expect(relativeDiff(eigen.coef, chol.coef)).toBeLessThan(1e-8);
        expect(relativeDiff(eigen.predict(x).data, chol.predict(x).data)).toBeLessThan(1e-8);
      }
    }
  });
});

describe('alpha selection', () => {
  const fitAuto = (x: DenseMatrix, y: DenseMatrix) => {
    const r = new RidgeAlphaCvRegressor();
    const model = r.fit(x, y, { seed: 0 });
    return { model, selection: r.lastSelection()! };
  };

  it('finds the known best region: alpha* = p·σ²/‖w‖² ≈ σ²/τ² for standard features', () => {
    // σ = 3, τ = 0.3: the optimal alpha is about 100 (one decade either side allowed).
    const { x, y } = linearProblem(600, 40, 0.3, 3, 11);
    const { selection } = fitAuto(x, y);
    expect(selection.alpha).toBeGreaterThanOrEqual(10);
    expect(selection.alpha).toBeLessThanOrEqual(1000);
    expect(selection.curve.map((c) => c.alpha)).toEqual(RIDGE_ALPHA_GRID);
    const at = (a: number) => selection.curve.find((c) => c.alpha === a)!.mae;
    expect(at(selection.alpha)).toBeLessThan(at(0.01));
    expect(at(selection.alpha)).toBeLessThan(at(1e6));
  });

  it('chooses little shrinkage for a clean signal and the most for pure noise', () => {
    const clean = linearProblem(400, 20, 1, 0.05, 5);
    expect(fitAuto(clean.x, clean.y).selection.alpha).toBeLessThanOrEqual(1);
    const noise = linearProblem(400, 20, 0, 2, 6);
    expect(fitAuto(noise.x, noise.y).selection.alpha).toBeGreaterThanOrEqual(1e4);
  });

  it('registers exactly the plain ridge at the chosen alpha', () => {
    const { x, y } = linearProblem(300, 25, 0.5, 2, 8);
    const { model, selection } = fitAuto(x, y);
    const plain = new RidgeRegressor({ alpha: selection.alpha }).fit(x, y, { seed: 0 });
    expect(model.coef).toEqual(plain.coef);
    expect(model.intercept).toEqual(plain.intercept);
  });
});

describe('nesting', () => {
  it('inner folds stay inside each outer training prefix; the first is scikit-learn TimeSeriesSplit', () => {
    const ends = [215, 430, 645, 860, 1075];
    const inner = nestedInnerFolds(ends);
    expect(inner[0]).toEqual([
      { trainEnd: 40, testEnd: 75 },
      { trainEnd: 75, testEnd: 110 },
      { trainEnd: 110, testEnd: 145 },
      { trainEnd: 145, testEnd: 180 },
      { trainEnd: 180, testEnd: 215 },
    ]);
    inner.forEach((folds, j) => {
      expect(folds).toHaveLength(5);
      for (const f of folds) expect(f.testEnd).toBeLessThanOrEqual(ends[j] as number);
      expect(folds[folds.length - 1]!.testEnd).toBe(ends[j]);
    });
    // Later folds train on the earlier outer prefixes: one decomposition serves every later fold.
    expect(inner[4]!.map((f) => f.trainEnd)).toEqual([180, 215, 430, 645, 860]);
  });

  it('each CV fold scores the alpha its own inner folds chose; the all-rows curve is the fixed-alpha CV', () => {
    const { x, y } = linearProblem(360, 30, 0.3, 3, 21);
    const auto = new RidgeAlphaCvRegressor();
    const cv = crossValidate(auto, x, y, { folds: 5, seed: 0 });
    const ends = cv.folds.map((f) => f.split.trainEnd);
    const inner = nestedInnerFolds(ends);
    cv.folds.forEach((f, j) => {
      const chosen = auto.selectAlpha(x, y, ends[j] as number, inner[j]!).alpha;
      const alone = new RidgeRegressor({ alpha: chosen }).fit(
        prefix(x, ends[j] as number),
        prefix(y, ends[j] as number),
        {
          seed: 0,
        },
      );
      const test = denseMatrix(
        f.testSize,
        x.cols,
        x.data.slice(f.split.testStart * x.cols, f.split.testEnd * x.cols),
      );
      const yt = y.data.slice(f.split.testStart * 2, f.split.testEnd * 2);
      const pred = alone.predict(test).data;
      let mae = 0;
      for (let i = 0; i < yt.length; i++) mae += Math.abs((pred[i] as number) - (yt[i] as number));
      expect(f.overall).toBeCloseTo(mae / yt.length, 8);
    });
    // The final fit's CV uses the same folds as the outer CV, so its curve at alpha = 10 is the
    // plain ridge's CV MAE at alpha = 10.
    auto.fit(x, y, { seed: 0 });
    const fixed = crossValidate(new RidgeRegressor({ alpha: 10 }), x, y, { folds: 5, seed: 0 });
    expect(auto.lastSelection()!.curve.find((c) => c.alpha === 10)!.mae).toBeCloseTo(fixed.overall, 8);
  });

  it('too few rows for an inner CV keep the legacy alpha 1 and say so by an empty curve', () => {
    const { x, y } = linearProblem(2, 3, 1, 1, 2);
    const r = new RidgeAlphaCvRegressor();
    r.fit(x, y, { seed: 0 });
    expect(r.lastSelection()).toMatchObject({ alpha: 1, innerFolds: 0, curve: [] });
  });
});

describe('ridge defaults for train and tune', () => {
  it('no alpha or alpha=auto chooses it; a number is the plain scikit-learn-equal ridge', () => {
    expect(createRegressor('ridge', {})).toBeInstanceOf(RidgeAlphaCvRegressor);
    expect(createRegressor('ridge', { alpha: 'auto' }).params).toEqual({ alpha: 'auto', fitIntercept: true });
    const legacy = createRegressor('ridge', { alpha: 1 });
    expect(legacy).toBeInstanceOf(RidgeRegressor);
    expect(legacy.params).toEqual({ alpha: 1, fitIntercept: true });
    expect(() => createRegressor('ridge', { alpha: 'big' })).toThrow(ValidationError);
    expect(() => createRegressor('ridge', { alpha: 'big' })).toThrow(
      /alpha must be "auto" or a number >= 0, got big/,
    );
  });
});
