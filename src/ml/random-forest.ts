/**
 * Random forest regression (bootstrap, max_features, max_depth, min_samples_*), seeded, with native
 * multi-output trees as scikit-learn's RandomForestRegressor: one tree predicts all six targets,
 * its split criterion summing squared error over them. Trees come from the in-house histogram
 * learner (tree/tree-grower.ts explains why it is in-house).
 */
import { checkFitInput, numberParam } from './fit-input.js';
import type { DenseMatrix } from './matrix.js';
import { ForestModel } from './models/forest-model.js';
import { TreeModel, type TreeModelInit } from './models/tree-model.js';
import type { FitOptions, Regressor } from './regressor.js';
import { Rng } from './rng.js';
import { binFeatures, type BinnedFeatures } from './tree/binning.js';
import { runUnits } from './parallel/pool.js';
import { TreeGrower } from './tree/tree-grower.js';
import { checkTreeParams, MAX_TREES, resolveMaxFeatures, type MaxFeatures } from './tree-params.js';

/** Hyperparameters of {@link RandomForestRegressor} (scikit-learn names in camelCase). */
export interface RandomForestParams {
  readonly nEstimators: number;
  /** null: grow until leaves are pure or too small. */
  readonly maxDepth: number | null;
  readonly minSamplesSplit: number;
  readonly minSamplesLeaf: number;
  readonly maxFeatures: MaxFeatures;
  readonly bootstrap: boolean;
  /** Histogram bins per feature (≤ 255). */
  readonly maxBins: number;
}

/** The legacy app's settings, max_features 1.0 as scikit-learn ≥ 1.1's regressor. */
export const RANDOM_FOREST_DEFAULTS: RandomForestParams = Object.freeze({
  nEstimators: 100,
  maxDepth: 10,
  minSamplesSplit: 5,
  minSamplesLeaf: 2,
  maxFeatures: 1.0,
  bootstrap: true,
  maxBins: 255,
});

/** Per-tree seeds drawn from the fit seed, so a tree does not depend on which thread grows it. */
export function treeSeeds(seed: number, count: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => rng.nextUint32());
}

/** What a thread needs to grow any tree of a forest. */
export interface ForestBatch {
  readonly binned: BinnedFeatures;
  /** Row-major rows × nOutputs targets. */
  readonly targets: Float64Array;
  readonly nOutputs: number;
  readonly params: RandomForestParams;
  /** One seed per tree. */
  readonly seeds: readonly number[];
}

/** Grows tree `index` of a forest (its bootstrap sample and feature draws come from its own seed). */
export function growForestTree(batch: ForestBatch, index: number, grower?: TreeGrower): TreeModel {
  const { binned, params } = batch;
  const n = binned.rows;
  const g = grower ?? new TreeGrower(binned, batch.nOutputs, params.bootstrap);
  const grow = {
    maxDepth: params.maxDepth ?? Infinity,
    minSamplesSplit: params.minSamplesSplit,
    minSamplesLeaf: params.minSamplesLeaf,
    maxFeatures: resolveMaxFeatures(params.maxFeatures, binned.cols),
  };
  const rng = new Rng(batch.seeds[index] as number);
  if (!params.bootstrap) {
    const rows = new Int32Array(n);
    for (let i = 0; i < n; i++) rows[i] = i;
    return g.grow(batch.targets, null, rows, grow, rng).tree;
  }
  const counts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = rng.nextInt(n);
    counts[r] = (counts[r] as number) + 1;
  }
  let m = 0;
  for (let i = 0; i < n; i++) if ((counts[i] as number) > 0) m++;
  const rows = new Int32Array(m);
  m = 0;
  for (let i = 0; i < n; i++) if ((counts[i] as number) > 0) rows[m++] = i;
  return g.grow(batch.targets, counts, rows, grow, rng).tree;
}

/** Random forest behind the `Regressor` seam. */
export class RandomForestRegressor implements Regressor {
  readonly kind = 'random_forest' as const;
  readonly params: Readonly<RandomForestParams>;

  /** @throws ValidationError naming the first invalid hyperparameter. */
  constructor(params: Partial<RandomForestParams> = {}) {
    const p = { ...RANDOM_FOREST_DEFAULTS, ...params };
    numberParam('nEstimators', p.nEstimators, { min: 1, max: MAX_TREES, integer: true });
    checkTreeParams(p);
    this.params = Object.freeze(p);
  }

  /** @throws ValidationError / InsufficientDataError for bad inputs. */
  fit(x: DenseMatrix, y: DenseMatrix, options: FitOptions): ForestModel {
    checkFitInput(x, y);
    const binned = binFeatures(x, this.params.maxBins);
    const seeds = treeSeeds(options.seed, this.params.nEstimators);
    const batch: ForestBatch = { binned, targets: y.data, nOutputs: y.cols, params: this.params, seeds };
    const grower = new TreeGrower(binned, y.cols, this.params.bootstrap);
    const trees = runUnits<TreeModel>({
      kind: 'forest',
      batch,
      units: seeds.length,
      threads: options.threads,
      local: (i) => growForestTree(batch, i, grower),
      revive: (v) => new TreeModel(v as TreeModelInit),
      onDone: (done) => options.onProgress?.(done / seeds.length),
    });
    return new ForestModel(trees);
  }
}
