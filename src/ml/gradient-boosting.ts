/**
 * Gradient boosting for squared error (learning rate, depth, subsample, n_estimators), seeded.
 *
 * Multi-output the way the legacy app did it (scikit-learn's MultiOutputRegressor around
 * GradientBoostingRegressor): each output is boosted on its own residuals, so every stage has one
 * single-output tree per output. Unlike six separate fits, the six share one binning of the
 * features and one tree learner (tree/tree-grower.ts). The squared-error split criterion equals
 * scikit-learn's default friedman_mse for single-output trees, so splits are chosen alike.
 */
import { checkFitInput, numberParam } from './fit-input.js';
import type { DenseMatrix } from './matrix.js';
import { BoostingModel } from './models/boosting-model.js';
import { TreeModel, type TreeModelInit } from './models/tree-model.js';
import type { FitOptions, Regressor } from './regressor.js';
import { Rng } from './rng.js';
import { resolveThreads, runUnits } from './parallel/pool.js';
import { binFeatures, type BinnedFeatures } from './tree/binning.js';
import { TreeGrower, leafOfBinnedRow } from './tree/tree-grower.js';
import { checkTreeParams, MAX_TREES, resolveMaxFeatures, type MaxFeatures } from './tree-params.js';

/** Hyperparameters of {@link GradientBoostingRegressor} (scikit-learn names in camelCase). */
export interface GradientBoostingParams {
  readonly nEstimators: number;
  readonly learningRate: number;
  readonly maxDepth: number | null;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  /** Fraction of rows drawn (without replacement) for each stage; 1.0 uses all. */
  readonly subsample: number;
  readonly maxFeatures: MaxFeatures;
  readonly maxBins: number;
  /**
   * false (default, as scikit-learn's MultiOutputRegressor): one single-output tree per output per
   * stage. true: one multi-output tree per stage fitted to all residuals at once (faster, not what
   * scikit-learn does).
   */
  readonly multiOutputTrees: boolean;
}

/** The legacy app's settings, so a migrated model and a native one are trained alike. */
export const GRADIENT_BOOSTING_DEFAULTS: GradientBoostingParams = Object.freeze({
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

/** Gradient boosting behind the `Regressor` seam. */
export class GradientBoostingRegressor implements Regressor {
  readonly kind = 'gradient_boosting' as const;
  readonly params: Readonly<GradientBoostingParams>;

  /** @throws ValidationError naming the first invalid hyperparameter. */
  constructor(params: Partial<GradientBoostingParams> = {}) {
    const p = { ...GRADIENT_BOOSTING_DEFAULTS, ...params };
    numberParam('nEstimators', p.nEstimators, { min: 1, max: MAX_TREES, integer: true });
    numberParam('learningRate', p.learningRate, { min: 0, max: 10, exclusiveMin: true });
    numberParam('subsample', p.subsample, { min: 0, max: 1, exclusiveMin: true });
    checkTreeParams(p);
    this.params = Object.freeze(p);
  }

  /** @throws ValidationError / InsufficientDataError for bad inputs. */
  fit(x: DenseMatrix, y: DenseMatrix, options: FitOptions): BoostingModel {
    checkFitInput(x, y);
    const n = x.rows;
    const k = y.cols;
    const binned = binFeatures(x, this.params.maxBins);
    const init = new Float64Array(k);
    for (let r = 0; r < n; r++) {
      for (let o = 0; o < k; o++) init[o] = (init[o] as number) + (y.data[r * k + o] as number);
    }
    for (let o = 0; o < k; o++) init[o] = (init[o] as number) / n;
    if (this.params.multiOutputTrees) {
      const trees = boostAllOutputs(binned, y.data, k, init, this.params, options);
      return new BoostingModel({
        nFeatures: x.cols,
        nOutputs: k,
        init,
        learningRate: this.params.learningRate,
        stages: trees.map((t) => [t]),
      });
    }
    // Outputs are independent boosting runs; a unit of work boosts a group of them in step (their
    // root histograms share one pass over the rows), and the groups are spread over threads.
    const groupSize = Math.ceil(k / Math.min(k, resolveThreads(options.threads)));
    // Every unit non-empty (6 outputs on 4 threads: 3 groups of 2, not 4 with one empty).
    const units = Math.ceil(k / groupSize);
    const batch: BoostingBatch = {
      binned,
      y: y.data,
      nOutputs: k,
      init,
      params: this.params,
      seed: options.seed,
      groupSize,
    };
    const grower = new TreeGrower(binned, 1, false);
    const perGroup = runUnits<TreeModel[][]>({
      kind: 'boosting',
      batch,
      units,
      threads: options.threads,
      local: (u) => boostGroup(batch, u, grower),
      revive: (v) => (v as TreeModelInit[][]).map((trees) => trees.map((t) => new TreeModel(t))),
      onDone: (done) => options.onProgress?.(done / units),
    });
    const perOutput = perGroup.flat();
    const stages = Array.from({ length: this.params.nEstimators }, (_, s) =>
      perOutput.map((trees) => trees[s] as TreeModel),
    );
    return new BoostingModel({
      nFeatures: x.cols,
      nOutputs: k,
      init,
      learningRate: this.params.learningRate,
      stages,
    });
  }
}

/** What a thread needs to boost any output. */
export interface BoostingBatch {
  readonly binned: BinnedFeatures;
  /** Row-major rows × nOutputs targets. */
  readonly y: Float64Array;
  readonly nOutputs: number;
  readonly init: Float64Array;
  readonly params: GradientBoostingParams;
  readonly seed: number;
  /** Outputs per unit of work (see boostGroup). */
  readonly groupSize: number;
}

/** The outputs boosted by unit `u` of a batch: `groupSize` consecutive outputs. */
function groupOutputs(batch: BoostingBatch, u: number): number[] {
  const from = u * batch.groupSize;
  const to = Math.min(batch.nOutputs, from + batch.groupSize);
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/**
 * Boosts a group of outputs for all stages, in step: per output its trees in stage order. Each
 * output has its own rng from the same seed (as scikit-learn's MultiOutputRegressor gives each
 * estimator the same random_state), and when a stage uses every row the group's root histograms
 * come from one pass (TreeGrower.rootHists, equal bit for bit to one output's own), so the trees do
 * not depend on the grouping or on which thread runs it.
 */
export function boostGroup(batch: BoostingBatch, u: number, grower?: TreeGrower): TreeModel[][] {
  const { binned, y, nOutputs: k, params } = batch;
  const outputs = groupOutputs(batch, u);
  const q = outputs.length;
  const n = binned.rows;
  const grow = {
    maxDepth: params.maxDepth ?? Infinity,
    minSamplesSplit: params.minSamplesSplit,
    minSamplesLeaf: params.minSamplesLeaf,
    maxFeatures: resolveMaxFeatures(params.maxFeatures, binned.cols),
  };
  const g = grower ?? new TreeGrower(binned, 1, false);
  const rngs = outputs.map(() => new Rng(batch.seed));
  const raw = outputs.map((o) => new Float64Array(n).fill(batch.init[o] as number));
  const residuals = outputs.map(() => new Float64Array(n));
  // The group's residuals row-major (rows × q), for the shared root histograms.
  const stacked = new Float64Array(n * q);
  const sampleSize = Math.max(1, Math.floor(params.subsample * n));
  const all = new Int32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  const rows = new Int32Array(sampleSize);
  const trees: TreeModel[][] = outputs.map(() => []);
  const lr = params.learningRate;
  for (let s = 0; s < params.nEstimators; s++) {
    for (let j = 0; j < q; j++) {
      const o = outputs[j] as number;
      const res = residuals[j] as Float64Array;
      const pred = raw[j] as Float64Array;
      for (let r = 0; r < n; r++) {
        const v = (y[r * k + o] as number) - (pred[r] as number);
        res[r] = v;
        stacked[r * q + j] = v;
      }
    }
    const roots = sampleSize === n ? g.rootHists(stacked, q) : null;
    for (let j = 0; j < q; j++) {
      const rng = rngs[j] as Rng;
      let sample: Int32Array = all;
      if (sampleSize < n) sample = rng.sampleWithoutReplacement(n, sampleSize).sort();
      rows.set(sample.subarray(0, sampleSize));
      const grown = g.grow(
        residuals[j] as Float64Array,
        null,
        rows,
        grow,
        rng,
        roots ? (roots[j] as Float64Array) : null,
      );
      const value = grown.tree.value;
      const pred = raw[j] as Float64Array;
      for (let r = 0; r < n; r++)
        pred[r] = (pred[r] as number) + lr * (value[leafOfBinnedRow(grown, binned, r)] as number);
      (trees[j] as TreeModel[]).push(grown.tree);
    }
  }
  return trees;
}

/** Boosting with one multi-output tree per stage (all residuals at once). */
function boostAllOutputs(
  binned: BinnedFeatures,
  y: Float64Array,
  k: number,
  init: Float64Array,
  params: GradientBoostingParams,
  options: FitOptions,
): TreeModel[] {
  const n = binned.rows;
  const rng = new Rng(options.seed);
  const grow = {
    maxDepth: params.maxDepth ?? Infinity,
    minSamplesSplit: params.minSamplesSplit,
    minSamplesLeaf: params.minSamplesLeaf,
    maxFeatures: resolveMaxFeatures(params.maxFeatures, binned.cols),
  };
  // A weighted grower with unit weights takes the specialised six-output paths.
  const grower = new TreeGrower(binned, k, true);
  const raw = new Float64Array(n * k);
  for (let r = 0; r < n; r++) raw.set(init, r * k);
  const residual = new Float64Array(n * k);
  const sampleSize = Math.max(1, Math.floor(params.subsample * n));
  const weights = new Float64Array(n);
  const trees: TreeModel[] = [];
  for (let s = 0; s < params.nEstimators; s++) {
    let rows: Int32Array;
    weights.fill(0);
    if (sampleSize < n) rows = rng.sampleWithoutReplacement(n, sampleSize).sort();
    else rows = Int32Array.from({ length: n }, (_, i) => i);
    for (const r of rows) weights[r] = 1;
    for (let i = 0; i < n * k; i++) residual[i] = (y[i] as number) - (raw[i] as number);
    const grown = grower.grow(residual, weights, rows, grow, rng);
    const value = grown.tree.value;
    for (let r = 0; r < n; r++) {
      const leaf = leafOfBinnedRow(grown, binned, r);
      for (let o = 0; o < k; o++)
        raw[r * k + o] = (raw[r * k + o] as number) + params.learningRate * (value[leaf * k + o] as number);
    }
    trees.push(grown.tree);
    options.onProgress?.((s + 1) / params.nEstimators);
  }
  return trees;
}
