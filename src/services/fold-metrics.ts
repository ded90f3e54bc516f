/**
 * Per-fold records in the registry's shape, the same for `pbi train` and tuning trials: `mae`,
 * `mae_w1`…`mae_pb`, and the same keys for the two baselines (`training_mean`: the mean of each
 * target over the fold's training rows; `order_statistics`: the expected sorted draw of a uniformly
 * random ticket of the era).
 */
import type { CrossValidationResult } from '../ml/cv.js';
import type { FoldMetrics } from '../domain/fold-metrics.js';

/** Short names of the six targets, as used in metric keys (`mae_w1` … `mae_pb`). */
export const TARGET_KEYS = ['w1', 'w2', 'w3', 'w4', 'w5', 'pb'] as const;

/**
 * Metric keys of one score: `mae` and one `mae_<target>` per output the CV scored. An output beyond
 * the six targets is `mae_y<k>`; a missing output has no key (never an undefined value).
 */
function maeMetrics(overall: number, perTarget: readonly number[]): Record<string, number> {
  const out: Record<string, number> = { mae: overall };
  perTarget.forEach((v, k) => (out[`mae_${TARGET_KEYS[k] ?? `y${k}`}`] = v));
  return out;
}

/** The registry's fold records from a CV result. */
export function toFoldMetrics(cv: CrossValidationResult): FoldMetrics[] {
  return cv.folds.map((f) => {
    const baselines: Record<string, Record<string, number>> = {
      training_mean: maeMetrics(f.baselines.trainMean.overall, f.baselines.trainMean.mae),
    };
    if (f.baselines.constant)
      baselines.order_statistics = maeMetrics(f.baselines.constant.overall, f.baselines.constant.mae);
    return {
      fold: f.fold,
      trainSize: f.trainSize,
      testSize: f.testSize,
      metrics: maeMetrics(f.overall, f.mae),
      baselines,
    };
  });
}
