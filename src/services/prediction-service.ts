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
import {
  assertDrawDate,
  missingDrawsNotice,
  missingScheduledDraws,
  nextScheduledDraw,
} from '../domain/calendar.js';
import { type IsoDate, parseIsoDate } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, eraOf } from '../domain/eras.js';
import { InsufficientDataError, PbiError, ValidationError } from '../domain/errors.js';
import { beliefMultiple } from '../domain/belief.js';
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
import {
  parseStrength,
  type Strength,
  type StrengthCost,
  strengthCost,
  strengthLabel,
  uniformWeightAt,
  WHY_CALIBRATED,
} from '../strategies/strength.js';
import type { ModelVersionInfo } from '../store/model-registry-types.js';
import type { ServiceContext } from './context.js';
import { type LoadedFittedModel, loadFittedModel } from './model-runner.js';
import { modelVerdict } from './model-verdict.js';
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
  private ml: {
    key: string;
    strategy: Strategy | null;
    predictor: MlPredictor | null;
    availability: MlAvailability;
  } | null = null;
  /** Strategies at a strength other than calibrated, by name, λ and (for ml) the active models. */
  private readonly atStrength = new Map<string, Strategy>();
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
    const predictor = usable.length > 0 ? new RegistryPredictor(usable) : null;
    const strategy = predictor ? createStrategy('ml', { mlPredictor: predictor }) : null;
    this.ml = { key, strategy, predictor, availability };
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
  /** `calibrated` (default), `raw`, or the weight of the raw belief in [0, 1]. */
  readonly strength?: string | number;
}

export interface PredictedTicket {
  readonly id: number;
  readonly whites: readonly number[];
  readonly powerball: number;
  /**
   * The strategy's belief in this exact ticket as a multiple of a random ticket's probability
   * (1.10 = "1.10× a random ticket, by this strategy's belief"). Not odds: those are `jackpotOdds`.
   */
  readonly beliefMultiple: number;
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
  /** The belief strength used, and what it costs on the real draws per strategy. */
  readonly strength: {
    readonly label: string;
    /** Strategy → weight of its raw belief (1 − its uniform weight). */
    readonly beliefWeights: Readonly<Record<string, number>>;
    readonly costs: readonly StrengthCost[];
    readonly whyCalibrated: string;
  };
  /** The true odds of every ticket: 1 in this. */
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
    const target = { date: nextScheduledDraw(this.ctx.clock.now()), era: CURRENT_ERA };
    return this.registry.available().map((s) => ({
      name: s.name,
      belief: s.belief,
      shrinkage: s.distribution(draws, target).shrinkage,
    }));
  }

  /**
   * Resolves the draw a set is for: `forDate` (any draw date of the current era, past or future), or
   * the next scheduled draw: the first whose draw time (10:59 pm US Eastern) has not passed.
   * @throws ValidationError (INVALID_DRAW_DATE) when `forDate` is not a draw day of the current era;
   *   InsufficientDataError when no draws are stored.
   */
  targetDate(draws: readonly Draw[], forDate?: string): IsoDate {
    if (draws.length === 0) {
      throw new InsufficientDataError('no draws are stored; run `pbi init` or `pbi draws import FILE` first');
    }
    if (forDate === undefined) return nextScheduledDraw(this.ctx.clock.now());
    const date = parseIsoDate(forDate, '--for-date');
    assertDrawDate(date, null, '--for-date');
    if (eraOf(date) !== CURRENT_ERA) {
      throw new ValidationError(
        `${date} is not in the current era (predictions use the rules in force since ${CURRENT_ERA.from})`,
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
    const strength = parseStrength(request.strength);
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
    const { history, notes } = historyBefore(draws, date, this.ctx.clock.now());

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
      strategy = this.registry.ensembleAt(weights, strength);
    } else {
      strategy = this.registry.getAt(strategyName, strength);
      weights = { [strategyName]: 1 };
      weightsSource = 'single';
    }
    const d = strategy.distribution(history, target);
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
      strength: strengthLabel(strength),
      notes: [
        `strategy ${strategyName}`,
        `strength ${strengthLabel(strength)}`,
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
        whites: t.whites,
        powerball: t.powerball,
        beliefMultiple: beliefMultiple(t.probability, CURRENT_ERA),
        contributions: t.contributions,
      })),
      strength: strengthReport(
        strength,
        components.map((c) => c.name as StrategyName),
        components.map((c) => 1 - c.distribution.shrinkage.uniformWeight),
      ),
      jackpotOdds: JACKPOT_ODDS,
      notice: ODDS_NOTICE,
      notes,
    };
  }
}

/** The strength used, each strategy's raw-belief weight and what it cost on the real draws. */
function strengthReport(
  strength: Strength,
  names: readonly StrategyName[],
  beliefWeights: readonly number[],
): PredictionReport['strength'] {
  return {
    label: strengthLabel(strength),
    beliefWeights: Object.fromEntries(names.map((n, i) => [n, beliefWeights[i] as number])),
    costs: names.map((n) => strengthCost(strength, n)),
    whyCalibrated: WHY_CALIBRATED,
  };
}

/**
 * The draws a set for `date` may use (only those before it: a set for a past draw never sees its
 * result) and what the user should know about them (a past target, missing scheduled draws).
 */
function historyBefore(
  draws: readonly Draw[],
  date: IsoDate,
  now: Date,
): { history: readonly Draw[]; notes: string[] } {
  const notes: string[] = [];
  const before = draws.findIndex((d) => d.date >= date);
  const history = before === -1 ? draws : draws.slice(0, before);
  if (before !== -1) {
    notes.push(
      `${date} is in the past: this set uses only the ${history.length.toLocaleString('en-US')} draws before it` +
        (draws[before]?.date === date ? '; `pbi evaluate` scores it against the stored result' : ''),
    );
  }
  const missing = missingDrawsNotice(missingScheduledDraws(draws.at(-1)?.date ?? null, now));
  if (missing) notes.push(missing);
  return { history, notes };
}
