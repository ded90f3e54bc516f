/**
 * `experiment_tracking/experiments.db` → typed records: jobs, their runs, and each run's metric
 * history. Runs of a missing job are kept (the run stands on its own); metric points of a missing
 * run are skipped (they mean nothing without it).
 */
import { PbiError } from '../../domain/errors.js';
import type { JsonValue } from '../../domain/json.js';
import { fieldReaders, type LegacyProblem } from './common.js';
import { int, real, tableNames, text, type LegacySqlSource } from './sqlite-source.js';

export interface LegacyExperimentJob {
  readonly jobId: string;
  readonly name: string | null;
  readonly description: string | null;
  /** Parsed `config` JSON, or null when missing/malformed. */
  readonly config: JsonValue | null;
  readonly status: string | null;
  readonly createdAt: string | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly errorMessage: string | null;
  readonly progress: number | null;
}

export interface LegacyExperimentRun {
  readonly runId: string;
  readonly jobId: string | null;
  /** False when the run names a job that is not in experiment_jobs. */
  readonly jobExists: boolean;
  readonly runNumber: number | null;
  readonly modelName: string | null;
  readonly hyperparameters: JsonValue | null;
  readonly metrics: JsonValue | null;
  readonly status: string | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly durationSeconds: number | null;
  readonly artifactPath: string | null;
}

export interface LegacyMetricPoint {
  readonly rowId: number;
  readonly runId: string;
  readonly name: string;
  readonly value: number | null;
  readonly step: number | null;
  readonly timestamp: string | null;
}

export interface LegacyExperiments {
  readonly jobs: readonly LegacyExperimentJob[];
  readonly runs: readonly LegacyExperimentRun[];
  readonly metrics: readonly LegacyMetricPoint[];
  readonly counts: { readonly [table: string]: number };
  readonly problems: readonly LegacyProblem[];
}

/**
 * Reads the legacy experiments database through `db`.
 * @throws PbiError (MALFORMED_FILE) when none of its tables exists.
 */
export function readExperimentsDb(db: LegacySqlSource): LegacyExperiments {
  const tables = tableNames(db);
  if (!tables.has('experiment_jobs') && !tables.has('experiment_runs') && !tables.has('metrics_timeseries')) {
    throw new PbiError(
      'MALFORMED_FILE',
      'not a legacy experiments.db: no experiment_jobs, experiment_runs or metrics_timeseries table',
    );
  }
  const problems: LegacyProblem[] = [];
  const counts: { [table: string]: number } = {};
  const read = fieldReaders(problems);
  const time = (source: string, record: string, field: string, v: unknown): string | null =>
    v === null || v === undefined || v === '' ? null : read.timestamp(source, record, field, v);
  const jsonField = read.json;

  const jobs: LegacyExperimentJob[] = [];
  if (tables.has('experiment_jobs')) {
    const rows = db.all('SELECT rowid AS _rowid, * FROM experiment_jobs ORDER BY rowid');
    counts['experiment_jobs'] = rows.length;
    for (const r of rows) {
      const record = `row ${String(r['_rowid'])}`;
      const jobId = text(r['job_id'] ?? r['id']);
      if (!jobId) {
        problems.push({
          source: 'experiment_jobs',
          record,
          field: 'job_id',
          reason: 'empty job id',
          skipped: true,
        });
        continue;
      }
      const s = 'experiment_jobs';
      jobs.push({
        jobId,
        name: text(r['name']),
        description: text(r['description']),
        config: jsonField(s, record, 'config', r['config']),
        status: text(r['status']),
        createdAt: time(s, record, 'created_at', r['created_at']),
        startedAt: time(s, record, 'started_at', r['started_at']),
        completedAt: time(s, record, 'completed_at', r['completed_at']),
        errorMessage: text(r['error_message']),
        progress: real(r['progress']),
      });
    }
  }
  const jobIds = new Set(jobs.map((j) => j.jobId));

  const runs: LegacyExperimentRun[] = [];
  if (tables.has('experiment_runs')) {
    const rows = db.all('SELECT rowid AS _rowid, * FROM experiment_runs ORDER BY rowid');
    counts['experiment_runs'] = rows.length;
    for (const r of rows) {
      const record = `row ${String(r['_rowid'])}`;
      const s = 'experiment_runs';
      const runId = text(r['run_id'] ?? r['id']);
      if (!runId) {
        problems.push({ source: s, record, field: 'run_id', reason: 'empty run id', skipped: true });
        continue;
      }
      const jobId = text(r['job_id']);
      const jobExists = jobId !== null && jobIds.has(jobId);
      if (!jobExists)
        problems.push({
          source: s,
          record,
          field: 'job_id',
          reason: `job ${jobId ?? '(none)'} does not exist; run kept without it`,
          skipped: false,
        });
      runs.push({
        runId,
        jobId,
        jobExists,
        runNumber: int(r['run_number']),
        modelName: text(r['model_name']),
        hyperparameters: jsonField(s, record, 'hyperparameters', r['hyperparameters']),
        metrics: jsonField(s, record, 'metrics', r['metrics']),
        status: text(r['status']),
        startedAt: time(s, record, 'started_at', r['started_at']),
        completedAt: time(s, record, 'completed_at', r['completed_at']),
        durationSeconds: real(r['duration_seconds']),
        artifactPath: text(r['artifact_path']),
      });
    }
  }
  const runIds = new Set(runs.map((r) => r.runId));

  const metrics: LegacyMetricPoint[] = [];
  if (tables.has('metrics_timeseries')) {
    const rows = db.all('SELECT rowid AS _rowid, * FROM metrics_timeseries ORDER BY rowid');
    counts['metrics_timeseries'] = rows.length;
    for (const r of rows) {
      const rowId = int(r['_rowid']) ?? -1;
      const record = `row ${rowId}`;
      const s = 'metrics_timeseries';
      const runId = text(r['run_id']);
      const name = text(r['metric_name']);
      if (!runId || !runIds.has(runId)) {
        problems.push({
          source: s,
          record,
          field: 'run_id',
          reason: `run ${runId ?? '(none)'} does not exist`,
          skipped: true,
        });
        continue;
      }
      if (!name) {
        problems.push({
          source: s,
          record,
          field: 'metric_name',
          reason: 'empty metric name',
          skipped: true,
        });
        continue;
      }
      metrics.push({
        rowId,
        runId,
        name,
        value: real(r['value']),
        step: int(r['step']),
        timestamp: time(s, record, 'timestamp', r['timestamp']),
      });
    }
  }
  return { jobs, runs, metrics, counts, problems };
}
