/**
 * Experiments and runs, MLflow's tracking store in miniature: rows in, entities out
 * (STYLE §4). A run is started (status `running`), gets metrics logged step by step, and is finished
 * or failed; `recordRun` writes a whole finished run in one transaction for callers that already hold
 * every result.
 */
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { ParamValue } from '../domain/params.js';
import type { Connection } from './connection.js';
import { registerInvariant } from './integrity.js';
import type {
  Experiment,
  MetricFilter,
  MetricPoint,
  Run,
  RunKind,
  RunPage,
  RunStatus,
} from '../domain/run.js';

export interface StartRunRequest {
  readonly experiment: string;
  readonly kind: RunKind;
  readonly modelName: string;
  readonly parentRunId?: number | null;
  readonly params?: Readonly<Record<string, ParamValue>>;
  readonly tags?: Readonly<Record<string, string>>;
  readonly seed?: number | null;
  readonly dataDigest?: string | null;
  readonly nDraws?: number | null;
  readonly features?: readonly string[];
  /** UTC ISO timestamp. */
  readonly startedAt: string;
}

export interface FinishRunRequest {
  readonly status: 'finished' | 'failed';
  readonly endedAt: string;
  readonly durationMs: number;
  /** Required when status is `failed`. */
  readonly error?: string | null;
  readonly modelVersion?: number | null;
  /** Metrics logged in the same transaction. */
  readonly metrics?: readonly MetricPoint[];
  readonly features?: readonly string[];
}

export interface RunQuery {
  readonly experiment?: string;
  readonly modelName?: string;
  readonly status?: RunStatus;
  readonly kind?: RunKind;
  readonly parentRunId?: number;
  readonly metricFilters?: readonly MetricFilter[];
  /** Order by a metric's summary value (runs without it last), or by run id (newest first). */
  readonly orderBy?: { readonly metric: string; readonly descending?: boolean };
  readonly limit?: number;
  readonly offset?: number;
}

interface RunRow {
  run_id: number;
  experiment: string;
  parent_run_id: number | null;
  kind: RunKind;
  model_name: string;
  status: RunStatus;
  error: string | null;
  seed: number | null;
  data_digest: string | null;
  n_draws: number | null;
  features_json: string;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  model_version: number | null;
}

const RUN_SELECT = `SELECT r.*, e.name AS experiment FROM runs r JOIN experiments e USING (experiment_id)`;
const METRIC_KEY = /^[A-Za-z0-9_.:/-]{1,100}$/;
const OPS = new Set(['<', '<=', '>', '>=', '=']);

registerInvariant({
  name: 'runs are consistent',
  sql: `SELECT 'run ' || run_id || ' is ' || status || ' without an end time' AS problem FROM runs
        WHERE status <> 'running' AND ended_at IS NULL
        UNION ALL
        SELECT 'run ' || run_id || ' failed without an error' FROM runs WHERE status = 'failed' AND error IS NULL`,
});
registerInvariant({
  name: 'aliases match their history',
  sql: `SELECT 'alias ' || a.model_name || '@' || a.alias || ' points at ' || a.version || ' but its last event says ' ||
          coalesce(ev.version, 'removed') AS problem
        FROM model_aliases a LEFT JOIN model_alias_events ev ON ev.event_id =
          (SELECT MAX(event_id) FROM model_alias_events x WHERE x.model_name = a.model_name AND x.alias = a.alias)
        WHERE ev.version IS NOT a.version`,
});

function checkKey(key: string, what: string): void {
  if (!METRIC_KEY.test(key))
    throw new ValidationError(`${what} name "${key}" must be 1-100 letters, digits or _ . : / -`, [
      { where: what, reason: 'invalid name' },
    ]);
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

export class RunRepository {
  constructor(private readonly db: Connection) {}

  /** The experiment of that name, created when missing. */
  ensureExperiment(name: string, at: string): Experiment {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 200)
      throw new ValidationError('an experiment name must have 1 to 200 characters', [
        { where: 'experiment', reason: 'empty or too long' },
      ]);
    return this.db.write(() => {
      this.db
        .prepare('INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING')
        .run(trimmed, at);
      return this.experiment(trimmed) as Experiment;
    });
  }

  /** The experiment, or null. */
  experiment(name: string): Experiment | null {
    const row = this.db
      .prepare(
        `SELECT e.experiment_id AS id, e.name, e.created_at AS createdAt,
                (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.experiment_id) AS runCount
         FROM experiments e WHERE e.name = ?`,
      )
      .get(name.trim()) as Experiment | undefined;
    return row ?? null;
  }

  /** Every experiment, oldest first. */
  experiments(): Experiment[] {
    return this.db
      .prepare(
        `SELECT e.experiment_id AS id, e.name, e.created_at AS createdAt,
                (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.experiment_id) AS runCount
         FROM experiments e ORDER BY e.experiment_id`,
      )
      .all() as Experiment[];
  }

  /**
   * Starts a run (status `running`), creating its experiment if needed.
   * @returns the new run id.
   * @throws ValidationError on a bad param, tag or metric name.
   */
  start(request: StartRunRequest): number {
    for (const k of Object.keys(request.params ?? {})) checkKey(k, 'param');
    for (const k of Object.keys(request.tags ?? {})) checkKey(k, 'tag');
    return this.db.write(() => {
      const exp = this.ensureExperiment(request.experiment, request.startedAt);
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO runs (experiment_id, parent_run_id, kind, model_name, status, seed, data_digest, n_draws,
                               features_json, started_at)
             VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
          )
          .run(
            exp.id,
            request.parentRunId ?? null,
            request.kind,
            request.modelName,
            request.seed ?? null,
            request.dataDigest ?? null,
            request.nDraws ?? null,
            JSON.stringify(request.features ?? []),
            request.startedAt,
          ).lastInsertRowid,
      );
      this.insertParams(id, request.params ?? {});
      this.setTags(id, request.tags ?? {});
      return id;
    });
  }

  /**
   * Appends metric points (a point with the same key and step replaces the earlier one).
   * @throws NotFoundError for an unknown run; ValidationError on a bad metric name.
   */
  logMetrics(runId: number, points: readonly MetricPoint[]): void {
    for (const p of points) checkKey(p.key, 'metric');
    const st = this.db.prepare(
      `INSERT INTO run_metrics (run_id, key, step, value, timestamp) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id, key, step) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp`,
    );
    this.db.write(() => {
      this.requireRun(runId);
      for (const p of points) st.run(runId, p.key, p.step, finiteOrNull(p.value), p.timestamp);
    });
  }

  /** Sets (or replaces) tags. */
  setTags(runId: number, tags: Readonly<Record<string, string>>): void {
    const st = this.db.prepare(
      'INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value',
    );
    this.db.write(() => {
      for (const [k, v] of Object.entries(tags)) {
        checkKey(k, 'tag');
        st.run(runId, k, String(v));
      }
    });
  }

  /**
   * Ends a running run, with its last metrics, in one transaction.
   * @throws NotFoundError for an unknown run; ValidationError when it is not running or a failed
   *   run has no error message.
   */
  finish(runId: number, request: FinishRunRequest): void {
    if (request.status === 'failed' && !request.error)
      throw new ValidationError('a failed run needs an error message');
    this.db.write(() => {
      const run = this.requireRun(runId);
      if (run.status !== 'running')
        throw new ValidationError(`run ${runId} is already ${run.status}`, [
          { where: 'run', reason: 'not running' },
        ]);
      if (request.metrics?.length) this.logMetrics(runId, request.metrics);
      this.db
        .prepare(
          `UPDATE runs SET status = ?, error = ?, ended_at = ?, duration_ms = ?,
                  model_version = coalesce(?, model_version), features_json = coalesce(?, features_json)
           WHERE run_id = ?`,
        )
        .run(
          request.status,
          request.status === 'failed' ? (request.error ?? 'failed') : null,
          request.endedAt,
          request.durationMs,
          request.modelVersion ?? null,
          request.features ? JSON.stringify(request.features) : null,
          runId,
        );
    });
  }

  /** Records the model version a run produced (for example a `--register-best` after the search). */
  setModelVersion(runId: number, version: number): void {
    this.db.write(() => {
      this.requireRun(runId);
      this.db.prepare('UPDATE runs SET model_version = ? WHERE run_id = ?').run(version, runId);
    });
  }

  /** Writes a whole run (start, metrics, end) in one transaction; returns its id. */
  record(request: StartRunRequest & FinishRunRequest): number {
    return this.db.write(() => {
      const id = this.start(request);
      this.finish(id, request);
      return id;
    });
  }

  /** The run, or null. */
  get(runId: number): Run | null {
    const row = this.db.prepare(`${RUN_SELECT} WHERE r.run_id = ?`).get(runId) as RunRow | undefined;
    return row ? this.db.read(() => this.hydrate([row])[0] as Run) : null;
  }

  /** @throws NotFoundError naming the run id. */
  require(runId: number): Run {
    const run = this.get(runId);
    if (!run) throw new NotFoundError(`no run with id ${runId}`);
    return run;
  }

  /** The full history of one metric of a run (or of every metric), ordered by key and step. */
  history(runId: number, key?: string): MetricPoint[] {
    this.require(runId);
    const rows = (
      key === undefined
        ? this.db
            .prepare(
              'SELECT key, step, value, timestamp FROM run_metrics WHERE run_id = ? ORDER BY key, step',
            )
            .all(runId)
        : this.db
            .prepare(
              'SELECT key, step, value, timestamp FROM run_metrics WHERE run_id = ? AND key = ? ORDER BY step',
            )
            .all(runId, key)
    ) as MetricPoint[];
    return rows;
  }

  /**
   * Runs matching the query, paged (`limit + 1` rows are read to know whether a next page exists).
   * @throws ValidationError on a bad metric name or operator.
   */
  search(query: RunQuery = {}): RunPage {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.experiment !== undefined) {
      where.push('e.name = ?');
      params.push(query.experiment.trim());
    }
    if (query.modelName !== undefined) {
      where.push('r.model_name = ?');
      params.push(query.modelName);
    }
    if (query.status !== undefined) {
      where.push('r.status = ?');
      params.push(query.status);
    }
    if (query.kind !== undefined) {
      where.push('r.kind = ?');
      params.push(query.kind);
    }
    if (query.parentRunId !== undefined) {
      where.push('r.parent_run_id = ?');
      params.push(query.parentRunId);
    }
    // The summary value of a key is its value at the highest step.
    const latest = `(SELECT m.value FROM run_metrics m WHERE m.run_id = r.run_id AND m.key = ? ORDER BY m.step DESC LIMIT 1)`;
    for (const f of query.metricFilters ?? []) {
      checkKey(f.key, 'metric');
      if (!OPS.has(f.op)) throw new ValidationError(`unknown comparison "${f.op}"`);
      where.push(`${latest} ${f.op} ?`);
      params.push(f.key, f.value);
    }
    let order = 'r.run_id DESC';
    if (query.orderBy) {
      checkKey(query.orderBy.metric, 'metric');
      order = `${latest} IS NULL, ${latest} ${query.orderBy.descending ? 'DESC' : 'ASC'}, r.run_id`;
      params.push(query.orderBy.metric, query.orderBy.metric);
    }
    const limit = Math.max(1, Math.min(query.limit ?? 100, 10_000));
    const offset = Math.max(0, query.offset ?? 0);
    params.push(limit + 1, offset);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return this.db.read(() => {
      const rows = this.db
        .prepare(`${RUN_SELECT} ${clause} ORDER BY ${order} LIMIT ? OFFSET ?`)
        .all(...params) as RunRow[];
      const more = rows.length > limit;
      return { runs: this.hydrate(rows.slice(0, limit)), nextOffset: more ? offset + limit : null };
    });
  }

  private requireRun(runId: number): { status: RunStatus } {
    const row = this.db.prepare('SELECT status FROM runs WHERE run_id = ?').get(runId) as
      { status: RunStatus } | undefined;
    if (!row) throw new NotFoundError(`no run with id ${runId}`);
    return row;
  }

  private insertParams(runId: number, values: Readonly<Record<string, ParamValue>>): void {
    const st = this.db.prepare('INSERT INTO run_params (run_id, key, value_json) VALUES (?, ?, ?)');
    for (const [k, v] of Object.entries(values))
      st.run(runId, k, JSON.stringify(typeof v === 'number' && !Number.isFinite(v) ? null : v));
  }

  /** Row mapper: one query per side table for the whole page, not per run. */
  private hydrate(rows: readonly RunRow[]): Run[] {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.run_id);
    const marks = ids.map(() => '?').join(',');
    const params = new Map<number, Record<string, ParamValue>>();
    const tags = new Map<number, Record<string, string>>();
    const metrics = new Map<number, Record<string, number | null>>();
    for (const id of ids) {
      params.set(id, {});
      tags.set(id, {});
      metrics.set(id, {});
    }
    for (const p of this.db
      .prepare(`SELECT run_id, key, value_json FROM run_params WHERE run_id IN (${marks}) ORDER BY key`)
      .all(...ids) as { run_id: number; key: string; value_json: string }[])
      (params.get(p.run_id) as Record<string, ParamValue>)[p.key] = JSON.parse(p.value_json) as ParamValue;
    for (const t of this.db
      .prepare(`SELECT run_id, key, value FROM run_tags WHERE run_id IN (${marks}) ORDER BY key`)
      .all(...ids) as { run_id: number; key: string; value: string }[])
      (tags.get(t.run_id) as Record<string, string>)[t.key] = t.value;
    for (const m of this.db
      .prepare(
        `SELECT m.run_id, m.key, m.value FROM run_metrics m
         WHERE m.run_id IN (${marks})
           AND m.step = (SELECT MAX(step) FROM run_metrics x WHERE x.run_id = m.run_id AND x.key = m.key)
         ORDER BY m.key`,
      )
      .all(...ids) as { run_id: number; key: string; value: number | null }[])
      (metrics.get(m.run_id) as Record<string, number | null>)[m.key] = m.value;
    return rows.map((r) => ({
      id: r.run_id,
      experiment: r.experiment,
      parentRunId: r.parent_run_id,
      kind: r.kind,
      modelName: r.model_name,
      status: r.status,
      error: r.error,
      seed: r.seed,
      dataDigest: r.data_digest,
      nDraws: r.n_draws,
      features: JSON.parse(r.features_json) as string[],
      startedAt: r.started_at,
      endedAt: r.ended_at,
      durationMs: r.duration_ms,
      modelVersion: r.model_version,
      params: params.get(r.run_id) ?? {},
      tags: tags.get(r.run_id) ?? {},
      metrics: metrics.get(r.run_id) ?? {},
    }));
  }
}
