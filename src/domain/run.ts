/**
 * Experiments and their tracked runs (MLflow's tracking entities in miniature): what the store
 * returns, the experiment service records, and `pbi runs` / `/api/runs` show.
 */
import type { ParamValue } from './params.js';

export type RunStatus = 'running' | 'finished' | 'failed';
export type RunKind = 'train' | 'trial' | 'search';

export interface Experiment {
  readonly id: number;
  readonly name: string;
  readonly createdAt: string;
  readonly runCount: number;
}

/** One point of a metric's history. */
export interface MetricPoint {
  readonly key: string;
  readonly step: number;
  /** `null` when the value was not finite (a diverged fit), so JSON stays valid. */
  readonly value: number | null;
  readonly timestamp: string;
}

export interface Run {
  readonly id: number;
  readonly experiment: string;
  readonly parentRunId: number | null;
  readonly kind: RunKind;
  readonly modelName: string;
  readonly status: RunStatus;
  readonly error: string | null;
  readonly seed: number | null;
  /** sha256 (hex) of the draw history the run saw. */
  readonly dataDigest: string | null;
  readonly nDraws: number | null;
  readonly features: readonly string[];
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly durationMs: number | null;
  /** The model version (model registry) this run produced, if any. */
  readonly modelVersion: number | null;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly tags: Readonly<Record<string, string>>;
  /** The summary value of each metric key: its value at the highest step. */
  readonly metrics: Readonly<Record<string, number | null>>;
}

export interface RunPage {
  readonly runs: readonly Run[];
  /** Offset of the next page, or null when this is the last. */
  readonly nextOffset: number | null;
}

/** A condition on a run's summary metric, e.g. `mae < 10.5` (`pbi runs list --where`, `?where=`). */
export interface MetricFilter {
  readonly key: string;
  readonly op: '<' | '<=' | '>' | '>=' | '=';
  readonly value: number;
}
