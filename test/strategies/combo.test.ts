import { describe, expect, it } from 'vitest';
import { createComboStrategy } from '../../src/strategies/combo.js';
import { argmax, history } from './helpers.js';
import { runStrategyConformance } from './strategy-conformance.js';

runStrategyConformance({ create: () => createComboStrategy() });

describe('combo strategy', () => {
  it('favours the number that co-occurred with the latest draw, and the Powerball that followed its Powerball', () => {
    const { draws, next } = history([
      [1, 2, 3, 33, 44, 5],
      [6, 7, 8, 9, 10, 12],
      [1, 2, 3, 33, 50, 5],
      [11, 12, 13, 14, 15, 12],
      [1, 2, 20, 21, 22, 5], // latest: 1 and 2 came with 3 and 33 before
    ]);
    const d = createComboStrategy({ uniformWeight: 0 }).distribution(draws, next);
    const top = argmax(d.whites);
    expect([3, 33]).toContain(top);
    expect(d.whites[3]).toBeGreaterThan(d.whites[44] as number);
    expect(argmax(d.powerball)).toBe(12); // 5 was followed by 12 twice
  });
});
