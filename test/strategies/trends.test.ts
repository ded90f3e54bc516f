import { describe, expect, it } from 'vitest';
import { createTrendsStrategy } from '../../src/strategies/trends.js';
import { history } from './helpers.js';
import { runStrategyConformance } from './strategy-conformance.js';

runStrategyConformance({ create: () => createTrendsStrategy() });

describe('trends strategy', () => {
  it('favours a number rising in the recent window over one that faded', () => {
    const rows: number[][] = [];
    // 100 old draws where 10 is common, then 50 recent draws where 40 is common.
    for (let i = 0; i < 100; i++)
      rows.push([10, 11 + (i % 5), 20 + (i % 7), 50 + (i % 9), 60 + (i % 9), 1 + (i % 26)]);
    for (let i = 0; i < 50; i++)
      rows.push([40, 11 + (i % 5), 20 + (i % 7), 50 + (i % 9), 60 + (i % 9), 1 + (i % 26)]);
    const { draws, next } = history(rows);
    const d = createTrendsStrategy({ uniformWeight: 0 }).distribution(draws, next);
    expect(d.whites[40]).toBeGreaterThan(d.whites[10] as number);
    expect(d.whites[40]).toBeGreaterThan(1 / 69);
    expect(d.whites[10]).toBeLessThan(1 / 69);
  });
});
