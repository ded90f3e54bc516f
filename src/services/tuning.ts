/**
 * Hyperparameter search (`pbi tune`, `POST /tune`): every trial is walk-forward cross-validated on
 * the stored history and recorded as a child run of one search run; the best can be refit on every
 * row and registered.
 */
import fs from 'node:fs';
import { CURRENT_ERA } from '../domain/eras.js';
import { checkField, FieldError, PbiError } from '../domain/errors.js';
import type { Said } from '../domain/hints.js';
import type { ParamValue } from '../domain/params.js';
import { type AlphaSelection, RidgeAlphaCvRegressor, selectionRecord } from '../ml/ridge-alpha.js';
import { expectedOrderStatistics } from '../ml/cv.js';
import type { FeatureMatrix } from '../ml/features/index.js';
import { checkWork, trainingWork } from '../ml/work.js';
import { serializeModel } from '../ml/models/index.js';
import {
  checkModelName,
  createRegressor,
  DEFAULT_SPACES,
  type ParamSet,
  spaceOfValues,
  parseSpaceJson,
  planTrials,
  defaultParams,
  snakeKey,
  type SearchKind,
  type SearchSpace,
  validateSpace,
} from '../ml/search-space.js';
import type { FoldMetrics } from '../domain/fold-metrics.js';
import type { ModelName } from '../domain/model-names.js';
import type { ModelVersionInfo } from '../store/model-registry-types.js';
import type { ServiceContext } from './context.js';
import type { FeatureService } from './feature-service.js';
import { activationDecision, modelVerdict } from './model-verdict.js';
import { drawsDigest, foldMetricPoints, jsonParams } from './run-tracking.js';
import { TrialPool, type TrialResult } from './tuning-worker.js';

const DEFAULT_FOLDS = 5;

const DEFAULT_SEED = 42;

const DEFAULT_RANDOM_TRIALS = 20;

/** A grid search runs every point; without a trial budget, grids up to this size are allowed. */
const DEFAULT_GRID_BUDGET = 200;

export interface TuneRequest {
  readonly model: string;
  readonly search: SearchKind;
  readonly trials?: number;
  /** A JSON space file (see search-space.ts); exclusive with `params`. */
  readonly spaceFile?: string;
  /**
   * Values to try per parameter (snake_case or camelCase keys); the space is exactly these keys
   * (others at their defaults). Issues name `params.<key>`.
   */
  readonly params?: Readonly<Record<string, readonly ParamValue[]>>;
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
    readonly activation: Said;
  } | null;
  readonly threads: number;
  readonly durationMs: number;
}

/** A checked search request: the model, its space and every trial's parameters. */
export interface TunePlan {
  readonly model: ModelName;
  readonly folds: number;
  readonly seed: number;
  readonly space: SearchSpace;
  readonly plan: ParamSet[];
  readonly matrix: FeatureMatrix;
}

/** What the search run and every trial run share. */
interface BaseRun {
  readonly experiment: string;
  readonly modelName: ModelName;
  readonly seed: number;
  readonly dataDigest: string;
  readonly nDraws: number;
  readonly features: readonly string[];
}

export class HyperparameterSearch {
  private digestCache: { revision: string; digest: string; draws: number } | null = null;

  constructor(
    private readonly ctx: ServiceContext<'draws' | 'models' | 'runs'>,
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

  /** Builds the search space of a request (the default, typed `params` or a file) and checks it. */
  resolveSpace(model: ModelName, request: Pick<TuneRequest, 'spaceFile' | 'params'>): SearchSpace {
    const given = request.params !== undefined && Object.keys(request.params).length > 0;
    if (request.spaceFile && given)
      throw new FieldError('a search space is given twice', [
        { where: 'spaceFile', reason: 'give either a space file or params, not both' },
      ]);
    let space: SearchSpace = DEFAULT_SPACES[model];
    if (request.spaceFile) {
      let text: string;
      try {
        text = fs.readFileSync(request.spaceFile, 'utf8');
      } catch (error) {
        throw new FieldError(`cannot read ${request.spaceFile}`, [
          { where: 'spaceFile', reason: (error as Error).message },
        ]);
      }
      space = parseSpaceJson(text, request.spaceFile);
      inSpaceFile(() => validateSpace(model, space));
      return space;
    }
    if (request.params && given) {
      space = spaceOfValues(request.params);
      checkField('params', () => validateSpace(model, space, (key) => `params.${key}`));
    } else validateSpace(model, space);
    return space;
  }

  /**
   * Checks a search request without running it (the API answers 400 before queueing a job): model,
   * search kind, folds, space, the trial plan, enough data, and the estimated work of every trial.
   * @throws as `tune`.
   */
  planTune(request: TuneRequest): TunePlan {
    const model = checkField('model', () => checkModelName(request.model));
    if (request.search !== 'grid' && request.search !== 'random')
      throw new FieldError('invalid search', [
        { where: 'search', reason: `must be grid or random, got "${String(request.search)}"` },
      ]);
    const folds = request.folds ?? DEFAULT_FOLDS;
    if (!Number.isInteger(folds) || folds < 2 || folds > 20)
      throw new FieldError('invalid search', [
        { where: 'folds', reason: `expected a whole number from 2 to 20, got ${folds}` },
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
    checkField('trials', () =>
      checkWork(work, 'trials', `a search of ${plan.length} trials × ${folds} folds`),
    );
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
    const planned = this.planTune(request);
    const { model, folds, seed, space, plan, matrix } = planned;
    const experiment = (request.experiment ?? `tune-${model}`).trim();
    const { digest, draws } = this.storedDigest();
    const baseRun: BaseRun = {
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
    const { summaries, trialFolds } = await this.runTrials(pool, planned, request, baseRun, searchRunId);
    if (request.signal?.aborted) {
      this.ctx.store.runs.finish(searchRunId, {
        status: 'failed',
        error: 'cancelled',
        endedAt: this.now(),
        durationMs: performance.now() - t0,
        modelVersion: null,
        metrics: [],
      });
      throw new PbiError(
        'CANCELLED',
        `the search was cancelled after ${summaries.length} of ${plan.length} trials`,
      );
    }
    const ranked = rankTrials(summaries);
    const best = ranked[0]?.status === 'finished' ? (ranked[0] as TrialSummary) : null;
    const failed = ranked.filter((t) => t.status === 'failed').length;
    let registered: TuneReport['registered'] = null;
    try {
      if (best && request.registerBest) {
        const bestFolds = trialFolds.get(best.runId) ?? [];
        const { version, activation } = this.registerBest(model, best, bestFolds, matrix, seed, experiment);
        registered = { name: model, version: version.version, active: version.active, activation };
      }
    } finally {
      this.finishSearch(searchRunId, { best, failed, trials: plan.length, t0, registered });
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

  /**
   * Runs every trial of the plan on the pool, each a child run of the search started when a thread
   * takes it; aborting `request.signal` cancels the pool.
   */
  private async runTrials(
    pool: TrialPool,
    planned: TunePlan,
    request: TuneRequest,
    baseRun: BaseRun,
    searchRunId: number,
  ): Promise<{ summaries: TrialSummary[]; trialFolds: Map<number, FoldMetrics[]> }> {
    const { model, folds, seed, plan, matrix } = planned;
    const constantBaseline = expectedOrderStatistics(5, matrix.era.whiteMax, matrix.era.powerballMax);
    const stop = () => pool.cancel();
    request.signal?.addEventListener('abort', stop, { once: true });
    const summaries: TrialSummary[] = [];
    const trialFolds = new Map<number, FoldMetrics[]>();
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
          const summary = this.finishTrial(runId, params, result);
          summaries.push(summary);
          request.onProgress?.(summaries.length, plan.length, summary);
        }),
      );
    } finally {
      request.signal?.removeEventListener('abort', stop);
      await pool.close();
    }
    return { summaries, trialFolds };
  }

  /** Finishes the search run: finished with its best MAE, or failed when every trial failed. */
  private finishSearch(
    searchRunId: number,
    outcome: {
      best: TrialSummary | null;
      failed: number;
      trials: number;
      t0: number;
      registered: TuneReport['registered'];
    },
  ): void {
    const { best, failed } = outcome;
    const endedAt = this.now();
    this.ctx.store.runs.finish(searchRunId, {
      status: best ? 'finished' : 'failed',
      error: best ? null : `all ${outcome.trials} trials failed`,
      endedAt,
      durationMs: performance.now() - outcome.t0,
      modelVersion: outcome.registered?.version ?? null,
      metrics: best
        ? [
            { key: 'best_mae', step: 0, value: best.mae, timestamp: endedAt },
            { key: 'failed_trials', step: 0, value: failed, timestamp: endedAt },
          ]
        : [{ key: 'failed_trials', step: 0, value: failed, timestamp: endedAt }],
    });
    if (best) this.ctx.store.runs.setTags(searchRunId, { best_run_id: String(best.runId) });
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
  ): { version: ModelVersionInfo; activation: Said } {
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
}

/** Runs a check of a space file: the keys its problems name are the file's, not request fields. */
function inSpaceFile(check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof FieldError)) throw error;
    throw new FieldError(
      error.summary,
      error.fields.map((f) => ({ ...f, inData: true })),
      error.code,
    );
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
