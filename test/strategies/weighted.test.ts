import { describe, expect, it } from 'vitest';
import { nextDrawDate } from '../../src/domain/calendar.js';
import type { Draw } from '../../src/domain/draw.js';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import { Rng } from '../../src/ml/rng.js';
import { createStrategy } from '../../src/strategies/index.js';
import { sampleTickets } from '../../src/strategies/sampling.js';
import { STRATEGY_NAMES } from '../../src/domain/strategy-names.js';
import { contributions, createWeightedStrategy, DEFAULT_WEIGHTS } from '../../src/strategies/weighted.js';
import { loadBundledDraws } from './bundled-draws.js';
import { historyMeanPredictor } from './helpers.js';
import { runStrategyConformance } from './strategy-conformance.js';

const all = () =>
  createWeightedStrategy(
    STRATEGY_NAMES.map((name) => ({
      strategy: createStrategy(name, { mlPredictor: historyMeanPredictor }),
      weight: DEFAULT_WEIGHTS[name],
    })),
  );

runStrategyConformance({ create: all });

describe('weighted ensemble', () => {
  const draws = loadBundledDraws();
  const target = { date: nextDrawDate((draws[draws.length - 1] as Draw).date), era: CURRENT_ERA };

  it('is the weighted mixture of its components', () => {
    const w = all();
    const d = w.distribution(draws, target);
    for (const n of [1, 17, 69]) {
      let expected = 0;
      for (const c of d.components) expected += c.weight * (c.distribution.whites[n] as number);
      expect(d.whites[n]).toBeCloseTo(expected, 15);
    }
    expect(d.components.map((c) => c.weight)).toEqual(STRATEGY_NAMES.map((n) => DEFAULT_WEIGHTS[n]));
    expect(d.constraint).toBeDefined(); // the sum strategy's range
  });

  it('renormalizes the weights it is given', () => {
    const w = createWeightedStrategy([
      { strategy: createStrategy('frequency'), weight: 2 },
      { strategy: createStrategy('recency'), weight: 6 },
    ]);
    expect(w.components.map((c) => c.weight)).toEqual([0.25, 0.75]);
    expect(() => createWeightedStrategy([])).toThrow();
  });

  it('splits each ticket among its components, shares summing to 1', () => {
    const d = all().distribution(draws, target);
    const [t] = sampleTickets(d, CURRENT_ERA, 1, new Rng(1));
    const share = contributions(d, t!.whites, t!.powerball);
    expect(Object.keys(share).sort()).toEqual([...STRATEGY_NAMES].sort());
    expect(Object.values(share).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    for (const v of Object.values(share)) expect(v).toBeGreaterThan(0);
  });
});
