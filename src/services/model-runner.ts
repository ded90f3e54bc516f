/**
 * Runs a stored model version (trained here or migrated from the legacy app) on feature rows:
 * `pbi models predict NAME[@VERSION] --input FILE`, and the ML strategy's way to load a model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FieldError, PbiError } from '../domain/errors.js';
import { alignFeatures, parseFeatureCsv, TARGET_NAMES } from '../ml/features/index.js';
import type { DenseMatrix } from '../ml/matrix.js';
import { deserializeModel } from '../ml/models/index.js';
import type { FittedModel } from '../ml/regressor.js';
import type { ModelRegistry, ModelVersionInfo } from '../store/model-registry-types.js';
import type { ModelReference } from './model-service.js';

/** A stored version, deserialized and ready to predict. */
export interface LoadedFittedModel {
  readonly info: ModelVersionInfo;
  readonly model: FittedModel;
}

/**
 * Loads a model version and its fitted model.
 * @throws NotFoundError for an unknown model or version; PbiError (MODEL) for an unusable artifact.
 */
export function loadFittedModel(models: ModelRegistry, ref: ModelReference): LoadedFittedModel {
  const loaded = models.loadModel(ref.name, ref.version);
  const model = deserializeModel(loaded.artifact);
  if (model.nFeatures !== loaded.featureNames.length) {
    throw new PbiError(
      'MODEL',
      `model ${loaded.name}@${loaded.version} takes ${model.nFeatures} features but ${loaded.featureNames.length} feature names are stored`,
    );
  }
  const { artifact: _bytes, ...info } = loaded;
  return { info, model };
}

/** Names of a model's outputs: the six targets for six outputs, else y0..yN. */
export function outputNames(nOutputs: number): string[] {
  return nOutputs === TARGET_NAMES.length
    ? [...TARGET_NAMES]
    : Array.from({ length: nOutputs }, (_, i) => `y${i}`);
}

export interface ModelPredictReport {
  readonly model: string;
  readonly version: number;
  readonly kind: string;
  readonly source: string;
  readonly input: string;
  readonly rows: number;
  readonly outputs: readonly string[];
  /** `draw_date` of each row when the input has that column. */
  readonly dates: readonly string[] | null;
  /** One array of raw outputs per input row. */
  readonly predictions: readonly (readonly number[])[];
  /** Input columns the model does not use (`draw_date` and `target_*` are never counted). */
  readonly ignoredColumns: readonly string[];
}

/**
 * Predicts every row of a feature matrix with a loaded model (columns matched by name).
 * @throws ValidationError naming the missing feature columns.
 */
export function predictRows(
  loaded: LoadedFittedModel,
  x: DenseMatrix,
  names: readonly string[],
): DenseMatrix {
  const aligned = alignFeatures(x, names, loaded.info.featureNames);
  return loaded.model.predict(aligned);
}

/**
 * Runs a stored model on a CSV file of feature rows (header = the model's feature names, in any
 * order; an exported feature matrix works as is).
 * @throws ValidationError / MALFORMED_FILE for an unreadable or malformed file or missing columns;
 *   NotFoundError for an unknown model; PbiError (MODEL) for an unusable artifact.
 */
export function runModelOnCsv(models: ModelRegistry, ref: ModelReference, file: string): ModelPredictReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new FieldError(
      () => `cannot read ${file}: ${(error as Error).message}`,
      [{ where: 'input', reason: 'unreadable file' }],
    );
  }
  return runModelOnCsvText(models, ref, text, path.basename(file), path.resolve(file));
}

/**
 * Runs a stored model on CSV text of feature rows; `source` names the text in parse errors, `input`
 * is what the report says was read (a resolved path, or an upload's name).
 * @throws ValidationError / MALFORMED_FILE for malformed text or missing columns; NotFoundError for
 *   an unknown model; PbiError (MODEL) for an unusable artifact.
 */
export function runModelOnCsvText(
  models: ModelRegistry,
  ref: ModelReference,
  text: string,
  source: string,
  input: string,
): ModelPredictReport {
  const loaded = loadFittedModel(models, ref);
  const csv = parseFeatureCsv(text, source);
  const y = predictRows(loaded, csv.x, csv.names);
  const used = new Set(loaded.info.featureNames);
  const predictions: number[][] = [];
  for (let r = 0; r < y.rows; r++)
    predictions.push(Array.from(y.data.subarray(r * y.cols, (r + 1) * y.cols)));
  return {
    model: loaded.info.name,
    version: loaded.info.version,
    kind: loaded.info.kind,
    source: loaded.info.source,
    input,
    rows: y.rows,
    outputs: outputNames(y.cols),
    dates: csv.dates,
    predictions,
    ignoredColumns: csv.names.filter((n) => !used.has(n)),
  };
}
