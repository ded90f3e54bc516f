/**
 * The model registry (STYLE §5, MLflow's shape): registered models → numbered versions. The next
 * version number is read and written inside one `BEGIN IMMEDIATE` transaction, so two processes
 * registering at once get consecutive numbers; a partial unique index allows one active version.
 */
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { RequestChecker } from './request-validation.js';
import type { Connection } from './connection.js';
import { registerInvariant } from './integrity.js';
import type { JsonObject } from '../domain/json.js';
import type { FoldMetrics } from '../domain/fold-metrics.js';
import { jsonProblems, numberRecordProblems, parseJsonColumn } from './json.js';
import type {
  LoadedModel,
  ModelDetails,
  ModelPerformance,
  ModelRegistry,
  ModelSource,
  ModelSummary,
  ModelVersionInfo,
  PruneReport,
  PruneRequest,
  RegisterModelVersionRequest,
  TrainingDataInfo,
} from './model-registry-types.js';

/** Model names: letters, digits, `_`, `-`, `.`; the `@` is reserved for `NAME@VERSION`. */
export const MODEL_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_ARTIFACT_BYTES = 512 * 1024 * 1024;

interface VersionRow {
  id: number;
  model_name: string;
  version: number;
  kind: string;
  source: string;
  is_active: number;
  created_at: string;
  hyperparameters: string;
  feature_names: string;
  fold_metrics: string;
  training_duration_ms: number | null;
  seed: number | null;
  artifact_bytes: number;
  training_data: string | null;
  notes: string | null;
  extra: string | null;
}

const VERSION_COLUMNS = `v.id, v.model_name, v.version, v.kind, v.source, v.is_active, v.created_at, v.hyperparameters,
  v.feature_names, v.fold_metrics, v.training_duration_ms, v.seed, v.artifact_bytes, v.training_data, v.notes, v.extra`;

/** Mean of each key over records that have it. */
function meanOf(records: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const sums = new Map<string, { s: number; n: number }>();
  for (const r of records)
    for (const [k, v] of Object.entries(r)) {
      const e = sums.get(k) ?? { s: 0, n: 0 };
      e.s += v;
      e.n += 1;
      sums.set(k, e);
    }
  const out: Record<string, number> = {};
  for (const [k, { s, n }] of sums) out[k] = s / n;
  return out;
}

function meanBaselines(folds: readonly FoldMetrics[]): Record<string, Record<string, number>> {
  const names = new Set<string>();
  for (const f of folds) for (const b of Object.keys(f.baselines ?? {})) names.add(b);
  const out: Record<string, Record<string, number>> = {};
  for (const name of names)
    out[name] = meanOf(folds.flatMap((f) => (f.baselines?.[name] ? [f.baselines[name]] : [])));
  return out;
}

function toVersionInfo(r: VersionRow): ModelVersionInfo {
  const folds = JSON.parse(r.fold_metrics) as FoldMetrics[];
  return {
    name: r.model_name,
    version: r.version,
    kind: r.kind,
    active: r.is_active === 1,
    source: r.source as ModelSource,
    createdAt: r.created_at,
    hyperparameters: JSON.parse(r.hyperparameters) as JsonObject,
    featureNames: JSON.parse(r.feature_names) as string[],
    folds,
    meanMetrics: meanOf(folds.map((f) => f.metrics)),
    trainingDurationMs: r.training_duration_ms,
    seed: r.seed,
    artifactBytes: r.artifact_bytes,
    trainingData: parseJsonColumn<TrainingDataInfo>(r.training_data),
    notes: r.notes,
    extra: parseJsonColumn<JsonObject>(r.extra),
  };
}

interface CheckedVersion {
  name: string;
  kind: string;
  hyperparameters: string;
  featureNames: string;
  folds: string;
  trainingDurationMs: number | null;
  seed: number | null;
  artifact: Uint8Array;
  source: ModelSource;
  createdAt: string;
  activate: boolean;
  keepInactive: boolean;
  trainingData: string | null;
  notes: string | null;
  extra: string | null;
}

function checkFold(c: RequestChecker, value: unknown, where: string): FoldMetrics | null {
  const o = c.object(value, where);
  if (!o) return null;
  const fold = c.integer(o.fold, `${where}.fold`, 0);
  const out: Record<string, unknown> = { fold };
  if (o.trainSize !== undefined) out.trainSize = c.integer(o.trainSize, `${where}.trainSize`, 0);
  if (o.testSize !== undefined) out.testSize = c.integer(o.testSize, `${where}.testSize`, 0);
  const mIssues = numberRecordProblems(o.metrics, `${where}.metrics`);
  c.addAll(mIssues);
  out.metrics = o.metrics;
  if (o.baselines !== undefined) {
    const b = c.object(o.baselines, `${where}.baselines`);
    if (b)
      for (const [k, v] of Object.entries(b)) c.addAll(numberRecordProblems(v, `${where}.baselines.${k}`));
    out.baselines = o.baselines;
  }
  return out as unknown as FoldMetrics;
}

/** @throws ValidationError naming every bad field. */
function checkRegister(request: unknown): CheckedVersion {
  const c = new RequestChecker();
  const r = c.object(request, 'request');
  if (!r) c.throwIfAny('model version');
  const req = r as Record<string, unknown>;
  const name = c.text(req.name, 'name', 64, MODEL_NAME_RE);
  const kind = c.text(req.kind, 'kind', 64);
  let hyperparameters = '{}';
  if (c.object(req.hyperparameters, 'hyperparameters')) {
    const issues = jsonProblems(req.hyperparameters, 'hyperparameters');
    c.addAll(issues);
    if (!issues.length) hyperparameters = JSON.stringify(req.hyperparameters);
  }
  const features = c.array(req.featureNames, 'featureNames');
  features?.forEach((f, i) => c.text(f, `featureNames[${i}]`, 200));
  const folds: FoldMetrics[] = [];
  c.array(req.folds, 'folds')?.forEach((f, i) => {
    const fold = checkFold(c, f, `folds[${i}]`);
    if (fold) folds.push(fold);
  });
  const trainingDurationMs =
    req.trainingDurationMs === null ? null : c.number(req.trainingDurationMs, 'trainingDurationMs', 0);
  const seed = req.seed === null ? null : c.integer(req.seed, 'seed', Number.MIN_SAFE_INTEGER);
  let artifact: Uint8Array = new Uint8Array(0);
  if (!(req.artifact instanceof Uint8Array)) c.add('artifact', 'expected the serialized model as bytes');
  else if (req.artifact.byteLength === 0) c.add('artifact', 'the serialized model is empty');
  else if (req.artifact.byteLength > MAX_ARTIFACT_BYTES) c.add('artifact', 'larger than 512 MB');
  else artifact = req.artifact;
  const source = (req.source ?? 'trained') as ModelSource;
  if (source !== 'trained' && source !== 'migrated')
    c.add('source', `expected trained or migrated, got ${String(source)}`);
  const createdAt = c.timestamp(req.createdAt, 'createdAt');
  const activate = req.activate === undefined ? false : (c.boolean(req.activate, 'activate') ?? false);
  const keepInactive =
    req.keepInactive === undefined ? false : (c.boolean(req.keepInactive, 'keepInactive') ?? false);
  let trainingData: string | null = null;
  if (req.trainingData !== undefined) {
    const t = c.object(req.trainingData, 'trainingData');
    if (t) {
      c.integer(t.rows, 'trainingData.rows', 0);
      if (t.firstDate !== undefined) c.date(t.firstDate, 'trainingData.firstDate');
      if (t.lastDate !== undefined) c.date(t.lastDate, 'trainingData.lastDate');
      trainingData = JSON.stringify(t);
    }
  }
  const notes = c.optionalText(req.notes, 'notes', 10_000);
  let extra: string | null = null;
  if (req.extra !== undefined && c.object(req.extra, 'extra')) {
    const issues = jsonProblems(req.extra, 'extra');
    c.addAll(issues);
    if (!issues.length) extra = JSON.stringify(req.extra);
  }
  c.throwIfAny('model version');
  return {
    name: name as string,
    kind: kind as string,
    hyperparameters,
    featureNames: JSON.stringify(features),
    folds: JSON.stringify(folds),
    trainingDurationMs,
    seed,
    artifact,
    source,
    createdAt: createdAt as string,
    activate,
    keepInactive,
    trainingData,
    notes,
    extra,
  };
}

registerInvariant({
  name: 'at most one active version per model',
  sql: `SELECT 'model ' || model_name || ' has ' || SUM(is_active) || ' active versions' AS problem
        FROM model_versions GROUP BY model_name HAVING SUM(is_active) > 1`,
});
registerInvariant({
  name: 'every model version has its artifact',
  sql: `SELECT 'model ' || v.model_name || '@' || v.version || ' has no stored artifact' AS problem
        FROM model_versions v WHERE NOT EXISTS (SELECT 1 FROM model_artifacts a WHERE a.version_id = v.id)
        UNION ALL
        SELECT 'artifact row ' || a.version_id || ' belongs to no model version' FROM model_artifacts a
        WHERE NOT EXISTS (SELECT 1 FROM model_versions v WHERE v.id = a.version_id)
        UNION ALL
        SELECT 'model version ' || v.model_name || '@' || v.version || ' belongs to no registered model'
        FROM model_versions v WHERE NOT EXISTS (SELECT 1 FROM registered_models m WHERE m.name = v.model_name)`,
});

export class ModelRepository implements ModelRegistry {
  constructor(private readonly db: Connection) {}

  registerModelVersion(request: RegisterModelVersionRequest): ModelVersionInfo {
    const v = checkRegister(request);
    return this.db.write(() => {
      this.db
        .prepare(
          'INSERT INTO registered_models (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
        )
        .run(v.name, v.createdAt);
      const state = this.db
        .prepare(
          `SELECT m.last_version AS latest,
                  (SELECT COUNT(*) FROM model_versions v WHERE v.model_name = m.name AND v.is_active = 1) AS active
           FROM registered_models m WHERE m.name = ?`,
        )
        .get(v.name) as { latest: number; active: number };
      // Never reuse a number, even of a pruned version (predictions may still name it).
      const version = state.latest + 1;
      this.db.prepare('UPDATE registered_models SET last_version = ? WHERE name = ?').run(version, v.name);
      // A version that did not earn its place stays inactive, even as the first one.
      const makeActive = v.activate || (!state.active && !v.keepInactive);
      if (makeActive)
        this.db
          .prepare('UPDATE model_versions SET is_active = 0 WHERE model_name = ? AND is_active = 1')
          .run(v.name);
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO model_versions (model_name, version, kind, source, is_active, created_at, hyperparameters,
             feature_names, fold_metrics, training_duration_ms, seed, artifact_bytes, training_data, notes, extra)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          v.name,
          version,
          v.kind,
          v.source,
          makeActive ? 1 : 0,
          v.createdAt,
          v.hyperparameters,
          v.featureNames,
          v.folds,
          v.trainingDurationMs,
          v.seed,
          v.artifact.byteLength,
          v.trainingData,
          v.notes,
          v.extra,
        );
      this.db
        .prepare('INSERT INTO model_artifacts (version_id, bytes) VALUES (?, ?)')
        .run(lastInsertRowid, Buffer.from(v.artifact.buffer, v.artifact.byteOffset, v.artifact.byteLength));
      return this.versionRow(v.name, version);
    });
  }

  loadModel(name: string, version: number | 'active'): LoadedModel {
    return this.db.read(() => {
      const info = this.getVersion(name, version);
      const row = this.db
        .prepare(
          `SELECT a.bytes FROM model_artifacts a JOIN model_versions v ON v.id = a.version_id
           WHERE v.model_name = ? AND v.version = ?`,
        )
        .get(name, info.version) as { bytes: Buffer } | undefined;
      if (!row) throw new NotFoundError(`model ${name}@${info.version} has no stored artifact`);
      const artifact = new Uint8Array(row.bytes.byteLength);
      artifact.set(row.bytes);
      return { ...info, artifact };
    });
  }

  getVersion(name: string, version: number | 'active'): ModelVersionInfo {
    const row =
      version === 'active'
        ? (this.db
            .prepare(
              `SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.model_name = ? AND v.is_active = 1`,
            )
            .get(name) as VersionRow | undefined)
        : (this.db
            .prepare(
              `SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.model_name = ? AND v.version = ?`,
            )
            .get(name, version) as VersionRow | undefined);
    if (!row) {
      this.requireModel(name);
      throw new NotFoundError(
        version === 'active'
          ? `model ${name} has no active version`
          : `model ${name} has no version ${version}`,
      );
    }
    return toVersionInfo(row);
  }

  activate(name: string, version: number): ModelVersionInfo {
    if (!Number.isSafeInteger(version) || version < 1)
      throw new ValidationError(`version must be a whole number ≥ 1, got ${version}`, [
        { where: 'version', reason: 'expected a whole number ≥ 1' },
      ]);
    return this.db.write(() => {
      const target = this.getVersion(name, version);
      if (!target.active) {
        this.db
          .prepare('UPDATE model_versions SET is_active = 0 WHERE model_name = ? AND is_active = 1')
          .run(name);
        this.db
          .prepare('UPDATE model_versions SET is_active = 1 WHERE model_name = ? AND version = ?')
          .run(name, version);
      }
      return this.versionRow(name, version);
    });
  }

  prune(request: PruneRequest): PruneReport {
    const c = new RequestChecker();
    const keep = c.integer(request.keep, 'keep', 0);
    if (request.name !== undefined) c.text(request.name, 'name', 64);
    c.throwIfAny('prune');
    const deleted: { name: string; version: number }[] = [];
    const kept: { name: string; version: number; reason: string }[] = [];
    this.db.write(() => {
      const names =
        request.name !== undefined
          ? [this.requireModel(request.name)]
          : (
              this.db.prepare('SELECT name FROM registered_models ORDER BY name').all() as { name: string }[]
            ).map((r) => r.name);
      const refs = this.db.prepare(
        'SELECT COUNT(*) AS n FROM prediction_sets WHERE model_name = ? AND model_version = ?',
      );
      const aliases = this.db.prepare(
        "SELECT alias FROM model_aliases WHERE model_name = ? AND version = ? AND alias != 'active' ORDER BY alias",
      );
      const del = this.db.prepare('DELETE FROM model_versions WHERE model_name = ? AND version = ?');
      for (const name of names) {
        const versions = this.db
          .prepare('SELECT version, is_active FROM model_versions WHERE model_name = ? ORDER BY version DESC')
          .all(name) as { version: number; is_active: number }[];
        for (const v of versions.slice(keep as number)) {
          if (v.is_active === 1) {
            kept.push({ name, version: v.version, reason: 'active version' });
            continue;
          }
          if (!request.force) {
            const n = (refs.get(name, v.version) as { n: number }).n;
            if (n > 0) {
              kept.push({
                name,
                version: v.version,
                reason: `${n} stored prediction set(s) refer to it (use force)`,
              });
              continue;
            }
            const a = (aliases.all(name, v.version) as { alias: string }[]).map((x) => x.alias);
            if (a.length > 0) {
              kept.push({
                name,
                version: v.version,
                reason: `alias ${a.join(', ')} points at it (use force)`,
              });
              continue;
            }
          }
          del.run(name, v.version);
          deleted.push({ name, version: v.version });
        }
      }
    });
    return { deleted, kept };
  }

  modelPerformance(name: string): ModelPerformance {
    return this.db.read(() => {
      this.requireModel(name);
      const rows = this.db
        .prepare(`SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.model_name = ? ORDER BY v.version`)
        .all(name) as VersionRow[];
      return {
        name,
        versions: rows.map((r) => {
          const info = toVersionInfo(r);
          return {
            version: info.version,
            active: info.active,
            kind: info.kind,
            createdAt: info.createdAt,
            trainingDurationMs: info.trainingDurationMs,
            folds: info.folds,
            meanMetrics: info.meanMetrics,
            meanBaselines: meanBaselines(info.folds),
          };
        }),
      };
    });
  }

  listModels(): ModelSummary[] {
    return this.db.read(() => {
      const rows = this.db
        .prepare(
          `SELECT m.name, m.created_at, COUNT(v.id) AS versions, MAX(v.version) AS latest,
                  MAX(CASE WHEN v.is_active = 1 THEN v.version END) AS active
           FROM registered_models m LEFT JOIN model_versions v ON v.model_name = m.name
           GROUP BY m.name ORDER BY m.name`,
        )
        .all() as {
        name: string;
        created_at: string;
        versions: number;
        latest: number | null;
        active: number | null;
      }[];
      return rows.map((r) => this.summary(r));
    });
  }

  showModel(name: string): ModelDetails {
    return this.db.read(() => {
      const model = this.listModels().find((m) => m.name === name);
      if (!model) throw new NotFoundError(`no model named ${name}`);
      const versions = (
        this.db
          .prepare(
            `SELECT ${VERSION_COLUMNS} FROM model_versions v WHERE v.model_name = ? ORDER BY v.version DESC`,
          )
          .all(name) as VersionRow[]
      ).map(toVersionInfo);
      return { model, versions };
    });
  }

  private summary(r: {
    name: string;
    created_at: string;
    versions: number;
    latest: number | null;
    active: number | null;
  }): ModelSummary {
    const active = r.active === null ? null : this.getVersion(r.name, r.active);
    return {
      name: r.name,
      createdAt: r.created_at,
      versions: r.versions,
      latestVersion: r.latest,
      activeVersion: r.active,
      activeKind: active?.kind ?? null,
      activeMeanMetrics: active?.meanMetrics ?? {},
    };
  }

  private versionRow(name: string, version: number): ModelVersionInfo {
    return this.getVersion(name, version);
  }

  /** @throws NotFoundError when no model has that name. */
  private requireModel(name: string): string {
    if (!this.db.prepare('SELECT 1 FROM registered_models WHERE name = ?').get(name))
      throw new NotFoundError(`no model named ${name}`);
    return name;
  }
}
