import { describe, expect, it } from 'vitest';
import { createRecencyStrategy } from '../../src/strategies/recency.js';
import { history } from './helpers.js';
import { runStrategyConformance } from './strategy-conformance.js';

runStrategyConformance({ create: () => createRecencyStrategy() });

describe('recency strategy', () => {
  it('weighs the latest draw more than an old one with the same count', () => {
    const rows = [[1, 2, 3, 4, 5, 1]];
    for (let i = 0; i < 30; i++) rows.push([20, 21, 22, 23, 24, 2]);
    rows.push([60, 61, 62, 63, 64, 26]);
    const { draws, next } = history(rows);
    const d = createRecencyStrategy({ uniformWeight: 0 }).distribution(draws, next);
    expect(d.whites[60]).toBeGreaterThan(d.whites[1] as number);
    expect(d.powerball[26]).toBeGreaterThan(d.powerball[1] as number);
  });
});
