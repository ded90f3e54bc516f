/**
 * Reads a whole legacy app folder (DESIGN §5) into typed records, file by file. A file that is
 * missing is noted; a file that is unreadable, hostile or over a limit is reported with its error
 * and contributes nothing; the others are read in full. Nothing is written anywhere: the migrate
 * service maps these records into the store.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PbiError, toPbiError, type ErrorCode } from '../domain/errors.js';
import {
  convertModelArtifact,
  convertPredictionModels,
  type LegacyModelPair,
} from './convert/legacy-models.js';
import { UnsafePickleError } from './pickle/errors.js';
import { readJoblibBytes, type JoblibLimits } from './joblib/read-joblib.js';
import { readExperimentsDb, type LegacyExperiments } from './records/experiments-db.js';
import { readPredictionHistory, type LegacyHistory } from './records/history.js';
import { readMlMemory, type LegacyMemory } from './records/ml-memory.js';
import { readModelPredictionsDb, type LegacyModelDb } from './records/model-db.js';
import type { LegacySqlSource } from './records/sqlite-source.js';

/** What the legacy folder held, per file. */
export type LegacyFileKind =
  | 'prediction_history'
  | 'prediction_models'
  | 'model_predictions_db'
  | 'experiments_db'
  | 'ml_memory'
  | 'model_artifact';

export interface LegacyFileReport {
  readonly kind: LegacyFileKind;
  /** Path relative to the legacy folder, `/`-separated. */
  readonly path: string;
  readonly status: 'read' | 'missing' | 'failed';
  readonly bytes: number | null;
  /** SHA-256 of the file as found (hex), for the validation report. */
  readonly sha256: string | null;
  /** joblib compression, for joblib files. */
  readonly compression: string | null;
  readonly error: {
    readonly code: ErrorCode;
    readonly reason: string | null;
    readonly message: string;
  } | null;
}

export interface LegacyArtifact {
  /** `models/<file>` relative to the legacy folder. */
  readonly path: string;
  readonly models: LegacyModelPair;
}

export interface LegacyFolderContents {
  readonly dir: string;
  readonly files: readonly LegacyFileReport[];
  readonly history: LegacyHistory | null;
  readonly predictionModels: LegacyModelPair | null;
  readonly modelDb: LegacyModelDb | null;
  readonly experiments: LegacyExperiments | null;
  readonly memory: LegacyMemory | null;
  /** Every readable `models/*.joblib`, by path. */
  readonly artifacts: readonly LegacyArtifact[];
  /**
   * Each distinct `prediction_sets.model_artifact_path` → the artifact path it resolved to (absolute
   * legacy paths are matched by file name under `models/`), or null when no such file was read.
   */
  readonly artifactPaths: ReadonlyMap<string, string | null>;
}

/** A readable SQLite source the caller opens (read-only) and closes. */
export interface LegacySqlOpener {
  (file: string): LegacySqlSource & { close(): void };
}

export interface ReadLegacyFolderOptions {
  readonly limits?: Partial<JoblibLimits>;
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/**
 * Reads everything in a legacy app folder (`data/` and `models/`, or the same files at its root).
 * @throws PbiError (NOT_FOUND) when the folder does not exist; per-file failures are in `files`.
 */
export function readLegacyFolder(
  dir: string,
  openSql: LegacySqlOpener,
  options: ReadLegacyFolderOptions = {},
): LegacyFolderContents {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new PbiError('NOT_FOUND', `legacy folder ${dir} does not exist`);
  const files: LegacyFileReport[] = [];
  const find = (...candidates: string[]): string =>
    candidates.find((c) => existsSync(path.join(dir, c))) ?? (candidates[0] as string);

  /** Reads one file, reporting it; returns the parsed result or null. */
  const readOne = <T>(
    kind: LegacyFileKind,
    rel: string,
    parse: (bytes: Uint8Array, abs: string) => { value: T; compression?: string },
  ): T | null => {
    const abs = path.join(dir, rel);
    const base = { kind, path: rel.split(path.sep).join('/') };
    if (!existsSync(abs)) {
      files.push({ ...base, status: 'missing', bytes: null, sha256: null, compression: null, error: null });
      return null;
    }
    let bytes: Uint8Array | null = null;
    try {
      const max = options.limits?.maxFileBytes ?? 512 * 1024 * 1024;
      const size = statSync(abs).size;
      if (size > max)
        throw new UnsafePickleError('limit', `${base.path} is ${size} bytes, over the ${max}-byte limit`, -1);
      bytes = new Uint8Array(readFileSync(abs));
      const r = parse(bytes, abs);
      files.push({
        ...base,
        status: 'read',
        bytes: bytes.length,
        sha256: sha256(bytes),
        compression: r.compression ?? null,
        error: null,
      });
      return r.value;
    } catch (e) {
      const err = e instanceof PbiError ? e : toPbiError(e);
      files.push({
        ...base,
        status: 'failed',
        bytes: bytes?.length ?? null,
        sha256: bytes ? sha256(bytes) : null,
        compression: null,
        error: {
          code: err.code,
          reason: e instanceof UnsafePickleError ? e.reason : null,
          message: err.message,
        },
      });
      return null;
    }
  };
  const joblib =
    <T>(map: (v: ReturnType<typeof readJoblibBytes>['value']) => T) =>
    (bytes: Uint8Array) => {
      const r = readJoblibBytes(bytes, options.limits);
      return { value: map(r.value), compression: r.compression };
    };
  const sqlite =
    <T>(read: (db: LegacySqlSource) => T) =>
    (_bytes: Uint8Array, abs: string) => {
      const db = openSql(abs);
      try {
        return { value: read(db) };
      } finally {
        db.close();
      }
    };

  const history = readOne(
    'prediction_history',
    find('data/prediction_history.joblib', 'prediction_history.joblib'),
    joblib(readPredictionHistory),
  );
  const predictionModels = readOne(
    'prediction_models',
    find('data/prediction_models.joblib', 'prediction_models.joblib'),
    joblib(convertPredictionModels),
  );
  const modelDb = readOne(
    'model_predictions_db',
    find('data/model_predictions.db', 'model_predictions.db'),
    sqlite(readModelPredictionsDb),
  );
  const experiments = readOne(
    'experiments_db',
    find('data/experiment_tracking/experiments.db', 'experiment_tracking/experiments.db'),
    sqlite(readExperimentsDb),
  );

  const memDir = find('data/ml_memory', 'ml_memory');
  let memory: LegacyMemory | null = null;
  if (existsSync(path.join(dir, memDir))) {
    const names = readdirSync(path.join(dir, memDir))
      .filter((n) => n.endsWith('.json'))
      .sort();
    const texts: { name: string; text: string }[] = [];
    for (const name of names) {
      const text = readOne('ml_memory', path.join(memDir, name), (b) => ({
        value: new TextDecoder().decode(b),
      }));
      if (text !== null) texts.push({ name, text });
    }
    memory = readMlMemory(texts);
  }

  const artifacts: LegacyArtifact[] = [];
  const modelsDir = find('models');
  if (existsSync(path.join(dir, modelsDir))) {
    for (const name of readdirSync(path.join(dir, modelsDir))
      .filter((n) => n.endsWith('.joblib'))
      .sort()) {
      const rel = `${modelsDir}/${name}`;
      const models = readOne('model_artifact', rel, joblib(convertModelArtifact));
      if (models) artifacts.push({ path: rel, models });
    }
  }
  const byName = new Map(artifacts.map((a) => [path.posix.basename(a.path), a.path]));
  const artifactPaths = new Map<string, string | null>();
  for (const s of modelDb?.sets ?? []) {
    const p = s.modelArtifactPath;
    if (p === null || artifactPaths.has(p)) continue;
    const normalized = p.split('\\').join('/');
    const direct = artifacts.find((a) => a.path === normalized.replace(/^\.\//, ''));
    artifactPaths.set(p, direct?.path ?? byName.get(path.posix.basename(normalized)) ?? null);
  }

  return { dir, files, history, predictionModels, modelDb, experiments, memory, artifacts, artifactPaths };
}
