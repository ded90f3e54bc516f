/**
 * Tests against chance that are valid at any number of draws, one draw included.
 *
 * The null hypothesis is that every draw is uniformly random and independent of what a strategy
 * believed and which tickets it sampled. Under it the whole backtest can be replayed: the same
 * targets, the same distributions and the same tickets, scored against simulated uniform draws.
 * `CHANCE_SEQUENCES` such replays (seeded; shared by every strategy of a backtest) give each
 * statistic's null distribution, and the Monte Carlo p-value (1 + #as extreme) / (1 + sequences)
 * is valid for any n (it never falls below the true tail probability on average). The log score's
 * null mean and variance are also computed exactly (finite sums), for display.
 *
 * Statistics, each summed over the draws:
 * - log score: Σ over the 5 drawn whites of log(whiteMax·p) plus log(powerballMax·q) of the drawn
 *   Powerball. Additive over the drawn numbers, so its exact null moments are those of a sample
 *   without replacement; within a fraction of a percent of the log-likelihood ratio for the
 *   calibrated strategies, and larger when a strategy puts mass on what is drawn.
 * - white matches and Powerball hits of the sampled tickets;
 * - hits of each prize tier (tickets of one draw share that draw, so their hits are not independent:
 *   replaying the draw keeps that dependence exactly, where a binomial would ignore it).
 */
import type { RuleEra } from '../domain/eras.js';
import { PRIZE_TIERS, type PrizeTier, tierProbability } from '../domain/prizes.js';
import { Rng } from '../ml/rng.js';

/** Simulated chance sequences per backtest (at least 10,000 for p-values near 1e-4). */
export const CHANCE_SEQUENCES = 10_000;
/** Tickets per draw the tier replay can track (one bit per ticket). */
export const MAX_TICKETS_PER_DRAW = 32;

/** tier index by (white matches · 2 + Powerball matched), −1 for no prize. */
const TIER_INDEX = (() => {
  const out = new Int8Array(12).fill(-1);
  PRIZE_TIERS.forEach((t, i) => (out[t.whiteMatches * 2 + (t.powerballMatch ? 1 : 0)] = i));
  return out;
})();

/** One simulated uniform draw per sequence for the current draw position, shared by every strategy. */
export class ChanceDraws {
  /** 5 whites per sequence. */
  readonly whites: Uint8Array;
  readonly powerball: Uint8Array;
  private readonly rng: Rng;
  private readonly stamp: Uint32Array;
  private generation = 0;

  constructor(
    readonly era: RuleEra,
    readonly sequences: number,
    seed: number,
  ) {
    this.whites = new Uint8Array(sequences * 5);
    this.powerball = new Uint8Array(sequences);
    this.rng = new Rng(seed);
    this.stamp = new Uint32Array(era.whiteMax + 1);
  }

  /** Draws the next uniform result of every sequence. */
  next(): void {
    const { whiteMax, powerballMax } = this.era;
    const { rng, stamp, whites, powerball } = this;
    // Unbiased bounded integers: reject the top partial block of 2^32 (as Rng.nextInt does).
    const wLimit = 4294967296 - (4294967296 % whiteMax);
    const pLimit = 4294967296 - (4294967296 % powerballMax);
    for (let j = 0; j < this.sequences; j++) {
      const g = ++this.generation;
      for (let k = 0; k < 5; k++) {
        let n: number;
        do {
          let r = rng.nextUint32();
          while (r >= wLimit) r = rng.nextUint32();
          n = (r % whiteMax) + 1;
        } while (stamp[n] === g);
        stamp[n] = g;
        whites[j * 5 + k] = n;
      }
      let r = rng.nextUint32();
      while (r >= pLimit) r = rng.nextUint32();
      powerball[j] = (r % powerballMax) + 1;
    }
  }
}

/** What a strategy said about one draw: its distribution and the tickets sampled from it. */
export interface DrawEvidence {
  readonly whites: Float64Array;
  readonly powerball: Float64Array;
  readonly tickets: readonly { readonly whites: readonly number[]; readonly powerball: number }[];
}

export interface ChanceTest {
  /** Stable key: `log-score`, `white-matches`, `powerball-hits` or `tier:<tier>`. */
  readonly key: string;
  readonly what: string;
  /** The statistic summed over the draws, and its exact expectation under chance. */
  readonly observed: number;
  readonly expected: number;
  readonly direction: 'better' | 'worse' | 'equal';
  /** Two-sided Monte Carlo p-value, before any multiple-comparison correction. */
  readonly pValue: number;
}

export interface LogScoreMoments {
  /** Observed log score, nats per draw. */
  readonly mean: number;
  /** Exact mean and standard deviation of the per-draw average under chance. */
  readonly chanceMean: number;
  readonly chanceSd: number;
}

/** The four statistics summed over draws, for `size` sequences (observed histories or replays). */
class Sums {
  readonly logScore: Float64Array;
  readonly matches: Float64Array;
  readonly pbHits: Float64Array;
  readonly tierHits: Float64Array;
  constructor(readonly size: number) {
    this.logScore = new Float64Array(size);
    this.matches = new Float64Array(size);
    this.pbHits = new Float64Array(size);
    this.tierHits = new Float64Array(size * PRIZE_TIERS.length);
  }
  /** One statistic of every sequence, sorted (for p-values by binary search). */
  sorted(key: string): Float64Array {
    const col = new Float64Array(this.size);
    for (let j = 0; j < this.size; j++) col[j] = this.value(key, j);
    return col.sort();
  }
  value(key: string, j: number): number {
    if (key === 'log-score') return this.logScore[j] as number;
    if (key === 'white-matches') return this.matches[j] as number;
    if (key === 'powerball-hits') return this.pbHits[j] as number;
    const tier = PRIZE_TIERS.findIndex((t) => `tier:${t.tier}` === key);
    return this.tierHits[j * PRIZE_TIERS.length + tier] as number;
  }
}

const TEST_KEYS: readonly { key: string; what: string }[] = [
  { key: 'log-score', what: 'log score of the drawn numbers' },
  { key: 'white-matches', what: 'white matches of the tickets' },
  { key: 'powerball-hits', what: 'Powerball hits of the tickets' },
  ...PRIZE_TIERS.map((t) => ({ key: `tier:${t.tier}`, what: `tier ${t.tier} hits` })),
];

/**
 * Accumulates one strategy's observed statistics and their replays under chance. It can hold
 * several observed histories that share the strategy's evidence (default one): the replays do not
 * depend on what was drawn, so histories with the same distributions and tickets share them.
 */
export class ChanceAccumulator {
  private readonly replays: Sums;
  private readonly observed: Sums;
  private nullMean = 0;
  private nullVar = 0;
  private expMatches = 0;
  private expPb = 0;
  private draws = 0;
  private tickets = 0;
  private sortedCache = new Map<string, Float64Array>();

  constructor(
    private readonly era: RuleEra,
    sequences: number,
    histories = 1,
  ) {
    this.replays = new Sums(sequences);
    this.observed = new Sums(histories);
  }

  /**
   * Adds one draw: the actual result (one per history), the strategy's evidence, and the shared
   * chance draws.
   */
  add(actual: Result | readonly Result[], e: DrawEvidence, chance: ChanceDraws): void {
    const { whiteMax: wMax, powerballMax: pMax } = this.era;
    const k = e.tickets.length;
    if (k > MAX_TICKETS_PER_DRAW) throw new RangeError(`at most ${MAX_TICKETS_PER_DRAW} tickets per draw`);
    const results = Array.isArray(actual) ? (actual as readonly Result[]) : [actual as Result];
    if (results.length !== this.observed.size) throw new RangeError('one actual result per history');
    const logW = new Float64Array(wMax + 1);
    const logP = new Float64Array(pMax + 1);
    for (let i = 1; i <= wMax; i++) logW[i] = Math.log(wMax * (e.whites[i] as number));
    for (let i = 1; i <= pMax; i++) logP[i] = Math.log(pMax * (e.powerball[i] as number));
    this.addMoments(logW, logP);
    const tb = drawTables(e, wMax, pMax, logW, logP);
    this.draws++;
    this.tickets += k;
    this.expMatches += (k * 5 * 5) / wMax;
    this.expPb += k / pMax;
    const whites = new Uint8Array(results.length * 5);
    const pbs = new Uint8Array(results.length);
    results.forEach((r, h) => {
      whites.set(r.whites, h * 5);
      pbs[h] = r.powerball;
    });
    scoreResults(tb, whites, pbs, this.observed);
    scoreResults(tb, chance.whites, chance.powerball, this.replays);
    this.sortedCache.clear();
  }

  /** Exact null mean and variance of the log score: 5 whites without replacement plus one Powerball. */
  private addMoments(logW: Float64Array, logP: Float64Array): void {
    const wMax = logW.length - 1;
    const [mw, vw] = populationMoments(logW);
    const [mp, vp] = populationMoments(logP);
    this.nullMean += 5 * mw + mp;
    this.nullVar += (5 * vw * (wMax - 5)) / (wMax - 1) + vp;
  }

  /** The log score per draw beside its exact chance mean and sd. */
  logScoreMoments(history = 0): LogScoreMoments {
    const n = Math.max(this.draws, 1);
    return {
      mean: (this.observed.logScore[history] as number) / n,
      chanceMean: this.nullMean / n,
      chanceSd: Math.sqrt(this.nullVar) / n,
    };
  }

  private expected(key: string): number {
    if (key === 'log-score') return this.nullMean;
    if (key === 'white-matches') return this.expMatches;
    if (key === 'powerball-hits') return this.expPb;
    const tier = PRIZE_TIERS.find((t) => `tier:${t.tier}` === key) as (typeof PRIZE_TIERS)[number];
    return this.tickets * tierChance(tier.tier, this.era);
  }

  /** Every test of this strategy (for one history), with raw (uncorrected) p-values. */
  tests(history = 0): ChanceTest[] {
    return TEST_KEYS.map(({ key, what }) => {
      let sorted = this.sortedCache.get(key);
      if (!sorted) this.sortedCache.set(key, (sorted = this.replays.sorted(key)));
      const observed = this.observed.value(key, history);
      return test(key, what, observed, this.expected(key), sortedPValue(sorted, observed));
    });
  }
}

interface Result {
  readonly whites: readonly number[];
  readonly powerball: number;
}

/** Lookup tables of one strategy at one draw. */
interface DrawTables {
  readonly logW: Float64Array;
  readonly logP: Float64Array;
  /** Tickets holding each white number, and as a bit mask over tickets. */
  readonly count: Float64Array;
  readonly mask: Uint32Array;
  /** Tickets holding each Powerball, as a count and a bit mask. */
  readonly pbCount: Float64Array;
  readonly pbMask: Uint32Array;
}

function drawTables(
  e: DrawEvidence,
  wMax: number,
  pMax: number,
  logW: Float64Array,
  logP: Float64Array,
): DrawTables {
  const count = new Float64Array(wMax + 1);
  const mask = new Uint32Array(wMax + 1);
  const pbCount = new Float64Array(pMax + 1);
  const pbMask = new Uint32Array(pMax + 1);
  e.tickets.forEach((t, ti) => {
    for (const w of t.whites) {
      count[w] = (count[w] as number) + 1;
      mask[w] = ((mask[w] as number) | (1 << ti)) >>> 0;
    }
    pbCount[t.powerball] = (pbCount[t.powerball] as number) + 1;
    pbMask[t.powerball] = ((pbMask[t.powerball] as number) | (1 << ti)) >>> 0;
  });
  return { logW, logP, count, mask, pbCount, pbMask };
}

/**
 * Scores `m` results (five whites each at `whites[5j..]`, Powerball `pbs[j]`) and adds each one's
 * log score, white matches, Powerball hits and tier hits into the j-th sums. The hot loop of a
 * backtest: typed arrays and bit masks, no allocation.
 */
function scoreResults(tb: DrawTables, whites: Uint8Array, pbs: Uint8Array, into: Sums): void {
  const { logScore, matches, pbHits, tierHits, size: m } = into;
  const { logW, logP, count, mask, pbCount, pbMask } = tb;
  const T = PRIZE_TIERS.length;
  for (let j = 0; j < m; j++) {
    const pb = pbs[j] as number;
    let ls = logP[pb] as number;
    let wm = 0;
    // Per-ticket white matches as bit-sliced counters: ones + 2·twos + 4·fours.
    let ones = 0;
    let twos = 0;
    let fours = 0;
    for (let q = j * 5, end = j * 5 + 5; q < end; q++) {
      const n = whites[q] as number;
      ls += logW[n] as number;
      wm += count[n] as number;
      const b = mask[n] as number;
      const c1 = ones & b;
      ones ^= b;
      const c2 = twos & c1;
      twos ^= c1;
      fours |= c2;
    }
    const pbBits = pbMask[pb] as number;
    // Only a Powerball match or three or more white matches can win a prize.
    let prized = pbBits | fours | (twos & ones);
    while (prized !== 0) {
      const low = prized & -prized;
      const t = 31 - Math.clz32(low);
      const hits = ((ones >>> t) & 1) + 2 * ((twos >>> t) & 1) + 4 * ((fours >>> t) & 1);
      const tier = TIER_INDEX[hits * 2 + ((pbBits >>> t) & 1)] as number;
      if (tier >= 0) tierHits[j * T + tier] = (tierHits[j * T + tier] as number) + 1;
      prized ^= low;
    }
    logScore[j] = (logScore[j] as number) + ls;
    matches[j] = (matches[j] as number) + wm;
    pbHits[j] = (pbHits[j] as number) + (pbCount[pb] as number);
  }
}

function tierChance(tier: PrizeTier, era: RuleEra): number {
  const info = PRIZE_TIERS.find((t) => t.tier === tier) as (typeof PRIZE_TIERS)[number];
  return tierProbability(info, era);
}

function test(key: string, what: string, observed: number, expected: number, pValue: number): ChanceTest {
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  const direction = observed > expected + tol ? 'better' : observed < expected - tol ? 'worse' : 'equal';
  return { key, what, observed, expected, direction, pValue };
}

/** Mean and population variance over indexes 1..max. */
function populationMoments(a: Float64Array): [number, number] {
  const n = a.length - 1;
  let s = 0;
  for (let i = 1; i <= n; i++) s += a[i] as number;
  const mean = s / n;
  let ss = 0;
  for (let i = 1; i <= n; i++) ss += ((a[i] as number) - mean) ** 2;
  return [mean, ss / n];
}

/** `mcPValue` over replays sorted ascending: two binary searches. */
export function sortedPValue(sorted: Float64Array, observed: number): number {
  const tol = 1e-9 * Math.max(1, Math.abs(observed));
  /** How many replays are below x (strictly, or also equal to it). */
  const below = (x: number, orEqual: boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = sorted[mid] as number;
      if (v < x || (orEqual && v === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const ge = sorted.length - below(observed - tol, false);
  const le = below(observed + tol, true);
  return Math.min(1, (2 * (Math.min(ge, le) + 1)) / (sorted.length + 1));
}

/**
 * Two-sided Monte Carlo p-value: twice the smaller tail, each counted with the observation itself,
 * (1 + #{replay ≥ observed}) / (1 + replays). Ties count in both tails (discrete statistics).
 */
export function mcPValue(replays: ArrayLike<number>, observed: number): number {
  const tol = 1e-9 * Math.max(1, Math.abs(observed));
  let ge = 0;
  let le = 0;
  for (let j = 0; j < replays.length; j++) {
    const v = replays[j] as number;
    if (v >= observed - tol) ge++;
    if (v <= observed + tol) le++;
  }
  return Math.min(1, (2 * (Math.min(ge, le) + 1)) / (replays.length + 1));
}
