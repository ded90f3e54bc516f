/**
 * `experiment_tracking/experiments.db` → one experiment per legacy job ("legacy <name> (<job id>)")
 * with a search run holding the job's config, status and times; its trial runs under that search
 * run with hyperparameters as params, summary metrics as `summary.<name>` and the metric history
 * (key, step, value, timestamp).
 */
import {
  readExperimentsDb,
  type LegacyExperimentJob,
  type LegacyExperimentRun,
  type LegacyExperiments,
  type LegacyMetricPoint,
  type LegacySourceFile,
} from '../../legacy/index.js';
import { openLegacySqlite } from '../../store/connection.js';
import type { MetricPoint } from '../../domain/run.js';
import type { SourceAccumulator } from './ledger.js';
import { MAPPING } from './mapping.js';
import type { MappingRun, Prepared } from './mapping-run.js';
import { clean, flattenParams, sanitizeKey, sha256 } from './sanitize.js';

/** What the write phase of one experiments database shares between its jobs and runs. */
interface ExperimentsWrite {
  readonly run: MappingRun;
  readonly acc: SourceAccumulator;
  readonly e: LegacyExperiments;
  readonly now: string;
  /** Legacy job id → the stored search run (this run or an earlier one). */
  readonly parentByJob: Map<string, number>;
  /** Legacy job id → its experiment name. */
  readonly experimentOf: Map<string, string>;
}

/** A legacy status as a stored run's status, with the error a run that did not finish gets. */
function legacyRunStatus(s: string | null): { status: 'finished' | 'failed'; error: string | null } {
  if (s === 'completed' || s === 'finished' || s === 'success') return { status: 'finished', error: null };
  if (s === 'failed' || s === 'error') return { status: 'failed', error: 'failed in the legacy app' };
  return { status: 'failed', error: `legacy status ${s ?? '(none)'}: it never finished in the legacy app` };
}

/** When a run ended and how long it took, from what the legacy recorded. */
function runSpan(
  start: string,
  end: string | null,
  seconds: number | null,
): { endedAt: string; durationMs: number } {
  const endedAt =
    end ?? (seconds !== null ? new Date(Date.parse(start) + seconds * 1000).toISOString() : start);
  const durationMs =
    seconds !== null && seconds >= 0 ? seconds * 1000 : Math.max(0, Date.parse(endedAt) - Date.parse(start));
  return { endedAt, durationMs };
}

/** The models a job's config names, comma-separated ('' when none). */
function configModels(cfg: LegacyExperimentJob['config']): string {
  return cfg && typeof cfg === 'object' && !Array.isArray(cfg) && Array.isArray(cfg['models'])
    ? (cfg['models'] as unknown[]).filter((x): x is string => typeof x === 'string').join(',')
    : '';
}

/** Stores one legacy job as the search run of its experiment; returns the run id. */
function recordJob(w: ExperimentsWrite, job: LegacyExperimentJob, experiment: string, label: string): number {
  const firstRun = w.e.runs.find((r) => r.jobId === job.jobId)?.startedAt ?? null;
  const startedAt = job.startedAt ?? job.createdAt ?? firstRun ?? w.now;
  if (!job.startedAt && !job.createdAt)
    w.acc.note(
      label,
      `no start time; ${startedAt === w.now ? 'the migration time' : "its first run's"} is used`,
    );
  const s = legacyRunStatus(job.status);
  const cfg = job.config;
  return w.run.store.runs.record({
    experiment,
    kind: 'search',
    modelName: configModels(cfg) || 'legacy',
    params: flattenParams(cfg),
    tags: clean({
      legacy_job_id: job.jobId,
      legacy_name: job.name ?? undefined,
      legacy_status: job.status ?? undefined,
      legacy_description: job.description ?? undefined,
      legacy_config: cfg === null ? undefined : JSON.stringify(cfg),
      legacy_error_message: job.errorMessage ?? undefined,
      legacy_progress: job.progress === null ? undefined : String(job.progress),
      legacy_created_at: job.createdAt ?? undefined,
    }) as Record<string, string>,
    startedAt,
    status: s.status,
    error: s.status === 'failed' ? (job.errorMessage ?? s.error) : null,
    ...runSpan(startedAt, job.completedAt, null),
    metrics: [],
  });
}

/** Migrates the jobs not migrated before; remembers every job's search run for its trials. */
function migrateJobs(w: ExperimentsWrite): number {
  let created = 0;
  for (const job of w.e.jobs) {
    const experiment = `legacy ${job.name ?? 'job'} (${job.jobId})`.slice(0, 200);
    w.experimentOf.set(job.jobId, experiment);
    const key = `experiment_jobs:${job.jobId}`;
    const label = `experiment_jobs ${job.jobId}`;
    const checksum = sha256(JSON.stringify(job));
    if (w.acc.state('experiment_jobs', key, checksum, label) !== 'new') {
      const id = Number(w.acc.existing.get(key)?.targetId.replace(/^run:/, ''));
      if (Number.isInteger(id)) w.parentByJob.set(job.jobId, id);
      continue;
    }
    const id = recordJob(w, job, experiment, label);
    created++;
    w.parentByJob.set(job.jobId, id);
    w.acc.migrated('experiment_jobs', key, checksum, `run:${id}`, 'experiment');
  }
  return created;
}

/** A trial's metric history and its summary metrics, with names made valid (renames noted). */
function trialMetrics(
  run: LegacyExperimentRun,
  points: readonly LegacyMetricPoint[],
  startedAt: string,
): { metrics: MetricPoint[]; renamed: Set<string> } {
  const metrics: MetricPoint[] = [];
  const renamed = new Set<string>();
  points.forEach((p, i) => {
    const k = sanitizeKey(p.name);
    if (k !== p.name) renamed.add(`${p.name} → ${k}`);
    metrics.push({ key: k, step: p.step ?? i, value: p.value, timestamp: p.timestamp ?? startedAt });
  });
  const m = run.metrics;
  if (m && typeof m === 'object' && !Array.isArray(m)) {
    for (const [name, v] of Object.entries(m)) {
      const k = sanitizeKey(`summary.${name}`);
      if (typeof v === 'number') metrics.push({ key: k, step: 0, value: v, timestamp: startedAt });
      else if (Array.isArray(v))
        v.forEach((x, i) => {
          if (typeof x === 'number') metrics.push({ key: k, step: i, value: x, timestamp: startedAt });
        });
    }
  }
  return { metrics, renamed };
}

/** Stores one legacy run as a trial under its job's search run; returns the run id. */
function recordTrial(
  w: ExperimentsWrite,
  run: LegacyExperimentRun,
  points: readonly LegacyMetricPoint[],
  label: string,
): number {
  const startedAt = run.startedAt ?? points.find((p) => p.timestamp)?.timestamp ?? w.now;
  if (!run.startedAt) w.acc.note(label, "no start time; its first metric's or the migration time is used");
  const { metrics, renamed } = trialMetrics(run, points, startedAt);
  if (renamed.size) w.acc.note(label, `metric names made valid: ${[...renamed].join(', ')}`);
  const s = legacyRunStatus(run.status);
  const parent = run.jobId !== null ? w.parentByJob.get(run.jobId) : undefined;
  return w.run.store.runs.record({
    experiment:
      (run.jobId !== null ? w.experimentOf.get(run.jobId) : undefined) ?? 'legacy experiments without a job',
    kind: 'trial',
    modelName: run.modelName ?? 'legacy',
    parentRunId: parent ?? null,
    params: flattenParams(run.hyperparameters),
    tags: clean({
      legacy_run_id: run.runId,
      legacy_job_id: run.jobId ?? undefined,
      legacy_run_number: run.runNumber === null ? undefined : String(run.runNumber),
      legacy_status: run.status ?? undefined,
      legacy_metrics: run.metrics === null ? undefined : JSON.stringify(run.metrics),
      legacy_artifact_path: run.artifactPath ?? undefined,
    }) as Record<string, string>,
    startedAt,
    status: s.status,
    error: s.error,
    ...runSpan(startedAt, run.completedAt, run.durationSeconds),
    metrics,
  });
}

/** Migrates the runs not migrated before, each with its metric points. */
function migrateRuns(w: ExperimentsWrite, pointsByRun: ReadonlyMap<string, LegacyMetricPoint[]>): number {
  let created = 0;
  for (const run of w.e.runs) {
    const key = `experiment_runs:${run.runId}`;
    const label = `experiment_runs ${run.runId}`;
    const points = pointsByRun.get(run.runId) ?? [];
    const checksum = sha256(JSON.stringify({ run, points }));
    const st = w.acc.state('experiment_runs', key, checksum, label);
    if (st === 'duplicate') continue; // its points went with the first run of that id
    if (st !== 'new') {
      w.acc.counts('metrics_timeseries').alreadyMigrated += points.length;
      continue;
    }
    const id = recordTrial(w, run, points, label);
    created++;
    w.acc.counts('metrics_timeseries').migrated += points.length;
    w.acc.migrated('experiment_runs', key, checksum, `run:${id}`, 'run');
  }
  return created;
}

/** Reads the experiments database; the write stores its jobs, then its runs. */
export function prepareExperiments(run: MappingRun, src: LegacySourceFile, acc: SourceAccumulator): Prepared {
  const db = openLegacySqlite(src.file);
  let e: LegacyExperiments;
  try {
    e = readExperimentsDb(db);
  } finally {
    db.close();
  }
  for (const t of ['experiment_jobs', 'experiment_runs', 'metrics_timeseries']) {
    acc.read(t, e.counts[t] ?? 0);
    acc.mapping[t] = MAPPING[t] as string;
  }
  acc.problems(e.problems, (p) => p.source);
  const pointsByRun = new Map<string, LegacyMetricPoint[]>();
  for (const p of e.metrics) {
    const list = pointsByRun.get(p.runId) ?? [];
    list.push(p);
    pointsByRun.set(p.runId, list);
  }
  return () => {
    const w: ExperimentsWrite = {
      run,
      acc,
      e,
      now: run.now(),
      parentByJob: new Map(),
      experimentOf: new Map(),
    };
    const jobs = migrateJobs(w);
    acc.details.runsCreated = jobs + migrateRuns(w, pointsByRun);
  };
}
