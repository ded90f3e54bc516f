/**
 * What evaluation keeps (DESIGN §3–4): scores of stored predictions against real draws, and the
 * history of strategy weights. Both are idempotent: re-running evaluation adds nothing.
 */
import type { IsoDate } from '../domain/dates.js';
import type { PrizeTier } from '../domain/prizes.js';
import type { StoredPrediction } from './prediction-types.js';

export interface ScoreInput {
  readonly predictionId: number;
  readonly drawDate: IsoDate;
  readonly whiteMatches: number;
  readonly powerballMatch: boolean;
  /** Null when the ticket won nothing. */
  readonly tier: PrizeTier | null;
  /** Dollars won; null for the jackpot (variable), 0 when nothing. */
  readonly amount: number | null;
  /** UTC ISO-8601 time of scoring. */
  readonly scoredAt: string;
}

export interface StoreScoresResponse {
  /** Scores newly stored. */
  readonly inserted: number;
  /** Scores already stored for that prediction and draw (left as they were). */
  readonly unchanged: number;
}

export interface StoredScore {
  readonly predictionId: number;
  readonly setId: string;
  readonly source: string;
  readonly drawDate: IsoDate;
  readonly whiteMatches: number;
  readonly powerballMatch: boolean;
  readonly tier: PrizeTier | null;
  readonly amount: number | null;
  readonly scoredAt: string;
}

export interface ScoreQuery {
  readonly source?: string;
  readonly setId?: string;
  /** Draw date range, inclusive. */
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

/** The stored scores of one source (strategy or model) summed up. */
export interface ScoreSummary {
  readonly source: string;
  /** Tickets scored, and the draws they were scored on. */
  readonly tickets: number;
  readonly draws: number;
  readonly meanWhiteMatches: number;
  /** Share of tickets that matched the Powerball. */
  readonly powerballHitRate: number;
  /** Dollars won (jackpots not counted). */
  readonly amount: number;
}

/** store.scores */
export interface ScoreStore {
  /**
   * Stores scores; a score already stored for the same prediction and draw is left unchanged.
   * All-or-nothing. @throws ValidationError naming the field (`scores[3].whiteMatches`); NotFoundError
   * for an unknown prediction id.
   */
  storeScores(scores: readonly ScoreInput[]): StoreScoresResponse;
  /**
   * Predictions whose target draw is on or before `upToDate`, whose draw is stored, and that have no
   * score for that draw yet; oldest target first.
   */
  unscoredPredictions(upToDate: IsoDate): StoredPrediction[];
  /** Scores by draw date, oldest first. */
  listScores(query?: ScoreQuery): StoredScore[];
  /** Every source's stored scores summed up (one aggregate query), by source name. */
  summaryBySource(): ScoreSummary[];
}

export interface RecordWeightsRequest {
  /** UTC ISO-8601 time of the update. */
  readonly at: string;
  /** The draw whose result produced these weights; null for initial/default weights. */
  readonly drawDate: IsoDate | null;
  /** Strategy → weight. */
  readonly weights: Readonly<Record<string, number>>;
  /** Why, e.g. `evaluation`, `initial`, `legacy-feedback`. */
  readonly reason: string;
  /** Per-strategy scores that led here (optional). */
  readonly scores?: Readonly<Record<string, number>>;
}

export interface WeightRecord {
  readonly id: number;
  readonly at: string;
  readonly drawDate: IsoDate | null;
  readonly weights: Readonly<Record<string, number>>;
  readonly reason: string;
  readonly scores: Readonly<Record<string, number>> | null;
}

/** store.weights */
export interface WeightStore {
  /**
   * Appends weights unless weights with the same `reason` and `drawDate` are already recorded.
   * @throws ValidationError naming the field (`weights.frequency`).
   */
  recordWeights(request: RecordWeightsRequest): { readonly recorded: boolean; readonly record: WeightRecord };
  /** The newest record (by draw date, then time), or null. */
  latestWeights(): WeightRecord | null;
  /** Oldest first. */
  weightHistory(): WeightRecord[];
}
