/**
 * Fold records are written by one function for `pbi train` and tuning trials. The two copies it
 * replaced differed when a model has other than six outputs: training's wrote `mae_w1`…`mae_pb`
 * whatever the outputs (undefined values for missing ones, nothing for extra ones); the tuning copy
 * named every output it scored. The kept rule: a key per scored output, never an undefined value.
 */
import { describe, expect, it } from 'vitest';
import { crossValidate } from '../../src/ml/cv.js';
import type { DenseMatrix } from '../../src/ml/matrix.js';
import { RidgeRegressor } from '../../src/ml/ridge.js';
import { TARGET_KEYS, toFoldMetrics } from '../../src/services/fold-metrics.js';

/** 40 rows of 3 features and `outputs` targets, each a different linear function plus a wiggle. */
function data(outputs: number): { x: DenseMatrix; y: DenseMatrix } {
  const rows = 40;
  const x = new Float64Array(rows * 3);
  const y = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < 3; c++) x[r * 3 + c] = Math.sin(r * (c + 1));
    for (let o = 0; o < outputs; o++) y[r * outputs + o] = (o + 1) * (x[r * 3] as number) + Math.cos(r + o);
  }
  return { x: { rows, cols: 3, data: x }, y: { rows, cols: outputs, data: y } };
}

function keysOf(outputs: number): { metrics: string[]; baseline: string[]; values: unknown[] } {
  const { x, y } = data(outputs);
  const folds = toFoldMetrics(crossValidate(new RidgeRegressor({ alpha: 1 }), x, y, { folds: 3, seed: 1 }));
  expect(folds).toHaveLength(3);
  const f = folds[0]!;
  return {
    metrics: Object.keys(f.metrics),
    baseline: Object.keys(f.baselines?.training_mean ?? {}),
    values: folds.flatMap((g) => [
      ...Object.values(g.metrics),
      ...Object.values(g.baselines?.training_mean ?? {}),
    ]),
  };
}

describe('toFoldMetrics', () => {
  it('six outputs: mae and mae_w1 … mae_pb for the model and the training-mean baseline', () => {
    const k = keysOf(6);
    expect(k.metrics).toEqual(['mae', ...TARGET_KEYS.map((t) => `mae_${t}`)]);
    expect(k.baseline).toEqual(k.metrics);
    for (const v of k.values) expect(Number.isFinite(v)).toBe(true);
  });

  it('fewer outputs: a key per scored output and no undefined value', () => {
    const k = keysOf(2);
    expect(k.metrics).toEqual(['mae', 'mae_w1', 'mae_w2']);
    for (const v of k.values) expect(Number.isFinite(v)).toBe(true);
  });

  it('more outputs: the extra one is named mae_y6, not dropped', () => {
    expect(keysOf(7).metrics).toEqual(['mae', ...TARGET_KEYS.map((t) => `mae_${t}`), 'mae_y6']);
  });
});
