/**
 * Experiments: tracked runs of every training and tuning trial, hyperparameter search,
 * model aliases with history, and feature importance. MLflow is the reference for the shape:
 * experiments hold runs; a run has params, tags, a metric history, the digest of the data it saw,
 * and the model version it produced.
 *
 * Metric keys of a run (the same for `pbi train` and tuning trials): per fold (step = fold number)
 * `fold_<metric>` and `fold_baseline_<name>_<metric>`; summary (step 0) `<metric>` = the mean over
 * folds, `<metric>_std`, and `baseline_<name>_<metric>`. `mae` is the MAE over all six targets.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA } from '../domain/eras.js';
import { InsufficientDataError, NotFoundError, PbiError, ValidationError } from '../domain/errors.js';
import { type AlphaSelection, RidgeAlphaCvRegressor, selectionRecord } from '../ml/ridge-alpha.js';
import { expectedOrderStatistics, timeSeriesSplit, type TimeSeriesFold } from '../ml/cv.js';
import { alignFeatures, type FeatureMatrix } from '../ml/features/index.js';
import { checkWork, trainingWork } from '../ml/work.js';
import {
  type FeatureScore,
  hasTrees,
  impurityImportances,
  permutationImportance,
  rankFeatures,
} from '../ml/importance.js';
import { deserializeModel, serializeModel } from '../ml/models/index.js';
import {
  checkModelName,
  createRegressor,
  DEFAULT_SPACES,
  type ParamSet,
  parseParamFlags,
  parseSpaceJson,
  planTrials,
  defaultParams,
  snakeKey,
  type SearchKind,
  type SearchSpace,
  validateSpace,
} from '../ml/search-space.js';
import type { AliasEvent, ModelAlias } from '../store/alias-repository.js';
import type { FoldMetrics } from '../domain/fold-metrics.js';
import { MODEL_NAMES, type ModelName } from '../domain/model-names.js';
import type { MetricPoint, Run, RunKind, RunStatus } from '../domain/run.js';
import type { ModelVersionInfo } from '../store/model-registry-types.js';
import type { MetricFilter } from '../store/run-repository.js';
import type { ServiceContext } from './context.js';
import type { FeatureService } from './feature-service.js';
import { parseModelReference } from './model-service.js';
import { activationDecision, modelVerdict } from './model-verdict.js';
import { TrialPool, type TrialResult } from './tuning-worker.js';

/** Default experiment of `pbi train` runs. */
export const TRAINING_EXPERIMENT = 'training';
const DEFAULT_FOLDS = 5;
const DEFAULT_SEED = 42;
const DEFAULT_RANDOM_TRIALS = 20;
/** A grid search runs every point; without --trials, grids up to this size are allowed. */
const DEFAULT_GRID_BUDGET = 200;

export interface TuneRequest {
  readonly model: string;
  readonly search: SearchKind;
  readonly trials?: number;
  /** A JSON space file (see search-space.ts); exclusive with `params`. */
  readonly spaceFile?: string;
  /** `KEY=V1,V2,...` flags; the space is exactly these keys (others at their defaults). */
  readonly params?: readonly string[];
  readonly experiment?: string;
  readonly seed?: number;
  readonly folds?: number;
  /** Register the best trial's hyperparameters, refit on all rows, as a new (inactive) version. */
  readonly registerBest?: boolean;
  /** Worker threads (default: up to 2, the cores of this machine); 1 runs in this thread. */
  readonly workers?: number;
  /** Called after each trial with the number done and the total. */
  readonly onProgress?: (done: number, total: number, trial: TrialSummary) => void;
  /** Aborting stops the search: running trials' threads are terminated, queued ones never start. */
  readonly signal?: AbortSignal;
}

export interface TrialSummary {
  readonly runId: number;
  /** 1 = best; null for a failed trial. */
  readonly rank: number | null;
  readonly params: ParamSet;
  readonly status: 'finished' | 'failed';
  readonly error: string | null;
  readonly mae: number | null;
  readonly maeStd: number | null;
  readonly baselineMae: number | null;
  readonly durationMs: number;
}

export interface TuneReport {
  readonly experiment: string;
  /** The parent run of the search; every trial is a child run. */
  readonly searchRunId: number;
  readonly model: ModelName;
  readonly search: SearchKind;
  readonly space: SearchSpace;
  readonly seed: number;
  readonly folds: number;
  readonly rows: number;
  readonly dataDigest: string;
  /** Trials best first; failed trials last. */
  readonly trials: readonly TrialSummary[];
  readonly best: TrialSummary | null;
  readonly failed: number;
  readonly registered: {
    readonly name: string;
    readonly version: number;
    readonly active: boolean;
    /** Why it is (or is not) active: the activation rule of `pbi train`. */
    readonly activation: string;
  } | null;
  readonly threads: number;
  readonly durationMs: number;
}

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
  /** Filters like `mae<10.5`, `baseline_training_mean_mae>=3`. */
  readonly where?: readonly string[];
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

export interface AliasHistory {
  readonly model: string;
  /** Current aliases, `active` included. */
  readonly current: readonly ModelAlias[];
  /** Every move, oldest first. */
  readonly events: readonly AliasEvent[];
}

export interface ImportanceReport {
  readonly model: string;
  readonly version: number;
  readonly kind: string;
  readonly features: number;
  /** Mean decrease in impurity (sums to 1), largest first; null for models without trees. */
  readonly impurity: readonly FeatureScore[] | null;
  readonly impurityNote: string | null;
  /** Increase of MAE when each feature is shuffled, on the last CV fold; null when not possible. */
  readonly permutation: {
    readonly fold: number;
    readonly trainSize: number;
    readonly testSize: number;
    readonly baselineMae: number;
    readonly repeats: number;
    readonly scores: readonly FeatureScore[];
  } | null;
  readonly permutationNote: string | null;
}

const FILTER = /^\s*([A-Za-z0-9_.:/-]+)\s*(<=|>=|<|>|=)\s*(-?[0-9.]+(?:e-?\d+)?)\s*$/;

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

function jsonParams(p: Readonly<Record<string, unknown>>): Record<string, number | string | boolean | null> {
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

export class ExperimentService {
  private digestCache: { revision: string; digest: string; draws: number } | null = null;

  constructor(
    private readonly ctx: ServiceContext<'aliases' | 'draws' | 'models' | 'runs'>,
    private readonly features: FeatureService,
  ) {}

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }

  /** Digest and count of the stored current-era draws (what the feature matrix is built from). */
  private storedDigest(): { digest: string; draws: number } {
    const revision = this.ctx.store.draws.revision();
    if (this.digestCache?.revision !== revision) {
      const draws = this.ctx.store.draws.list({ from: CURRENT_ERA.from });
      this.digestCache = { revision, digest: drawsDigest(draws), draws: draws.length };
    }
    return this.digestCache;
  }

  /**
   * Records one `pbi train` of one model as a finished (or failed) run of the `training`
   * experiment (see {@link recordTrainingRun}).
   * @returns the run id.
   */
  recordTraining(record: TrainingRecord): number {
    return recordTrainingRun(this.ctx, record);
  }

  /** Builds the search space of a request (default, `--param` flags or a file) and checks it. */
  resolveSpace(model: ModelName, request: Pick<TuneRequest, 'spaceFile' | 'params'>): SearchSpace {
    if (request.spaceFile && request.params?.length)
      throw new ValidationError('give either --space FILE or --param flags, not both', [
        { where: '--space', reason: 'exclusive with --param' },
      ]);
    let space: SearchSpace = DEFAULT_SPACES[model];
    if (request.spaceFile) {
      let text: string;
      try {
        text = fs.readFileSync(request.spaceFile, 'utf8');
      } catch (error) {
        throw new ValidationError(`cannot read --space ${request.spaceFile}: ${(error as Error).message}`, [
          { where: '--space', reason: 'unreadable file' },
        ]);
      }
      space = parseSpaceJson(text, request.spaceFile);
    } else if (request.params?.length) space = parseParamFlags(request.params);
    validateSpace(model, space);
    return space;
  }

  /**
   * Checks a search request without running it (the API answers 400 before queueing a job): model,
   * search kind, folds, space, the trial plan, enough data, and the estimated work of every trial.
   * @throws as `tune`.
   */
  planTune(request: TuneRequest): {
    model: ModelName;
    folds: number;
    seed: number;
    space: SearchSpace;
    plan: ParamSet[];
    matrix: FeatureMatrix;
  } {
    const model = checkModelName(request.model);
    if (request.search !== 'grid' && request.search !== 'random')
      throw new ValidationError(`--search must be grid or random, got "${String(request.search)}"`);
    const folds = request.folds ?? DEFAULT_FOLDS;
    if (!Number.isInteger(folds) || folds < 2 || folds > 20)
      throw new ValidationError(`--folds must be a whole number from 2 to 20, got ${folds}`, [
        { where: '--folds', reason: 'out of range' },
      ]);
    const seed = request.seed ?? DEFAULT_SEED;
    const space = this.resolveSpace(model, request);
    const budget =
      request.trials ?? (request.search === 'grid' ? DEFAULT_GRID_BUDGET : DEFAULT_RANDOM_TRIALS);
    const plan = planTrials({ space, search: request.search, trials: budget, seed });
    const matrix = this.features.requireMatrix((folds + 1) * 2);
    // Every trial's estimated work, summed, is checked before the search is accepted.
    const defaults = defaultParams(model);
    const work = plan.reduce(
      (sum, p) => sum + trainingWork(model, { ...defaults, ...p }, matrix.x.rows, matrix.x.cols, folds - 1),
      0,
    );
    checkWork(work, '--trials', `a search of ${plan.length} trials × ${folds} folds`);
    return { model, folds, seed, space, plan, matrix };
  }

  /**
   * Hyperparameter search: every trial is walk-forward cross-validated on the stored history and
   * recorded as a child run of one search run. A failing trial is recorded failed; the search
   * goes on.
   * @throws ValidationError for an unknown model or parameter, an empty or invalid space, a grid
   *   larger than the trial budget; InsufficientDataError when the history is too short.
   */
  async tune(request: TuneRequest): Promise<TuneReport> {
    const t0 = performance.now();
    const { model, folds, seed, space, plan, matrix } = this.planTune(request);
    const experiment = (request.experiment ?? `tune-${model}`).trim();
    const constantBaseline = expectedOrderStatistics(5, matrix.era.whiteMax, matrix.era.powerballMax);
    const { digest, draws } = this.storedDigest();
    const baseRun = {
      experiment,
      modelName: model,
      seed,
      dataDigest: digest,
      nDraws: draws,
      features: matrix.names,
    };
    const searchRunId = this.ctx.store.runs.start({
      ...baseRun,
      kind: 'search',
      params: { search: request.search, trials: plan.length, folds, space: JSON.stringify(space) },
      tags: { search: request.search },
      startedAt: this.now(),
    });

    const pool = new TrialPool(matrix.x, matrix.y, request.workers);
    const stop = () => pool.cancel();
    request.signal?.addEventListener('abort', stop, { once: true });
    const summaries: TrialSummary[] = [];
    const trialFolds = new Map<number, FoldMetrics[]>();
    let done = 0;
    try {
      // Longest trials first, so no core idles at the end waiting on one big trial; each run starts
      // (and is timed) when a thread takes it.
      const order = plan
        .map((params, i) => ({ params, i, cost: trialCost(model, params) }))
        .sort((a, b) => b.cost - a.cost || a.i - b.i);
      await Promise.all(
        order.map(async ({ params, i }) => {
          let runId = -1;
          const result: TrialResult = await pool.run(
            { id: i, model, params, seed, folds, constantBaseline },
            () => {
              runId = this.ctx.store.runs.start({
                ...baseRun,
                kind: 'trial',
                parentRunId: searchRunId,
                params,
                tags: { search: request.search, trial: String(i + 1) },
                startedAt: this.now(),
              });
            },
          );
          if (result.ok) trialFolds.set(runId, [...result.folds]);
          summaries.push(this.finishTrial(runId, params, result));
          done++;
          request.onProgress?.(done, plan.length, summaries[summaries.length - 1] as TrialSummary);
        }),
      );
    } finally {
      request.signal?.removeEventListener('abort', stop);
      await pool.close();
    }
    if (request.signal?.aborted) {
      this.ctx.store.runs.finish(searchRunId, {
        status: 'failed',
        error: 'cancelled',
        endedAt: this.now(),
        durationMs: performance.now() - t0,
        modelVersion: null,
        metrics: [],
      });
      throw new PbiError('CANCELLED', `the search was cancelled after ${done} of ${plan.length} trials`);
    }

    const ranked = rankTrials(summaries);
    const best = ranked[0]?.status === 'finished' ? (ranked[0] as TrialSummary) : null;
    const failed = ranked.filter((t) => t.status === 'failed').length;
    let registered: TuneReport['registered'] = null;
    try {
      if (best && request.registerBest) {
        const { version, activation } = this.registerBest(
          model,
          best,
          trialFolds.get(best.runId) ?? [],
          matrix,
          seed,
          experiment,
        );
        registered = {
          name: model,
          version: version.version,
          active: version.active,
          activation,
        };
      }
    } finally {
      const endedAt = this.now();
      this.ctx.store.runs.finish(searchRunId, {
        status: best ? 'finished' : 'failed',
        error: best ? null : `all ${plan.length} trials failed`,
        endedAt,
        durationMs: performance.now() - t0,
        modelVersion: registered?.version ?? null,
        metrics: best
          ? [
              { key: 'best_mae', step: 0, value: best.mae, timestamp: endedAt },
              { key: 'failed_trials', step: 0, value: failed, timestamp: endedAt },
            ]
          : [{ key: 'failed_trials', step: 0, value: failed, timestamp: endedAt }],
      });
      if (best) this.ctx.store.runs.setTags(searchRunId, { best_run_id: String(best.runId) });
    }
    return {
      experiment,
      searchRunId,
      model,
      search: request.search,
      space,
      seed,
      folds,
      rows: matrix.x.rows,
      dataDigest: digest,
      trials: ranked,
      best,
      failed,
      registered,
      threads: pool.threaded ? pool.size : 1,
      durationMs: performance.now() - t0,
    };
  }

  private finishTrial(runId: number, params: ParamSet, result: TrialResult): TrialSummary {
    const endedAt = this.now();
    if (!result.ok) {
      this.ctx.store.runs.finish(runId, {
        status: 'failed',
        error: result.error,
        endedAt,
        durationMs: result.durationMs,
      });
      return {
        runId,
        rank: null,
        params,
        status: 'failed',
        error: result.error,
        mae: null,
        maeStd: null,
        baselineMae: null,
        durationMs: result.durationMs,
      };
    }
    const points = foldMetricPoints(result.folds, endedAt);
    this.ctx.store.runs.finish(runId, {
      status: 'finished',
      endedAt,
      durationMs: result.durationMs,
      metrics: points,
    });
    const get = (k: string) => points.find((p) => p.key === k && p.step === 0)?.value ?? null;
    return {
      runId,
      rank: null,
      params,
      status: 'finished',
      error: null,
      mae: get('mae'),
      maeStd: get('mae_std'),
      baselineMae: get('baseline_training_mean_mae'),
      durationMs: result.durationMs,
    };
  }

  /**
   * Refits the best trial on every row and registers it; active only by the rule of `pbi train`
   * (it beats both naive baselines and the active version).
   */
  private registerBest(
    model: ModelName,
    best: TrialSummary,
    folds: readonly FoldMetrics[],
    matrix: ReturnType<FeatureService['matrix']>,
    seed: number,
    experiment: string,
  ): { version: ModelVersionInfo; activation: string } {
    const regressor = createRegressor(model, best.params);
    const t0 = performance.now();
    const fitted = regressor.fit(matrix.x, matrix.y, { seed });
    const durationMs = performance.now() - t0;
    const run = this.ctx.store.runs.require(best.runId);
    const summary = this.ctx.store.models.listModels().find((m) => m.name === model);
    const active =
      summary?.activeVersion != null ? this.ctx.store.models.getVersion(model, summary.activeVersion) : null;
    const decision = activationDecision(modelVerdict({ folds }), active, false);
    const version = this.ctx.store.models.registerModelVersion({
      name: model,
      kind: model,
      // snake_case, as `pbi train` stores them.
      hyperparameters: Object.fromEntries(
        Object.entries(jsonParams(regressor.params)).map(([k, v]) => [snakeKey(k), v]),
      ),
      featureNames: matrix.names,
      folds,
      trainingDurationMs: Math.round(durationMs * 1000) / 1000,
      seed,
      artifact: serializeModel(fitted),
      createdAt: this.now(),
      activate: decision.activate,
      keepInactive: !decision.activate,
      trainingData: {
        rows: matrix.x.rows,
        firstDate: matrix.dates[0],
        lastDate: matrix.dates[matrix.dates.length - 1],
      },
      notes: `best of tuning run ${run.parentRunId ?? best.runId} (experiment ${experiment}), trial run ${best.runId}`,
      // As `pbi train` records them, so model pages show tuned and trained versions alike.
      extra: {
        featureSet: matrix.layout.id,
        warmup: matrix.warmup,
        targets: [...matrix.targetNames],
        folds: folds.length,
        tuningRunId: run.parentRunId ?? best.runId,
        trialRunId: best.runId,
        ...(regressor instanceof RidgeAlphaCvRegressor && regressor.lastSelection()
          ? { alphaSelection: selectionRecord(regressor.lastSelection() as AlphaSelection) }
          : {}),
      },
    });
    this.ctx.store.runs.setModelVersion(best.runId, version.version);
    return { version, activation: decision.reason };
  }

  /**
   * Runs, filtered and ordered, newest first by default.
   * @throws NotFoundError for an unknown experiment; ValidationError for a malformed filter.
   */
  listRuns(request: RunListRequest = {}) {
    if (request.experiment !== undefined && !this.ctx.store.runs.experiment(request.experiment))
      throw new NotFoundError(`no experiment named "${request.experiment}"${this.knownExperiments()}`);
    const metricFilters: MetricFilter[] = (request.where ?? []).map((w) => {
      const m = FILTER.exec(w);
      if (!m)
        throw new ValidationError(`--where must look like METRIC<VALUE (<, <=, >, >=, =), got "${w}"`, [
          { where: '--where', reason: 'malformed filter' },
        ]);
      return { key: m[1] as string, op: m[2] as MetricFilter['op'], value: Number(m[3]) };
    });
    const order = request.orderBy?.trim();
    return this.ctx.store.runs.search({
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

  private knownExperiments(): string {
    const names = this.ctx.store.runs.experiments().map((e) => e.name);
    return names.length ? `; experiments: ${names.join(', ')}` : '; there are no experiments yet';
  }

  /** Every experiment with its run count. */
  experiments() {
    return this.ctx.store.runs.experiments();
  }

  /** A run with its full metric history and its child runs. @throws NotFoundError. */
  showRun(runId: number): RunDetails {
    const run = this.ctx.store.runs.require(runId);
    const children = this.ctx.store.runs.search({
      parentRunId: runId,
      orderBy: { metric: 'mae' },
      limit: 10_000,
    }).runs;
    return { run, history: this.ctx.store.runs.history(runId), children };
  }

  /**
   * Params and summary metrics of several runs side by side.
   * @throws ValidationError for fewer than two ids; NotFoundError naming an unknown run.
   */
  compareRuns(runIds: readonly number[]): RunComparison {
    if (runIds.length < 2)
      throw new ValidationError('compare needs at least two run ids', [
        { where: 'RUN', reason: 'fewer than two' },
      ]);
    const runs = runIds.map((id) => this.ctx.store.runs.require(id));
    const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
    const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
    const params = Object.fromEntries(paramKeys.map((k) => [k, runs.map((r) => r.params[k] ?? null)]));
    const metrics = Object.fromEntries(metricKeys.map((k) => [k, runs.map((r) => r.metrics[k] ?? null)]));
    const differingParams = paramKeys.filter(
      (k) => new Set((params[k] as unknown[]).map((v) => JSON.stringify(v))).size > 1,
    );
    return { runs, params, metrics, differingParams };
  }

  /**
   * Points an alias (`champion`, `challenger`, …) at `NAME@VERSION`, recording the move.
   * @throws ValidationError for a malformed reference or alias; NotFoundError for an unknown version.
   */
  setAlias(reference: string, alias: string): { event: AliasEvent | null; alias: ModelAlias } {
    const ref = parseModelReference(reference, 'model', true);
    const version = this.ctx.store.models.getVersion(ref.name, ref.version);
    const event = this.ctx.store.aliases.set(ref.name, alias, version.version, this.now());
    return { event, alias: this.ctx.store.aliases.get(ref.name, alias) as ModelAlias };
  }

  /** Removes an alias, recording it. @throws NotFoundError. */
  removeAlias(model: string, alias: string): AliasEvent {
    return this.ctx.store.aliases.remove(parseModelReference(model).name, alias, this.now());
  }

  /**
   * Which version held which alias when, activations included.
   * @throws NotFoundError for a model with neither versions nor alias history.
   */
  aliasHistory(model: string): AliasHistory {
    const name = parseModelReference(model).name;
    const events = this.ctx.store.aliases.history(name);
    if (events.length === 0) this.ctx.store.models.showModel(name); // throws NotFound for unknown models
    return { model: name, current: this.ctx.store.aliases.list(name), events };
  }

  /**
   * Moves an alias back to the version it held before (`active`: re-activates the previous version).
   * @throws NotFoundError when the alias has no earlier version or that version no longer exists.
   */
  rollback(model: string, alias = 'active'): { alias: string; from: number | null; to: number } {
    const name = parseModelReference(model).name;
    const from = this.ctx.store.aliases.get(name, alias)?.version ?? null;
    const to = this.ctx.store.aliases.previous(name, alias);
    if (to === null)
      throw new NotFoundError(`${name}: alias "${alias}" has no earlier version to roll back to`);
    this.ctx.store.models.getVersion(name, to); // the earlier version may have been pruned
    if (alias === 'active') this.ctx.store.models.activate(name, to);
    else this.ctx.store.aliases.set(name, alias, to, this.now(), `rollback from ${from ?? 'none'}`);
    return { alias, from, to };
  }

  /**
   * Impurity importances of a tree model's stored artifact, and permutation importance on the last
   * walk-forward fold (the model's recipe refit on the rows before it, scored on the fold's rows).
   * @throws NotFoundError for an unknown model/version; PbiError (MODEL) for an unusable artifact.
   */
  importance(
    reference: string,
    options: { repeats?: number; seed?: number; folds?: number } = {},
  ): ImportanceReport {
    const ref = parseModelReference(reference);
    const loaded = this.ctx.store.models.loadModel(ref.name, ref.version);
    const model = deserializeModel(loaded.artifact);
    const names = loaded.featureNames;
    const repeats = options.repeats ?? 5;
    const folds = options.folds ?? (loaded.folds.length >= 2 ? loaded.folds.length : DEFAULT_FOLDS);
    const seed = options.seed ?? loaded.seed ?? DEFAULT_SEED;

    // Rebuild the matrix the model was trained on, in its column order, when the names match ours.
    let data: {
      x: ReturnType<FeatureService['matrix']>['x'];
      y: ReturnType<FeatureService['matrix']>['y'];
    } | null = null;
    let dataNote: string | null = null;
    try {
      const m = this.features.requireMatrix((folds + 1) * 2);
      data = { x: alignFeatures(m.x, m.names, names), y: m.y };
    } catch (error) {
      if (!(error instanceof PbiError)) throw error;
      dataNote =
        error instanceof InsufficientDataError
          ? error.message
          : `its features cannot be rebuilt here: ${error.message}`;
    }

    let impurity: FeatureScore[] | null = null;
    let impurityNote: string | null = null;
    if (!hasTrees(model)) impurityNote = `a ${loaded.kind} model has no trees, so no impurity importances`;
    else {
      try {
        const values = impurityImportances(model, data ?? undefined);
        impurity = values ? rankFeatures(values, names) : null;
      } catch (error) {
        if (!(error instanceof PbiError)) throw error;
        impurityNote = dataNote ?? error.message;
      }
    }

    let permutation: ImportanceReport['permutation'] = null;
    let permutationNote: string | null = null;
    if (!(MODEL_NAMES as readonly string[]).includes(loaded.kind))
      permutationNote = `a ${loaded.kind} model has no training recipe here (migrated), so it cannot be refit on a fold`;
    else if (!data) permutationNote = dataNote;
    else {
      const regressor = createRegressor(loaded.kind as ModelName, loaded.hyperparameters as ParamSet);
      const split = timeSeriesSplit(data.x.rows, folds)[folds - 1] as TimeSeriesFold;
      const slice = (m: typeof data.x, a: number, b: number) => ({
        rows: b - a,
        cols: m.cols,
        data: m.data.subarray(a * m.cols, b * m.cols),
      });
      const fitted = regressor.fit(slice(data.x, 0, split.trainEnd), slice(data.y, 0, split.trainEnd), {
        seed,
      });
      const result = permutationImportance({
        predict: (x) => fitted.predict(x),
        x: slice(data.x, split.testStart, split.testEnd),
        y: slice(data.y, split.testStart, split.testEnd),
        featureNames: names,
        repeats,
        seed,
      });
      permutation = {
        fold: folds - 1,
        trainSize: split.trainEnd,
        testSize: split.testEnd - split.testStart,
        baselineMae: result.baselineMae,
        repeats,
        scores: [...result.scores].sort(
          (a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature),
        ),
      };
    }
    return {
      model: loaded.name,
      version: loaded.version,
      kind: loaded.kind,
      features: names.length,
      impurity,
      impurityNote,
      permutation,
      permutationNote,
    };
  }
}

/** Relative cost of a trial, for scheduling: stages (or trees) × depth × rows sampled; lasso: passes / alpha. */
function trialCost(model: ModelName, params: ParamSet): number {
  const p = createRegressor(model, params).params as Record<string, unknown>;
  const num = (k: string, d: number) => (typeof p[k] === 'number' ? (p[k] as number) : d);
  // Lasso: the smaller the penalty, the more coordinate-descent passes (up to max_iter).
  if (model === 'lasso') return num('maxIter', 1000) / Math.max(num('alpha', 1), 1e-3);
  return num('nEstimators', 1) * num('maxDepth', 12) * num('subsample', 1);
}

/** Finished trials by mean MAE (ties: lower std, then run id), ranked 1..n; failed ones after. */
function rankTrials(trials: readonly TrialSummary[]): TrialSummary[] {
  const ok = trials
    .filter((t) => t.status === 'finished' && t.mae !== null)
    .sort(
      (a, b) =>
        (a.mae as number) - (b.mae as number) || (a.maeStd ?? 0) - (b.maeStd ?? 0) || a.runId - b.runId,
    )
    .map((t, i) => ({ ...t, rank: i + 1 }));
  const bad = trials
    .filter((t) => !(t.status === 'finished' && t.mae !== null))
    .sort((a, b) => a.runId - b.runId);
  return [...ok, ...bad];
}
