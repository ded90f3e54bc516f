import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { crossValidate } from '../../src/ml/cv.js';
import { LassoRegressor } from '../../src/ml/lasso.js';
import { denseMatrix, type DenseMatrix } from '../../src/ml/matrix.js';
import { deserializeModel, LinearModel, peekModelKind, serializeModel } from '../../src/ml/models/index.js';
import { createRegressor, DEFAULT_SPACES, validateSpace } from '../../src/ml/search-space.js';
import { runRegressorConformance } from './regressor-conformance.js';
import { loadMatrix } from './sklearn-fixture.js';

runRegressorConformance({ name: 'lasso', create: () => new LassoRegressor({ alpha: 0.05 }) });

/** test/fixtures/sklearn/lasso-reference.json, written by scripts/sklearn-lasso-reference.py. */
interface SklearnFit {
  alpha: number;
  coef: number[][];
  intercept: number[];
  n_iter: number[];
  dual_gap: number[];
}
interface LassoReference {
  sklearn_version: string;
  sample_every: number;
  real: {
    coef: SklearnFit;
    alphas: {
      alpha: number;
      n_iter: number[];
      intercept: number[];
      coef_sample: number[][];
      nonzero: number[];
      train_mae: number;
      cv: { folds: { train: number; test: number; overall: number; mae: number[] }[]; mean_mae: number };
    }[];
  };
  small: {
    name: string;
    rows: number;
    features: number;
    outputs: number;
    fit_intercept: boolean;
    x: number[][];
    y: number[][];
    fits: SklearnFit[];
  }[];
}

const REF = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/sklearn/lasso-reference.json', import.meta.url)), 'utf8'),
) as LassoReference;
const real = loadMatrix();

function maxCoefDiff(coef: Float64Array, expected: number[][], p: number): number {
  let d = 0;
  expected.forEach((row, o) =>
    row.forEach((v, j) => {
      d = Math.max(d, Math.abs(v - (coef[o * p + j] as number)));
    }),
  );
  return d;
}

function mae(a: DenseMatrix, b: DenseMatrix): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return s / a.data.length;
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/**
 * The fit with report on the real matrix at `alpha`, default options, made once: several tests
 * check the same deterministic fit (alpha 1 by three of them), each against its own reference.
 */
const realFits = new Map<number, ReturnType<LassoRegressor['fitWithReport']>>();
function realFit(alpha: number): ReturnType<LassoRegressor['fitWithReport']> {
  let fit = realFits.get(alpha);
  if (!fit) {
    fit = new LassoRegressor({ alpha }).fitWithReport(real.x, real.y, { seed: 0 });
    realFits.set(alpha, fit);
  }
  return fit;
}

describe('LassoRegressor against scikit-learn Lasso (committed reference)', () => {
  it('uses the reference of the installed scikit-learn generation', () => {
    expect(REF.sklearn_version).toMatch(/^1\./);
    expect(REF.real.alphas.map((a) => a.alpha)).toEqual([0.01, 0.1, 1]);
  });

  it('equals every coefficient at alpha 1 on the real matrix, with the same passes and duality gap', () => {
    const ref = REF.real.coef;
    const fit = realFit(ref.alpha);
    expect(maxCoefDiff(fit.model.coef, ref.coef, real.x.cols)).toBeLessThan(1e-6);
    fit.model.intercept.forEach((v, o) =>
      expect(Math.abs(v - (ref.intercept[o] as number))).toBeLessThan(1e-6),
    );
    expect(fit.outputs.map((o) => o.nIter)).toEqual(ref.n_iter);
    expect(fit.outputs.every((o) => o.converged)).toBe(true);
    fit.outputs.forEach((o, k) => expect(relative(o.dualGap, ref.dual_gap[k] as number)).toBeLessThan(1e-6));
    // Sparsity is the point of the L1 penalty: the same coefficients are exactly zero.
    ref.coef.forEach((row, o) =>
      row.forEach((v, j) => expect(fit.model.coef[o * real.x.cols + j] === 0).toBe(v === 0)),
    );
  });

  it.each(REF.real.alphas.map((a) => [a.alpha, a] as const))(
    'alpha %s: same passes per output (max_iter included), coefficients and in-sample MAE',
    (alpha, ref) => {
      const fit = realFit(alpha);
      expect(fit.outputs.map((o) => o.nIter)).toEqual(ref.n_iter);
      expect(fit.outputs.every((o) => o.converged)).toBe(ref.n_iter.every((n) => n < 1000));
      const p = real.x.cols;
      let d = 0;
      ref.coef_sample.forEach((row, o) =>
        row.forEach((v, i) => {
          d = Math.max(d, Math.abs(v - (fit.model.coef[o * p + i * REF.sample_every] as number)));
        }),
      );
      expect(d).toBeLessThan(1e-6);
      fit.model.intercept.forEach((v, o) =>
        expect(Math.abs(v - (ref.intercept[o] as number))).toBeLessThan(1e-6),
      );
      expect(relative(mae(fit.model.predict(real.x), real.y), ref.train_mae)).toBeLessThan(1e-6);
      // Non-zero counts agree up to a coefficient sitting exactly on the threshold (|ρ| = nα), which
      // rounding may leave at ±1e-16 instead of 0.
      for (let o = 0; o < 6; o++) {
        const row = fit.model.coef.subarray(o * p, (o + 1) * p);
        const nonzero = row.filter((c) => c !== 0).length;
        const tiny = row.filter((c) => c !== 0 && Math.abs(c) < 1e-12).length;
        expect(Math.abs(nonzero - (ref.nonzero[o] as number))).toBeLessThanOrEqual(tiny + 1);
      }
    },
  );

  it.each(REF.real.alphas.filter((a) => a.alpha >= 0.1).map((a) => [a.alpha, a] as const))(
    'alpha %s: 5-fold walk-forward CV MAE equals scikit-learn’s per fold',
    (alpha, ref) => {
      const cv = crossValidate(new LassoRegressor({ alpha }), real.x, real.y, { folds: 5, seed: 0 });
      expect(cv.folds.map((f) => [f.trainSize, f.testSize])).toEqual(
        ref.cv.folds.map((f) => [f.train, f.test]),
      );
      cv.folds.forEach((f, i) => {
        const r = ref.cv.folds[i];
        expect(relative(f.overall, r?.overall as number)).toBeLessThan(1e-6);
        f.mae.forEach((m, o) => expect(relative(m, r?.mae[o] as number)).toBeLessThan(1e-6));
      });
      expect(relative(cv.overall, ref.cv.mean_mae)).toBeLessThan(1e-6);
    },
  );

  // gramBudgetBytes 0: no Gram columns, every pass on the residual (scikit-learn's own form).
  for (const [solver, budget] of [
    ['Gram columns', undefined],
    ['residual', 0],
  ] as const) {
    it(`${solver}: alpha 1 on the real matrix, every coefficient and pass count`, () => {
      const ref = REF.real.coef;
      const fit =
        budget === undefined
          ? realFit(ref.alpha) // the default options are the Gram columns
          : new LassoRegressor({ alpha: ref.alpha }, { gramBudgetBytes: budget }).fitWithReport(
              real.x,
              real.y,
              {
                seed: 0,
              },
            );
      expect(maxCoefDiff(fit.model.coef, ref.coef, real.x.cols)).toBeLessThan(1e-6);
      expect(fit.outputs.map((o) => o.nIter)).toEqual(ref.n_iter);
    });
  }

  for (const c of REF.small) {
    it.each([
      ['Gram columns', undefined],
      ['residual', 0],
    ] as const)(
      `small ${c.name} matrix (${c.rows} × ${c.features}), %s: every coefficient and pass count`,
      (_, budget) => {
        const x = denseMatrix(c.rows, c.features, Float64Array.from(c.x.flat()));
        const y = denseMatrix(c.rows, c.outputs, Float64Array.from(c.y.flat()));
        for (const ref of c.fits) {
          const fit = new LassoRegressor(
            { alpha: ref.alpha, fitIntercept: c.fit_intercept },
            budget === undefined ? {} : { gramBudgetBytes: budget },
          ).fitWithReport(x, y, { seed: 0 });
          expect(maxCoefDiff(fit.model.coef, ref.coef, c.features)).toBeLessThan(1e-9);
          fit.model.intercept.forEach((v, o) =>
            expect(Math.abs(v - (ref.intercept[o] as number))).toBeLessThan(1e-9),
          );
          expect(fit.outputs.map((o) => o.nIter)).toEqual(ref.n_iter);
        }
      },
    );
  }
});

describe('LassoRegressor', () => {
  it('zeroes every coefficient once alpha reaches max|Xᵀy|/n, predicting the training mean', () => {
    const x = denseMatrix(4, 2, Float64Array.from([1, 0, 2, 1, 3, 0, 4, 1]));
    const y = denseMatrix(4, 1, Float64Array.from([1, 2, 3, 5]));
    // Centred: x₁ = [-1.5, -0.5, 0.5, 1.5], y = [-1.75, -0.75, 0.25, 2.25] → x₁ᵀy/n = 1.625 (x₂: 0.375).
    const below = new LassoRegressor({ alpha: 1.62 }).fitWithReport(x, y, { seed: 0 });
    expect(below.model.coef[0]).toBeGreaterThan(0);
    const at = new LassoRegressor({ alpha: 1.625 }).fitWithReport(x, y, { seed: 0 });
    expect(Array.from(at.model.coef)).toEqual([0, 0]);
    expect(at.model.intercept[0]).toBeCloseTo(2.75, 12);
    expect(at.outputs[0]).toMatchObject({ nIter: 1, converged: true });
  });

  it('without a penalty reaches the least-squares fit', () => {
    const x = denseMatrix(5, 2, Float64Array.from([1, 2, 2, 1, 3, 5, 4, 2, 5, 4]));
    const y = denseMatrix(
      5,
      1,
      Float64Array.from([0.5 + 1 - 4, 0.5 + 2 - 2, 0.5 + 3 - 10, 0.5 + 4 - 4, 0.5 + 5 - 8]),
    );
    const m = new LassoRegressor({ alpha: 0, tol: 1e-12, maxIter: 10_000 }).fit(x, y, { seed: 0 });
    expect(m.coef[0]).toBeCloseTo(1, 8);
    expect(m.coef[1]).toBeCloseTo(-2, 8);
    expect(m.intercept[0]).toBeCloseTo(0.5, 8);
  });

  it('fits each output on its own: one column alone gives the same coefficients bit for bit', () => {
    const all = new LassoRegressor({ alpha: 0.1 }).fit(real.x, real.y, { seed: 0 });
    const p = real.x.cols;
    const column = denseMatrix(
      real.y.rows,
      1,
      Float64Array.from({ length: real.y.rows }, (_, r) => real.y.data[r * 6 + 4] as number),
    );
    const alone = new LassoRegressor({ alpha: 0.1 }).fit(real.x, column, { seed: 0 });
    expect(Array.from(alone.coef)).toEqual(Array.from(all.coef.subarray(4 * p, 5 * p)));
    expect(alone.intercept[0]).toBe(all.intercept[4]);
  });

  it('stops at max_iter and says it did not converge', () => {
    const fit = new LassoRegressor({ alpha: 0.01, maxIter: 3 }).fitWithReport(real.x, real.y, { seed: 0 });
    expect(fit.outputs.map((o) => o.nIter)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(fit.outputs.some((o) => o.converged)).toBe(false);
  });

  it('fits a linear model artifact of kind lasso that loads back bit-identically', () => {
    const m = new LassoRegressor({ alpha: 1 }).fit(real.x, real.y, { seed: 0 });
    expect(m).toBeInstanceOf(LinearModel);
    expect(m.kind).toBe('lasso');
    const bytes = serializeModel(m);
    expect(peekModelKind(bytes).kind).toBe('lasso');
    const back = deserializeModel(bytes, 'lasso');
    expect(Array.from(back.predict(real.x).data)).toEqual(Array.from(m.predict(real.x).data));
    expect(() => deserializeModel(bytes, 'ridge')).toThrow(/holds a lasso model, expected ridge/);
  });

  it.each([
    [{ alpha: -1 }, /alpha must be a number >= 0 and <= 1000000000000000, got -1/],
    [{ alpha: Number.NaN }, /alpha must be a number >= 0 and <= 1000000000000000, got NaN/],
    [{ alpha: 'abc' }, /alpha must be a number >= 0 and <= 1000000000000000, got abc/],
    [{ tol: -1e-4 }, /tol must be a number >= 0/],
    [{ maxIter: 0 }, /maxIter must be an integer >= 1/],
    [{ maxIter: 2.5 }, /maxIter must be an integer >= 1/],
    [{ fitIntercept: 'yes' }, /fitIntercept must be true or false/],
  ])('rejects %j with a ValidationError naming the parameter', (params, message) => {
    try {
      new LassoRegressor(params as never);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(PbiError);
      expect((error as PbiError).code).toBe('INVALID_INPUT');
      expect((error as PbiError).message).toMatch(message);
    }
  });

  it('is a tunable model: snake_case parameters and a valid default space over alpha', () => {
    const reg = createRegressor('lasso', { alpha: 0.3, max_iter: 50, fit_intercept: false });
    expect(reg.kind).toBe('lasso');
    expect(reg.params).toEqual({ alpha: 0.3, maxIter: 50, fitIntercept: false, tol: 1e-4 });
    expect(() => validateSpace('lasso', DEFAULT_SPACES.lasso)).not.toThrow();
    const alphas = (DEFAULT_SPACES.lasso.alpha as { values: number[] }).values;
    expect(Math.min(...alphas)).toBe(0.001);
    expect(Math.max(...alphas)).toBe(10);
    expect(() => createRegressor('lasso', { alpha: -2 })).toThrow(/alpha must be a number >= 0/);
  });
});
