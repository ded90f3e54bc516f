/**
 * The model registry's contract (DESIGN §4, STYLE §5, in MLflow's shape): a registered model has
 * numbered versions; each version holds its hyperparameters, feature names, per-fold CV metrics
 * (with baselines), training duration, seed and the serialized model (opaque bytes the ml layer
 * writes and reads). At most one version of a model is active.
 */
import type { JsonObject } from '../domain/json.js';
import type { FoldMetrics } from '../domain/fold-metrics.js';

/** Where a version came from. */
export type ModelSource = 'trained' | 'migrated';

/** What the data a version was trained on was (for the record; optional). */
export interface TrainingDataInfo {
  readonly rows: number;
  readonly firstDate?: string;
  readonly lastDate?: string;
}

export interface RegisterModelVersionRequest {
  /** Registered model name, e.g. `ridge` (letters, digits, `_`, `-`, `.`; 1–64 chars). */
  readonly name: string;
  /** The kind of fitted model in the artifact, e.g. `ridge`, `random_forest`, `sklearn_pipeline`. */
  readonly kind: string;
  readonly hyperparameters: JsonObject;
  /** Feature names in column order (`x0..xN` for legacy models). */
  readonly featureNames: readonly string[];
  /** Per-fold CV metrics; may be empty (e.g. a migrated model never cross-validated here). */
  readonly folds: readonly FoldMetrics[];
  readonly trainingDurationMs: number | null;
  /** Seed of every random choice made in training; null when unknown (migrated). */
  readonly seed: number | null;
  /** The serialized model (opaque to the store). */
  readonly artifact: Uint8Array;
  /** Defaults to `trained`. */
  readonly source?: ModelSource;
  /** UTC ISO-8601 timestamp. */
  readonly createdAt: string;
  /** Make this the active version. The first version of a model is made active unless `keepInactive`. */
  readonly activate?: boolean;
  /** Register inactive even as the model's first version (it did not earn its place). */
  readonly keepInactive?: boolean;
  readonly trainingData?: TrainingDataInfo;
  readonly notes?: string;
  /** Anything else worth keeping (e.g. the legacy artifact path). */
  readonly extra?: JsonObject;
}

/** One version's record, without its artifact bytes. */
export interface ModelVersionInfo {
  readonly name: string;
  readonly version: number;
  readonly kind: string;
  readonly active: boolean;
  readonly source: ModelSource;
  readonly createdAt: string;
  readonly hyperparameters: JsonObject;
  readonly featureNames: readonly string[];
  readonly folds: readonly FoldMetrics[];
  /** Mean of each metric over the folds (empty when there are no folds). */
  readonly meanMetrics: Readonly<Record<string, number>>;
  readonly trainingDurationMs: number | null;
  readonly seed: number | null;
  readonly artifactBytes: number;
  readonly trainingData: TrainingDataInfo | null;
  readonly notes: string | null;
  readonly extra: JsonObject | null;
}

/** A version with its artifact, ready to deserialize. */
export interface LoadedModel extends ModelVersionInfo {
  readonly artifact: Uint8Array;
}

export interface ModelSummary {
  readonly name: string;
  readonly createdAt: string;
  readonly versions: number;
  readonly latestVersion: number | null;
  readonly activeVersion: number | null;
  /** Kind and mean metrics of the active version. */
  readonly activeKind: string | null;
  readonly activeMeanMetrics: Readonly<Record<string, number>>;
}

export interface ModelDetails {
  readonly model: ModelSummary;
  /** Newest first. */
  readonly versions: readonly ModelVersionInfo[];
}

export interface ModelPerformance {
  readonly name: string;
  /** Every version, oldest first, with its per-fold metrics and their means. */
  readonly versions: readonly {
    readonly version: number;
    readonly active: boolean;
    readonly kind: string;
    readonly createdAt: string;
    readonly trainingDurationMs: number | null;
    readonly folds: readonly FoldMetrics[];
    readonly meanMetrics: Readonly<Record<string, number>>;
    /** Baseline name → mean of each of its metrics over the folds. */
    readonly meanBaselines: Readonly<Record<string, Readonly<Record<string, number>>>>;
  }[];
}

export interface PruneRequest {
  /** Only this model (all models when omitted). */
  readonly name?: string;
  /** Keep this many newest versions of each model (≥ 0); the active one is always kept. */
  readonly keep: number;
  /** Also delete versions that stored prediction sets refer to. */
  readonly force?: boolean;
}

export interface PruneReport {
  readonly deleted: readonly { readonly name: string; readonly version: number }[];
  /** Versions beyond `keep` that were kept, and why. */
  readonly kept: readonly { readonly name: string; readonly version: number; readonly reason: string }[];
}

/** A reference to one model version. */
export interface ModelRef {
  readonly name: string;
  readonly version: number;
}

/** The registry (store.models). */
export interface ModelRegistry {
  /**
   * Registers the next version (max + 1, decided inside the write transaction).
   * @throws ValidationError naming the field (`name`, `featureNames[2]`, `folds[0].metrics.mae`, …).
   */
  registerModelVersion(request: RegisterModelVersionRequest): ModelVersionInfo;
  /** @throws NotFoundError when the model, the version, or an active version does not exist. */
  loadModel(name: string, version: number | 'active'): LoadedModel;
  /** The record without artifact bytes. @throws NotFoundError. */
  getVersion(name: string, version: number | 'active'): ModelVersionInfo;
  /** Makes one version the active one (and no other). @throws NotFoundError. */
  activate(name: string, version: number): ModelVersionInfo;
  /** Deletes old versions, never the active one, nor referenced ones unless forced. @throws NotFoundError for an unknown `name`. */
  prune(request: PruneRequest): PruneReport;
  /** @throws NotFoundError. */
  modelPerformance(name: string): ModelPerformance;
  listModels(): ModelSummary[];
  /** @throws NotFoundError. */
  showModel(name: string): ModelDetails;
}
