import { describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { denseMatrix } from '../../src/ml/matrix.js';
import { RidgeRegressor } from '../../src/ml/ridge.js';
import { Rng } from '../../src/ml/rng.js';
import { runRegressorConformance } from './regressor-conformance.js';
import { loadMatrix, loadReference } from './sklearn-fixture.js';

runRegressorConformance({ name: 'ridge', create: () => new RidgeRegressor({ alpha: 0.1 }) });

describe('RidgeRegressor', () => {
  it('recovers known coefficients and intercepts on noiseless data (alpha → 0)', () => {
    const rng = new Rng(4);
    const n = 50;
    const p = 4;
    const trueCoef = [
      [1.5, -2, 0, 4],
      [0.25, 0.5, -0.75, 1],
    ];
    const trueIntercept = [3, -7];
    const x = new Float64Array(n * p);
    const y = new Float64Array(n * 2);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < p; j++) x[r * p + j] = rng.nextFloat() * 20 - 10;
      for (let o = 0; o < 2; o++) {
        let s = trueIntercept[o] as number;
        for (let j = 0; j < p; j++) s += (trueCoef[o]?.[j] as number) * (x[r * p + j] as number);
        y[r * 2 + o] = s;
      }
    }
    const model = new RidgeRegressor({ alpha: 1e-12 }).fit(denseMatrix(n, p, x), denseMatrix(n, 2, y), {
      seed: 0,
    });
    for (let o = 0; o < 2; o++) {
      expect(model.intercept[o]).toBeCloseTo(trueIntercept[o] as number, 9);
      for (let j = 0; j < p; j++) expect(model.coef[o * p + j]).toBeCloseTo(trueCoef[o]?.[j] as number, 9);
    }
  });

  it('shrinks coefficients as alpha grows', () => {
    const { x, y } = loadMatrix();
    const norm = (alpha: number): number => {
      const m = new RidgeRegressor({ alpha }).fit(x, y, { seed: 0 });
      return m.coef.reduce((s, c) => s + c * c, 0);
    };
    expect(norm(1)).toBeGreaterThan(norm(100));
    expect(norm(100)).toBeGreaterThan(norm(10000));
  });

  it('uses the kernel form when there are more features than rows, with the same answer as the primal', () => {
    const rng = new Rng(8);
    const n = 6;
    const p = 10;
    const x = denseMatrix(
      n,
      p,
      Float64Array.from({ length: n * p }, () => rng.nextFloat()),
    );
    const y = denseMatrix(
      n,
      1,
      Float64Array.from({ length: n }, () => rng.nextFloat()),
    );
    const wide = new RidgeRegressor({ alpha: 0.5 }).fit(x, y, { seed: 0 });
    // Same problem with enough duplicated zero rows... instead compare to the normal equations directly.
    const pred = wide.predict(x);
    // Ridge optimality: Xcᵀ(y - ŷ) = alpha·w for the centred problem.
    const xm = new Float64Array(p);
    for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) xm[j]! += (x.data[r * p + j] as number) / n;
    for (let j = 0; j < p; j++) {
      let g = 0;
      for (let r = 0; r < n; r++)
        g +=
          ((x.data[r * p + j] as number) - (xm[j] as number)) *
          ((y.data[r] as number) - (pred.data[r] as number));
      expect(g).toBeCloseTo(0.5 * (wide.coef[j] as number), 10);
    }
  });

  it('rejects a negative alpha and a singular system with a PbiError', () => {
    expect(() => new RidgeRegressor({ alpha: -1 })).toThrow(PbiError);
    const x = denseMatrix(4, 2, Float64Array.from([1, 2, 2, 4, 3, 6, 4, 8]));
    const y = denseMatrix(4, 1, Float64Array.from([1, 2, 3, 4]));
    expect(() => new RidgeRegressor({ alpha: 0 }).fit(x, y, { seed: 0 })).toThrow(/singular/);
  });

  it('matches scikit-learn Ridge(alpha=1.0) coefficients and predictions to 1e-8 on the feature matrix', () => {
    // The fixture is `pbi features export` of the bundled history (1,290 draws × 434 features).
    const { x, y } = loadMatrix();
    const ref = loadReference();
    const model = new RidgeRegressor().fit(x, y, { seed: 0 });
    let maxCoef = 0;
    let maxPred = 0;
    let maxIntercept = 0;
    for (let o = 0; o < 6; o++) {
      // The intercept ȳ − x̄·w sums large terms (x̄ of the draw index is in the hundreds): compare
      // it relative to its size.
      const b = ref.ridge.intercept[o] as number;
      maxIntercept = Math.max(
        maxIntercept,
        Math.abs((model.intercept[o] as number) - b) / Math.max(1, Math.abs(b)),
      );
      for (let j = 0; j < x.cols; j++) {
        maxCoef = Math.max(
          maxCoef,
          Math.abs((model.coef[o * x.cols + j] as number) - (ref.ridge.coef[o]?.[j] as number)),
        );
      }
    }
    const pred = model.predict(x);
    for (let r = 0; r < x.rows; r++) {
      for (let o = 0; o < 6; o++) {
        maxPred = Math.max(
          maxPred,
          Math.abs((pred.data[r * 6 + o] as number) - (ref.ridge.predictions[r]?.[o] as number)),
        );
      }
    }
    expect(maxCoef).toBeLessThan(1e-8);
    expect(maxIntercept).toBeLessThan(1e-8);
    expect(maxPred).toBeLessThan(1e-8);
  });
});
