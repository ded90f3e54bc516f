/**
 * combo: numbers that often came up together with the latest draw's numbers will follow them.
 */
import type { Draw } from '../domain/draw.js';
import { UNIFORM_WEIGHT, CHOSEN_BY } from './calibration.js';
import { type MixtureStrategyOptions, mixtureStrategy } from './mixture-strategy.js';
import { normalizeInPlace } from './probability.js';
import type { Strategy } from './strategy.js';

/**
 * Whites: for each number w, how often it was drawn together with the latest draw's numbers in
 * earlier draws of the era — pairs (w, x) and triplets (w, x, y) with x, y from the latest draw —
 * each part Laplace-smoothed and normalized, then averaged. Powerball: how often each Powerball
 * followed the latest draw's Powerball (transitions), Laplace-smoothed. The latest draw itself is
 * not counted (its own pairs would only echo it).
 */
export function createComboStrategy(options: MixtureStrategyOptions = {}): Strategy {
  return mixtureStrategy(
    {
      name: 'combo',
      belief: "numbers that often came up together with the latest draw's numbers will follow them",
      uniformWeight: UNIFORM_WEIGHT.combo,
      chosenBy: CHOSEN_BY,
      raw(eraHistory, target) {
        const { whiteMax, powerballMax } = target.era;
        const pairs = new Float64Array(whiteMax + 1);
        const triplets = new Float64Array(whiteMax + 1);
        const pb = new Float64Array(powerballMax + 1);
        const last = eraHistory[eraHistory.length - 1];
        if (last) {
          const inLast = new Uint8Array(whiteMax + 1);
          for (const x of last.whites) inLast[x] = 1;
          for (let i = 0; i < eraHistory.length - 1; i++) {
            const d = eraHistory[i] as Draw;
            let shared = 0;
            for (const w of d.whites) shared += inLast[w] as number;
            if (shared > 0) {
              for (const w of d.whites) {
                const others = shared - (inLast[w] as number); // latest-draw numbers beside w
                pairs[w] = (pairs[w] as number) + others;
                triplets[w] = (triplets[w] as number) + (others * (others - 1)) / 2;
              }
            }
            const next = eraHistory[i + 1] as Draw;
            if (d.powerball === last.powerball) pb[next.powerball] = (pb[next.powerball] as number) + 1;
          }
        }
        for (let i = 1; i <= whiteMax; i++) {
          pairs[i] = (pairs[i] as number) + 1;
          triplets[i] = (triplets[i] as number) + 0.5;
        }
        for (let i = 1; i <= powerballMax; i++) pb[i] = (pb[i] as number) + 1;
        normalizeInPlace(pairs);
        normalizeInPlace(triplets);
        const whites = new Float64Array(whiteMax + 1);
        for (let i = 1; i <= whiteMax; i++)
          whites[i] = 0.5 * (pairs[i] as number) + 0.5 * (triplets[i] as number);
        return { whites, powerball: normalizeInPlace(pb) };
      },
    },
    options,
  );
}
