/**
 * The parts of `analyze` that `pbi ask` reads beyond the whole-history statistics, on the
 * hand-computed fixture (test/fixtures/draws/hand-analysis.csv):
 *
 *   2015-10-03 Sat  10 20 30 40 59  PB 35   (2012 era: whites 1–59, PB 1–35)
 *   2025-05-31 Sat   1  2  3  4  5  PB 1
 *   2025-06-02 Mon   1  2  3 10 20  PB 2
 *   2025-06-04 Wed   1  7 30 40 69  PB 1
 *   2025-06-07 Sat   2  8 31 41 68  PB 26
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { AnalysisService } from '../../src/services/analysis-service.js';
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

const C = (n: number, k: number): number => (k === 0 ? 1 : (C(n - 1, k - 1) * n) / k);

describe('analyze: dates, selections, consecutive whites, prize odds', () => {
  it('--from/--to keep the draws between the dates, each era apart', () => {
    const r = service.analyze({ era: 'all', from: '2015-01-01' as never, to: '2025-06-02' as never });
    expect(r.eras.map((e) => [e.era.id, e.draws, e.from, e.to])).toEqual([
      ['2012-01-18', 1, '2015-10-03', '2015-10-03'],
      ['2015-10-07', 2, '2025-05-31', '2025-06-02'],
    ]);
    expect(() => service.analyze({ from: '2025-06-05' as never, to: '2025-06-01' as never })).toThrow(
      'from 2025-06-05 is after to 2025-06-01',
    );
    expect(() => service.analyze({ from: '2025-06-08' as never })).toThrow(
      'no draws to analyse between 2025-06-08 and the last in the current era (since 2015-10-07)',
    );
  });

  it('a selection: draws holding all of it, against chance, with its gap and weekdays', () => {
    const e = service.analyze({ selection: { whites: [1, 2], powerball: null } }).eras[0]!;
    const s = e.selection!;
    expect([s.count, s.lastSeen, s.gap, s.longestGap, s.possible]).toEqual([2, '2025-06-02', 2, 2, true]);
    expect(s.probability).toBeCloseTo(C(67, 3) / C(69, 5), 15);
    expect(s.expected).toBeCloseTo((4 * C(67, 3)) / C(69, 5), 12);
    expect(s.weekdays.map((w) => [w.weekday, w.draws, w.count])).toEqual([
      ['Monday', 1, 1],
      ['Wednesday', 1, 0],
      ['Saturday', 2, 1],
    ]);
    const pb = service.analyze({ selection: { whites: [1], powerball: 1 } }).eras[0]!.selection!;
    expect([pb.count, pb.lastSeen]).toEqual([2, '2025-06-04']);
    expect(pb.probability).toBeCloseTo(5 / 69 / 26, 15);
    // 69 is out of the 2012 era's range: impossible there, counted in the current era.
    const all = service.analyze({ era: 'all', selection: { whites: [69], powerball: null } }).eras;
    expect(all.map((x) => [x.selection!.possible, x.selection!.count, x.selection!.expected])).toEqual([
      [false, 0, 0],
      [true, 1, (4 * 5) / 69],
    ]);
    for (const bad of [
      { whites: [1, 1], powerball: null },
      { whites: [], powerball: null },
      { whites: [1, 2, 3, 4, 5, 6], powerball: null },
    ])
      expect(() => service.analyze({ selection: bad })).toThrow(PbiError);
  });

  it('consecutive whites, sum tails by chance and the prize odds of each era', () => {
    const e = service.analyze({ sum: 36 }).eras[0]!;
    // 1 2 3 4 5 and 1 2 3 10 20 hold consecutive whites; 1 7 30 40 69 and 2 8 31 41 68 do not.
    expect(e.consecutive.count).toBe(2);
    expect(e.consecutive.expected).toBeCloseTo(4 * (1 - C(65, 5) / C(69, 5)), 12);
    // 1,125 of the C(69,5) tickets sum below 36 and 221 to exactly 36 (enumerated in Python).
    const p = e.sums.position!;
    expect(p.expectedBelow).toBeCloseTo((4 * 1125) / C(69, 5), 12);
    expect(p.expectedEqual).toBeCloseTo((4 * 221) / C(69, 5), 12);
    expect(p.expectedBelow + p.expectedEqual + p.expectedAbove).toBeCloseTo(4, 12);
    expect(e.prizeOdds.find((o) => o.tier === '5+PB')!.oneIn).toBe(292_201_338);
    expect(e.prizeOdds.find((o) => o.tier === 'PB')!.oneIn).toBe(38);
    const old = service.analyze({ era: 'all' }).eras[0]!;
    expect(old.prizeOdds.find((o) => o.tier === '5+PB')!.oneIn).toBe(C(59, 5) * 35);
  });
});
