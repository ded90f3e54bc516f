/**
 * sum: the sum of the next draw's five whites will look like the sums drawn so far in this era.
 */
import type { Draw } from '../domain/draw.js';
import { UNIFORM_WEIGHT, CHOSEN_BY } from './calibration.js';
import { type MixtureStrategyOptions, mixtureStrategy } from './mixture-strategy.js';
import { uniform } from './probability.js';
import type { Strategy } from './strategy.js';

/** Gaussian kernel bandwidth for the histogram of past sums. */
export const SUM_BANDWIDTH = 8;
/** The central share of the predicted sum distribution that sampled tickets must fall in. */
export const SUM_RANGE_MASS = 0.9;

/** `counts[k][s]`: how many k-subsets of 1..max have sum s (k = 0..5). */
function subsetSumCounts(max: number): Float64Array[] {
  const top = 5 * max;
  const c = Array.from({ length: 6 }, () => new Float64Array(top + 1));
  (c[0] as Float64Array)[0] = 1;
  for (let n = 1; n <= max; n++) {
    for (let k = 5; k >= 1; k--) {
      const ck = c[k] as Float64Array;
      const prev = c[k - 1] as Float64Array;
      for (let s = top; s >= n; s--) ck[s] = (ck[s] as number) + (prev[s - n] as number);
    }
  }
  return c;
}

const countsByMax = new Map<number, Float64Array[]>();
function countsFor(max: number): Float64Array[] {
  let c = countsByMax.get(max);
  if (!c) {
    c = subsetSumCounts(max);
    countsByMax.set(max, c);
  }
  return c;
}

/**
 * Exact white-ball marginals of "a uniformly random ticket whose sum follows `h`":
 * P(w in ticket) = Σ_s h(s) · #{5-sets with sum s containing w} / #{5-sets with sum s}, found by
 * inclusion–exclusion on subset-sum counts (never enumerating the 11.2 million sets; DESIGN §8).
 */
export function sumTiltedWhites(h: Float64Array, max: number): Float64Array {
  const c = countsFor(max);
  const n5 = c[5] as Float64Array;
  const top = 5 * max;
  const out = new Float64Array(max + 1);
  // without[k][s]: k-subsets of 1..max \ {w} with sum s, via without[k][s] = c[k][s] − without[k−1][s−w].
  const without = Array.from({ length: 5 }, () => new Float64Array(top + 1));
  for (let w = 1; w <= max; w++) {
    (without[0] as Float64Array).fill(0);
    (without[0] as Float64Array)[0] = 1;
    for (let k = 1; k <= 4; k++) {
      const ck = c[k] as Float64Array;
      const wk = without[k] as Float64Array;
      const wprev = without[k - 1] as Float64Array;
      for (let s = 0; s <= top; s++) wk[s] = (ck[s] as number) - (s >= w ? (wprev[s - w] as number) : 0);
    }
    const w4 = without[4] as Float64Array;
    let p = 0;
    for (let s = w; s <= top; s++) {
      const total = n5[s] as number;
      if (total > 0) p += ((h[s] as number) * (w4[s - w] as number)) / total;
    }
    out[w] = p / 5;
  }
  return out;
}

/** The distribution of the sum under uniform tickets. */
export function uniformSumDistribution(max: number): Float64Array {
  const n5 = countsFor(max)[5] as Float64Array;
  let total = 0;
  for (const v of n5) total += v;
  return n5.map((v) => v / total);
}

/**
 * The predicted sum distribution: a kernel-smoothed histogram of the era's sums, blended half and
 * half with the exact uniform sum distribution (so a short history cannot rule sums out).
 */
export function predictedSumDistribution(eraHistory: readonly Draw[], max: number): Float64Array {
  const u = uniformSumDistribution(max);
  const n5 = countsFor(max)[5] as Float64Array;
  if (eraHistory.length === 0) return u;
  const top = 5 * max;
  const kh = new Float64Array(top + 1);
  const hist = new Float64Array(top + 1);
  for (const d of eraHistory) {
    const s = d.whites.reduce((a, b) => a + b, 0);
    hist[s] = (hist[s] as number) + 1;
  }
  const radius = Math.ceil(4 * SUM_BANDWIDTH);
  const kernel = new Float64Array(2 * radius + 1);
  for (let i = -radius; i <= radius; i++) kernel[i + radius] = Math.exp(-(i * i) / (2 * SUM_BANDWIDTH ** 2));
  let total = 0;
  for (let s = 0; s <= top; s++) {
    if ((hist[s] as number) === 0) continue;
    for (let i = -radius; i <= radius; i++) {
      const t = s + i;
      if (t < 0 || t > top || (n5[t] as number) === 0) continue; // only possible sums
      const v = (hist[s] as number) * (kernel[i + radius] as number);
      kh[t] = (kh[t] as number) + v;
      total += v;
    }
  }
  const out = new Float64Array(top + 1);
  for (let s = 0; s <= top; s++) out[s] = 0.5 * (u[s] as number) + 0.5 * ((kh[s] as number) / total);
  return out;
}

/** The central `mass` interval of a distribution over sums. */
export function centralRange(h: Float64Array, mass: number): [number, number] {
  const tail = (1 - mass) / 2;
  let acc = 0;
  let lo = 0;
  while (lo < h.length - 1 && acc + (h[lo] as number) <= tail) acc += h[lo++] as number;
  acc = 0;
  let hi = h.length - 1;
  while (hi > lo && acc + (h[hi] as number) <= tail) acc += h[hi--] as number;
  return [lo, hi];
}

/**
 * Whites: the exact marginals of uniform tickets whose sum follows the predicted sum distribution;
 * tickets sampled from it must have a sum in the central 90% of that distribution. No opinion on
 * the Powerball (uniform).
 */
export function createSumStrategy(options: MixtureStrategyOptions = {}): Strategy {
  return mixtureStrategy(
    {
      name: 'sum',
      belief: "the sum of the next draw's five whites will look like the sums drawn so far in this era",
      uniformWeight: UNIFORM_WEIGHT.sum,
      chosenBy: CHOSEN_BY,
      raw(eraHistory, target) {
        const h = predictedSumDistribution(eraHistory, target.era.whiteMax);
        return {
          whites: sumTiltedWhites(h, target.era.whiteMax),
          powerball: uniform(target.era.powerballMax),
          constraint: { sumRange: centralRange(h, SUM_RANGE_MASS) },
        };
      },
    },
    options,
  );
}
