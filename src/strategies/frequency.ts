/**
 * frequency: numbers drawn more often so far in this era are more likely next time.
 */
import { UNIFORM_WEIGHT, CHOSEN_BY } from './calibration.js';
import { type MixtureStrategyOptions, mixtureStrategy } from './mixture-strategy.js';
import { countNumbers, normalizeInPlace } from './probability.js';
import type { Strategy } from './strategy.js';

/** Laplace-smoothed counts over every draw of the era, whites and Powerball counted separately. */
export function createFrequencyStrategy(options: MixtureStrategyOptions = {}): Strategy {
  return mixtureStrategy(
    {
      name: 'frequency',
      belief: 'numbers drawn more often so far in this era are more likely next time',
      uniformWeight: UNIFORM_WEIGHT.frequency,
      chosenBy: CHOSEN_BY,
      raw(eraHistory, target) {
        const c = countNumbers(eraHistory, target.era);
        for (let i = 1; i < c.whites.length; i++) c.whites[i] = (c.whites[i] as number) + 1;
        for (let i = 1; i < c.powerball.length; i++) c.powerball[i] = (c.powerball[i] as number) + 1;
        return { whites: normalizeInPlace(c.whites), powerball: normalizeInPlace(c.powerball) };
      },
    },
    options,
  );
}
