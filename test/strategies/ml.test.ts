import { describe, expect, it } from 'vitest';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import {
  createMlStrategy,
  gaussianKernel,
  type MlPredictor,
  modelOutputsToBelief,
} from '../../src/strategies/ml.js';
import { argmax, history, historyMeanPredictor } from './helpers.js';
import { runStrategyConformance } from './strategy-conformance.js';

runStrategyConformance({ create: () => createMlStrategy(historyMeanPredictor) });

describe('ml strategy', () => {
  it('puts a bump where each predicted order statistic is, as wide as its CV error', () => {
    const target = { date: '2026-08-08' as never, era: CURRENT_ERA };
    const b = modelOutputsToBelief(
      [{ name: 'm', version: 1, outputs: [5, 20, 35, 50, 62, 10], cvMae: [1, 1, 1, 1, 1, 1] }],
      target,
    );
    for (const peak of [5, 20, 35, 50, 62]) {
      expect(b.whites[peak]).toBeGreaterThan(b.whites[peak + 6] as number);
      expect(b.whites[peak]).toBeGreaterThan(b.whites[peak - 4] as number);
    }
    expect(argmax(b.powerball)).toBe(10);
    const wide = modelOutputsToBelief(
      [{ name: 'm', version: 1, outputs: [5, 20, 35, 50, 65, 10], cvMae: [9, 9, 9, 9, 9, 9] }],
      target,
    );
    expect(wide.powerball[10]).toBeLessThan(b.powerball[10] as number);
  });

  it('never concentrates on one rounded ticket: every number keeps probability', () => {
    const { draws, next } = history([[10, 20, 30, 40, 50, 5]]);
    const d = createMlStrategy(historyMeanPredictor).distribution(draws, next);
    for (let n = 1; n <= 69; n++) expect(d.whites[n]).toBeGreaterThan((0.5 / 69) * d.shrinkage.uniformWeight);
  });

  it('averages several models', () => {
    const target = { date: '2026-08-08' as never, era: CURRENT_ERA };
    const one = (pb: number) => ({
      name: `m${pb}`,
      version: 1,
      outputs: [10, 20, 30, 40, 50, pb],
      cvMae: [2, 2, 2, 2, 2, 1],
    });
    const b = modelOutputsToBelief([one(8), one(20)], target);
    expect(b.powerball[8]).toBeCloseTo(b.powerball[20] as number, 6);
  });

  it('passes predictor errors through (no model trained)', () => {
    const failing: MlPredictor = {
      predict() {
        throw new Error('no trained model: run `pbi train`');
      },
    };
    const { draws, next } = history([[10, 20, 30, 40, 50, 5]]);
    expect(() => createMlStrategy(failing).distribution(draws, next)).toThrow(/pbi train/);
  });

  it('gaussianKernel is a normalized bump', () => {
    const k = gaussianKernel(30, 4, 69);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(argmax(k)).toBe(30);
  });
});
