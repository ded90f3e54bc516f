/**
 * Prediction sets and their predictions (DESIGN §4): one request/response per use case. A set holds
 * any number of tickets from 1 up, each valid for the era of the set's target draw date, and is
 * stored all-or-nothing. Every field of the legacy `model_predictions` and `prediction_sets` tables
 * has a home here, so a migrated row loses nothing.
 */
import type { IsoDate } from '../domain/dates.js';
import type { Whites } from '../domain/ticket.js';
import type { JsonObject, JsonValue } from '../domain/json.js';
import type { ModelRef } from './model-registry-types.js';
import type { Page } from '../domain/page.js';

/** Fields of a legacy prediction row with no other home (all optional). */
export interface LegacyPredictionFields {
  /** `model_predictions.id`. */
  readonly id?: number;
  /** `model_predictions.model_name` (when it differs from the set's source). */
  readonly modelName?: string;
  /** `model_predictions.prediction_id` / history `prediction_id`. */
  readonly predictionId?: string;
  /** The row's own `created_at` / `timestamp`, as found. */
  readonly createdAt?: string;
  /** `model_predictions.version` (text such as `1.0`). */
  readonly version?: string;
  readonly isActive?: boolean;
  readonly featuresUsed?: JsonValue;
  readonly hyperparameters?: JsonValue;
  readonly performanceMetrics?: JsonValue;
  /** Anything else (history `sources`, `analysis`, the raw `white_numbers` text …). */
  readonly extra?: JsonObject;
}

/** Fields of a legacy `prediction_sets` row with no other home. */
export interface LegacySetFields {
  /** `prediction_sets.id`. */
  readonly id?: number;
  /** `prediction_sets.total_predictions` as recorded (may disagree with the rows found). */
  readonly totalPredictions?: number;
  /** `prediction_sets.model_artifact_path`. */
  readonly modelArtifactPath?: string;
  /** The set's `created_at` as found. */
  readonly createdAt?: string;
  readonly extra?: JsonObject;
}

export interface TicketInput {
  /** Five distinct whites (any order; stored ascending). */
  readonly whites: readonly number[];
  readonly powerball: number;
  /** The model's probability of this exact ticket, in [0, 1]. */
  readonly probability: number;
  /** Strategy or tool → its share in this ticket. */
  readonly contributions?: Readonly<Record<string, number>>;
  readonly legacy?: LegacyPredictionFields;
}

export interface StorePredictionsRequest {
  /** Generated when omitted (`set_<UTC timestamp>_<random hex>`). Unique. */
  readonly setId?: string;
  /** Model name or strategy that produced the set (legacy `model_name`). */
  readonly source: string;
  /** The registered model version used, if any (must exist; protects it from pruning). */
  readonly model?: ModelRef;
  /** The draw the set is for; tickets are checked against its era. */
  readonly targetDrawDate: IsoDate;
  /** UTC ISO-8601. */
  readonly createdAt: string;
  /** Seed of the sampling; null when unknown (migrated). */
  readonly seed: number | null;
  /** Strategy → weight used (empty when not a weighted set). */
  readonly weights: Readonly<Record<string, number>>;
  readonly trainingDurationMs?: number;
  readonly notes?: string;
  /** Belief strength used: `calibrated`, `raw` or a number in [0, 1] as text. */
  readonly strength?: string;
  /** Default true: becomes the source's current set and the previous current one stops being current. */
  readonly current?: boolean;
  readonly legacy?: LegacySetFields;
  /** At least one. */
  readonly tickets: readonly TicketInput[];
}

export interface StorePredictionsResponse {
  readonly setId: string;
  /** Ids of the stored predictions, in ticket order. */
  readonly predictionIds: readonly number[];
}

export interface StoredTicket {
  readonly id: number;
  /** 0-based order within the set. */
  readonly position: number;
  readonly whites: Whites;
  readonly powerball: number;
  readonly probability: number;
  readonly contributions: Readonly<Record<string, number>> | null;
  readonly legacy: LegacyPredictionFields | null;
}

export interface PredictionSet {
  readonly setId: string;
  readonly source: string;
  readonly model: ModelRef | null;
  readonly targetDrawDate: IsoDate;
  readonly createdAt: string;
  readonly isCurrent: boolean;
  readonly total: number;
  readonly seed: number | null;
  readonly weights: Readonly<Record<string, number>>;
  readonly trainingDurationMs: number | null;
  readonly notes: string | null;
  /** Belief strength used; null for sets stored before strengths were recorded, and legacy sets. */
  readonly strength: string | null;
  readonly legacy: LegacySetFields | null;
  readonly tickets: readonly StoredTicket[];
}

/** A prediction with the facts of its set. */
export interface StoredPrediction extends StoredTicket {
  readonly setId: string;
  readonly source: string;
  readonly targetDrawDate: IsoDate;
  readonly createdAt: string;
  readonly isCurrent: boolean;
}

/** Filters shared by set and prediction queries; all optional, combined with AND. */
export interface PredictionFilter {
  readonly setId?: string;
  readonly source?: string;
  readonly currentOnly?: boolean;
  /** created_at ≥ from (inclusive), UTC ISO-8601 or YYYY-MM-DD. */
  readonly createdFrom?: string;
  /** created_at < to (exclusive). */
  readonly createdTo?: string;
  readonly targetDrawDate?: IsoDate;
}

export interface PageRequest {
  /** 1–1000, default 100. */
  readonly limit?: number;
  /** ≥ 0, default 0. */
  readonly offset?: number;
}

export type PredictionQuery = PredictionFilter & PageRequest;

/** Newest sets first; predictions in set order within a set. */
export interface PredictionStore {
  /**
   * Validates and stores one set all-or-nothing.
   * @throws ValidationError (code INVALID_INPUT / INVALID_NUMBERS) naming the field, e.g. `tickets[2].whites[0]`;
   * ConflictError when `setId` exists; NotFoundError when `model` is not registered.
   */
  storePredictions(request: StorePredictionsRequest): StorePredictionsResponse;
  /** Predictions matching the query, newest set first. @throws ValidationError for a bad query field. */
  findPredictions(query: PredictionQuery): Page<StoredPrediction>;
  /** Sets (with their tickets) matching the query, newest first. @throws ValidationError. */
  findSets(query: PredictionQuery): Page<PredictionSet>;
  /** True when a set with this id is stored. */
  hasSet(setId: string): boolean;
  /** The current set of a source, or null. */
  currentSet(source: string): PredictionSet | null;
  /** @throws NotFoundError. */
  getSet(setId: string): PredictionSet;
  /** Number of sets and predictions stored. */
  counts(): { readonly sets: number; readonly predictions: number };
}
