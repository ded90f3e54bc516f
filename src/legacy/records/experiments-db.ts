/**
 * `experiment_tracking/experiments.db` → typed records: jobs, their runs, and each run's metric
 * history. Runs of a missing job are kept (the run stands on its own); metric points of a missing
 * run are skipped (they mean nothing without it).
 */
import type { JsonValue } from '../../domain/json.js';
import type { LegacyProblem } from './common.js';
import { int, real, text, type LegacySqlSource } from './sqlite-source.js';
import { LegacyTableReader } from './table-reader.js';

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
  const t = new LegacyTableReader(db);
  t.requireAnyTable('experiments.db', ['experiment_jobs', 'experiment_runs', 'metrics_timeseries']);
  const jobs = readJobs(t);
  const runs = readRuns(t, new Set(jobs.map((j) => j.jobId)));
  const metrics = readMetricPoints(t, new Set(runs.map((r) => r.runId)));
  return { jobs, runs, metrics, counts: t.counts, problems: t.problems };
}

/** A timestamp cell that may be empty (null, without a problem), else read as one. */
function optionalTime(
  t: LegacyTableReader,
  source: string,
  record: string,
  field: string,
  v: unknown,
): string | null {
  return v === null || v === undefined || v === '' ? null : t.read.timestamp(source, record, field, v);
}

/** `experiment_jobs`: a row without a job id is left out. */
function readJobs(t: LegacyTableReader): LegacyExperimentJob[] {
  const s = 'experiment_jobs';
  const jobs: LegacyExperimentJob[] = [];
  for (const { cells: r, record } of t.rows(s)) {
    const jobId = text(r['job_id'] ?? r['id']);
    if (!jobId) {
      t.skip(s, record, 'job_id', 'empty job id');
      continue;
    }
    jobs.push({
      jobId,
      name: text(r['name']),
      description: text(r['description']),
      config: t.read.json(s, record, 'config', r['config']),
      status: text(r['status']),
      createdAt: optionalTime(t, s, record, 'created_at', r['created_at']),
      startedAt: optionalTime(t, s, record, 'started_at', r['started_at']),
      completedAt: optionalTime(t, s, record, 'completed_at', r['completed_at']),
      errorMessage: text(r['error_message']),
      progress: real(r['progress']),
    });
  }
  return jobs;
}

/** `experiment_runs`: a row without a run id is left out; one whose job is missing is kept. */
function readRuns(t: LegacyTableReader, jobIds: ReadonlySet<string>): LegacyExperimentRun[] {
  const s = 'experiment_runs';
  const runs: LegacyExperimentRun[] = [];
  for (const { cells: r, record } of t.rows(s)) {
    const runId = text(r['run_id'] ?? r['id']);
    if (!runId) {
      t.skip(s, record, 'run_id', 'empty run id');
      continue;
    }
    const jobId = text(r['job_id']);
    const jobExists = jobId !== null && jobIds.has(jobId);
    if (!jobExists)
      t.problems.push({
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
      hyperparameters: t.read.json(s, record, 'hyperparameters', r['hyperparameters']),
      metrics: t.read.json(s, record, 'metrics', r['metrics']),
      status: text(r['status']),
      startedAt: optionalTime(t, s, record, 'started_at', r['started_at']),
      completedAt: optionalTime(t, s, record, 'completed_at', r['completed_at']),
      durationSeconds: real(r['duration_seconds']),
      artifactPath: text(r['artifact_path']),
    });
  }
  return runs;
}

/** `metrics_timeseries`: a point of a missing run, or without a metric name, is left out. */
function readMetricPoints(t: LegacyTableReader, runIds: ReadonlySet<string>): LegacyMetricPoint[] {
  const s = 'metrics_timeseries';
  const metrics: LegacyMetricPoint[] = [];
  for (const { cells: r, rowId, record } of t.rows(s)) {
    const runId = text(r['run_id']);
    const name = text(r['metric_name']);
    if (!runId || !runIds.has(runId)) {
      t.skip(s, record, 'run_id', `run ${runId ?? '(none)'} does not exist`);
      continue;
    }
    if (!name) {
      t.skip(s, record, 'metric_name', 'empty metric name');
      continue;
    }
    metrics.push({
      rowId,
      runId,
      name,
      value: real(r['value']),
      step: int(r['step']),
      timestamp: optionalTime(t, s, record, 'timestamp', r['timestamp']),
    });
  }
  return metrics;
}
