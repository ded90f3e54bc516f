import { describe, expect, it } from 'vitest';
import {
  centralRange,
  createSumStrategy,
  predictedSumDistribution,
  sumTiltedWhites,
  uniformSumDistribution,
} from '../../src/strategies/sum.js';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import { history } from './helpers.js';
import { loadBundledDraws } from './bundled-draws.js';
import { runStrategyConformance } from './strategy-conformance.js';

runStrategyConformance({ create: () => createSumStrategy(), uniformPowerball: true });

/** Brute force over every 5-subset of 1..max: sum distribution and white marginals given h. */
function bruteForce(max: number, h: Float64Array) {
  const counts = new Float64Array(5 * max + 1);
  const sets: number[][] = [];
  for (let a = 1; a <= max; a++)
    for (let b = a + 1; b <= max; b++)
      for (let c = b + 1; c <= max; c++)
        for (let d = c + 1; d <= max; d++)
          for (let e = d + 1; e <= max; e++) {
            sets.push([a, b, c, d, e]);
            counts[a + b + c + d + e] = (counts[a + b + c + d + e] as number) + 1;
          }
  const marg = new Float64Array(max + 1);
  for (const s of sets) {
    const sum = s.reduce((x, y) => x + y, 0);
    const p = (h[sum] as number) / (counts[sum] as number);
    for (const w of s) marg[w] = (marg[w] as number) + p / 5;
  }
  return { counts, marg, total: sets.length };
}

describe('sum strategy', () => {
  it('computes exact tilted marginals (checked against enumerating every set of 1..20)', () => {
    const max = 20;
    const u = uniformSumDistribution(max);
    const h = new Float64Array(u.length);
    for (let s = 0; s < h.length; s++) h[s] = (u[s] as number) * (s < 50 ? 2 : 0.5); // tilt low
    const z = h.reduce((a, b) => a + b, 0);
    for (let s = 0; s < h.length; s++) h[s] = (h[s] as number) / z;
    const bf = bruteForce(max, h);
    const got = sumTiltedWhites(h, max);
    for (let w = 1; w <= max; w++) expect(got[w]).toBeCloseTo(bf.marg[w] as number, 12);
    expect(got[1]).toBeGreaterThan(got[20] as number); // low sums favour low numbers
    for (let s = 0; s < u.length; s++) expect(u[s]).toBeCloseTo((bf.counts[s] as number) / bf.total, 14);
  });

  it('marginals of the uniform sum distribution are uniform', () => {
    const m = sumTiltedWhites(uniformSumDistribution(69), 69);
    for (let w = 1; w <= 69; w++) expect(m[w]).toBeCloseTo(1 / 69, 12);
  });

  it('puts the sampling range around the sums of the era, holding about 90% of them', () => {
    const all = loadBundledDraws();
    const era = all.filter((d) => d.date >= CURRENT_ERA.from);
    const h = predictedSumDistribution(era, 69);
    const [lo, hi] = centralRange(h, 0.9);
    const inside = era.filter((d) => {
      const s = d.whites.reduce((a, b) => a + b, 0);
      return s >= lo && s <= hi;
    }).length;
    expect(inside / era.length).toBeGreaterThan(0.85);
    expect(inside / era.length).toBeLessThan(0.95);
    const d = createSumStrategy().distribution(all, { date: '2026-08-08' as never, era: CURRENT_ERA });
    expect(d.constraint?.sumRange).toEqual([lo, hi]);
  });

  it('shifts toward low numbers when past sums were low', () => {
    const rows: number[][] = [];
    for (let i = 0; i < 40; i++) rows.push([1 + (i % 3), 5, 9, 12, 20 + (i % 5), 1]);
    const { draws, next } = history(rows);
    const d = createSumStrategy({ uniformWeight: 0 }).distribution(draws, next);
    expect(d.whites[5]).toBeGreaterThan(d.whites[65] as number);
    expect(d.constraint?.sumRange[0]).toBeLessThan(100);
  });
});
