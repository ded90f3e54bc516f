/**
 * Tracked runs (MLflow's shape): every `pbi train` recorded as a run of the `training` experiment,
 * and the run queries of `pbi runs` — list with metric filters, show, compare.
 *
 * Metric keys of a run (the same for `pbi train` and tuning trials): per fold (step = fold number)
 * `fold_<metric>` and `fold_baseline_<name>_<metric>`; summary (step 0) `<metric>` = the mean over
 * folds, `<metric>_std`, and `baseline_<name>_<metric>`. `mae` is the MAE over all six targets.
 */
import { createHash } from 'node:crypto';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA } from '../domain/eras.js';
import { FieldError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { FoldMetrics } from '../domain/fold-metrics.js';
import type { MetricFilter, MetricPoint, Run, RunKind, RunStatus } from '../domain/run.js';
import type { ServiceContext } from './context.js';

/** Default experiment of `pbi train` runs. */
export const TRAINING_EXPERIMENT = 'training';

/** What the training pipeline reports for one `pbi train` of one model. */
export interface TrainingRecord {
  readonly modelName: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly featureNames: readonly string[];
  readonly folds: readonly FoldMetrics[];
  readonly durationMs: number;
  /** The draws the features were built from (for the digest); omitted: the stored current era. */
  readonly draws?: readonly Draw[];
  /** UTC ISO time training started; omitted: now minus `durationMs`. */
  readonly startedAt?: string;
  /** The registry version produced, or null when registration did not happen. */
  readonly modelVersion: number | null;
  readonly status?: 'finished' | 'failed';
  readonly error?: string;
  readonly experiment?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

export interface RunListRequest {
  readonly experiment?: string;
  readonly model?: string;
  readonly status?: RunStatus;
  readonly kind?: RunKind;
  readonly parent?: number;
  /** Metric filters (see {@link parseMetricFilter} for their text form `mae<10.5`). */
  readonly where?: readonly MetricFilter[];
  /** A metric key; `-key` for descending. */
  readonly orderBy?: string;
  readonly limit?: number;
  readonly offset?: number;
}

export interface RunDetails {
  readonly run: Run;
  /** Every metric point, by key then step. */
  readonly history: readonly MetricPoint[];
  /** Child runs (the trials of a search), best `mae` first. */
  readonly children: readonly Run[];
}

export interface RunComparison {
  readonly runs: readonly Run[];
  /** Every param key of any run → its value in each run (null when absent), in run order. */
  readonly params: Readonly<Record<string, readonly unknown[]>>;
  /** Every summary metric key → its value in each run. */
  readonly metrics: Readonly<Record<string, readonly (number | null)[]>>;
  /** Keys whose values differ between the runs. */
  readonly differingParams: readonly string[];
}

const FILTER = /^\s*([A-Za-z0-9_.:/-]+)\s*(<=|>=|<|>|=)\s*(-?[0-9.]+(?:e-?\d+)?)\s*$/;

/**
 * Parses a metric filter written `METRIC<VALUE` (`<`, `<=`, `>`, `>=`, `=`), as the CLI's `--where`
 * and the API's `where` query give them; `field` names where it came from.
 * @throws FieldError naming `field`.
 */
export function parseMetricFilter(text: string, field: string): MetricFilter {
  const m = FILTER.exec(text);
  if (!m)
    throw new FieldError('malformed metric filter', [
      { where: field, reason: `expected METRIC<VALUE (<, <=, >, >=, =), got "${text}"` },
    ]);
  return { key: m[1] as string, op: m[2] as MetricFilter['op'], value: Number(m[3]) };
}

/** sha256 (hex) of draws as `date,w1,w2,w3,w4,w5,pb\n` lines, oldest first. */
export function drawsDigest(draws: readonly Draw[]): string {
  const h = createHash('sha256');
  for (const d of draws) h.update(`${d.date},${d.whites.join(',')},${d.powerball}\n`);
  return h.digest('hex');
}

/** Turns per-fold metrics into metric points: history per fold, and the summary at step 0. */
export function foldMetricPoints(folds: readonly FoldMetrics[], timestamp: string): MetricPoint[] {
  const points: MetricPoint[] = [];
  const series = new Map<string, number[]>();
  const push = (key: string, fold: number, value: number) => {
    points.push({ key: `fold_${key}`, step: fold, value, timestamp });
    const s = series.get(key) ?? [];
    s.push(value);
    series.set(key, s);
  };
  for (const f of folds) {
    for (const [k, v] of Object.entries(f.metrics)) push(k, f.fold, v);
    for (const [b, ms] of Object.entries(f.baselines ?? {}))
      for (const [k, v] of Object.entries(ms)) push(`baseline_${b}_${k}`, f.fold, v);
  }
  for (const [key, values] of series) {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    points.push({ key, step: 0, value: mean, timestamp });
    if (!key.startsWith('baseline_')) {
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
      points.push({ key: `${key}_std`, step: 0, value: sd, timestamp });
    }
  }
  return points;
}

export function jsonParams(
  p: Readonly<Record<string, unknown>>,
): Record<string, number | string | boolean | null> {
  const out: Record<string, number | string | boolean | null> = {};
  for (const [k, v] of Object.entries(p))
    out[k] =
      v === null || ['number', 'string', 'boolean'].includes(typeof v) ? (v as number) : JSON.stringify(v);
  return out;
}

/**
 * Records one `pbi train` of one model as a finished (or failed) run of the `training` experiment,
 * with the digest of the draws it saw. The training service calls this after registering.
 * @returns the run id.
 */
export function recordTrainingRun(ctx: ServiceContext<'draws' | 'runs'>, record: TrainingRecord): number {
  const draws = record.draws ?? ctx.store.draws.list({ from: CURRENT_ERA.from });
  const end = ctx.clock.now();
  const endedAt = end.toISOString();
  const failed = record.status === 'failed';
  return ctx.store.runs.record({
    experiment: record.experiment ?? TRAINING_EXPERIMENT,
    kind: 'train',
    modelName: record.modelName,
    params: jsonParams(record.params),
    tags: { source: 'pbi train', ...(record.tags ?? {}) },
    seed: record.seed,
    dataDigest: drawsDigest(draws),
    nDraws: draws.length,
    features: record.featureNames,
    startedAt: record.startedAt ?? new Date(end.getTime() - record.durationMs).toISOString(),
    status: failed ? 'failed' : 'finished',
    error: failed ? (record.error ?? 'training failed') : null,
    endedAt,
    durationMs: record.durationMs,
    modelVersion: record.modelVersion,
    metrics: foldMetricPoints(record.folds, endedAt),
  });
}

/**
 * Runs, filtered and ordered, newest first by default.
 * @throws NotFoundError for an unknown experiment; ValidationError for a malformed filter.
 */
export function listRuns(ctx: ServiceContext<'draws' | 'runs'>, request: RunListRequest = {}) {
  if (request.experiment !== undefined && !ctx.store.runs.experiment(request.experiment))
    throw new NotFoundError(`no experiment named "${request.experiment}"${knownExperiments(ctx)}`);
  const metricFilters = request.where ?? [];
  const order = request.orderBy?.trim();
  return ctx.store.runs.search({
    ...(request.experiment === undefined ? {} : { experiment: request.experiment }),
    ...(request.model === undefined ? {} : { modelName: request.model }),
    ...(request.status === undefined ? {} : { status: request.status }),
    ...(request.kind === undefined ? {} : { kind: request.kind }),
    ...(request.parent === undefined ? {} : { parentRunId: request.parent }),
    metricFilters,
    ...(order ? { orderBy: { metric: order.replace(/^-/, ''), descending: order.startsWith('-') } } : {}),
    ...(request.limit === undefined ? {} : { limit: request.limit }),
    ...(request.offset === undefined ? {} : { offset: request.offset }),
  });
}

function knownExperiments(ctx: ServiceContext<'draws' | 'runs'>): string {
  const names = ctx.store.runs.experiments().map((e) => e.name);
  return names.length ? `; experiments: ${names.join(', ')}` : '; there are no experiments yet';
}

/** Every experiment with its run count. */
export function listExperiments(ctx: ServiceContext<'draws' | 'runs'>) {
  return ctx.store.runs.experiments();
}

/** A run with its full metric history and its child runs. @throws NotFoundError. */
export function showRun(ctx: ServiceContext<'draws' | 'runs'>, runId: number): RunDetails {
  const run = ctx.store.runs.require(runId);
  const children = ctx.store.runs.search({
    parentRunId: runId,
    orderBy: { metric: 'mae' },
    limit: 10_000,
  }).runs;
  return { run, history: ctx.store.runs.history(runId), children };
}

/**
 * Params and summary metrics of several runs side by side.
 * @throws ValidationError for fewer than two ids; NotFoundError naming an unknown run.
 */
export function compareRuns(ctx: ServiceContext<'draws' | 'runs'>, runIds: readonly number[]): RunComparison {
  if (runIds.length < 2)
    throw new ValidationError('compare needs at least two run ids', [
      { where: 'RUN', reason: 'fewer than two' },
    ]);
  const runs = runIds.map((id) => ctx.store.runs.require(id));
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const params = Object.fromEntries(paramKeys.map((k) => [k, runs.map((r) => r.params[k] ?? null)]));
  const metrics = Object.fromEntries(metricKeys.map((k) => [k, runs.map((r) => r.metrics[k] ?? null)]));
  const differingParams = paramKeys.filter(
    (k) => new Set((params[k] as unknown[]).map((v) => JSON.stringify(v))).size > 1,
  );
  return { runs, params, metrics, differingParams };
}
