/**
 * The shared conformance suite every Strategy implementation's test calls (STYLE §1):
 * valid probabilities over the current era's ranges, no use of the target or later draws,
 * deterministic, whites and Powerball kept in separate pools, an honest shrinkage description.
 */
import { describe, expect, it } from 'vitest';
import { nextDrawDate } from '../../src/domain/calendar.js';
import type { Draw } from '../../src/domain/draw.js';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import type { Whites } from '../../src/domain/ticket.js';
import type { Distribution, Strategy, Target } from '../../src/strategies/strategy.js';
import { loadBundledDraws } from './bundled-draws.js';

export interface ConformanceOptions {
  /** A fresh instance each call. */
  readonly create: () => Strategy;
  /** Set when the strategy deliberately has no opinion on the Powerball (uniform). */
  readonly uniformPowerball?: boolean;
  /**
   * False for a learned model whose white-ball outputs may take Powerball features as inputs (and
   * vice versa): its pools are still separate (whites come from white outputs only), but changing
   * one pool's history may move the other's prediction. Default true.
   */
  readonly independentPools?: boolean;
}

function sumOver(a: Float64Array): number {
  let s = 0;
  for (let i = 1; i < a.length; i++) s += a[i] as number;
  return s;
}

function expectValid(d: Distribution, target: Target): void {
  expect(d.whites.length).toBe(target.era.whiteMax + 1);
  expect(d.powerball.length).toBe(target.era.powerballMax + 1);
  for (const arr of [d.whites, d.powerball]) {
    for (let i = 1; i < arr.length; i++) {
      expect(Number.isFinite(arr[i])).toBe(true);
      expect(arr[i]).toBeGreaterThan(0); // shrinkage toward uniform keeps every number possible
    }
    expect(sumOver(arr)).toBeCloseTo(1, 9);
  }
  expect(d.shrinkage.uniformWeight).toBeGreaterThanOrEqual(0);
  expect(d.shrinkage.uniformWeight).toBeLessThanOrEqual(1);
  expect(d.shrinkage.description.length).toBeGreaterThan(10);
  if (d.constraint) {
    const [lo, hi] = d.constraint.sumRange;
    expect(lo).toBeGreaterThanOrEqual(15);
    expect(hi).toBeLessThanOrEqual(5 * target.era.whiteMax - 10);
    expect(hi).toBeGreaterThan(lo);
  }
}

const same = (a: Distribution, b: Distribution) => {
  expect(Array.from(a.whites)).toEqual(Array.from(b.whites));
  expect(Array.from(a.powerball)).toEqual(Array.from(b.powerball));
  expect(a.constraint).toEqual(b.constraint);
};

export function runStrategyConformance(options: ConformanceOptions): void {
  const all = loadBundledDraws();
  const latest = all[all.length - 1] as Draw;
  const next: Target = { date: nextDrawDate(latest.date), era: CURRENT_ERA };
  const cut = all.findIndex((d) => d.date >= '2020-01-01');
  const past: Target = { date: (all[cut] as Draw).date, era: CURRENT_ERA };
  const prefix = Object.freeze(all.slice(0, cut));

  describe(`Strategy conformance: ${options.create().name}`, () => {
    it('has a name and a one-line belief', () => {
      const s = options.create();
      expect(s.name).toMatch(/^[a-z]+$/);
      expect(s.belief.length).toBeGreaterThan(15);
      expect(s.belief).not.toContain('\n');
    });

    it('gives valid probabilities over the current era ranges for the next draw and a past one', () => {
      const s = options.create();
      expectValid(s.distribution(all, next), next);
      expectValid(s.distribution(prefix, past), past);
    });

    it('answers for an empty history and for the first draw of the era', () => {
      const s = options.create();
      const first = all.findIndex((d) => d.date >= CURRENT_ERA.from);
      const t: Target = { date: (all[first] as Draw).date, era: CURRENT_ERA };
      expectValid(s.distribution(Object.freeze(all.slice(0, first)), t), t);
      expectValid(s.distribution([], t), t);
    });

    it('uses neither the target draw nor later draws, and does not mutate the history', () => {
      const warm = options.create();
      warm.distribution(all, next); // a warm cache holding later draws must not leak into the past
      const copy = JSON.stringify(prefix);
      const a = warm.distribution(prefix, past);
      const b = options.create().distribution(Object.freeze([...prefix]), past);
      same(a, b);
      expect(JSON.stringify(prefix)).toBe(copy);
      // Changing what was drawn on the target date (and after) changes nothing.
      const altered = all.map((d, i) =>
        i >= cut ? { ...d, whites: [1, 2, 3, 4, 5] as unknown as Whites, powerball: 1 } : d,
      );
      same(options.create().distribution(Object.freeze(altered.slice(0, cut)), past), b);
    });

    it('is deterministic: same history and target, same distribution', () => {
      const s = options.create();
      const a = s.distribution(prefix, past);
      same(a, s.distribution(prefix, past));
      same(a, options.create().distribution(Object.freeze([...prefix]), past));
    });

    it.runIf(options.independentPools ?? true)(
      'keeps the white balls and the Powerball in separate pools',
      () => {
        // Same whites, Powerballs all replaced by 26: the white distribution must not move.
        const pbOnly = Object.freeze(prefix.map((d) => ({ ...d, powerball: 26 })));
        const a = options.create().distribution(prefix, past);
        const b = options.create().distribution(pbOnly, past);
        expect(Array.from(b.whites)).toEqual(Array.from(a.whites));
        // Same Powerballs, whites replaced: the Powerball distribution must not move.
        const whitesOnly = Object.freeze(
          prefix.map((d) => ({ ...d, whites: [65, 66, 67, 68, 69] as unknown as Whites })),
        );
        const c = options.create().distribution(whitesOnly, past);
        expect(Array.from(c.powerball)).toEqual(Array.from(a.powerball));
        if (options.uniformPowerball) {
          for (let n = 1; n <= CURRENT_ERA.powerballMax; n++) expect(a.powerball[n]).toBeCloseTo(1 / 26, 12);
        }
      },
    );
  });
}
