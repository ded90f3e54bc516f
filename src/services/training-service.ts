/**
 * The one training pipeline (DESIGN §1): features of the stored draws → walk-forward CV
 * (per-fold and per-target MAE beside the two naive baselines) → fit on every row → a new version in
 * the model registry with its hyperparameters, feature names, folds, seed and artifact.
 *
 * Everything that can be wrong with a request (model name, params, folds, data) is checked before
 * any model is fitted, and all versions of one request are registered in one transaction, so a
 * failed request registers nothing.
 */
import { checkField, FieldError, InsufficientDataError } from '../domain/errors.js';
import { CURRENT_ERA } from '../domain/eras.js';
import { crossValidate, expectedOrderStatistics } from '../ml/cv.js';
import type { FeatureMatrix } from '../ml/features/index.js';
import { serializeModel } from '../ml/models/index.js';
import { LassoRegressor } from '../ml/lasso.js';
import { type AlphaSelection, RidgeAlphaCvRegressor, selectionRecord } from '../ml/ridge-alpha.js';
import type { FittedModel, Regressor } from '../ml/regressor.js';
import { checkParams } from '../ml/param-check.js';
import { createRegressor, type ParamSet, snakeKey } from '../ml/search-space.js';
import { said, type Said } from '../domain/hints.js';
import { MODEL_NAMES, type ModelName, TRAIN_ALL_MODELS } from '../domain/model-names.js';
import type { FoldMetrics } from '../domain/fold-metrics.js';
import type { ModelVersionInfo } from '../store/model-registry-types.js';
import type { JsonObject } from '../domain/json.js';
import type { ServiceContext } from './context.js';
import { recordTrainingRun } from './run-tracking.js';
import type { FeatureService } from './feature-service.js';
import { activationDecision, type ModelVerdict, modelVerdict } from './model-verdict.js';
import { MAX_SEED } from '../domain/limits.js';
import { checkWork, trainingWork } from '../ml/work.js';
import { TARGET_KEYS, toFoldMetrics } from './fold-metrics.js';

export const DEFAULT_FOLDS = 5;
export const DEFAULT_SEED = 42;

export { TARGET_KEYS };

export interface TrainRequest {
  /** One model or `all` (default `all`: ridge, random forest and gradient boosting, not lasso). */
  readonly model?: ModelName | 'all' | string;
  /**
   * Hyperparameters, snake_case or camelCase keys, typed values (checked against each model's
   * schema; issues name `params.<key>`). With `all`, a key applies to every model that has it.
   */
  readonly params?: ParamSet;
  readonly folds?: number;
  readonly seed?: number;
  /**
   * Activation: by default a new version becomes active only when its CV MAE beats both naive
   * baselines and the active version's; true (`--activate`) forces it, false never activates.
   */
  readonly activate?: boolean;
  readonly onProgress?: (progress: TrainProgress) => void;
}

export interface TrainProgress {
  /** Overall fraction of the request, 0..1. */
  readonly fraction: number;
  readonly message: string;
  readonly model: ModelName;
  readonly stage: 'cv' | 'fit' | 'register';
  /** 0-based fold while cross-validating. */
  readonly fold?: number;
}

/** Mean absolute error overall and per target. */
export interface MaeSummary {
  readonly mae: number;
  readonly perTarget: Readonly<Record<(typeof TARGET_KEYS)[number], number>>;
}

export interface TrainedModelReport {
  readonly name: ModelName;
  readonly version: number;
  readonly active: boolean;
  readonly kind: string;
  /** snake_case, defaults filled in. */
  readonly hyperparameters: ParamSet;
  readonly folds: readonly FoldMetrics[];
  /** Mean over the folds: the model, then each baseline. */
  readonly cv: MaeSummary;
  readonly baselines: Readonly<Record<string, MaeSummary>>;
  readonly cvDurationMs: number;
  /** Time to fit the registered model on every row. */
  readonly trainingDurationMs: number;
  readonly artifactBytes: number;
  /**
   * What the user should know about the final fit, e.g. a lasso output that stopped at max_iter
   * before converging (scikit-learn's ConvergenceWarning). Empty when there is nothing to say.
   */
  readonly warnings: readonly string[];
  /** How the version compares with the naive baselines. */
  readonly verdict: ModelVerdict;
  /** Why it is (or is not) the active version. */
  readonly activation: Said;
  /**
   * Ridge with alpha `auto`: the alpha chosen by time-series CV on all rows and its curve (grid
   * alpha → mean inner-CV MAE); the CV folds above scored alphas chosen inside each fold (nested).
   * Null for every other model.
   */
  readonly alphaSelection: AlphaSelection | null;
}

export interface TrainReport {
  readonly seed: number;
  readonly folds: number;
  readonly data: {
    readonly rows: number;
    readonly features: number;
    readonly firstDate: string;
    readonly lastDate: string;
    readonly featureSet: string;
    readonly warmup: number;
  };
  readonly models: readonly TrainedModelReport[];
  readonly durationMs: number;
}

/** A checked request: regressors built, nothing fitted yet. */
interface Plan {
  readonly models: readonly {
    readonly name: ModelName;
    readonly regressor: Regressor;
    readonly params: ParamSet;
  }[];
  readonly folds: number;
  readonly seed: number;
}

function checkModel(model: string | undefined): ModelName[] {
  if (model === undefined || model === 'all') return [...TRAIN_ALL_MODELS];
  if ((MODEL_NAMES as readonly string[]).includes(model)) return [model as ModelName];
  throw new FieldError('unknown model', [
    { where: 'model', reason: `"${model}" is not one of ${MODEL_NAMES.join(', ')}, all` },
  ]);
}

function checkInt(value: number | undefined, def: number, field: string, min: number, max: number): number {
  const v = value ?? def;
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw new FieldError('invalid training request', [
      { where: field, reason: `expected a whole number from ${min} to ${max}, got ${v}` },
    ]);
  return v;
}

/** Snake-case hyperparameters actually used by a regressor (defaults filled in). */
function usedParams(regressor: Regressor): ParamSet {
  return Object.fromEntries(Object.entries(regressor.params).map(([k, v]) => [snakeKey(k), v]));
}

function summarize(
  folds: readonly FoldMetrics[],
  pick: (f: FoldMetrics) => Readonly<Record<string, number>> | undefined,
): MaeSummary {
  const mean = (key: string) => {
    let s = 0;
    let n = 0;
    for (const f of folds) {
      const v = pick(f)?.[key];
      if (v !== undefined) {
        s += v;
        n++;
      }
    }
    return n ? s / n : Number.NaN;
  };
  const perTarget = Object.fromEntries(
    TARGET_KEYS.map((t) => [t, mean(`mae_${t}`)]),
  ) as MaeSummary['perTarget'];
  return { mae: mean('mae'), perTarget };
}

/** Whether a new version becomes active, and why. */
interface Decision {
  readonly verdict: ModelVerdict;
  readonly activate: boolean;
  readonly reason: Said;
}

/** One model cross-validated and fitted on every row, not yet registered. */
interface TrainedModel {
  readonly report: Omit<
    TrainedModelReport,
    'version' | 'active' | 'artifactBytes' | 'verdict' | 'activation'
  >;
  readonly artifact: Uint8Array;
  readonly folds: FoldMetrics[];
}

/** Progress of one model, `fraction` 0..1 of that model's share. */
type ModelProgress = (progress: TrainProgress) => void;

/**
 * TimeSeriesSplit needs folds + 1 blocks of rows, and each training block at least two rows.
 * @throws InsufficientDataError saying how many draws are stored and how many are needed.
 */
function requireRows(m: FeatureMatrix, folds: number): void {
  const minRows = 2 * (folds + 1);
  if (m.x.rows >= minRows) return;
  const era = `the current era (since ${CURRENT_ERA.from})`;
  throw new InsufficientDataError(
    m.eraDraws === 0
      ? said`no draws of ${era} are stored; ${{ kind: 'load-history' }}`
      : `${folds} folds need at least ${minRows} feature rows (${minRows + m.warmup} draws of ${era}, ` +
          `the first ${m.warmup} being warm-up); there are ${m.eraDraws} draws, ${m.x.rows} rows`,
  );
}

/** Walk-forward CV (80% of a model's progress) then the fit on every row (the other 20%). */
function trainOne(
  model: Plan['models'][number],
  m: FeatureMatrix,
  plan: Plan,
  onProgress: ModelProgress,
): TrainedModel {
  const { name, regressor, params } = model;
  const cvStart = performance.now();
  const cv = crossValidate(regressor, m.x, m.y, {
    folds: plan.folds,
    seed: plan.seed,
    constantBaseline: expectedOrderStatistics(5, m.era.whiteMax, m.era.powerballMax),
    onProgress: (fraction: number) => {
      const fold = Math.min(plan.folds - 1, Math.floor(fraction * plan.folds));
      onProgress({
        fraction: 0.8 * fraction,
        message: `${name}: cross-validating, fold ${fold + 1}/${plan.folds}`,
        model: name,
        stage: 'cv',
        fold,
      });
    },
  });
  const cvDurationMs = performance.now() - cvStart;
  const folds = toFoldMetrics(cv);
  const fitMessage = `${name}: fitting on all ${m.x.rows} rows`;
  onProgress({ fraction: 0.8, message: fitMessage, model: name, stage: 'fit' });
  const fitStart = performance.now();
  const { model: fitted, warnings } = fitFinal(name, regressor, m, plan.seed, (f) =>
    onProgress({ fraction: 0.8 + 0.2 * f, message: fitMessage, model: name, stage: 'fit' }),
  );
  const trainingDurationMs = performance.now() - fitStart;
  const baselineNames = [...new Set(folds.flatMap((f) => Object.keys(f.baselines ?? {})))];
  return {
    artifact: serializeModel(fitted),
    folds,
    report: {
      name,
      kind: regressor.kind,
      hyperparameters: params,
      folds,
      cv: summarize(folds, (f) => f.metrics),
      baselines: Object.fromEntries(baselineNames.map((b) => [b, summarize(folds, (f) => f.baselines?.[b])])),
      cvDurationMs,
      trainingDurationMs,
      warnings,
      alphaSelection: regressor instanceof RidgeAlphaCvRegressor ? regressor.lastSelection() : null,
    },
  };
}

/** The fit on every row, with what the user should know about it (lasso outputs that did not converge). */
function fitFinal(
  name: ModelName,
  regressor: Regressor,
  m: FeatureMatrix,
  seed: number,
  onProgress: (fraction: number) => void,
): { model: FittedModel; warnings: string[] } {
  const options = { seed, onProgress };
  if (!(regressor instanceof LassoRegressor))
    return { model: regressor.fit(m.x, m.y, options), warnings: [] };
  // The solver's own report: say which outputs stopped at max_iter, as scikit-learn warns.
  const fit = regressor.fitWithReport(m.x, m.y, options);
  const warnings: string[] = [];
  fit.outputs.forEach((o, j) => {
    if (!o.converged)
      warnings.push(
        `${name}: ${m.targetNames[j] ?? `output ${j}`} did not converge in ${o.nIter} passes ` +
          `(duality gap ${o.dualGap.toPrecision(3)} above tol); raise max_iter or alpha`,
      );
  });
  return { model: fit.model, warnings };
}

export class TrainingService {
  constructor(
    private readonly ctx: ServiceContext<'models' | 'transaction' | 'draws' | 'runs'>,
    private readonly features: FeatureService,
  ) {}

  /**
   * Checks a request without fitting anything.
   * @throws FieldError for an unknown model, a bad parameter, folds or seed (issues name the request
   *   field: `model`, `params.<key>`, `folds`, `seed`); ValidationError (`params`) for more
   *   estimated work than MAX_WORK.
   */
  plan(request: TrainRequest): Plan {
    const names = checkModel(request.model);
    const folds = checkInt(request.folds, DEFAULT_FOLDS, 'folds', 2, 100);
    const seed = checkInt(request.seed, DEFAULT_SEED, 'seed', 0, MAX_SEED);
    const params = checkParams(names, request.params ?? {});
    const models = names.map((name) => {
      const p = params.get(name) ?? {};
      const regressor = createRegressor(name, p);
      return { name, regressor, params: usedParams(regressor) };
    });
    // Refused before it is queued: a request the machine cannot finish is a 400, not a dead server.
    const m = this.features.matrix();
    const work = models.reduce(
      (sum, x) => sum + trainingWork(x.name, x.params, m.x.rows, m.x.cols, folds),
      0,
    );
    checkField('params', () => checkWork(work, 'params', `training ${names.join(', ')} with ${folds} folds`));
    return { folds, seed, models };
  }

  /**
   * Cross-validates, fits on every row and registers a new version of each requested model.
   * @throws ValidationError (bad request), InsufficientDataError (empty database, too few draws for
   *   the folds); nothing is registered when anything fails.
   */
  train(request: TrainRequest = {}): TrainReport {
    const started = performance.now();
    const plan = this.plan(request);
    const m: FeatureMatrix = this.features.matrix();
    requireRows(m, plan.folds);
    const share = 1 / plan.models.length;
    const trained = plan.models.map((model, i) =>
      trainOne(model, m, plan, (p) => request.onProgress?.({ ...p, fraction: (i + p.fraction) * share })),
    );
    const first = plan.models[0] as Plan['models'][number];
    request.onProgress?.({ fraction: 1, message: 'registering', model: first.name, stage: 'register' });
    const data = {
      rows: m.x.rows,
      features: m.x.cols,
      firstDate: m.dates[0] as string,
      lastDate: m.dates[m.dates.length - 1] as string,
      featureSet: m.layout.id,
      warmup: m.warmup,
    };
    const decisions = trained.map((t) => this.decide(t.report.name, t.folds, request.activate));
    const versions = this.register(trained, decisions, m, plan, data);
    // Every training is also a tracked run, with the version it produced.
    trained.forEach((t, i) =>
      recordTrainingRun(this.ctx, {
        modelName: t.report.name,
        params: t.report.hyperparameters,
        seed: plan.seed,
        featureNames: m.names,
        folds: t.folds,
        durationMs: t.report.cvDurationMs + t.report.trainingDurationMs,
        modelVersion: (versions[i] as ModelVersionInfo).version,
        ...(t.report.alphaSelection ? { tags: { alpha_chosen: String(t.report.alphaSelection.alpha) } } : {}),
      }),
    );
    return {
      seed: plan.seed,
      folds: plan.folds,
      data,
      models: trained.map((t, i) => {
        const v = versions[i] as ModelVersionInfo;
        const d = decisions[i] as Decision;
        return {
          ...t.report,
          version: v.version,
          active: v.active,
          artifactBytes: v.artifactBytes,
          verdict: d.verdict,
          activation: d.reason,
        };
      }),
      durationMs: performance.now() - started,
    };
  }

  /** Registers every trained model in one transaction: a failure registers none. */
  private register(
    trained: readonly TrainedModel[],
    decisions: readonly Decision[],
    m: FeatureMatrix,
    plan: Plan,
    data: TrainReport['data'],
  ): ModelVersionInfo[] {
    const createdAt = this.ctx.clock.now().toISOString();
    return this.ctx.store.transaction(() =>
      trained.map((t, i) => {
        const activate = (decisions[i] as Decision).activate;
        return this.ctx.store.models.registerModelVersion({
          name: t.report.name,
          kind: t.report.kind,
          hyperparameters: t.report.hyperparameters as JsonObject,
          featureNames: m.names,
          folds: t.folds,
          trainingDurationMs: Math.round(t.report.trainingDurationMs * 1000) / 1000,
          seed: plan.seed,
          artifact: t.artifact,
          source: 'trained',
          createdAt,
          activate,
          keepInactive: !activate,
          trainingData: { rows: data.rows, firstDate: data.firstDate, lastDate: data.lastDate },
          extra: {
            featureSet: data.featureSet,
            warmup: data.warmup,
            targets: [...m.targetNames],
            cvDurationMs: Math.round(t.report.cvDurationMs),
            folds: plan.folds,
            ...(t.report.warnings.length > 0 ? { warnings: [...t.report.warnings] } : {}),
            ...(t.report.alphaSelection ? { alphaSelection: selectionRecord(t.report.alphaSelection) } : {}),
          },
        });
      }),
    );
  }

  /** The activation rule for a new version of `name` (see model-verdict.ts). */
  private decide(name: string, folds: readonly FoldMetrics[], activate: boolean | undefined): Decision {
    const verdict = modelVerdict({ folds });
    if (activate === false) return { verdict, activate: false, reason: 'registered inactive, as asked' };
    const summary = this.ctx.store.models.listModels().find((m) => m.name === name);
    const active =
      summary?.activeVersion != null ? this.ctx.store.models.getVersion(name, summary.activeVersion) : null;
    return { verdict, ...activationDecision(verdict, active, activate === true) };
  }
}
