import { describe, expect, it } from 'vitest';
import { UNIFORM_WEIGHT } from '../../src/strategies/calibration.js';
import { createFrequencyStrategy } from '../../src/strategies/frequency.js';
import { argmax, history } from './helpers.js';
import { runStrategyConformance } from './strategy-conformance.js';

runStrategyConformance({ create: () => createFrequencyStrategy() });

describe('frequency strategy', () => {
  it('favours the most drawn white and Powerball, each in its own pool', () => {
    const { draws, next } = history([
      [7, 20, 30, 40, 50, 3],
      [7, 21, 31, 41, 51, 3],
      [7, 22, 32, 42, 52, 9],
    ]);
    const d = createFrequencyStrategy().distribution(draws, next);
    expect(argmax(d.whites)).toBe(7);
    expect(argmax(d.powerball)).toBe(3);
    expect(d.whites[3]).toBeCloseTo(d.whites[1] as number, 15); // PB 3 does not lift white 3
  });

  it('shrinks toward uniform by the calibrated weight, and not at all with λ = 0', () => {
    const { draws, next } = history([[7, 20, 30, 40, 50, 3]]);
    const d = createFrequencyStrategy().distribution(draws, next);
    expect(d.shrinkage.uniformWeight).toBe(UNIFORM_WEIGHT.frequency);
    expect(d.shrinkage.description).toMatch(/95\.0% uniform/);
    // Raw: (1+1)/(5+69) for a drawn white; shrunk: (1−λ)·raw + λ/69.
    const raw = 2 / 74;
    expect(d.whites[7]).toBeCloseTo(0.05 * raw + 0.95 / 69, 12);
    const unshrunk = createFrequencyStrategy({ uniformWeight: 0 }).distribution(draws, next);
    expect(unshrunk.whites[7]).toBeCloseTo(raw, 12);
  });
});
