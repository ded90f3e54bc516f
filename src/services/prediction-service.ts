/**
 * Generating prediction sets (`pbi predict`, DESIGN §3): a strategy's (or the weighted ensemble's)
 * distribution for the next real draw, seeded sampling of distinct tickets, each stored with its
 * probability under that distribution and each strategy's contribution, through the store's one
 * interface.
 *
 * Also home of the StrategyRegistry that prediction, evaluation and backtests share: the six
 * history strategies (built once), the ml strategy over the active registered models (rebuilt when
 * the active versions change), the stored history cached by draw revision, and the mixing weights.
 */
import { assertDrawDate, nextDrawDate } from '../domain/calendar.js';
import { type IsoDate, parseIsoDate } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, eraOf } from '../domain/eras.js';
import { InsufficientDataError, PbiError, ValidationError } from '../domain/errors.js';
import { JACKPOT_ODDS } from '../domain/prizes.js';
import { featureLayout, nextDrawFeatures, TARGET_NAMES } from '../ml/features/index.js';
import { Rng } from '../ml/rng.js';
import {
  contributions,
  createStrategy,
  createWeightedStrategy,
  DEFAULT_WEIGHTS,
  type MlModelOutput,
  type MlPredictor,
  sampleTickets,
} from '../strategies/index.js';
import {
  type CompositeDistribution,
  PREDICT_STRATEGIES,
  type PredictStrategyName,
  type Shrinkage,
  STRATEGY_NAMES,
  type Strategy,
  type StrategyName,
  type Target,
} from '../strategies/strategy.js';
import type { ModelVersionInfo } from '../store/model-registry-types.js';
import type { ServiceContext } from './context.js';
import { type LoadedFittedModel, loadFittedModel } from './model-runner.js';
import { MAX_SEED } from '../domain/limits.js';

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
  readonly notes: readonly string[];
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

/** The ml predictor over loaded registry models: features of the target from the history only. */
class RegistryPredictor implements MlPredictor {
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

export class StrategyRegistry {
  private readonly fixed = new Map<StrategyName, Strategy>();
  private history: { revision: string; draws: readonly Draw[] } | null = null;
  private ml: { key: string; strategy: Strategy | null; availability: MlAvailability } | null = null;
  private readonly loaded = new Map<string, LoadedFittedModel>();

  constructor(private readonly ctx: ServiceContext) {
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

  private refreshMl(): { strategy: Strategy | null; availability: MlAvailability } {
    const summaries = this.ctx.store.models.listModels().filter((m) => m.activeVersion !== null);
    const key = summaries.map((m) => `${m.name}@${m.activeVersion}`).join(',');
    if (this.ml?.key === key) return this.ml;
    // Forget models that are no longer active (a long-running server activates many versions).
    for (const ref of this.loaded.keys()) if (!key.split(',').includes(ref)) this.loaded.delete(ref);
    const notes: string[] = [];
    const usable: { loaded: LoadedFittedModel; active: ActiveModel }[] = [];
    const featureNames = new Set(currentFeatureNames());
    for (const m of summaries) {
      const ref = `${m.name}@${m.activeVersion}`;
      try {
        let loaded = this.loaded.get(ref);
        if (!loaded) {
          loaded = loadFittedModel(this.ctx, { name: m.name, version: m.activeVersion as number });
          this.loaded.set(ref, loaded);
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
        notes.push(`${ref} skipped: ${error.message}`);
      }
    }
    if (usable.length === 0)
      notes.unshift('no trained model is active; run `pbi train` to use the ml strategy');
    const availability: MlAvailability = {
      available: usable.length > 0,
      models: usable.map((u) => u.active),
      notes,
    };
    const strategy =
      usable.length > 0 ? createStrategy('ml', { mlPredictor: new RegistryPredictor(usable) }) : null;
    this.ml = { key, strategy, availability };
    return this.ml;
  }

  /**
   * A strategy by name.
   * @throws PbiError (NOT_FOUND) for ml when no trained model is active, telling the user to run `pbi train`.
   */
  get(name: StrategyName): Strategy {
    if (name !== 'ml') return this.fixed.get(name) as Strategy;
    const ml = this.refreshMl();
    if (!ml.strategy) {
      throw new PbiError(
        'NOT_FOUND',
        'the ml strategy needs a trained model and none is active: run `pbi train` first' +
          (ml.availability.notes.length > 1 ? ` (${ml.availability.notes.slice(1).join('; ')})` : ''),
      );
    }
    return ml.strategy;
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

/** The statement every prediction output carries. */
export const ODDS_NOTICE =
  `Every ticket has the same jackpot odds: 1 in ${JACKPOT_ODDS.toLocaleString('en-US')}. ` +
  'Draws are independent; no strategy changes the odds of the next draw.';

export interface PredictRequest {
  /** 1–100 (default 5). */
  readonly count?: number;
  /** Default `weighted`. */
  readonly strategy?: string;
  /** Seed of the sampling (default: from the clock; always recorded). */
  readonly seed?: number;
  /** YYYY-MM-DD; default the next draw date after the latest stored draw. */
  readonly forDate?: string;
}

export interface PredictedTicket {
  readonly id: number;
  readonly whites: readonly number[];
  readonly powerball: number;
  /** Probability of this exact ticket under the set's distribution. */
  readonly probability: number;
  /** The same as odds: 1 in … */
  readonly oneIn: number;
  readonly contributions: Readonly<Record<string, number>>;
}

export interface StrategyInfo {
  readonly name: string;
  readonly belief: string;
  readonly shrinkage: Shrinkage;
}

export interface PredictionReport {
  readonly setId: string;
  readonly strategy: PredictStrategyName;
  readonly targetDrawDate: IsoDate;
  readonly seed: number;
  readonly count: number;
  /** Strategy → weight used (one entry of 1 for a single strategy). */
  readonly weights: Readonly<Record<string, number>>;
  readonly weightsSource: 'learned' | 'default' | 'single';
  readonly strategies: readonly StrategyInfo[];
  readonly sumRange: readonly [number, number] | null;
  readonly tickets: readonly PredictedTicket[];
  readonly jackpotOdds: number;
  readonly notice: string;
  /** Things the user should know (ml left out, stale history…). */
  readonly notes: readonly string[];
}

const MAX_COUNT = 100;

/**
 * Parses a strategy name.
 * @throws ValidationError naming `--strategy` and the choices.
 */
export function parseStrategyName(value: string, where = '--strategy'): PredictStrategyName {
  if (!(PREDICT_STRATEGIES as readonly string[]).includes(value)) {
    throw new ValidationError(`${where} must be one of ${PREDICT_STRATEGIES.join(', ')}, got "${value}"`, [
      { where, reason: 'unknown strategy' },
    ]);
  }
  return value as PredictStrategyName;
}

export class PredictionService {
  /** Shared with evaluation and backtests (one set of strategies and caches per service). */
  readonly registry: StrategyRegistry;

  constructor(
    private readonly ctx: ServiceContext,
    registry?: StrategyRegistry,
  ) {
    this.registry = registry ?? new StrategyRegistry(ctx);
  }

  /** The names of the strategies `pbi predict` accepts. */
  static readonly strategyNames: readonly PredictStrategyName[] = PREDICT_STRATEGIES;

  /** Every strategy with its belief and shrinkage (ml only when a model is active). */
  describeStrategies(): StrategyInfo[] {
    const draws = this.registry.draws();
    const target = {
      date: nextDrawDate(draws[draws.length - 1]?.date ?? CURRENT_ERA.from),
      era: CURRENT_ERA,
    };
    return this.registry.available().map((s) => ({
      name: s.name,
      belief: s.belief,
      shrinkage: s.distribution(draws, target).shrinkage,
    }));
  }

  /**
   * Resolves the draw a set is for: `forDate`, or the next draw date after the latest stored draw.
   * @throws ValidationError (INVALID_DRAW_DATE) when `forDate` is not a draw day or is already drawn;
   *   InsufficientDataError when no draws are stored.
   */
  targetDate(draws: readonly Draw[], forDate?: string): IsoDate {
    const latest = draws[draws.length - 1];
    if (!latest) {
      throw new InsufficientDataError('no draws are stored; run `pbi init` or `pbi draws import FILE` first');
    }
    if (forDate === undefined) return nextDrawDate(latest.date);
    const date = parseIsoDate(forDate, '--for-date');
    assertDrawDate(date, null, '--for-date');
    if (date <= latest.date) {
      const drawn = this.ctx.store.draws.get(date) !== null;
      throw new ValidationError(
        drawn
          ? `${date} has already been drawn; predictions are for draws that have not happened (the next is ${nextDrawDate(latest.date)})`
          : `${date} is not after the latest stored draw (${latest.date}); predictions are for the next draws (the next is ${nextDrawDate(latest.date)})`,
        [{ where: '--for-date', reason: 'already drawn' }],
        'INVALID_DRAW_DATE',
      );
    }
    if (eraOf(date) !== CURRENT_ERA) {
      throw new ValidationError(
        `${date} is not in the current era`,
        [{ where: '--for-date', reason: 'not current era' }],
        'INVALID_DRAW_DATE',
      );
    }
    return date;
  }

  /**
   * Generates and stores one prediction set; nothing is stored when any input is bad.
   * @throws ValidationError (--count, --strategy, --for-date, --seed), InsufficientDataError (no draws),
   *   PbiError NOT_FOUND (ml without a trained model).
   */
  generate(request: PredictRequest = {}): PredictionReport {
    const count = request.count ?? 5;
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
      throw new ValidationError(`--count must be a whole number from 1 to ${MAX_COUNT}, got ${count}`, [
        { where: '--count', reason: `expected 1 to ${MAX_COUNT}` },
      ]);
    }
    const strategyName = parseStrategyName(request.strategy ?? 'weighted');
    if (
      request.seed !== undefined &&
      (!Number.isSafeInteger(request.seed) || request.seed < 0 || request.seed > MAX_SEED)
    ) {
      throw new ValidationError(`--seed must be a whole number from 0 to ${MAX_SEED}, got ${request.seed}`, [
        { where: '--seed', reason: `expected a whole number from 0 to ${MAX_SEED}` },
      ]);
    }
    const seed = request.seed ?? this.ctx.clock.now().getTime() % 4294967296;
    const draws = this.registry.draws();
    const date = this.targetDate(draws, request.forDate);
    const target = { date, era: CURRENT_ERA };
    const notes: string[] = [];
    const today = this.ctx.clock.now().toISOString().slice(0, 10);
    if (request.forDate === undefined && date < today) {
      notes.push(
        `the stored history ends at ${draws[draws.length - 1]?.date}; ${date} may already have been drawn — run \`pbi draws update\` for newer draws`,
      );
    }

    let strategy: Strategy;
    let weights: Record<string, number>;
    let weightsSource: PredictionReport['weightsSource'];
    if (strategyName === 'weighted') {
      const w = this.registry.weights();
      if (w.renormalizedWithoutMl) {
        notes.push(
          `ml left out (${this.registry.mlAvailability().notes[0] ?? 'no active model'}); the other weights were renormalized to sum to 1`,
        );
      }
      weights = w.weights;
      weightsSource = w.learned ? 'learned' : 'default';
      strategy = this.registry.ensemble(weights);
    } else {
      strategy = this.registry.get(strategyName);
      weights = { [strategyName]: 1 };
      weightsSource = 'single';
    }
    const d = strategy.distribution(draws, target);
    const sampled = sampleTickets(d, CURRENT_ERA, count, new Rng(seed));
    const composite = 'components' in d ? (d as CompositeDistribution) : null;
    const tickets = sampled.map((t) => ({
      whites: t.whites,
      powerball: t.powerball,
      probability: t.probability,
      contributions: composite ? contributions(composite, t.whites, t.powerball) : { [strategyName]: 1 },
    }));
    const usesMl = strategyName === 'ml' || (strategyName === 'weighted' && 'ml' in weights);
    const mlModels = usesMl ? this.registry.mlAvailability().models : [];
    const modelNote =
      mlModels.length > 0 ? `ml models: ${mlModels.map((m) => `${m.name}@${m.version}`).join(', ')}` : null;
    const stored = this.ctx.store.predictions.storePredictions({
      source: strategyName,
      ...(strategyName === 'ml' && mlModels.length === 1
        ? {
            model: { name: (mlModels[0] as ActiveModel).name, version: (mlModels[0] as ActiveModel).version },
          }
        : {}),
      targetDrawDate: date,
      createdAt: this.ctx.clock.now().toISOString(),
      seed,
      weights,
      ...(strategyName === 'ml' && mlModels.length === 1 && mlModels[0]?.trainingDurationMs != null
        ? { trainingDurationMs: mlModels[0].trainingDurationMs }
        : {}),
      notes: [
        `strategy ${strategyName}`,
        modelNote,
        d.constraint ? `white sum range ${d.constraint.sumRange.join('-')}` : null,
      ]
        .filter((x) => x !== null)
        .join('; '),
      tickets,
    });
    const components = composite ? composite.components : [{ name: strategy.name, distribution: d }];
    return {
      setId: stored.setId,
      strategy: strategyName,
      targetDrawDate: date,
      seed,
      count,
      weights,
      weightsSource,
      strategies: components.map((c) => {
        const s = c.name === 'ml' ? this.registry.get('ml') : this.registry.get(c.name as StrategyName);
        return { name: c.name, belief: s.belief, shrinkage: c.distribution.shrinkage };
      }),
      sumRange: d.constraint ? d.constraint.sumRange : null,
      tickets: tickets.map((t, i) => ({
        id: stored.predictionIds[i] as number,
        ...t,
        oneIn: 1 / t.probability,
      })),
      jackpotOdds: JACKPOT_ODDS,
      notice: ODDS_NOTICE,
      notes,
    };
  }
}
