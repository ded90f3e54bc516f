/**
 * Feature importance of a stored model: impurity importances of a tree model's artifact, and
 * permutation importance on the last walk-forward fold (the model's recipe refit on the rows before
 * it, scored on the fold's rows).
 */
import { InsufficientDataError, PbiError } from '../domain/errors.js';
import { timeSeriesSplit, type TimeSeriesFold } from '../ml/cv.js';
import { alignFeatures } from '../ml/features/index.js';
import {
  type FeatureScore,
  hasTrees,
  impurityImportances,
  permutationImportance,
  rankFeatures,
} from '../ml/importance.js';
import { deserializeModel } from '../ml/models/index.js';
import { MODEL_NAMES, type ModelName } from '../domain/model-names.js';
import { createRegressor, type ParamSet } from '../ml/search-space.js';
import type { ServiceContext } from './context.js';
import type { FeatureService } from './feature-service.js';
import { parseModelReference } from './model-service.js';

const DEFAULT_FOLDS = 5;
const DEFAULT_SEED = 42;

export interface ImportanceReport {
  readonly model: string;
  readonly version: number;
  readonly kind: string;
  readonly features: number;
  /** Mean decrease in impurity (sums to 1), largest first; null for models without trees. */
  readonly impurity: readonly FeatureScore[] | null;
  readonly impurityNote: string | null;
  /** Increase of MAE when each feature is shuffled, on the last CV fold; null when not possible. */
  readonly permutation: {
    readonly fold: number;
    readonly trainSize: number;
    readonly testSize: number;
    readonly baselineMae: number;
    readonly repeats: number;
    readonly scores: readonly FeatureScore[];
  } | null;
  readonly permutationNote: string | null;
}

/**
 * Impurity importances of a tree model's stored artifact, and permutation importance on the last
 * walk-forward fold (the model's recipe refit on the rows before it, scored on the fold's rows).
 * @throws NotFoundError for an unknown model/version; PbiError (MODEL) for an unusable artifact.
 */
export function featureImportance(
  ctx: ServiceContext<'models'>,
  features: FeatureService,
  reference: string,
  options: { repeats?: number; seed?: number; folds?: number } = {},
): ImportanceReport {
  const ref = parseModelReference(reference);
  const loaded = ctx.store.models.loadModel(ref.name, ref.version);
  const model = deserializeModel(loaded.artifact);
  const names = loaded.featureNames;
  const repeats = options.repeats ?? 5;
  const folds = options.folds ?? (loaded.folds.length >= 2 ? loaded.folds.length : DEFAULT_FOLDS);
  const seed = options.seed ?? loaded.seed ?? DEFAULT_SEED;

  // Rebuild the matrix the model was trained on, in its column order, when the names match ours.
  let data: {
    x: ReturnType<FeatureService['matrix']>['x'];
    y: ReturnType<FeatureService['matrix']>['y'];
  } | null = null;
  let dataNote: string | null = null;
  try {
    const m = features.requireMatrix((folds + 1) * 2);
    data = { x: alignFeatures(m.x, m.names, names), y: m.y };
  } catch (error) {
    if (!(error instanceof PbiError)) throw error;
    dataNote =
      error instanceof InsufficientDataError
        ? error.message
        : `its features cannot be rebuilt here: ${error.message}`;
  }

  let impurity: FeatureScore[] | null = null;
  let impurityNote: string | null = null;
  if (!hasTrees(model)) impurityNote = `a ${loaded.kind} model has no trees, so no impurity importances`;
  else {
    try {
      const values = impurityImportances(model, data ?? undefined);
      impurity = values ? rankFeatures(values, names) : null;
    } catch (error) {
      if (!(error instanceof PbiError)) throw error;
      impurityNote = dataNote ?? error.message;
    }
  }

  let permutation: ImportanceReport['permutation'] = null;
  let permutationNote: string | null = null;
  if (!(MODEL_NAMES as readonly string[]).includes(loaded.kind))
    permutationNote = `a ${loaded.kind} model has no training recipe here (migrated), so it cannot be refit on a fold`;
  else if (!data) permutationNote = dataNote;
  else {
    const regressor = createRegressor(loaded.kind as ModelName, loaded.hyperparameters as ParamSet);
    const split = timeSeriesSplit(data.x.rows, folds)[folds - 1] as TimeSeriesFold;
    const slice = (m: typeof data.x, a: number, b: number) => ({
      rows: b - a,
      cols: m.cols,
      data: m.data.subarray(a * m.cols, b * m.cols),
    });
    const fitted = regressor.fit(slice(data.x, 0, split.trainEnd), slice(data.y, 0, split.trainEnd), {
      seed,
    });
    const result = permutationImportance({
      predict: (x) => fitted.predict(x),
      x: slice(data.x, split.testStart, split.testEnd),
      y: slice(data.y, split.testStart, split.testEnd),
      featureNames: names,
      repeats,
      seed,
    });
    permutation = {
      fold: folds - 1,
      trainSize: split.trainEnd,
      testSize: split.testEnd - split.testStart,
      baselineMae: result.baselineMae,
      repeats,
      scores: [...result.scores].sort(
        (a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature),
      ),
    };
  }
  return {
    model: loaded.name,
    version: loaded.version,
    kind: loaded.kind,
    features: names.length,
    impurity,
    impurityNote,
    permutation,
    permutationNote,
  };
}
