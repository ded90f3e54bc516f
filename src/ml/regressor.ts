/**
 * The one seam between training code and models (STYLE §1). A `Regressor` is a recipe
 * (hyperparameters); `fit` returns an immutable `FittedModel` that predicts every output at once
 * (multi-output: the five sorted whites and the Powerball) and serializes to a versioned artifact.
 */
import type { DenseMatrix } from './matrix.js';

/** The native model kinds an artifact can hold (trained here or converted from scikit-learn). */
export type ModelKind =
  | 'ridge'
  | 'lasso'
  | 'random_forest'
  | 'gradient_boosting'
  | 'linear'
  | 'standard_scaler'
  | 'decision_tree'
  | 'pipeline'
  | 'multi_output'
  | 'stacked_outputs';

export interface FitOptions {
  /** Seed of every random choice (bootstrap, feature sampling, subsampling). */
  readonly seed: number;
  /** Called with a fraction in [0, 1] as fitting goes on. */
  readonly onProgress?: (fraction: number) => void;
  /**
   * Threads to use (the calling thread included); default: the machine's available parallelism,
   * at most 4. Results do not depend on it: every unit of work has its own seed.
   */
  readonly threads?: number;
}

/** A trained model: pure function of its inputs, never mutated after construction. */
export interface FittedModel {
  readonly kind: ModelKind;
  readonly nFeatures: number;
  readonly nOutputs: number;
  /** Predicts `x.rows` rows of `nOutputs` values; never mutates `x`. */
  predict(x: DenseMatrix): DenseMatrix;
}

/** A model recipe: hyperparameters plus a fit method. */
export interface Regressor {
  readonly kind: 'ridge' | 'lasso' | 'random_forest' | 'gradient_boosting';
  /** The hyperparameters actually used (defaults filled in), as stored in the registry. */
  readonly params: Readonly<Record<string, number | string | boolean | null>>;
  /** Fits on x (rows × features) and y (rows × outputs); never mutates either. */
  fit(x: DenseMatrix, y: DenseMatrix, options: FitOptions): FittedModel;
  /**
   * Optional: the models `fit` would give on each prefix, rows `0 .. end-1` of x and y, for
   * ascending `ends` (equal up to rounding), yielded one at a time so a caller can time and score
   * each before the next is fitted. Time-series cross-validation trains on such nested prefixes;
   * a regressor implements this when it can share the work between them (ridge: one pass over the
   * rows instead of one per fold). `onProgress` reports the fraction of the prefixes done. x and y
   * must not change while the models are being produced; neither is mutated.
   * @throws ValidationError / InsufficientDataError as `fit`, or for `ends` that are not ascending
   * row counts in 1 .. x.rows (eagerly, before anything is yielded).
   */
  fitPrefixes?(
    x: DenseMatrix,
    y: DenseMatrix,
    ends: readonly number[],
    options: FitOptions,
  ): Iterable<FittedModel>;
}
