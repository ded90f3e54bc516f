/**
 * Gradient boosting for squared error (learning rate, depth, subsample, n_estimators), seeded.
 *
 * Multi-output the way the legacy app did it (scikit-learn's MultiOutputRegressor around
 * GradientBoostingRegressor): each output is boosted on its own residuals, so every stage has one
 * single-output tree per output. Unlike six separate fits, the six share one binning of the
 * features and one tree learner (tree/grow.ts). The squared-error split criterion equals
 * scikit-learn's default friedman_mse for single-output trees, so splits are chosen alike.
 */
import { checkFitInput, numberParam } from './fit-input.js';
import type { DenseMatrix } from './matrix.js';
import { BoostingModel } from './models/boosting-model.js';
import type { TreeModel } from './models/tree-model.js';
import type { FitOptions, Regressor } from './regressor.js';
import { Rng } from './rng.js';
import { binFeatures } from './tree/binning.js';
import { TreeGrower, leafOfBinnedRow } from './tree/grow.js';
import { checkTreeParams, resolveMaxFeatures, type MaxFeatures } from './tree-params.js';

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
}

/** The legacy app's settings (issue 4). */
export const GRADIENT_BOOSTING_DEFAULTS: GradientBoostingParams = Object.freeze({
  nEstimators: 100,
  learningRate: 0.1,
  maxDepth: 6,
  minSamplesSplit: 5,
  minSamplesLeaf: 2,
  subsample: 1.0,
  maxFeatures: 1.0,
  maxBins: 255,
});

/** Gradient boosting behind the `Regressor` seam. */
export class GradientBoostingRegressor implements Regressor {
  readonly kind = 'gradient_boosting' as const;
  readonly params: Readonly<GradientBoostingParams>;

  /** @throws ValidationError naming the first invalid hyperparameter. */
  constructor(params: Partial<GradientBoostingParams> = {}) {
    const p = { ...GRADIENT_BOOSTING_DEFAULTS, ...params };
    numberParam('nEstimators', p.nEstimators, { min: 1, integer: true });
    numberParam('learningRate', p.learningRate, { min: 0, exclusiveMin: true });
    numberParam('subsample', p.subsample, { min: 0, max: 1, exclusiveMin: true });
    checkTreeParams(p);
    this.params = Object.freeze(p);
  }

  /** @throws ValidationError / InsufficientDataError for bad inputs. */
  fit(x: DenseMatrix, y: DenseMatrix, options: FitOptions): BoostingModel {
    checkFitInput(x, y);
    const { nEstimators, learningRate, subsample } = this.params;
    const n = x.rows;
    const k = y.cols;
    const binned = binFeatures(x, this.params.maxBins);
    const rng = new Rng(options.seed);
    const grow = {
      maxDepth: this.params.maxDepth ?? Infinity,
      minSamplesSplit: this.params.minSamplesSplit,
      minSamplesLeaf: this.params.minSamplesLeaf,
      maxFeatures: resolveMaxFeatures(this.params.maxFeatures, x.cols),
    };
    const init = new Float64Array(k);
    for (let r = 0; r < n; r++)
      for (let o = 0; o < k; o++) init[o] = (init[o] as number) + (y.data[r * k + o] as number);
    for (let o = 0; o < k; o++) init[o] = (init[o] as number) / n;
    // Current predictions, output-major so each output's column is contiguous.
    const raw = new Float64Array(k * n);
    for (let o = 0; o < k; o++) raw.fill(init[o] as number, o * n, (o + 1) * n);
    const residual = new Float64Array(n);
    const grower = new TreeGrower(binned, 1, false);
    const sampleSize = Math.max(1, Math.floor(subsample * n));
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    const rows = new Int32Array(sampleSize);
    const stages: TreeModel[][] = [];
    for (let s = 0; s < nEstimators; s++) {
      let sample: Int32Array = all;
      if (sampleSize < n) sample = rng.sampleWithoutReplacement(n, sampleSize).sort();
      const stage: TreeModel[] = [];
      for (let o = 0; o < k; o++) {
        const ro = o * n;
        for (let r = 0; r < n; r++) residual[r] = (y.data[r * k + o] as number) - (raw[ro + r] as number);
        rows.set(sample.subarray(0, sampleSize));
        const grown = grower.grow(residual, null, rows, grow, rng);
        const value = grown.tree.value;
        for (let r = 0; r < n; r++) {
          raw[ro + r] =
            (raw[ro + r] as number) + learningRate * (value[leafOfBinnedRow(grown, binned, r)] as number);
        }
        stage.push(grown.tree);
      }
      stages.push(stage);
      options.onProgress?.((s + 1) / nEstimators);
    }
    return new BoostingModel({ nFeatures: x.cols, nOutputs: k, init, learningRate, stages });
  }
}
