/**
 * trends: numbers whose recent frequency runs above their long-run frequency are on the rise.
 */
import { UNIFORM_WEIGHT, CHOSEN_BY } from './calibration.js';
import { type MixtureStrategyOptions, mixtureStrategy } from './mixture-strategy.js';
import { countNumbers, normalizeInPlace } from './probability.js';
import type { Strategy } from './strategy.js';

/** The recent window compared with the whole era, in draws. */
export const TRENDS_RECENT_WINDOW = 50;

/**
 * Momentum: each number's smoothed recent rate divided by its smoothed long-run rate, times the
 * uniform probability, so a number running at its usual rate keeps its uniform share.
 */
export function createTrendsStrategy(options: MixtureStrategyOptions = {}): Strategy {
  return mixtureStrategy(
    {
      name: 'trends',
      belief: 'numbers whose recent frequency runs above their long-run frequency are on the rise',
      uniformWeight: UNIFORM_WEIGHT.trends,
      chosenBy: CHOSEN_BY,
      raw(eraHistory, target) {
        const recent = eraHistory.slice(Math.max(0, eraHistory.length - TRENDS_RECENT_WINDOW));
        const long = countNumbers(eraHistory, target.era);
        const short = countNumbers(recent, target.era);
        const momentum = (s: Float64Array, l: Float64Array, perDraw: number): Float64Array => {
          const max = s.length - 1;
          const out = new Float64Array(s.length);
          // Expected counts under uniform are the pseudo-counts, so a short history means ratio ≈ 1.
          const eShort = (recent.length * perDraw) / max;
          const eLong = (eraHistory.length * perDraw) / max;
          for (let i = 1; i <= max; i++) {
            const rs = ((s[i] as number) + 1) / (eShort + 1);
            const rl = ((l[i] as number) + 1) / (eLong + 1);
            out[i] = rs / rl;
          }
          return normalizeInPlace(out);
        };
        return {
          whites: momentum(short.whites, long.whites, 5),
          powerball: momentum(short.powerball, long.powerball, 1),
        };
      },
    },
    options,
  );
}
