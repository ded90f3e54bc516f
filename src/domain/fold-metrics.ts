/**
 * One cross-validation fold of a model version: what training records, the store keeps with the
 * version, and `pbi models show` prints.
 */

/** Metrics of one walk-forward CV fold. */
export interface FoldMetrics {
  /** 0-based fold number, in time order. */
  readonly fold: number;
  /** Rows trained on and tested on. */
  readonly trainSize?: number;
  readonly testSize?: number;
  /** Metric name → value, e.g. `{ mae: 12.3, mae_white_1: 4.1 }`. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Baseline name → its metrics on the same fold, e.g. `{ mean: { mae: 13.0 } }`. */
  readonly baselines?: Readonly<Record<string, Readonly<Record<string, number>>>>;
}
