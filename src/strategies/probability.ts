/**
 * Small exact probability tools shared by the strategies, the ensemble, sampling and scoring.
 * Arrays are indexed by ball number (index 0 unused).
 */
import type { Draw } from '../domain/draw.js';
import type { RuleEra } from '../domain/eras.js';
import { binomial } from '../domain/prizes.js';
import type { Distribution, Shrinkage } from './strategy.js';

/** The uniform distribution over 1..max. */
export function uniform(max: number): Float64Array {
  const out = new Float64Array(max + 1);
  out.fill(1 / max, 1);
  return out;
}

/** Scales `weights` (index 1..max, all ≥ 0) in place to sum to 1; uniform when they sum to 0. */
export function normalizeInPlace(weights: Float64Array): Float64Array {
  let total = 0;
  for (let i = 1; i < weights.length; i++) total += weights[i] as number;
  weights[0] = 0;
  if (!(total > 0) || !Number.isFinite(total)) {
    weights.fill(1 / (weights.length - 1), 1);
    return weights;
  }
  for (let i = 1; i < weights.length; i++) weights[i] = (weights[i] as number) / total;
  return weights;
}

/** (1 − λ)·raw + λ·uniform, a new array. `raw` must already sum to 1. */
export function mixWithUniform(raw: Float64Array, uniformWeight: number): Float64Array {
  const max = raw.length - 1;
  const out = new Float64Array(raw.length);
  const u = uniformWeight / max;
  for (let i = 1; i <= max; i++) out[i] = (1 - uniformWeight) * (raw[i] as number) + u;
  return out;
}

/** The shrinkage description every mixture strategy reports. */
export function mixtureShrinkage(uniformWeight: number, chosenBy: string): Shrinkage {
  return {
    kind: 'mixture',
    uniformWeight,
    description: `${(uniformWeight * 100).toFixed(1)}% uniform mixed into the raw belief (${chosenBy})`,
  };
}

/**
 * Probability that sequential sampling without replacement, each pick proportional to `p` among
 * the numbers not yet picked, yields exactly the set `whites` (in any order). Exact: a dynamic
 * program over the 2^k subsets of the set, instead of summing over k! orders.
 */
export function whiteSetProbability(p: Float64Array, whites: readonly number[]): number {
  const k = whites.length;
  const size = 1 << k;
  const f = new Float64Array(size);
  const mass = new Float64Array(size);
  f[0] = 1;
  for (let s = 0; s < size; s++) {
    const fs = f[s] as number;
    if (fs === 0) continue;
    const remaining = 1 - (mass[s] as number);
    if (remaining <= 0) continue;
    for (let j = 0; j < k; j++) {
      const bit = 1 << j;
      if (s & bit) continue;
      const pj = p[whites[j] as number] as number;
      const t = s | bit;
      f[t] = (f[t] as number) + (fs * pj) / remaining;
      mass[t] = (mass[s] as number) + pj;
    }
  }
  return f[size - 1] as number;
}

/** Probability of a whole ticket under a distribution (sequential whites × Powerball). */
export function ticketProbability(d: Distribution, whites: readonly number[], powerball: number): number {
  return whiteSetProbability(d.whites, whites) * (d.powerball[powerball] as number);
}

/** Log-likelihood ratios of a drawn result: whites, Powerball and total, in nats against uniform. */
export interface LogLikelihoodRatio {
  readonly whites: number;
  readonly powerball: number;
  readonly total: number;
}

/**
 * How much more (positive) or less (negative) likely the distribution found the actual draw than
 * the uniform baseline did, in nats: log P(draw) − log(1 / (C(whiteMax, 5) · powerballMax)).
 */
export function logLikelihoodRatio(d: Distribution, draw: Draw, era: RuleEra): LogLikelihoodRatio {
  const w = Math.log(whiteSetProbability(d.whites, draw.whites)) + Math.log(binomial(era.whiteMax, 5));
  const pb = Math.log((d.powerball[draw.powerball] as number) * era.powerballMax);
  return { whites: w, powerball: pb, total: w + pb };
}

/** Counts of each white and each Powerball over `draws`, as arrays indexed by number. */
export function countNumbers(
  draws: readonly Draw[],
  era: RuleEra,
  weight: (index: number) => number = () => 1,
): { whites: Float64Array; powerball: Float64Array } {
  const whites = new Float64Array(era.whiteMax + 1);
  const powerball = new Float64Array(era.powerballMax + 1);
  for (let i = 0; i < draws.length; i++) {
    const d = draws[i] as Draw;
    const wt = weight(i);
    for (const n of d.whites) whites[n] = (whites[n] as number) + wt;
    powerball[d.powerball] = (powerball[d.powerball] as number) + wt;
  }
  return { whites, powerball };
}
