/**
 * dow: each weekday's draws have their own favourite numbers.
 */
import { weekdayIndex } from '../domain/dates.js';
import { UNIFORM_WEIGHT, CHOSEN_BY } from './calibration.js';
import { type MixtureStrategyOptions, mixtureStrategy } from './mixture-strategy.js';
import { countNumbers, normalizeInPlace } from './probability.js';
import type { Strategy } from './strategy.js';

/** Laplace-smoothed counts over the era's earlier draws held on the target's weekday. */
export function createDowStrategy(options: MixtureStrategyOptions = {}): Strategy {
  return mixtureStrategy(
    {
      name: 'dow',
      belief: "each weekday's draws have their own favourite numbers",
      uniformWeight: UNIFORM_WEIGHT.dow,
      chosenBy: CHOSEN_BY,
      raw(eraHistory, target) {
        const day = weekdayIndex(target.date);
        const sameDay = eraHistory.filter((d) => weekdayIndex(d.date) === day);
        const c = countNumbers(sameDay, target.era);
        for (let i = 1; i < c.whites.length; i++) c.whites[i] = (c.whites[i] as number) + 1;
        for (let i = 1; i < c.powerball.length; i++) c.powerball[i] = (c.powerball[i] as number) + 1;
        return { whites: normalizeInPlace(c.whites), powerball: normalizeInPlace(c.powerball) };
      },
    },
    options,
  );
}
