import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import { binomial } from '../../src/domain/prizes.js';
import { Rng } from '../../src/ml/rng.js';
import {
  logLikelihoodRatio,
  mixtureShrinkage,
  normalizeInPlace,
  uniform,
  whiteSetProbability,
} from '../../src/strategies/probability.js';
import { constraintMass, sampleTickets, sampleWhites } from '../../src/strategies/sampling.js';
import type { Distribution } from '../../src/strategies/strategy.js';
import { history } from './helpers.js';

function randomP(max: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const p = new Float64Array(max + 1);
  for (let i = 1; i <= max; i++) p[i] = 0.05 + rng.nextFloat() ** 3;
  return normalizeInPlace(p);
}

function* subsets(max: number): Generator<number[]> {
  for (let a = 1; a <= max; a++)
    for (let b = a + 1; b <= max; b++)
      for (let c = b + 1; c <= max; c++)
        for (let d = c + 1; d <= max; d++) for (let e = d + 1; e <= max; e++) yield [a, b, c, d, e];
}

const dist = (
  whites: Float64Array,
  powerball: Float64Array,
  constraint?: Distribution['constraint'],
): Distribution => ({
  whites,
  powerball,
  shrinkage: mixtureShrinkage(0, 'test'),
  ...(constraint ? { constraint } : {}),
});

describe('white set probability (sequential sampling formula)', () => {
  it('sums to 1 over every 5-set and equals 1/C(n,5) under uniform', () => {
    const p = randomP(14, 3);
    let total = 0;
    for (const s of subsets(14)) total += whiteSetProbability(p, s);
    expect(total).toBeCloseTo(1, 12);
    expect(whiteSetProbability(uniform(69), [1, 2, 3, 4, 5])).toBeCloseTo(1 / binomial(69, 5), 20);
  });

  it('matches the sum over all 120 orders and the sampler’s frequencies', () => {
    const p = randomP(9, 11);
    const set = [1, 4, 5, 8, 9];
    let viaOrders = 0;
    const perms = (xs: number[]): number[][] =>
      xs.length <= 1
        ? [xs]
        : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((r) => [x, ...r]));
    for (const order of perms(set)) {
      let prob = 1;
      let used = 0;
      for (const n of order) {
        prob *= (p[n] as number) / (1 - used);
        used += p[n] as number;
      }
      viaOrders += prob;
    }
    const exact = whiteSetProbability(p, set);
    expect(exact).toBeCloseTo(viaOrders, 14);
    const rng = new Rng(5);
    let hits = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) if (sampleWhites(p, rng).join() === set.join()) hits++;
    const se = Math.sqrt((exact * (1 - exact)) / n);
    expect(Math.abs(hits / n - exact)).toBeLessThan(4 * se);
  });

  it('scores the uniform distribution at exactly 0 nats against uniform', () => {
    const { draws } = history([[3, 14, 15, 26, 53, 9]]);
    const r = logLikelihoodRatio(dist(uniform(69), uniform(26)), draws[0]!, CURRENT_ERA);
    expect(r.total).toBeCloseTo(0, 10);
    const pb = uniform(26);
    pb[9] = 2 / 26;
    pb[10] = 0;
    expect(logLikelihoodRatio(dist(uniform(69), pb), draws[0]!, CURRENT_ERA).powerball).toBeCloseTo(
      Math.log(2),
      12,
    );
  });
});

describe('sampling tickets', () => {
  it('gives distinct valid tickets, reproducible for a seed and different for another', () => {
    const d = dist(randomP(69, 1), randomP(26, 2));
    const a = sampleTickets(d, CURRENT_ERA, 100, new Rng(42));
    const b = sampleTickets(d, CURRENT_ERA, 100, new Rng(42));
    const c = sampleTickets(d, CURRENT_ERA, 100, new Rng(43));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(new Set(a.map((t) => `${t.whites.join('-')}|${t.powerball}`)).size).toBe(100);
    for (const t of a) {
      expect(new Set(t.whites).size).toBe(5);
      expect([...t.whites].sort((x, y) => x - y)).toEqual(t.whites);
      for (const w of t.whites) expect(w >= 1 && w <= 69).toBe(true);
      expect(t.powerball >= 1 && t.powerball <= 26).toBe(true);
      expect(t.probability).toBeCloseTo(
        whiteSetProbability(d.whites, t.whites) * (d.powerball[t.powerball] as number),
        20,
      );
    }
  });

  it('honours the sum constraint and divides the probability by its estimated mass', () => {
    const d = dist(uniform(69), uniform(26), { sumRange: [150, 200] });
    const z = constraintMass(d);
    // Exact share of 5-sets of 1..69 with sum in [150, 200] under uniform sampling.
    let inside = 0;
    let total = 0;
    for (const s of subsets(69)) {
      const sum = s[0]! + s[1]! + s[2]! + s[3]! + s[4]!;
      total++;
      if (sum >= 150 && sum <= 200) inside++;
    }
    expect(Math.abs(z - inside / total)).toBeLessThan(0.01);
    const tickets = sampleTickets(d, CURRENT_ERA, 50, new Rng(7));
    for (const t of tickets) {
      const sum = t.whites.reduce((x, y) => x + y, 0);
      expect(sum).toBeGreaterThanOrEqual(150);
      expect(sum).toBeLessThanOrEqual(200);
      expect(t.probability).toBeCloseTo(1 / binomial(69, 5) / 26 / z, 18);
    }
  });

  it('samples numbers in proportion to the distribution', () => {
    const p = uniform(69);
    p.fill(0.5 / 68, 1);
    p[69] = 0.5; // half the mass on 69: it must be in nearly every ticket
    const tickets = sampleTickets(dist(p, uniform(26)), CURRENT_ERA, 100, new Rng(1));
    expect(tickets.filter((t) => t.whites.includes(69)).length).toBeGreaterThan(90);
  });
});

describe('sampling (property)', () => {
  it('always gives distinct valid tickets whose stored probability is the exact formula, down to 5 possible whites', () => {
    const weight = fc.double({ min: 1e-6, max: 1, noNaN: true });
    // Half the runs: only 5 to 7 whites possible (the sampler's hardest case: with 5, every ticket
    // holds the same whites); the other half: about half of the 69 possible.
    const sparse = fc
      .integer({ min: 5, max: 7 })
      .chain((k) =>
        fc.tuple(
          fc.uniqueArray(fc.integer({ min: 0, max: 68 }), { minLength: k, maxLength: k }),
          fc.array(weight, { minLength: k, maxLength: k }),
        ),
      )
      .map(([at, ws]) => {
        const w = new Array<number>(69).fill(0);
        at.forEach((i, j) => (w[i] = ws[j] as number));
        return w;
      });
    const dense = fc.array(fc.oneof(fc.constant(0), weight), { minLength: 69, maxLength: 69 });
    // With 5 whites possible, 20 distinct tickets need 20 distinct Powerballs: the sampler draws at
    // most 1,000 per ticket, so no Powerball may be a million times rarer than another there (it
    // then gives up with INSUFFICIENT_DATA although 26 tickets exist).
    const powerballs = (min: number) =>
      fc.array(fc.double({ min, max: 1, noNaN: true }), { minLength: 26, maxLength: 26 });
    const supports = new Map<number, number>();
    fc.assert(
      fc.property(
        fc.oneof(fc.tuple(sparse, powerballs(1e-2)), fc.tuple(dense, powerballs(1e-6))),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        ([w, pb], count, seed) => {
          const support = w.filter((x) => x > 0).length;
          fc.pre(support >= 5);
          supports.set(Math.min(support, 8), (supports.get(Math.min(support, 8)) ?? 0) + 1);
          const d = dist(
            normalizeInPlace(Float64Array.from([0, ...w])),
            normalizeInPlace(Float64Array.from([0, ...pb])),
          );
          const tickets = sampleTickets(d, CURRENT_ERA, count, new Rng(seed));
          expect(new Set(tickets.map((t) => `${t.whites.join('-')}|${t.powerball}`)).size).toBe(count);
          for (const t of tickets) {
            expect(new Set(t.whites).size).toBe(5);
            for (const n of t.whites) expect(d.whites[n]).toBeGreaterThan(0); // never a number it rules out
            const exact = whiteSetProbability(d.whites, t.whites) * (d.powerball[t.powerball] as number);
            expect(t.probability).toBe(exact);
            expect(t.probability).toBeGreaterThan(0);
            expect(t.probability).toBeLessThanOrEqual(1);
          }
          if (support === 5) expect(new Set(tickets.map((t) => t.whites.join('-'))).size).toBe(1);
        },
      ),
      { numRuns: 200 },
    );
    // The runs did reach the sparse supports (8 stands for 8 or more).
    for (const k of [5, 6, 7, 8]) expect(supports.get(k), `support ${k}`).toBeGreaterThan(10);
  });
});
