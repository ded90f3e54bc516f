/**
 * The two legacy model containers, converted: `prediction_models.joblib` (`{white_balls, powerball}`)
 * and the artifacts under `models/` (`{white_pipeline, powerball_pipeline, model_type, trained_at}`).
 * The white-ball and Powerball models are also joined into one 6-output model (whites then Powerball).
 */
import { PbiError } from '../../domain/errors.js';
import { MultiOutputModel } from '../../ml/models/index.js';
import type { FittedModel } from '../../ml/regressor.js';
import { dateTimeToIso, isDict, isRecord, type PickleValue } from '../pickle/values.js';
import { convertSklearn } from './sklearn.js';

/** A converted legacy model pair. `problems` says why a part is null. */
export interface LegacyModelPair {
  /** `model_type` of an artifact (`ridge`, `random_forest`, ...), or null (prediction_models.joblib has none). */
  readonly modelType: string | null;
  /** `trained_at` as UTC ISO-8601, or null. */
  readonly trainedAt: string | null;
  /** The white-ball model (5 outputs in the legacy app), or null if missing/unconvertible. */
  readonly white: FittedModel | null;
  /** The Powerball model (1 output), or null. */
  readonly powerball: FittedModel | null;
  /** `white` and `powerball` stacked into one model (outputs: whites..., Powerball), when both exist. */
  readonly combined: FittedModel | null;
  /** scikit-learn class names found, e.g. `{ white: 'sklearn.pipeline.Pipeline' }`. */
  readonly sourceClasses: { readonly white: string | null; readonly powerball: string | null };
  readonly problems: readonly string[];
}

function className(v: PickleValue | undefined): string | null {
  return isRecord(v) && v.kind === 'object' ? v.className : null;
}

function timestamp(v: PickleValue | undefined): string | null {
  if (isRecord(v) && v.kind === 'datetime') return dateTimeToIso(v);
  if (typeof v === 'string') return v;
  return null;
}

function pair(
  root: PickleValue,
  whiteKey: string,
  pbKey: string,
  modelType: string | null,
  trainedAt: string | null,
): LegacyModelPair {
  if (!isDict(root))
    throw new PbiError('MODEL', `legacy model file is not a dict with ${whiteKey} and ${pbKey}`);
  const problems: string[] = [];
  const conv = (key: string): FittedModel | null => {
    const v = root.get(key);
    if (v === undefined || v === null) {
      problems.push(`${key}: missing`);
      return null;
    }
    try {
      return convertSklearn(v);
    } catch (e) {
      if (!(e instanceof PbiError)) throw e;
      problems.push(`${key}: ${e.message}`);
      return null;
    }
  };
  const white = conv(whiteKey);
  const powerball = conv(pbKey);
  let combined: FittedModel | null = null;
  if (white && powerball) {
    try {
      combined = new MultiOutputModel([white, powerball], 'stacked_outputs');
    } catch (e) {
      if (!(e instanceof PbiError)) throw e;
      problems.push(`combined: ${e.message}`);
    }
  }
  return {
    modelType,
    trainedAt,
    white,
    powerball,
    combined,
    sourceClasses: { white: className(root.get(whiteKey)), powerball: className(root.get(pbKey)) },
    problems,
  };
}

/**
 * `prediction_models.joblib`: `{white_balls: Pipeline, powerball: Pipeline}`.
 * @throws PbiError (MODEL) when the root is not a dict; a part that fails is reported in `problems`.
 */
export function convertPredictionModels(root: PickleValue): LegacyModelPair {
  return pair(root, 'white_balls', 'powerball', null, null);
}

/**
 * A `models/<name>_<timestamp>.joblib` artifact: `{white_pipeline, powerball_pipeline, model_type, trained_at}`.
 * @throws PbiError (MODEL) when the root is not a dict; a part that fails is reported in `problems`.
 */
export function convertModelArtifact(root: PickleValue): LegacyModelPair {
  const get = (k: string): PickleValue | undefined => (isDict(root) ? root.get(k) : undefined);
  const type = get('model_type');
  return pair(
    root,
    'white_pipeline',
    'powerball_pipeline',
    typeof type === 'string' ? type : null,
    timestamp(get('trained_at')),
  );
}
