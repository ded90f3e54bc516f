/**
 * The StrategyCatalog: the strategies prediction, evaluation and backtests share — the six history
 * strategies (built once), the ml strategy over the active stored model versions (rebuilt when the
 * active versions change), the stored history cached by draw revision, and the mixing weights.
 */
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA } from '../domain/eras.js';
import { InsufficientDataError, PbiError } from '../domain/errors.js';
import { featureLayout, nextDrawFeatures, TARGET_NAMES } from '../ml/features/index.js';
import {
  createStrategy,
  createWeightedStrategy,
  DEFAULT_WEIGHTS,
  type MlModelOutput,
  type MlPredictor,
} from '../strategies/index.js';
import { said, type Said } from '../domain/hints.js';
import { STRATEGY_NAMES, type StrategyName } from '../domain/strategy-names.js';
import type { Strategy, Target } from '../strategies/strategy.js';
import { type Strength, uniformWeightAt } from '../strategies/strength.js';
import type { ModelVersionInfo } from '../store/model-registry-types.js';
import type { ServiceContext } from './context.js';
import { type LoadedFittedModel, loadFittedModel } from './model-runner.js';
import { modelVerdict } from './model-verdict.js';

/** The store's parts the catalog reads: draws, the active model versions, the learned weights. */
export type StrategyCatalogParts = 'draws' | 'models' | 'weights';

/**
 * CV MAE assumed for an output with no recorded cross-validation (a migrated legacy model): about
 * the mean absolute deviation of a uniform draw's order statistic, i.e. "knows nothing".
 */
const DEFAULT_MAE = { white: 9, powerball: 6.5 } as const;

/** One active model the ml strategy uses. */
export interface ActiveModel {
  readonly name: string;
  readonly version: number;
  readonly kind: string;
  /** Last draw date the model was trained on, when recorded. */
  readonly trainedThrough: string | null;
  readonly trainingDurationMs: number | null;
  readonly cvMae: readonly number[];
}

export interface MlAvailability {
  readonly available: boolean;
  readonly models: readonly ActiveModel[];
  /** Why ml is unavailable, or which active models were skipped. */
  readonly notes: readonly Said[];
}

/** Metric names the training pipeline records per output (`mae_w1` … `mae_pb`). */
const MAE_KEYS = ['w1', 'w2', 'w3', 'w4', 'w5', 'pb'] as const;

function cvMae(info: ModelVersionInfo): number[] {
  return MAE_KEYS.map((k, i) => {
    const v = info.meanMetrics[`mae_${k}`] ?? info.meanMetrics[`mae_${TARGET_NAMES[i]}`];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
    return i < 5 ? DEFAULT_MAE.white : DEFAULT_MAE.powerball;
  });
}

/** The ml predictor over the loaded active model versions: features of the target from the history only. */
class ActiveModelsPredictor implements MlPredictor {
  constructor(private readonly models: readonly { loaded: LoadedFittedModel; active: ActiveModel }[]) {}

  predict(history: readonly Draw[], target: Target): readonly MlModelOutput[] {
    let features: ReturnType<typeof nextDrawFeatures>;
    try {
      features = nextDrawFeatures(history, target.date);
    } catch (error) {
      // Too few draws of the era for the features' warm-up: the models have nothing to go on, so
      // they give no opinion and the ml distribution is uniform.
      if (error instanceof InsufficientDataError) return [];
      throw error;
    }
    const column = new Map<string, number>();
    features.names.forEach((n, i) => column.set(n, i));
    return this.models.map(({ loaded, active }) => {
      // The model's own column order (checked at load: every name exists in the current layout).
      const names = loaded.info.featureNames;
      const row = new Float64Array(names.length);
      names.forEach((n, i) => (row[i] = features.row[column.get(n) as number] as number));
      const y = loaded.model.predict({ rows: 1, cols: names.length, data: row });
      return {
        name: active.name,
        version: active.version,
        outputs: Array.from(y.data.subarray(0, 6)),
        cvMae: active.cvMae,
      };
    });
  }
}

export class StrategyCatalog {
  private readonly fixed = new Map<StrategyName, Strategy>();
  private history: { revision: string; draws: readonly Draw[] } | null = null;
  private ml: {
    key: string;
    strategy: Strategy | null;
    predictor: MlPredictor | null;
    availability: MlAvailability;
  } | null = null;
  /** Strategies at a strength other than calibrated, by name, λ and (for ml) the active models. */
  private readonly atStrength = new Map<string, Strategy>();
  private readonly loaded = new Map<string, LoadedFittedModel>();

  constructor(private readonly ctx: ServiceContext<StrategyCatalogParts>) {
    for (const name of STRATEGY_NAMES) if (name !== 'ml') this.fixed.set(name, createStrategy(name));
  }

  /** Every stored draw, oldest first, frozen; the same array until the stored draws change. */
  draws(): readonly Draw[] {
    const revision = this.ctx.store.draws.revision();
    if (this.history?.revision !== revision) {
      this.history = { revision, draws: Object.freeze(this.ctx.store.draws.list()) };
    }
    return this.history.draws;
  }

  /** The active models the ml strategy can use (trained on this product's features). */
  mlAvailability(): MlAvailability {
    return this.refreshMl().availability;
  }

  private refreshMl(): {
    key: string;
    strategy: Strategy | null;
    predictor: MlPredictor | null;
    availability: MlAvailability;
  } {
    const summaries = this.ctx.store.models.listModels().filter((m) => m.activeVersion !== null);
    const key = summaries.map((m) => `${m.name}@${m.activeVersion}`).join(',');
    if (this.ml?.key === key) return this.ml;
    // Forget models that are no longer active (a long-running server activates many versions).
    for (const ref of this.loaded.keys()) if (!key.split(',').includes(ref)) this.loaded.delete(ref);
    const notes: Said[] = [];
    const usable: { loaded: LoadedFittedModel; active: ActiveModel }[] = [];
    const featureNames = new Set(currentFeatureNames());
    for (const m of summaries) {
      const ref = `${m.name}@${m.activeVersion}`;
      try {
        let loaded = this.loaded.get(ref);
        if (!loaded) {
          loaded = loadFittedModel(this.ctx.store.models, {
            name: m.name,
            version: m.activeVersion as number,
          });
          this.loaded.set(ref, loaded);
        }
        const verdict = modelVerdict(loaded.info);
        if (Object.keys(verdict.baselines).length > 0 && !verdict.beatsBaselines) {
          // A model that does not beat the naive baselines has learned nothing usable.
          notes.push(`${ref} skipped: it ${verdict.text}`);
          continue;
        }
        const missing = loaded.info.featureNames.filter((n) => !featureNames.has(n));
        if (missing.length > 0 || loaded.model.nOutputs !== 6) {
          notes.push(
            `${ref} skipped: it was not trained on this product's features (e.g. a migrated legacy model)`,
          );
          continue;
        }
        usable.push({
          loaded,
          active: {
            name: m.name,
            version: m.activeVersion as number,
            kind: loaded.info.kind,
            trainedThrough: loaded.info.trainingData?.lastDate ?? null,
            trainingDurationMs: loaded.info.trainingDurationMs,
            cvMae: cvMae(loaded.info),
          },
        });
      } catch (error) {
        if (!(error instanceof PbiError)) throw error;
        notes.push(said`${ref} skipped: ${error.said}`);
      }
    }
    if (usable.length === 0)
      notes.unshift(said`no trained model is active; ${{ kind: 'train-model', for: 'ml-strategy' }}`);
    const availability: MlAvailability = {
      available: usable.length > 0,
      models: usable.map((u) => u.active),
      notes,
    };
    const predictor = usable.length > 0 ? new ActiveModelsPredictor(usable) : null;
    const strategy = predictor ? createStrategy('ml', { mlPredictor: predictor }) : null;
    this.ml = { key, strategy, predictor, availability };
    return this.ml;
  }

  /**
   * A strategy by name.
   * @throws PbiError (NOT_FOUND) for ml when no trained model is active, its hint: train a model.
   */
  get(name: StrategyName): Strategy {
    if (name !== 'ml') return this.fixed.get(name) as Strategy;
    const ml = this.refreshMl();
    if (!ml.strategy) {
      throw new PbiError(
        'NOT_FOUND',
        said`the ml strategy needs a trained model and none is active: ${{ kind: 'train-model', first: true }}${
          ml.availability.notes.length > 1 ? ` (${ml.availability.notes.slice(1).join('; ')})` : ''
        }`,
      );
    }
    return ml.strategy;
  }

  /**
   * A strategy at a belief strength; the calibrated ones are the shared instances of `get`.
   * @throws PbiError (NOT_FOUND) for ml when no trained model is active.
   */
  getAt(name: StrategyName, strength: Strength): Strategy {
    const base = this.get(name);
    if (strength.kind === 'calibrated') return base;
    const lambda = uniformWeightAt(strength, name);
    const ml = name === 'ml' ? this.refreshMl() : null;
    const key = `${name}|${lambda}|${ml?.key ?? ''}`;
    let s = this.atStrength.get(key);
    if (!s) {
      if (this.atStrength.size > 64) this.atStrength.clear(); // a server sees many strengths
      const deps = ml?.predictor ? { mlPredictor: ml.predictor } : {};
      s = createStrategy(name, deps, { uniformWeight: lambda });
      this.atStrength.set(key, s);
    }
    return s;
  }

  /** The weighted ensemble with every component at a belief strength. */
  ensembleAt(weights: Readonly<Record<string, number>>, strength: Strength): Strategy {
    if (strength.kind === 'calibrated') return this.ensemble(weights);
    const parts = this.available().filter((s) => (weights[s.name] ?? 0) > 0);
    return createWeightedStrategy(
      parts.map((s) => ({
        strategy: this.getAt(s.name as StrategyName, strength),
        weight: weights[s.name] as number,
      })),
    );
  }

  /** The strategies available now (ml only with an active model). */
  available(): Strategy[] {
    const ml = this.refreshMl();
    return STRATEGY_NAMES.flatMap((n) => (n === 'ml' ? (ml.strategy ? [ml.strategy] : []) : [this.get(n)]));
  }

  private ensembleCache: { key: string; strategy: Strategy } | null = null;

  /**
   * The weighted ensemble of the available strategies with `weights` (cached while the weights and
   * the active models stay the same, so its per-history work is reused).
   */
  ensemble(weights: Readonly<Record<string, number>>): Strategy {
    const parts = this.available().filter((s) => (weights[s.name] ?? 0) > 0);
    const key = `${this.ml?.key ?? ''}|${parts.map((s) => `${s.name}=${weights[s.name]}`).join(',')}`;
    if (this.ensembleCache?.key !== key) {
      this.ensembleCache = {
        key,
        strategy: createWeightedStrategy(
          parts.map((s) => ({ strategy: s, weight: weights[s.name] as number })),
        ),
      };
    }
    return this.ensembleCache.strategy;
  }

  /**
   * The weights to mix with: the latest learned weights (or the legacy defaults), restricted to the
   * available strategies and renormalized to sum to 1.
   */
  weights(): { weights: Record<string, number>; learned: boolean; renormalizedWithoutMl: boolean } {
    const latest = this.ctx.store.weights.latestWeights();
    const base: Record<string, number> = { ...DEFAULT_WEIGHTS, ...(latest?.weights ?? {}) };
    const names = this.available().map((s) => s.name);
    const total = names.reduce((a, n) => a + (base[n] ?? 0), 0);
    const weights: Record<string, number> = {};
    for (const n of names) weights[n] = total > 0 ? (base[n] ?? 0) / total : 1 / names.length;
    return { weights, learned: latest !== null, renormalizedWithoutMl: !names.includes('ml') };
  }
}

/** Feature names of the current layout (a model must use only these); the layout needs no draws. */
function currentFeatureNames(): readonly string[] {
  return featureLayout(CURRENT_ERA).names;
}
