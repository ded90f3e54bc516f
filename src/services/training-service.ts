/**
 * The one training pipeline (DESIGN §1): features of the stored draws → walk-forward CV
 * (per-fold and per-target MAE beside the two naive baselines) → fit on every row → a new version in
 * the model registry with its hyperparameters, feature names, folds, seed and artifact.
 *
 * Everything that can be wrong with a request (model name, --param, folds, data) is checked before
 * any model is fitted, and all versions of one request are registered in one transaction, so a
 * failed request registers nothing.
 */
import { type ErrorIssue, InsufficientDataError, PbiError, ValidationError } from '../domain/errors.js';
import { CURRENT_ERA } from '../domain/eras.js';
import { crossValidate, type CrossValidationResult, expectedOrderStatistics } from '../ml/cv.js';
import type { FeatureMatrix } from '../ml/features/index.js';
import { serializeModel } from '../ml/models/index.js';
import { LassoRegressor } from '../ml/lasso.js';
import { type AlphaSelection, RidgeAlphaCvRegressor, selectionRecord } from '../ml/ridge-alpha.js';
import type { FittedModel, Regressor } from '../ml/regressor.js';
import {
  createRegressor,
  defaultParams,
  type ParamSet,
  type ParamValue,
  paramNames,
  snakeKey,
} from '../ml/search-space.js';
import { MODEL_NAMES, type ModelName, TRAIN_ALL_MODELS } from '../domain/model-names.js';
import type { FoldMetrics } from '../domain/fold-metrics.js';
import type { ModelVersionInfo } from '../store/model-registry-types.js';
import type { JsonObject } from '../store/json.js';
import type { ServiceContext } from './context.js';
import { recordTrainingRun } from './experiment-service.js';
import type { FeatureService } from './feature-service.js';
import { activationDecision, type ModelVerdict, modelVerdict } from './model-verdict.js';
import { MAX_SEED } from '../domain/limits.js';
import { checkWork, trainingWork } from '../ml/work.js';

export const DEFAULT_FOLDS = 5;
export const DEFAULT_SEED = 42;

/** Short names of the six targets, as used in metric keys (`mae_w1` … `mae_pb`). */
export const TARGET_KEYS = ['w1', 'w2', 'w3', 'w4', 'w5', 'pb'] as const;

export interface TrainRequest {
  /** One model or `all` (default `all`: ridge, random forest and gradient boosting, not lasso). */
  readonly model?: ModelName | 'all' | string;
  /** `KEY=VALUE` flags, snake_case or camelCase keys. With `all`, a key applies to every model that has it. */
  readonly params?: readonly string[];
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
  readonly activation: string;
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

const BOOLEAN_TEXT: Readonly<Record<string, boolean>> = {
  true: true,
  True: true,
  false: false,
  False: false,
};

/**
 * Parses `--param KEY=VALUE` strictly for the given models: each key must belong to one of them,
 * each value must have the parameter's type (booleans `true`/`false`; numbers; `null` or a named
 * choice only where the model accepts it) and pass the model's own range checks.
 * @throws ValidationError listing every problem, each naming the flag.
 */
export function parseTrainParams(
  models: readonly ModelName[],
  flags: readonly string[],
): Map<ModelName, ParamSet> {
  const issues: ErrorIssue[] = [];
  const given = new Map<string, { text: string; flag: string }>();
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const rawKey = eq > 0 ? flag.slice(0, eq).trim() : '';
    const text = eq > 0 ? flag.slice(eq + 1).trim() : '';
    if (rawKey === '' || text === '') {
      issues.push({ where: `--param ${flag}`, reason: 'expected KEY=VALUE' });
      continue;
    }
    const key = snakeKey(rawKey);
    if (given.has(key)) {
      issues.push({ where: `--param ${flag}`, reason: `${key} is given twice` });
      continue;
    }
    given.set(key, { text, flag });
  }
  const out = new Map<ModelName, ParamSet>(models.map((m) => [m, {}]));
  for (const [key, { text, flag }] of given) {
    const owners = models.filter((m) => paramNames(m).includes(key));
    if (owners.length === 0) {
      const known = [...new Set(models.flatMap(paramNames))].join(', ');
      issues.push({
        where: `--param ${flag}`,
        reason: `unknown parameter "${key}" for ${models.join(', ')}; known: ${known}`,
      });
      continue;
    }
    for (const model of owners) {
      const def = defaultParams(model)[key];
      const value = typedValue(text, def);
      if (typeof value === 'object' && value !== null) {
        issues.push({
          where: `--param ${flag}`,
          reason: `${key} of ${model} ${value.expected}, got "${text}"`,
        });
        continue;
      }
      try {
        createRegressor(model, { [key]: value });
      } catch (error) {
        if (!(error instanceof PbiError)) throw error;
        issues.push({ where: `--param ${flag}`, reason: `${model}: ${error.message}` });
        continue;
      }
      out.set(model, { ...out.get(model), [key]: value });
    }
  }
  if (issues.length) {
    throw new ValidationError(
      `invalid --param: ${issues.map((i) => `${i.where}: ${i.reason}`).join('; ')}`,
      issues,
    );
  }
  return out;
}

/** The value of `text` typed after the parameter's default, or what was expected. */
function typedValue(text: string, def: ParamValue | undefined): ParamValue | { expected: string } {
  if (typeof def === 'boolean') {
    const b = BOOLEAN_TEXT[text];
    return b === undefined ? { expected: 'must be true or false' } : b;
  }
  if (text === 'null' || text === 'none' || text === 'None') return null;
  if (text in BOOLEAN_TEXT) return { expected: 'must be a number' };
  const n = Number(text);
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) && Number.isFinite(n)) return n;
  if (typeof def === 'number' && !/^[A-Za-z][A-Za-z0-9_]*$/.test(text))
    return { expected: 'must be a number' };
  // A word (e.g. max_features=sqrt): the model's own check decides whether it is a valid choice.
  return text;
}

function checkModel(model: string | undefined): ModelName[] {
  if (model === undefined || model === 'all') return [...TRAIN_ALL_MODELS];
  if ((MODEL_NAMES as readonly string[]).includes(model)) return [model as ModelName];
  throw new ValidationError(`unknown model "${model}"; known models: ${MODEL_NAMES.join(', ')}, all`, [
    { where: '--model', reason: 'unknown model' },
  ]);
}

function checkInt(value: number | undefined, def: number, flag: string, min: number, max: number): number {
  const v = value ?? def;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new ValidationError(`${flag} must be a whole number from ${min} to ${max}, got ${v}`, [
      { where: flag, reason: `expected a whole number from ${min} to ${max}` },
    ]);
  }
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

export class TrainingService {
  constructor(
    private readonly ctx: ServiceContext<'models' | 'transaction' | 'draws' | 'runs'>,
    private readonly features: FeatureService,
  ) {}

  /**
   * Checks a request without fitting anything.
   * @throws ValidationError for an unknown model, a bad --param, --folds or --seed, or more estimated
   *   work than MAX_WORK.
   */
  plan(request: TrainRequest): Plan {
    const names = checkModel(request.model);
    const folds = checkInt(request.folds, DEFAULT_FOLDS, '--folds', 2, 100);
    const seed = checkInt(request.seed, DEFAULT_SEED, '--seed', 0, MAX_SEED);
    const params = parseTrainParams(names, request.params ?? []);
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
    checkWork(work, '--param', `training ${names.join(', ')} with ${folds} folds`);
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
    // TimeSeriesSplit needs folds + 1 blocks of rows, and each training block at least two rows.
    const minRows = 2 * (plan.folds + 1);
    if (m.x.rows < minRows) {
      const era = `the current era (since ${CURRENT_ERA.from})`;
      throw new InsufficientDataError(
        m.eraDraws === 0
          ? `no draws of ${era} are stored; run \`pbi init\` or \`pbi draws import FILE\` first`
          : `${plan.folds} folds need at least ${minRows} feature rows (${minRows + m.warmup} draws of ${era}, ` +
              `the first ${m.warmup} being warm-up); there are ${m.eraDraws} draws, ${m.x.rows} rows`,
      );
    }
    const onProgress = request.onProgress;
    const share = 1 / plan.models.length;
    const trained: {
      report: Omit<TrainedModelReport, 'version' | 'active' | 'artifactBytes' | 'verdict' | 'activation'>;
      artifact: Uint8Array;
      folds: FoldMetrics[];
    }[] = [];
    plan.models.forEach(({ name, regressor, params }, i) => {
      const base = i * share;
      const cvStart = performance.now();
      const cv = crossValidate(regressor, m.x, m.y, {
        folds: plan.folds,
        seed: plan.seed,
        constantBaseline: expectedOrderStatistics(5, m.era.whiteMax, m.era.powerballMax),
        onProgress: (fraction: number) => {
          const fold = Math.min(plan.folds - 1, Math.floor(fraction * plan.folds));
          onProgress?.({
            fraction: base + share * 0.8 * fraction,
            message: `${name}: cross-validating, fold ${fold + 1}/${plan.folds}`,
            model: name,
            stage: 'cv',
            fold,
          });
        },
      });
      const cvDurationMs = performance.now() - cvStart;
      const folds = toFoldMetrics(cv);
      onProgress?.({
        fraction: base + share * 0.8,
        message: `${name}: fitting on all ${m.x.rows} rows`,
        model: name,
        stage: 'fit',
      });
      const fitStart = performance.now();
      const fitOptions = {
        seed: plan.seed,
        onProgress: (f: number) =>
          onProgress?.({
            fraction: base + share * (0.8 + 0.2 * f),
            message: `${name}: fitting on all ${m.x.rows} rows`,
            model: name,
            stage: 'fit' as const,
          }),
      };
      const warnings: string[] = [];
      let model: FittedModel;
      if (regressor instanceof LassoRegressor) {
        // The solver's own report: say which outputs stopped at max_iter, as scikit-learn warns.
        const fit = regressor.fitWithReport(m.x, m.y, fitOptions);
        model = fit.model;
        fit.outputs.forEach((o, j) => {
          if (!o.converged)
            warnings.push(
              `${name}: ${m.targetNames[j] ?? `output ${j}`} did not converge in ${o.nIter} passes ` +
                `(duality gap ${o.dualGap.toPrecision(3)} above tol); raise max_iter or alpha`,
            );
        });
      } else model = regressor.fit(m.x, m.y, fitOptions);
      const trainingDurationMs = performance.now() - fitStart;
      const artifact = serializeModel(model);
      const baselineNames = [...new Set(folds.flatMap((f) => Object.keys(f.baselines ?? {})))];
      trained.push({
        artifact,
        folds,
        report: {
          name,
          kind: regressor.kind,
          hyperparameters: params,
          folds,
          cv: summarize(folds, (f) => f.metrics),
          baselines: Object.fromEntries(
            baselineNames.map((b) => [b, summarize(folds, (f) => f.baselines?.[b])]),
          ),
          cvDurationMs,
          trainingDurationMs,
          warnings,
          alphaSelection: regressor instanceof RidgeAlphaCvRegressor ? regressor.lastSelection() : null,
        },
      });
    });
    const first = plan.models[0] as Plan['models'][number];
    onProgress?.({ fraction: 1, message: 'registering', model: first.name, stage: 'register' });
    const createdAt = this.ctx.clock.now().toISOString();
    const data = {
      rows: m.x.rows,
      features: m.x.cols,
      firstDate: m.dates[0] as string,
      lastDate: m.dates[m.dates.length - 1] as string,
      featureSet: m.layout.id,
      warmup: m.warmup,
    };
    const decisions = trained.map((t) => this.decide(t.report.name, t.folds, request.activate));
    const versions: ModelVersionInfo[] = this.ctx.store.transaction(() =>
      trained.map((t, i) =>
        this.ctx.store.models.registerModelVersion({
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
          activate: (decisions[i] as (typeof decisions)[number]).activate,
          keepInactive: !(decisions[i] as (typeof decisions)[number]).activate,
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
        }),
      ),
    );
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
        const d = decisions[i] as (typeof decisions)[number];
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

  /** The activation rule for a new version of `name` (see model-verdict.ts). */
  private decide(
    name: string,
    folds: readonly FoldMetrics[],
    activate: boolean | undefined,
  ): { verdict: ModelVerdict; activate: boolean; reason: string } {
    const verdict = modelVerdict({ folds });
    if (activate === false) return { verdict, activate: false, reason: 'registered inactive, as asked' };
    const summary = this.ctx.store.models.listModels().find((m) => m.name === name);
    const active =
      summary?.activeVersion != null ? this.ctx.store.models.getVersion(name, summary.activeVersion) : null;
    return { verdict, ...activationDecision(verdict, active, activate === true) };
  }
}

/**
 * The registry's fold records from a CV result: `mae`, `mae_w1`…`mae_pb`, and the same for the two
 * baselines (`training_mean`: the mean of each target over the fold's training rows;
 * `order_statistics`: the expected sorted draw of a uniformly random ticket of the era).
 */
function toFoldMetrics(cv: CrossValidationResult): FoldMetrics[] {
  const metrics = (overall: number, perTarget: readonly number[]) => {
    const out: Record<string, number> = { mae: overall };
    TARGET_KEYS.forEach((t, k) => (out[`mae_${t}`] = perTarget[k] as number));
    return out;
  };
  return cv.folds.map((f) => {
    const baselines: Record<string, Record<string, number>> = {
      training_mean: metrics(f.baselines.trainMean.overall, f.baselines.trainMean.mae),
    };
    if (f.baselines.constant)
      baselines.order_statistics = metrics(f.baselines.constant.overall, f.baselines.constant.mae);
    return {
      fold: f.fold,
      trainSize: f.trainSize,
      testSize: f.testSize,
      metrics: metrics(f.overall, f.mae),
      baselines,
    };
  });
}
