/**
 * Generating prediction sets (`pbi predict`, DESIGN §3): a strategy's (or the weighted ensemble's)
 * distribution for the next real draw, seeded sampling of distinct tickets, each stored with its
 * probability under that distribution and each strategy's contribution, through the store's one
 * interface.
 * The strategies themselves, with their caches, come from the StrategyCatalog
 * (strategy-catalog.ts) that prediction, evaluation and backtests share.
 */
import {
  assertDrawDate,
  missingDrawsNotice,
  missingScheduledDraws,
  nextScheduledDraw,
} from '../domain/calendar.js';
import { dateField, type IsoDate } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, eraOf } from '../domain/eras.js';
import { checkField, FieldError, InsufficientDataError } from '../domain/errors.js';
import { beliefMultiple } from '../domain/belief.js';
import { said, type Said } from '../domain/hints.js';
import { JACKPOT_ODDS } from '../domain/prizes.js';
import { Rng } from '../ml/rng.js';
import { contributions, sampleTickets } from '../strategies/index.js';
import { PREDICT_STRATEGIES, type PredictStrategyName, type StrategyName } from '../domain/strategy-names.js';
import type { CompositeDistribution, Shrinkage, Strategy } from '../strategies/strategy.js';
import {
  parseStrength,
  type Strength,
  type StrengthCost,
  strengthCost,
  strengthLabel,
  WHY_CALIBRATED,
} from '../strategies/strength.js';
import type { ServiceContext } from './context.js';
import { type ActiveModel, StrategyCatalog, type StrategyCatalogParts } from './strategy-catalog.js';
import { checkSeed } from '../domain/limits.js';

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
  readonly notes: readonly Said[];
}

const MAX_COUNT = 100;

/**
 * Parses a strategy name.
 * @throws FieldError naming request field `field` and the choices.
 */
export function parseStrategyName(value: string, field = 'strategy'): PredictStrategyName {
  if (!(PREDICT_STRATEGIES as readonly string[]).includes(value)) {
    throw new FieldError(
      (n) => `${n(field)} must be one of ${PREDICT_STRATEGIES.join(', ')}, got "${value}"`,
      [{ where: field, reason: 'unknown strategy' }],
    );
  }
  return value as PredictStrategyName;
}

export class PredictionService {
  /** Shared with evaluation and backtests (one set of strategies and caches per service). */
  readonly catalog: StrategyCatalog;

  constructor(
    private readonly ctx: ServiceContext<'predictions' | StrategyCatalogParts>,
    catalog?: StrategyCatalog,
  ) {
    this.catalog = catalog ?? new StrategyCatalog(ctx);
  }

  /**
   * The weights the weighted strategy mixes with now: learned (or the defaults), over the available
   * strategies.
   */
  weights(): ReturnType<StrategyCatalog['weights']> {
    return this.catalog.weights();
  }

  /** The names of the strategies `pbi predict` accepts. */
  static readonly strategyNames: readonly PredictStrategyName[] = PREDICT_STRATEGIES;

  /** Every strategy with its belief and shrinkage (ml only when a model is active). */
  describeStrategies(): StrategyInfo[] {
    const draws = this.catalog.draws();
    const target = { date: nextScheduledDraw(this.ctx.clock.now()), era: CURRENT_ERA };
    return this.catalog.available().map((s) => ({
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
      throw new InsufficientDataError(said`no draws are stored; ${{ kind: 'load-history' }}`);
    }
    if (forDate === undefined) return nextScheduledDraw(this.ctx.clock.now());
    const date = dateField('forDate', forDate);
    checkField('forDate', () => assertDrawDate(date, null));
    if (eraOf(date) !== CURRENT_ERA) {
      throw new FieldError(
        () =>
          `${date} is not in the current era (predictions use the rules in force since ${CURRENT_ERA.from})`,
        [{ where: 'forDate', reason: 'not current era' }],
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
    const count = parseCount(request.count);
    const strategyName = parseStrategyName(request.strategy ?? 'weighted');
    const strength = parseStrength(request.strength);
    if (request.seed !== undefined) checkSeed(request.seed);
    const seed = request.seed ?? this.ctx.clock.now().getTime() % 4294967296;
    const draws = this.catalog.draws();
    const date = this.targetDate(draws, request.forDate);
    const target = { date, era: CURRENT_ERA };
    const { history, notes } = historyBefore(draws, date, this.ctx.clock.now());

    let strategy: Strategy;
    let weights: Record<string, number>;
    let weightsSource: PredictionReport['weightsSource'];
    if (strategyName === 'weighted') {
      const w = this.catalog.weights();
      if (w.renormalizedWithoutMl) {
        notes.push(
          said`ml left out (${this.catalog.mlAvailability().notes[0] ?? 'no active model'}); the other weights were renormalized to sum to 1`,
        );
      }
      weights = w.weights;
      weightsSource = w.learned ? 'learned' : 'default';
      strategy = this.catalog.ensembleAt(weights, strength);
    } else {
      strategy = this.catalog.getAt(strategyName, strength);
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
    const mlModels = usesMl ? this.catalog.mlAvailability().models : [];
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
        const s = c.name === 'ml' ? this.catalog.get('ml') : this.catalog.get(c.name as StrategyName);
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
): { history: readonly Draw[]; notes: Said[] } {
  const notes: Said[] = [];
  const before = draws.findIndex((d) => d.date >= date);
  const history = before === -1 ? draws : draws.slice(0, before);
  if (before !== -1) {
    notes.push(
      said`${date} is in the past: this set uses only the ${history.length.toLocaleString('en-US')} draws before it${
        draws[before]?.date === date ? said`; ${{ kind: 'evaluate' }} against the stored result` : ''
      }`,
    );
  }
  const missing = missingDrawsNotice(missingScheduledDraws(draws.at(-1)?.date ?? null, now));
  if (missing) notes.push(missing);
  return { history, notes };
}

/** The number of tickets asked for (default 5). */
function parseCount(requested: number | undefined): number {
  const count = requested ?? 5;
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new FieldError(
      (n) => `${n('count')} must be a whole number from 1 to ${MAX_COUNT}, got ${count}`,
      [{ where: 'count', reason: `expected 1 to ${MAX_COUNT}` }],
    );
  }
  return count;
}
