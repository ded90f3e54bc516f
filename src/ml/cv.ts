/**
 * Walk-forward (time-series) cross-validation. Splits are exactly scikit-learn's
 * `TimeSeriesSplit(n_splits)`: test_size = n_samples // (n_splits + 1), the test blocks are the last
 * n_splits blocks of that size, each training set is everything before its test block (so the first
 * training set also gets the remainder rows). Training never sees the future.
 */
import { CURRENT_ERA } from '../domain/eras.js';
import { InsufficientDataError, PbiError, ValidationError } from '../domain/errors.js';
import { checkFitInput } from './fit-input.js';
import { selectRows, type DenseMatrix } from './matrix.js';
import { maeOfConstant, maePerTarget, overallMae } from './metrics.js';
import type { FitOptions, FittedModel, Regressor } from './regressor.js';

/** One split: training rows `0 .. trainEnd-1`, test rows `testStart .. testEnd-1`. */
export interface TimeSeriesFold {
  readonly trainEnd: number;
  readonly testStart: number;
  readonly testEnd: number;
}

/**
 * scikit-learn's TimeSeriesSplit(n_splits=nSplits) on nSamples rows (no gap, default test size).
 * @throws ValidationError when nSplits < 2 or is not an integer.
 * @throws InsufficientDataError when there are too few rows for that many folds.
 */
export function timeSeriesSplit(nSamples: number, nSplits: number): TimeSeriesFold[] {
  if (!Number.isInteger(nSplits) || nSplits < 2) {
    throw new ValidationError(`folds must be an integer >= 2, got ${nSplits}`, [
      { where: 'folds', reason: 'at least 2' },
    ]);
  }
  if (!Number.isInteger(nSamples) || nSamples < 0) throw new ValidationError(`bad sample count ${nSamples}`);
  const nFolds = nSplits + 1;
  if (nFolds > nSamples) {
    throw new InsufficientDataError(`${nSplits} folds need at least ${nFolds} rows, got ${nSamples}`);
  }
  const testSize = Math.floor(nSamples / nFolds);
  const firstTest = nSamples - nSplits * testSize;
  const folds: TimeSeriesFold[] = [];
  for (let s = firstTest; s < nSamples; s += testSize) {
    folds.push({ trainEnd: s, testStart: s, testEnd: s + testSize });
  }
  return folds;
}

/** Row indices `from .. to-1`. */
export function range(from: number, to: number): Int32Array {
  const out = new Int32Array(Math.max(0, to - from));
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

/**
 * The expected sorted draw of a uniformly random ticket: the i-th smallest of k distinct whites from
 * 1..n has mean i·(n+1)/(k+1); the Powerball (1..m) has mean (m+1)/2. Predicting these constants is
 * the "random draw" baseline a model must beat.
 * @param k whites per draw (5).
 * @param n white range 1..n (current era 69).
 * @param m Powerball range 1..m (current era 26); null for whites only.
 */
export function expectedOrderStatistics(
  k = 5,
  n: number = CURRENT_ERA.whiteMax,
  m: number | null = CURRENT_ERA.powerballMax,
): number[] {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 1 || k > n) {
    throw new ValidationError(`cannot draw ${k} distinct numbers from 1..${n}`);
  }
  const out = Array.from({ length: k }, (_, i) => ((i + 1) * (n + 1)) / (k + 1));
  if (m !== null) out.push((m + 1) / 2);
  return out;
}

/** Errors of one baseline on one fold. */
export interface BaselineScore {
  readonly mae: number[];
  readonly overall: number;
}

export interface FoldResult {
  readonly fold: number;
  readonly trainSize: number;
  readonly testSize: number;
  readonly split: TimeSeriesFold;
  /** MAE per target, in target order. */
  readonly mae: number[];
  readonly overall: number;
  readonly baselines: {
    /** Predicting the training mean of each target. */
    readonly trainMean: BaselineScore;
    /** Predicting the caller's constant (for example expectedOrderStatistics()), when given. */
    readonly constant: BaselineScore | null;
  };
  /** Milliseconds to fit and predict this fold. */
  readonly durationMs: number;
}

export interface CrossValidationResult {
  readonly folds: FoldResult[];
  /** Mean over folds of each target's MAE. */
  readonly meanMae: number[];
  /** Mean over folds of the overall MAE. */
  readonly overall: number;
  readonly baselines: { readonly trainMean: number; readonly constant: number | null };
}

export interface CrossValidateOptions {
  readonly folds: number;
  /** Seed given to every fold's fit (as scikit-learn's fixed random_state). */
  readonly seed: number;
  /** Fraction of the whole cross-validation done, in [0, 1]. */
  readonly onProgress?: (fraction: number) => void;
  /** A constant prediction per target, scored on every fold as a naive baseline. */
  readonly constantBaseline?: readonly number[];
  /** Clock for durations (injected; defaults to performance.now). */
  readonly now?: () => number;
  /** Threads each fit may use (FitOptions.threads); default: the fit's own default. */
  readonly threads?: number;
}

/**
 * Time-series cross-validation of a regressor: per fold and per target MAE, with the training-mean
 * and constant baselines, so a user sees whether the model learned anything.
 * @throws ValidationError / InsufficientDataError for bad shapes, too few rows or bad fold counts.
 */
export function crossValidate(
  regressor: Regressor,
  x: DenseMatrix,
  y: DenseMatrix,
  options: CrossValidateOptions,
): CrossValidationResult {
  checkFitInput(x, y);
  const splits = timeSeriesSplit(x.rows, options.folds);
  if (options.constantBaseline && options.constantBaseline.length !== y.cols) {
    throw new ValidationError(
      `constant baseline has ${options.constantBaseline.length} values, targets have ${y.cols}`,
    );
  }
  const now = options.now ?? (() => performance.now());
  const k = y.cols;
  const folds: FoldResult[] = [];
  const fitOptions = (onProgress: ((f: number) => void) | undefined): FitOptions => ({
    seed: options.seed,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(onProgress ? { onProgress } : {}),
  });
  // The training sets are nested prefixes: a regressor that can share work between them (ridge)
  // fits them all through one lazy sequence, still one model per fold so each fold's time counts
  // its own share. Progress may only go forward, whatever fractions the fits report.
  let reported = 0;
  const report = (f: number): void => {
    if (f < reported) return;
    reported = f;
    options.onProgress?.(f);
  };
  const ends = splits.map((s) => s.trainEnd);
  const prefixModels = regressor.fitPrefixes
    ? regressor.fitPrefixes(x, y, ends, fitOptions(options.onProgress && report))[Symbol.iterator]()
    : null;
  splits.forEach((split, i) => {
    const started = now();
    const train = range(0, split.trainEnd);
    const test = range(split.testStart, split.testEnd);
    const yTrain = selectRows(y, train);
    const yTest = selectRows(y, test);
    const model = prefixModels
      ? nextModel(prefixModels)
      : regressor.fit(
          selectRows(x, train),
          yTrain,
          fitOptions(options.onProgress && ((f) => report((i + f) / splits.length))),
        );
    const mae = maePerTarget(model.predict(selectRows(x, test)), yTest);
    const means = new Float64Array(k);
    for (let r = 0; r < yTrain.rows; r++)
      for (let o = 0; o < k; o++) means[o] = (means[o] as number) + (yTrain.data[r * k + o] as number);
    for (let o = 0; o < k; o++) means[o] = (means[o] as number) / yTrain.rows;
    const meanMae = maeOfConstant(means, yTest);
    const constMae = options.constantBaseline ? maeOfConstant(options.constantBaseline, yTest) : null;
    folds.push({
      fold: i,
      trainSize: train.length,
      testSize: test.length,
      split,
      mae,
      overall: overallMae(mae),
      baselines: {
        trainMean: { mae: meanMae, overall: overallMae(meanMae) },
        constant: constMae ? { mae: constMae, overall: overallMae(constMae) } : null,
      },
      durationMs: now() - started,
    });
    report((i + 1) / splits.length);
  });
  const avg = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  return {
    folds,
    meanMae: Array.from({ length: k }, (_, o) => avg(folds.map((f) => f.mae[o] as number))),
    overall: avg(folds.map((f) => f.overall)),
    baselines: {
      trainMean: avg(folds.map((f) => f.baselines.trainMean.overall)),
      constant: options.constantBaseline
        ? avg(folds.map((f) => (f.baselines.constant as BaselineScore).overall))
        : null,
    },
  };
}

/** The next model of a `fitPrefixes` sequence, which yields one per prefix. */
function nextModel(models: Iterator<FittedModel>): FittedModel {
  const next = models.next();
  if (next.done) throw new PbiError('MODEL', 'fitPrefixes yielded fewer models than prefixes');
  return next.value;
}
