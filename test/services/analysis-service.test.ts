/**
 * `analyze` against a fixture small enough to compute by hand (test/fixtures/draws/hand-analysis.csv):
 * one draw of the 2012 era (whites 1–59, PB 1–35) and four of the current era (1–69, PB 1–26):
 *
 *   2025-05-31 Sat   1  2  3  4  5   PB 1
 *   2025-06-02 Mon   1  2  3 10 20   PB 2
 *   2025-06-04 Wed   1  7 30 40 69   PB 1
 *   2025-06-07 Sat   2  8 31 41 68   PB 26
 *
 * Reference p-values come from scipy.stats.chi2.sf; the expected sum percentile from enumerating
 * all C(69,5) tickets in Python (1,125 sums below 36, 221 equal to 36).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { AnalysisService, analyzeDraws, type EraAnalysis } from '../../src/services/analysis-service.js';
import { DrawService } from '../../src/services/draw-service.js';
import { makeTestContext, ROOT, type TestContext } from '../support/test-db.js';

let ctx: TestContext;
let service: AnalysisService;
beforeAll(() => {
  ctx = makeTestContext({ today: '2025-06-08' });
  new DrawService(ctx).importFile(path.join(ROOT, 'test/fixtures/draws/hand-analysis.csv'));
  service = new AnalysisService(ctx);
});
afterAll(() => ctx.cleanup());

function current(options: Parameters<AnalysisService['analyze']>[0] = {}): EraAnalysis {
  const r = service.analyze(options);
  expect(r.eras).toHaveLength(1);
  return r.eras[0]!;
}

describe('analyze on the hand-computed fixture (current era)', () => {
  it('counts only the current era, with the expected count beside each number', () => {
    const e = current();
    expect(e.draws).toBe(4);
    expect(e.era.from).toBe('2015-10-07');
    expect(e.whites.size).toBe(69);
    expect(e.powerball.size).toBe(26);
    const w = (n: number) => e.whites.numbers[n - 1]!;
    expect([w(1).count, w(2).count, w(3).count, w(4).count, w(69).count, w(50).count]).toEqual([
      3, 3, 2, 1, 1, 0,
    ]);
    // 10, 20, 30, 40 also appear in the 2015-10-03 draw of the previous era; it is not counted.
    expect([w(10).count, w(20).count, w(30).count, w(40).count]).toEqual([1, 1, 1, 1]);
    expect(w(1).expected).toBeCloseTo(20 / 69, 12);
    expect(e.powerball.numbers.map((x) => x.count).filter((c) => c > 0)).toEqual([2, 1, 1]); // PB 1, 2, 26
    expect(e.powerball.expectedCount).toBeCloseTo(4 / 26, 12);
  });

  it('gaps: draws since last seen and the longest run without the number', () => {
    const w = current().whites.numbers;
    const g = (n: number) => [w[n - 1]!.gap, w[n - 1]!.longestGap, w[n - 1]!.lastSeen];
    expect(g(1)).toEqual([1, 1, '2025-06-04']);
    expect(g(2)).toEqual([0, 1, '2025-06-07']);
    expect(g(3)).toEqual([2, 2, '2025-06-02']);
    expect(g(69)).toEqual([1, 2, '2025-06-04']);
    expect(g(50)).toEqual([4, 4, null]);
  });

  it('hot, cold and overdue lists', () => {
    const e = current({ top: 3 });
    expect(e.whites.hot.map((x) => x.number)).toEqual([1, 2, 3]);
    expect(e.whites.cold.map((x) => x.number)).toEqual([6, 9, 11]);
    expect(e.whites.overdue.map((x) => [x.number, x.gap])).toEqual([
      [6, 4],
      [9, 4],
      [11, 4],
    ]);
    expect(e.powerball.hot.map((x) => x.number)).toEqual([1, 2, 26]);
  });

  it('chi-square: Pearson 97.3 rescaled by 68/64 for whites, 35 for the Powerball', () => {
    const e = current();
    expect(e.whites.chiSquare.pearson).toBeCloseTo(97.3, 10); // Σo² = 34; 34·69/20 − 20
    expect(e.whites.chiSquare.statistic).toBeCloseTo(103.38125, 10);
    expect(e.whites.chiSquare.df).toBe(68);
    expect(e.whites.chiSquare.pValue).toBeCloseTo(0.003671362367035713, 12);
    expect(e.powerball.chiSquare.statistic).toBeCloseTo(35, 10); // Σo² = 6; 6·26/4 − 4
    expect(e.powerball.chiSquare.df).toBe(25);
    expect(e.powerball.chiSquare.pValue).toBeCloseTo(0.08820321124924375, 12);
  });

  it('sum distribution and where a given sum sits', () => {
    const s = current({ sum: 36 }).sums; // sums 15, 36, 147, 150
    expect(s.mean).toBe(87);
    expect(s.sd).toBeCloseTo(Math.sqrt(15354 / 3), 10);
    expect([s.min, s.max]).toEqual([15, 150]);
    expect(s.percentiles).toEqual({
      p5: 18.15,
      p10: 21.3,
      p25: 30.75,
      p50: 91.5,
      p75: 147.75,
      p90: 149.1,
      p95: 149.55,
    });
    expect(s.expectedMean).toBe(175);
    expect(s.expectedSd).toBeCloseTo(Math.sqrt(((5 * 4760) / 12) * (64 / 68)), 10);
    expect(s.position).toMatchObject({
      sum: 36,
      possible: true,
      below: 1,
      equal: 1,
      above: 2,
      percentile: 37.5,
    });
    expect(s.position?.expectedPercentile).toBeCloseTo(((1125 + 221 / 2) / 11238513) * 100, 12);
    expect(s.histogram.reduce((a, b) => a + b.count, 0)).toBe(4);
    expect(s.histogram.reduce((a, b) => a + b.expected, 0)).toBeCloseTo(4, 9);
    expect(current({ sum: 175 }).sums.position?.expectedPercentile).toBeCloseTo(50, 12); // symmetric
    expect(current({ sum: 14 }).sums.position?.possible).toBe(false);
  });

  it('odd/even and high/low splits against the hypergeometric expectation', () => {
    const e = current();
    expect(e.oddEven.distribution.map((d) => d.count)).toEqual([0, 0, 2, 2, 0, 0]);
    const expectedOdd = [
      0.09903658962711526, 0.5777134394915057, 1.267242383400722, 1.3068437078819948, 0.633621191700361,
      0.11554268789830113,
    ];
    e.oddEven.distribution.forEach((d, k) => expect(d.expected).toBeCloseTo(expectedOdd[k]!, 12));
    expect(e.highLow.distribution.map((d) => d.count)).toEqual([2, 0, 2, 0, 0, 0]); // high = 35–69
    expect(e.powerballOdd).toEqual({ count: 2, expected: 2 });
  });

  it('most frequent combinations, with and without the Powerball', () => {
    const combos = current().combinations;
    expect(combos.map((c) => c.size)).toEqual([2, 3, 4, 5]);
    expect(combos[0]!.top.map((t) => [t.whites, t.count])).toEqual([
      [[1, 2], 2],
      [[1, 3], 2],
      [[2, 3], 2],
    ]);
    expect(combos[0]!.distinct).toBe(37);
    expect(combos[0]!.expected).toBeCloseTo((4 * 10) / 2346, 12);
    expect(combos[1]!.top).toEqual([{ whites: [1, 2, 3], powerball: null, count: 2 }]);
    expect(combos[2]!.top).toEqual([]);
    const withPb = current({ withPowerball: true }).combinations;
    expect(withPb.map((c) => c.size)).toEqual([2, 3, 4, 5, 6]);
    expect(withPb[0]!.top).toEqual([{ whites: [1], powerball: 1, count: 2 }]);
    expect(withPb[0]!.expected).toBeCloseTo((4 * 5) / 69 / 26, 12);
  });

  it('trends: the last K periods against the K before', () => {
    const t = current({ period: 'weekly', periods: 1 }).trends;
    expect(t.recent).toEqual({ from: '2025-06-01', to: '2025-06-07', draws: 3 });
    expect(t.previous).toEqual({ from: '2025-05-25', to: '2025-05-31', draws: 1 });
    expect(t.whites.falling.map((x) => [x.number, x.previous, x.recent])).toEqual([
      [4, 1, 0],
      [5, 1, 0],
      [3, 1, 1],
      [1, 1, 2],
      [2, 1, 2],
    ]);
    expect(t.whites.rising.map((x) => x.number)).toEqual([7, 8, 10, 20, 30]);
    expect(t.whites.rising[0]!.change).toBeCloseTo(1 / 3, 12);
    expect(t.powerball.rising.map((x) => x.number)).toEqual([2, 26]);
    expect(t.powerball.falling.map((x) => x.number)).toEqual([1]);
  });

  it('draws per weekday against the scheduled draw days', () => {
    const e = current();
    expect(e.weekdays).toEqual([
      { weekday: 'Monday', observed: 1, expected: 1 },
      { weekday: 'Wednesday', observed: 1, expected: 1 },
      { weekday: 'Saturday', observed: 2, expected: 2 },
    ]);
    expect(e.missingDraws).toBe(0);
  });

  it('window keeps the newest N draws', () => {
    const e = current({ window: 2 });
    expect(e.draws).toBe(2);
    expect(e.from).toBe('2025-06-04');
  });
});

describe('eras', () => {
  it('--era all analyses each era separately with its own ranges', () => {
    const r = service.analyze({ era: 'all' });
    expect(r.eras.map((e) => [e.era.from, e.draws, e.whites.size, e.powerball.size])).toEqual([
      ['2012-01-18', 1, 59, 35],
      ['2015-10-07', 4, 69, 26],
    ]);
    // Before 2021-08-23 Mondays were not draw days: no Monday expected or seen.
    expect(r.eras[0]!.weekdays).toEqual([{ weekday: 'Saturday', observed: 1, expected: 1 }]);
  });

  it('a number that did not exist in an era is not cold there', () => {
    const old = service.analyze({ era: 'all' }).eras[0]!;
    expect(old.whites.numbers).toHaveLength(59);
    expect(old.whites.cold.every((x) => x.number <= 59)).toBe(true);
  });

  it('missing draw dates show up against the calendar', () => {
    const all = ctx.store.draws.list().filter((d) => d.date !== '2025-06-04');
    const e = analyzeDraws(all).eras[0]!;
    expect(e.weekdays.find((w) => w.weekday === 'Wednesday')).toEqual({
      weekday: 'Wednesday',
      observed: 0,
      expected: 1,
    });
    expect(e.missingDraws).toBe(1);
  });

  it('no draws of the era is INSUFFICIENT_DATA', () => {
    try {
      analyzeDraws(ctx.store.draws.list().slice(0, 1));
      expect.unreachable();
    } catch (e) {
      expect((e as PbiError).code).toBe('INSUFFICIENT_DATA');
    }
  });
});
