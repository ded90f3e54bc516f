/**
 * `models/*.joblib` and `prediction_models.joblib` → converted native models registered as
 * versions of `legacy-<model_type>` (or `legacy-prediction_models`), so `pbi models predict` runs
 * them. A white-ball and a Powerball pipeline that are not one combined model become two versions.
 */
import path from 'node:path';
import {
  isDict,
  normalizeTimestamp,
  toJson,
  type LegacyModelPair,
  type LegacySourceFile,
  type PickleValue,
} from '../../legacy/index.js';
import { serializeModel } from '../../ml/models/index.js';
import type { FittedModel } from '../../ml/regressor.js';
import type { JsonValue } from '../../domain/json.js';
import type { SourceAccumulator } from './ledger.js';
import { MAPPING } from './mapping.js';
import type { MappingRun, Prepared } from './mapping-run.js';
import { clean } from './sanitize.js';

/** One model to register: its name, the model, and which outputs it predicts. */
type ModelPart = readonly [name: string, model: FittedModel, outputs: string];

/** The artifact's own keys other than its pipelines, kept with every version made from it. */
export function artifactKeys(root: PickleValue): Record<string, JsonValue> {
  const keys: Record<string, JsonValue> = {};
  if (isDict(root))
    for (const [k, v] of root)
      if (typeof k === 'string' && !/pipeline$|^white_balls$|^powerball$/.test(k)) keys[k] = toJson(v);
  return keys;
}

/** The registry name of the models converted from a legacy file. */
function legacyModelName(src: LegacySourceFile, pair: LegacyModelPair): string {
  if (src.kind === 'prediction_models') return 'legacy-prediction_models';
  const base = path.basename(src.rel);
  const type = (pair.modelType ?? base.replace(/(_\d{8}_\d{6})?\.joblib$/, ''))
    .replace(/[^A-Za-z0-9_.-]/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 50);
  return `legacy-${type || 'model'}`;
}

/** The models to register from a pair: the combined one, or the white and Powerball ones apart. */
function modelParts(name: string, pair: LegacyModelPair): ModelPart[] {
  if (pair.combined) return [[name, pair.combined, 'whites then Powerball']];
  const parts: ModelPart[] = [];
  if (pair.white) parts.push([`${name}-white`, pair.white, 'white balls']);
  if (pair.powerball) parts.push([`${name}-powerball`, pair.powerball, 'Powerball']);
  return parts;
}

/** Registers one converted model as the active version of its name; returns what the report lists. */
function registerPart(
  run: MappingRun,
  src: LegacySourceFile,
  pair: LegacyModelPair,
  [modelName, model, outputs]: ModelPart,
  facts: { readonly createdAt: string; readonly checksum: string; readonly keys: Record<string, JsonValue> },
): { readonly target: string; readonly registered: JsonValue } {
  const info = run.store.models.registerModelVersion({
    name: modelName,
    kind: model.kind,
    hyperparameters: clean({
      legacy_model_type: pair.modelType ?? undefined,
      sklearn_white: pair.sourceClasses.white ?? undefined,
      sklearn_powerball: pair.sourceClasses.powerball ?? undefined,
    }),
    featureNames: Array.from({ length: model.nFeatures }, (_, i) => `x${i}`),
    folds: [],
    trainingDurationMs: null,
    seed: null,
    artifact: serializeModel(model),
    source: 'migrated',
    createdAt: facts.createdAt,
    activate: true,
    notes: `converted from the legacy ${src.rel} (${outputs})`,
    extra: clean({
      legacy_file: src.rel,
      legacy_sha256: facts.checksum,
      trained_at: pair.trainedAt ?? undefined,
      outputs,
      artifact_keys: facts.keys,
      conversion_problems: pair.problems.length ? [...pair.problems] : undefined,
    }),
  });
  return {
    target: `${info.name}@${info.version}`,
    registered: {
      name: info.name,
      version: info.version,
      kind: info.kind,
      outputs: model.nOutputs,
      features: model.nFeatures,
    },
  };
}

/** Takes a converted legacy model file; the write registers its models (once per file content). */
export function prepareModel(
  run: MappingRun,
  src: LegacySourceFile,
  pair: LegacyModelPair,
  keys: Record<string, JsonValue>,
  acc: SourceAccumulator,
): Prepared {
  const base = path.basename(src.rel);
  const kindKey = src.kind === 'prediction_models' ? 'prediction_models' : 'model_artifacts';
  acc.read(kindKey);
  acc.mapping[kindKey] = MAPPING[kindKey] as string;
  for (const p of pair.problems) acc.note(base, p);
  const parts = modelParts(legacyModelName(src, pair), pair);
  const trained = pair.trainedAt ? normalizeTimestamp(pair.trainedAt) : null;

  return () => {
    const key = 'artifact';
    const checksum = acc.fileSha256 as string;
    if (acc.state(kindKey, key, checksum, base) !== 'new') return;
    if (parts.length === 0) {
      acc.skip(
        kindKey,
        base,
        `no model could be converted: ${pair.problems.join('; ') || 'nothing in the file'}`,
      );
      return;
    }
    const createdAt = trained && 'iso' in trained ? trained.iso : run.now();
    const done = parts.map((part) => registerPart(run, src, pair, part, { createdAt, checksum, keys }));
    acc.details.registered = done.map((d) => d.registered);
    if (src.kind === 'model_artifact') run.convertedArtifacts.add(base);
    acc.migrated(kindKey, key, checksum, done.map((d) => d.target).join(','), 'model-version');
  };
}
