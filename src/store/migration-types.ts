/**
 * The legacy migration's ledger (DESIGN §5): runs with their reports, a map from legacy record keys
 * to the ids they became (so running twice adds nothing), and legacy accuracy/feedback records that
 * have no other home.
 */
import type { JsonObject, JsonValue } from '../domain/json.js';

export type MigrationRunStatus = 'running' | 'completed' | 'failed';

export interface StartMigrationRunRequest {
  /** The legacy folder migrated. */
  readonly sourceDir: string;
  readonly startedAt: string;
  readonly dryRun: boolean;
}

export interface FinishMigrationRunRequest {
  readonly finishedAt: string;
  readonly status: Exclude<MigrationRunStatus, 'running'>;
  /** The validation report (counts, checksums, skipped records with reasons). */
  readonly report: JsonObject;
}

export interface MigrationRun {
  readonly id: number;
  readonly sourceDir: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: MigrationRunStatus;
  readonly dryRun: boolean;
  readonly report: JsonObject | null;
}

/** What a legacy record became. */
export interface LegacyRecordInput {
  /** Which legacy file or table, e.g. `model_predictions.db:model_predictions`. */
  readonly source: string;
  /** The record's key in that source (unique per source). */
  readonly legacyKey: string;
  /** e.g. `prediction-set`, `model-version`, `accuracy`, `feedback`. */
  readonly kind: string;
  /** The id it became (set id, `name@version`, feedback id …). */
  readonly targetId: string;
  /** Checksum of the legacy record's content. */
  readonly checksum: string;
  readonly runId?: number;
}

export interface LegacyRecord extends LegacyRecordInput {
  readonly migratedAt: string;
}

export type LegacyFeedbackKind = 'accuracy' | 'feedback';

/** A legacy accuracy or tool-feedback entry, kept whole. */
export interface LegacyFeedbackInput {
  readonly kind: LegacyFeedbackKind;
  /** UTC ISO-8601 when known. */
  readonly recordedAt: string | null;
  readonly drawDate: string | null;
  /** The stored prediction it concerns, when it could be matched. */
  readonly predictionId: number | null;
  /** The strategy/tool it concerns (feedback). */
  readonly strategy: string | null;
  readonly payload: JsonValue;
}

export interface LegacyFeedback extends LegacyFeedbackInput {
  readonly id: number;
}

/** store.migrations */
export interface MigrationLedger {
  startMigrationRun(request: StartMigrationRunRequest): MigrationRun;
  /** @throws NotFoundError for an unknown run; ValidationError for a malformed report. */
  finishMigrationRun(runId: number, request: FinishMigrationRunRequest): MigrationRun;
  /** Newest first. */
  listMigrationRuns(): MigrationRun[];
  /** Marks runs whose process died mid-way as failed (interrupted); returns their ids. */
  markInterruptedRuns(at: string): number[];
  /** The record a legacy key became, or null when not migrated yet. */
  findLegacyRecord(source: string, legacyKey: string): LegacyRecord | null;
  /** Every record of a source, keyed by legacy key. */
  legacyRecords(source: string): Map<string, LegacyRecord>;
  /**
   * Records what legacy records became (call inside `store.transaction` with the write it describes).
   * @throws ConflictError when a key is already recorded with another target.
   */
  recordLegacy(records: readonly LegacyRecordInput[], migratedAt: string): void;
  /** Stores legacy accuracy/feedback entries; returns their ids. @throws ValidationError. */
  storeLegacyFeedback(records: readonly LegacyFeedbackInput[]): number[];
  listLegacyFeedback(kind?: LegacyFeedbackKind): LegacyFeedback[];
}
