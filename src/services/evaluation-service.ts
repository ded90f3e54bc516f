/**
 * `pbi evaluate` (DESIGN §3): scores every stored prediction whose draw is stored (white matches,
 * Powerball match, prize tier and amount) and updates each strategy's weight from how likely it
 * found each such draw, storing the weight history. Idempotent: a second run finds nothing new.
 *
 * The update is multiplicative weights with learning rate 1 on the log-likelihood ratio against
 * uniform: w_k ← w_k · P_k(draw) / P_uniform(draw), renormalized — exactly Bayesian model averaging
 * over the strategies. A strategy that cannot be scored on a draw (ml with no model, or with models
 * trained on that very draw) "sleeps": its weight is kept and the others share the rest.
 */
import { addDays, type IsoDate } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, eraOf } from '../domain/eras.js';
import { NotFoundError } from '../domain/errors.js';
import { said, type Said } from '../domain/hints.js';
import { PRIZE_TIERS, type PrizeTier, scoreTicket } from '../domain/prizes.js';
import { DEFAULT_WEIGHTS, logLikelihoodRatio } from '../strategies/index.js';
import { STRATEGY_NAMES } from '../domain/strategy-names.js';
import type { ServiceContext } from './context.js';
import {
  evaluationComparison,
  type ComparisonPage,
  type EvaluationComparison,
  type LegacyModelSummary,
} from './legacy-accuracy-view.js';
import type { WeightRecord } from '../store/evaluation-types.js';
import { ODDS_NOTICE } from './prediction-service.js';
import type { StrategyCatalog } from './strategy-catalog.js';

/** Reason recorded with every weight update made here. */
export const EVALUATION_REASON = 'evaluation';
/** Learning rate of the multiplicative update (1 = Bayesian model averaging). */
export const LEARNING_RATE = 1;

export interface WeightUpdate {
  readonly drawDate: IsoDate;
  /** Strategy → log-likelihood ratio of the draw against uniform (nats); sleeping strategies absent. */
  readonly scores: Readonly<Record<string, number>>;
  readonly weights: Readonly<Record<string, number>>;
  /** Strategies that could not be scored on this draw, and why. */
  readonly sleeping: readonly string[];
}

export interface EvaluationReport {
  /** Predictions newly scored. */
  readonly scored: number;
  /** Of those, how many won a prize, by tier. */
  readonly tiers: Readonly<Partial<Record<PrizeTier, number>>>;
  /** Dollars won by the newly scored predictions (jackpots not counted). */
  readonly amount: number;
  readonly jackpots: number;
  /** Per draw: the weight update made (oldest first). */
  readonly updates: readonly WeightUpdate[];
  /** The weights after this run (the latest stored). */
  readonly weights: Readonly<Record<string, number>>;
  /** True when the run stored nothing (everything was already evaluated). */
  readonly nothingNew: boolean;
  readonly notes: readonly Said[];
  /** The jackpot odds and that draws are independent (stated by every prediction output). */
  readonly notice: string;
  /**
   * Every stored score per source (the product's own), beside the migrated legacy accuracy per
   * legacy model (labelled legacy; the records themselves are in `comparison()`).
   */
  readonly standings: {
    readonly product: EvaluationComparison['product'];
    readonly legacy: readonly LegacyModelSummary[];
    readonly legacyNotice: string | null;
  };
}

/** How a stored set did once its draw happened (from the stored scores). */
export interface SetScoreSummary {
  readonly setId: string;
  readonly drawDate: IsoDate | null;
  /** Tickets scored so far (0 until `pbi evaluate` ran after the draw). */
  readonly scored: number;
  readonly whiteMatches: number;
  readonly powerballMatches: number;
  /** Tickets that won anything, by tier. */
  readonly tiers: Readonly<Partial<Record<PrizeTier, number>>>;
  /** Dollars won (jackpots not counted). */
  readonly amount: number;
  readonly bestTier: PrizeTier | null;
}

export class EvaluationService {
  constructor(
    private readonly ctx: ServiceContext<'draws' | 'scores' | 'weights' | 'predictions' | 'legacyAccuracy'>,
    private readonly catalog: StrategyCatalog,
  ) {}

  /** Scores and weight updates; see the file comment. */
  evaluate(): EvaluationReport {
    const { store, clock } = this.ctx;
    const latest = store.draws.latest();
    const at = clock.now().toISOString();
    const notes: Said[] = [];
    // 1. Scores.
    const unscored = latest ? store.scores.unscoredPredictions(latest.date) : [];
    const drawsByDate = store.draws.getMany([...new Set(unscored.map((p) => p.targetDrawDate))]);
    const tiers: Partial<Record<PrizeTier, number>> = {};
    let amount = 0;
    let jackpots = 0;
    const scores = unscored.flatMap((p) => {
      const draw = drawsByDate.get(p.targetDrawDate);
      if (!draw) return [];
      const s = scoreTicket(p, draw);
      if (s.tier) tiers[s.tier] = (tiers[s.tier] ?? 0) + 1;
      if (s.tier === '5+PB') jackpots++;
      amount += s.amount ?? 0;
      return [{ predictionId: p.id, drawDate: draw.date, ...s, scoredAt: at }];
    });
    if (scores.length > 0) store.scores.storeScores(scores);

    // 2. Weights, for each draw with predictions not yet used for an update.
    const history = store.weights.weightHistory();
    const lastEvaluated =
      history.filter((r) => r.reason === EVALUATION_REASON && r.drawDate).at(-1)?.drawDate ?? null;
    const dates = [
      ...new Set(
        store.scores
          .listScores(lastEvaluated ? { from: addDays(lastEvaluated, 1) } : {})
          .map((s) => s.drawDate)
          .filter((d) => eraOf(d) === CURRENT_ERA),
      ),
    ].sort();
    let weights: Record<string, number> = {
      ...DEFAULT_WEIGHTS,
      ...(store.weights.latestWeights()?.weights ?? {}),
    };
    const updates: WeightUpdate[] = [];
    if (dates.length > 0) {
      const draws = this.catalog.draws();
      const index = new Map(draws.map((d, i) => [d.date, i] as const));
      const ml = this.catalog.mlAvailability();
      for (const date of dates) {
        const i = index.get(date);
        if (i === undefined) continue;
        const update = this.update(weights, draws, i, ml);
        store.weights.recordWeights({
          at,
          drawDate: date,
          weights: update.weights,
          reason: EVALUATION_REASON,
          scores: update.scores,
        });
        weights = { ...update.weights };
        updates.push(update);
      }
      if (!ml.available)
        notes.push(
          said`ml was not scored: no trained model is active (${{ kind: 'train-model' }}); its weight was kept`,
        );
    }
    return {
      scored: scores.length,
      tiers,
      amount,
      jackpots,
      updates,
      weights,
      nothingNew: scores.length === 0 && updates.length === 0,
      notes,
      notice: ODDS_NOTICE,
      standings: this.standings(),
    };
  }

  /**
   * The product's scores beside the migrated legacy accuracy, with a page of the legacy records,
   * newest draw first (read only).
   */
  comparison(page: ComparisonPage = {}): EvaluationComparison {
    return evaluationComparison(this.ctx.store, page);
  }

  /**
   * Score summaries of the given sets (unscored sets have `scored: 0`).
   * @throws NotFoundError naming the ids of sets that do not exist.
   */
  setScores(setIds: readonly string[]): SetScoreSummary[] {
    const { store } = this.ctx;
    // An unknown id is a mistake to report, not a set that scored nothing.
    const unknown = setIds.filter((id) => !store.predictions.hasSet(id));
    if (unknown.length > 0)
      throw new NotFoundError(
        `no prediction set ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ` (and ${unknown.length - 10} more)` : ''}`,
      );
    return setIds.map((setId) => {
      const scores = store.scores.listScores({ setId });
      const tiers: Partial<Record<PrizeTier, number>> = {};
      let amount = 0;
      for (const s of scores) {
        if (s.tier !== null) tiers[s.tier] = (tiers[s.tier] ?? 0) + 1;
        amount += s.amount ?? 0;
      }
      return {
        setId,
        drawDate: scores[0]?.drawDate ?? null,
        scored: scores.length,
        whiteMatches: scores.reduce((n, s) => n + s.whiteMatches, 0),
        powerballMatches: scores.filter((s) => s.powerballMatch).length,
        tiers,
        amount,
        // PRIZE_TIERS is ordered best first.
        bestTier: PRIZE_TIERS.find((t) => tiers[t.tier] !== undefined)?.tier ?? null,
      };
    });
  }

  /** Every stored weight update, oldest first (the weights history chart). */
  weightHistory(): WeightRecord[] {
    return this.ctx.store.weights.weightHistory();
  }

  private standings(): EvaluationReport['standings'] {
    const c = evaluationComparison(this.ctx.store, { limit: 0 });
    return {
      product: c.product,
      legacy: c.legacy.models,
      legacyNotice: c.legacy.models.length ? c.notice : null,
    };
  }

  private update(
    weights: Readonly<Record<string, number>>,
    draws: readonly Draw[],
    i: number,
    ml: ReturnType<StrategyCatalog['mlAvailability']>,
  ): WeightUpdate {
    const actual = draws[i] as Draw;
    const history = draws.slice(0, i);
    const target = { date: actual.date, era: CURRENT_ERA };
    const scores: Record<string, number> = {};
    const sleeping: string[] = [];
    for (const name of STRATEGY_NAMES) {
      if (name === 'ml') {
        const outOfSample =
          ml.available && ml.models.every((m) => m.trainedThrough !== null && m.trainedThrough < actual.date);
        if (!outOfSample) {
          sleeping.push(ml.available ? 'ml (its models were trained on this draw)' : 'ml (no trained model)');
          continue;
        }
      }
      const d = this.catalog.get(name).distribution(history, target);
      scores[name] = logLikelihoodRatio(d, actual, CURRENT_ERA).total;
    }
    // Awake strategies share their previous total, re-split by w · exp(η · LLR); sleepers keep theirs.
    const awake = Object.keys(scores);
    const awakeTotal = awake.reduce((a, n) => a + (weights[n] ?? 0), 0);
    const raw = awake.map((n) => (weights[n] ?? 0) * Math.exp(LEARNING_RATE * (scores[n] as number)));
    const rawTotal = raw.reduce((a, b) => a + b, 0);
    const next: Record<string, number> = { ...weights };
    awake.forEach(
      (n, k) => (next[n] = rawTotal > 0 ? ((raw[k] as number) / rawTotal) * awakeTotal : (weights[n] ?? 0)),
    );
    const total = Object.values(next).reduce((a, b) => a + b, 0);
    for (const n of Object.keys(next)) next[n] = (next[n] as number) / total;
    return { drawDate: actual.date, scores, weights: next, sleeping };
  }
}
