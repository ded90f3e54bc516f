/**
 * `pbi analyze` as the real executable on the bundled history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedHistory } from '../strategies/bundled-draws.js';
import { runPbi } from '../support/run-pbi.js';
import { makeTestDb } from '../support/test-db.js';

/** pbi init loads the shipped data/powerball, refreshed over time: expectations come from it. */
const SHIPPED = shippedHistory();

let dir: string;
let db: string;
beforeAll(async () => {
  ({ dir, dbPath: db } = makeTestDb({ name: 'a.db' }));
  expect((await runPbi(['--db', db, 'init'])).code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pbi analyze', () => {
  it('--json on the current era reports every figure of issue 2', async () => {
    const r = await runPbi([
      '--db',
      db,
      '--json',
      'analyze',
      '--sum',
      '175',
      '--with-powerball',
      '--period',
      'yearly',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.eraMode).toBe('current');
    expect(report.eras).toHaveLength(1);
    const e = report.eras[0];
    expect(e.era.from).toBe('2015-10-07');
    expect(e.to).toBe(SHIPPED.last.date);
    expect(e.whites.numbers).toHaveLength(69);
    expect(e.powerball.numbers).toHaveLength(26);
    const totalWhites = e.whites.numbers.reduce((s: number, x: { count: number }) => s + x.count, 0);
    expect(totalWhites).toBe(5 * e.draws);
    expect(e.whites.numbers[0]).toEqual(
      expect.objectContaining({
        number: 1,
        expected: expect.closeTo((5 * e.draws) / 69, 9),
        gap: expect.any(Number),
        longestGap: expect.any(Number),
      }),
    );
    expect(e.whites.hot).toHaveLength(5);
    expect(e.whites.cold).toHaveLength(5);
    expect(e.whites.overdue).toHaveLength(5);
    expect(e.whites.chiSquare).toMatchObject({ df: 68 });
    expect(e.whites.chiSquare.pValue).toBeGreaterThan(0);
    expect(e.whites.chiSquare.pValue).toBeLessThanOrEqual(1);
    expect(e.powerball.chiSquare.df).toBe(25);
    expect(e.sums.position).toMatchObject({ sum: 175, possible: true });
    expect(e.sums.position.expectedPercentile).toBeCloseTo(50, 9);
    expect(e.oddEven.distribution).toHaveLength(6);
    expect(e.highLow.distribution).toHaveLength(6);
    expect(e.combinations.map((c: { size: number }) => c.size)).toEqual([2, 3, 4, 5, 6]);
    expect(e.trends.period).toBe('yearly');
    expect(e.trends.recent.draws).toBeGreaterThan(100);
    expect(e.weekdays.map((w: { weekday: string }) => w.weekday)).toEqual([
      'Monday',
      'Wednesday',
      'Saturday',
    ]);
    // The bundled history has every scheduled draw of the era.
    for (const w of e.weekdays) expect(w.observed).toBe(w.expected);
  });

  it('--era all analyses each of the seven eras separately; no Monday before 2021', async () => {
    const r = await runPbi(['--db', db, '--json', 'analyze', '--era', 'all']);
    const report = JSON.parse(r.stdout);
    expect(report.eras.map((e: { era: { whiteMax: number } }) => e.era.whiteMax)).toEqual([
      45, 49, 53, 55, 59, 59, 69,
    ]);
    expect(report.eras.reduce((s: number, e: { draws: number }) => s + e.draws, 0)).toBe(SHIPPED.count);
    for (const e of report.eras.slice(0, 6))
      expect(e.weekdays.map((w: { weekday: string }) => w.weekday)).toEqual(['Wednesday', 'Saturday']);
  });

  it('--window limits the draws; text output is readable; bad flags are named', async () => {
    const r = await runPbi(['--db', db, 'analyze', '--window', '50']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/50 draws analysed/);
    expect(r.stdout).toMatch(/chi-square uniformity: statistic [\d.]+, df 68, p-value/);
    expect(r.stdout).toMatch(/do not change the odds/);
    const bad = await runPbi(['--db', db, 'analyze', '--window', '0']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--window must be a whole number/);
    // The service names fields neutrally; the command line words them as its flags.
    const reversed = await runPbi(['--db', db, 'analyze', '--from', '2020-01-01', '--to', '2019-01-01']);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/^pbi: --from 2020-01-01 is after --to 2019-01-01$/m);
    const twice = await runPbi(['--db', db, 'analyze', '--numbers', '5,5']);
    expect(twice.stderr).toMatch(/^pbi: --numbers: a white ball is repeated$/m);
  });

  it('an empty database is a clear error', async () => {
    const empty = path.join(dir, 'empty.db');
    const r = await runPbi(['--db', empty, 'analyze']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no draws of the current era/);
  });
});
