/**
 * recency: numbers drawn in the last few weeks are "hot" and more likely to come up again.
 */
import { UNIFORM_WEIGHT, CHOSEN_BY } from './calibration.js';
import { type MixtureStrategyOptions, mixtureStrategy } from './mixture-strategy.js';
import { countNumbers, normalizeInPlace } from './probability.js';
import type { Strategy } from './strategy.js';

/** Half-life of a draw's influence, in draws (about three weeks at three draws a week). */
export const RECENCY_HALF_LIFE = 10;

/** Exponentially decayed counts (newest draw weight 1) plus a flat pseudo-count of 0.5. */
export function createRecencyStrategy(options: MixtureStrategyOptions = {}): Strategy {
  const decay = Math.pow(0.5, 1 / RECENCY_HALF_LIFE);
  return mixtureStrategy(
    {
      name: 'recency',
      belief: 'numbers drawn in the last few weeks are hot and more likely to come up again',
      uniformWeight: UNIFORM_WEIGHT.recency,
      chosenBy: CHOSEN_BY,
      raw(eraHistory, target) {
        const n = eraHistory.length;
        const c = countNumbers(eraHistory, target.era, (i) => Math.pow(decay, n - 1 - i));
        for (let i = 1; i < c.whites.length; i++) c.whites[i] = (c.whites[i] as number) + 0.5;
        for (let i = 1; i < c.powerball.length; i++) c.powerball[i] = (c.powerball[i] as number) + 0.5;
        return { whites: normalizeInPlace(c.whites), powerball: normalizeInPlace(c.powerball) };
      },
    },
    options,
  );
}
