/**
 * Fixed-seed models serialize to exactly the bytes they always have: the tree learner's histogram
 * kernels, split search and builder, or the linear models' shared centring, may be reorganised or
 * sped up, but a model trained from the same data and seed must not change by one bit (stored
 * models are compared and re-trained against; a changed byte means a changed split, leaf value or
 * coefficient).
 *
 * The cases between them run every specialised kernel: one, two and six outputs; weighted (bootstrap)
 * and unweighted rows; root histograms summed per output, shared by a group of three and of six
 * outputs, and built from a subsample's rows; value-per-bin and quantile-binned features; histogram
 * and direct (small-node) split searches. The linear cases cover ridge's primal and kernel forms,
 * ridge with alpha by nested CV (its eigen path) and lasso. The hashes were taken before the tree
 * learner was split into kernels, search and builder and before the linear models shared one
 * centring.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crossValidate } from '../../src/ml/cv.js';
import { GradientBoostingRegressor, type GradientBoostingParams } from '../../src/ml/gradient-boosting.js';
import { denseMatrix, type DenseMatrix } from '../../src/ml/matrix.js';
import { serializeModel } from '../../src/ml/models/index.js';
import { warmUpWorkers } from '../../src/ml/parallel/pool.js';
import { LassoRegressor } from '../../src/ml/lasso.js';
import { RandomForestRegressor, type RandomForestParams } from '../../src/ml/random-forest.js';
import { RidgeAlphaCvRegressor } from '../../src/ml/ridge-alpha.js';
import { RidgeRegressor } from '../../src/ml/ridge.js';
import { Rng } from '../../src/ml/rng.js';
import type { FittedModel } from '../../src/ml/regressor.js';
import { loadMatrix } from './sklearn-fixture.js';

const sha256 = (model: FittedModel): string =>
  createHash('sha256').update(serializeModel(model)).digest('hex');

/** The first `cols` targets of `y`. */
function firstOutputs(y: DenseMatrix, cols: number): DenseMatrix {
  const out = new Float64Array(y.rows * cols);
  for (let r = 0; r < y.rows; r++)
    for (let c = 0; c < cols; c++) out[r * cols + c] = y.data[r * y.cols + c] as number;
  return denseMatrix(y.rows, cols, out);
}

/** Continuous features (more distinct values than bins) and targets that depend on them. */
function continuousProblem(rows: number, cols: number, outputs: number): { x: DenseMatrix; y: DenseMatrix } {
  const rng = new Rng(11);
  const x = Float64Array.from({ length: rows * cols }, () => rng.nextFloat() * 100 - 50);
  const y = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < outputs; o++)
      y[r * outputs + o] =
        (x[r * cols + o] as number) * (o + 1) - (x[r * cols + o + 1] as number) + rng.nextFloat();
  return { x: denseMatrix(rows, cols, x), y: denseMatrix(rows, outputs, y) };
}

const real = loadMatrix();
const continuous = continuousProblem(700, 12, 6);

interface Case {
  readonly name: string;
  readonly fit: () => FittedModel;
  readonly sha256: string;
}

const forest =
  (p: Partial<RandomForestParams>, data: { x: DenseMatrix; y: DenseMatrix }, threads = 1) =>
  () =>
    new RandomForestRegressor(p).fit(data.x, data.y, { seed: 42, threads });
const boosting =
  (p: Partial<GradientBoostingParams>, data: { x: DenseMatrix; y: DenseMatrix }, threads = 1) =>
  () =>
    new GradientBoostingRegressor(p).fit(data.x, data.y, { seed: 42, threads });

const CASES: readonly Case[] = [
  {
    name: 'forest, real matrix, six outputs, bootstrap (the product default)',
    fit: forest({ nEstimators: 6 }, real),
    sha256: 'c40cecfc9395278c95202736f46cb894bc716692703c159b119038b1a6f62e68',
  },
  {
    name: 'forest, real matrix, six outputs, no bootstrap, sqrt features, unbounded depth',
    fit: forest(
      { nEstimators: 3, bootstrap: false, maxFeatures: 'sqrt', maxDepth: null, minSamplesLeaf: 1 },
      real,
    ),
    sha256: 'ae21cf6cd6a5dedf1ea0f4e7684e1e41062dd9c33b64a33cf0887c4f96ff7584',
  },
  {
    name: 'forest, real matrix, two outputs, bootstrap',
    fit: forest({ nEstimators: 4 }, { x: real.x, y: firstOutputs(real.y, 2) }),
    sha256: 'c082a093a145156a101b4be6c6973623faea3616f49f7e8ba467f5a44020ed5d',
  },
  {
    name: 'forest, real matrix, one output, no bootstrap',
    fit: forest(
      { nEstimators: 2, bootstrap: false, maxFeatures: 0.5 },
      { x: real.x, y: firstOutputs(real.y, 1) },
    ),
    sha256: '1009d9a85cef1ae66c262a24af5769d2609681c16a30e3445ea7b70d0a8c95f7',
  },
  {
    name: 'forest, continuous features, six outputs, bootstrap, 64 bins',
    fit: forest({ nEstimators: 5, maxBins: 64 }, continuous),
    sha256: '852a33e890f98471590389ae13ae45adfb2fb7d7fac4e0510ce07aadf3b7fb42',
  },
  {
    name: 'boosting, real matrix, six outputs on one thread (one group of six)',
    fit: boosting({ nEstimators: 8 }, real),
    sha256: 'a9b7669e280bade9746c633feeaad31187dc6dc5fe64b77fd1d54654162a881d',
  },
  {
    name: 'boosting, real matrix, six outputs on two threads (two groups of three)',
    fit: boosting({ nEstimators: 8 }, real, 2),
    sha256: 'a9b7669e280bade9746c633feeaad31187dc6dc5fe64b77fd1d54654162a881d',
  },
  {
    name: 'boosting, real matrix, six outputs, subsample 0.7',
    fit: boosting({ nEstimators: 6, subsample: 0.7, maxFeatures: 'log2' }, real),
    sha256: '5050f5edffde83d87f41355e95bcd31e236c5992bcdd57240d9563de701dc5b9',
  },
  {
    name: 'boosting, real matrix, one multi-output tree per stage',
    fit: boosting({ nEstimators: 6, multiOutputTrees: true }, real),
    sha256: 'bce64a0526e9c89ea1c4eef66712e8a4c0afc3db1bb533f5a1d087d4cae23d1f',
  },
  {
    name: 'boosting, continuous features, two outputs, subsample 0.8',
    fit: boosting(
      { nEstimators: 10, subsample: 0.8, maxDepth: 8 },
      { x: continuous.x, y: firstOutputs(continuous.y, 2) },
    ),
    sha256: '3ff051579bba4f59492d0827c816fc23ba36befc1ea2a855fe51aa284461c07e',
  },
  {
    name: 'boosting, continuous features, three outputs, one multi-output tree per stage',
    fit: boosting(
      { nEstimators: 5, multiOutputTrees: true },
      { x: continuous.x, y: firstOutputs(continuous.y, 3) },
    ),
    sha256: '96be2626b4b4e8c29724f425b5d9472e8610965243397e47a6b8342d9ce48eeb',
  },
];

describe('fixed-seed tree ensembles serialize to the same bytes as before', () => {
  it.each(CASES)('$name', async (c) => {
    await warmUpWorkers(2);
    expect(sha256(c.fit())).toBe(c.sha256);
  });
});

describe('linear models serialize to the same bytes as before', () => {
  const { x, y } = real;
  const first = (m: DenseMatrix, rows: number): DenseMatrix =>
    denseMatrix(rows, m.cols, m.data.subarray(0, rows * m.cols));

  it('ridge, primal form (more rows than features), with and without an intercept', () => {
    expect(sha256(new RidgeRegressor().fit(x, y, { seed: 1 }))).toBe(
      '2c92a184d8c82f024682d6bcc1e506fe7855f41c1a8af2472aa1209dc9fa990f',
    );
    expect(sha256(new RidgeRegressor({ alpha: 3, fitIntercept: false }).fit(x, y, { seed: 1 }))).toBe(
      '471f51e1ce4df0927ed784780dccfa06541312cb30e9fee788af6cd7f3dfe33e',
    );
  });

  it('ridge, kernel form (fewer rows than features)', () => {
    expect(sha256(new RidgeRegressor().fit(first(x, 200), first(y, 200), { seed: 1 }))).toBe(
      'b634d73f476006f8530547f08959f3d80f2e9d398bf91474f7f83a2cdfee91f5',
    );
  });

  it('ridge with alpha by nested CV: the same CV score to the last bit, then the same model', () => {
    const auto = new RidgeAlphaCvRegressor();
    expect(crossValidate(auto, x, y, { folds: 5, seed: 1 }).overall).toBe(8.50248008624811);
    expect(sha256(auto.fit(x, y, { seed: 1 }))).toBe(
      '1af34a74b8991024bf4f676ea0fd23e559848e7906aa13e69568c9babf7b3ffa',
    );
  });

  it('lasso', () => {
    expect(sha256(new LassoRegressor({ alpha: 0.5 }).fit(x, y, { seed: 1 }))).toBe(
      'd2b9e35a9758b565d2a353068f7acddbaeba4d72d01b08331c5e5acf22080b91',
    );
  });
});
