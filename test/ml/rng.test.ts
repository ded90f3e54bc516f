import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/ml/rng.js';
import { PbiError } from '../../src/domain/errors.js';

describe('Rng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    const sb = Array.from({ length: 20 }, () => b.nextUint32());
    const sc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    // Seeds that differ only above 32 bits still give different streams.
    expect(new Rng(2 ** 40 + 1).nextUint32()).not.toBe(new Rng(1).nextUint32());
  });

  it('nextFloat stays in [0, 1) with a mean near 1/2', () => {
    const r = new Rng(7);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = r.nextFloat();
      if (!(v >= 0 && v < 1)) outside++;
      sum += v;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.005);
  });

  it('nextInt(n) is uniform over [0, n) (chi-square)', () => {
    const r = new Rng(1);
    const n = 69;
    const counts = new Array<number>(n).fill(0);
    const draws = 69_000;
    for (let i = 0; i < draws; i++) counts[r.nextInt(n)]!++;
    const expected = draws / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 68 degrees of freedom: the 99.9% quantile is about 111.
    expect(chi2).toBeLessThan(111);
  });

  it('rejects invalid bounds and seeds with a PbiError', () => {
    const r = new Rng(1);
    expect(() => r.nextInt(0)).toThrow(PbiError);
    expect(() => r.nextInt(2.5)).toThrow(PbiError);
    expect(() => r.sampleWithoutReplacement(3, 4)).toThrow(PbiError);
    expect(() => new Rng(Number.NaN)).toThrow(PbiError);
  });

  it('shuffle returns a permutation and sampleWithoutReplacement gives distinct in-range values', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 500 }),
        fc.nat(),
        (seed, n, kRaw) => {
          const r = new Rng(seed);
          const arr = Array.from({ length: n }, (_, i) => i);
          r.shuffle(arr);
          expect([...arr].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
          const k = kRaw % (n + 1);
          const s = r.sampleWithoutReplacement(n, k);
          expect(s.length).toBe(k);
          expect(new Set(s).size).toBe(k);
          for (const v of s) expect(v >= 0 && v < n).toBe(true);
        },
      ),
    );
  });

  it('sampleWithoutReplacement picks every element with equal probability (sparse path)', () => {
    const r = new Rng(3);
    const n = 100;
    const counts = new Array<number>(n).fill(0);
    const trials = 20_000;
    for (let t = 0; t < trials; t++) for (const v of r.sampleWithoutReplacement(n, 5)) counts[v]!++;
    const expected = (trials * 5) / n;
    const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(149); // 99 dof, 99.9% quantile ~ 148.2
  });
});
