/**
 * The analysis views behind the dashboard's pages (`/api/analysis/<kind>`) on the real bundled
 * history: every response parses with its published contract schema (so the OpenAPI document
 * describes every field), and each figure is recounted here from the CSV, independently of the
 * service's code.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/interfaces/http/app.js';
import {
  AnalysisReportSchema,
  CombinationsViewSchema,
  GapsViewSchema,
  IntegrityReportSchema,
  PairMatrixSchema,
  PooledViewSchema,
  SumsViewSchema,
  TrendsViewSchema,
  WeekdaysViewSchema,
} from '../../src/interfaces/http/contract/analysis.js';
import { PINNED_DRAWS_CSV } from '../strategies/bundled-draws.js';
import { makeTestService, type TestService } from '../support/test-db.js';

interface Row {
  date: string;
  whites: number[];
  pb: number;
}
const ROWS: Row[] = fs
  .readFileSync(PINNED_DRAWS_CSV, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => {
    const [date, ...n] = l.split(',');
    return { date: date as string, whites: n.slice(0, 5).map(Number), pb: Number(n[5]) };
  });
const CURRENT = ROWS.filter((r) => r.date >= '2015-10-07');

describe('analysis views of the dashboard', () => {
  let t: TestService;
  let app: ReturnType<typeof createApp>['app'];
  beforeAll(() => {
    t = makeTestService();
    app = createApp({ service: t.service, staticDir: null }).app;
  });
  afterAll(() => t.cleanup());

  const get = async (path: string) => {
    const res = await app.request(`/api${path}`);
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('counts chosen numbers per month and ranks the trending ones with their chance context', async () => {
    const { status, body } = await get(
      '/analysis/trends?group=month&numbers=7,21&from=2024-01-01&to=2024-12-31',
    );
    expect(status).toBe(200);
    const v = TrendsViewSchema.parse(body);
    expect(v.periods).toHaveLength(12);
    const in2024 = CURRENT.filter((r) => r.date.startsWith('2024-'));
    expect(v.periods.reduce((s, p) => s + p.draws, 0)).toBe(in2024.length);
    const march = in2024.filter((r) => r.date.startsWith('2024-03-'));
    expect(v.periods[2]).toEqual({
      start: '2024-03-01',
      draws: march.length,
      counts: [7, 21].map((n) => march.filter((r) => r.whites.includes(n)).length),
    });
    expect(v.chancePerDraw).toBeCloseTo(5 / 69, 12);
    // Rising first by change, each with its z against chance; falling the other way.
    const rising = v.comparison.rising.map((e) => e.change);
    expect(rising).toEqual([...rising].sort((a, b) => b - a));
    for (const e of [...v.comparison.rising, ...v.comparison.falling]) {
      expect(Math.sign(e.z)).toBe(Math.sign(e.change));
    }
    const weekly = TrendsViewSchema.parse(
      (await get('/analysis/trends?group=week&from=2024-01-01&to=2024-01-31')).body,
    );
    // Weeks start on Monday: 2024-01-01 was one.
    expect(weekly.periods.map((p) => p.start)).toEqual([
      '2024-01-01',
      '2024-01-08',
      '2024-01-15',
      '2024-01-22',
      '2024-01-29',
    ]);
    const bad = await get('/analysis/trends?numbers=70');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('query.numbers');
  });

  it('counts combinations of any size against chance, with the Powerball and a minimum count', async () => {
    const pairs = CombinationsViewSchema.parse((await get('/analysis/combinations?size=2&top=25')).body);
    expect(pairs.top).toHaveLength(25);
    const counts = new Map<string, number>();
    for (const r of CURRENT)
      for (let i = 0; i < 5; i++)
        for (let j = i + 1; j < 5; j++) {
          const k = `${r.whites[i]}-${r.whites[j]}`;
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
    const best = Math.max(...counts.values());
    expect(pairs.top[0]?.count).toBe(best);
    expect(pairs.distinct).toBe(counts.size);
    expect(pairs.possible).toBe((69 * 68) / 2);
    expect(pairs.occurrences).toBe(CURRENT.length * 10);
    expect(pairs.expected).toBeCloseTo((CURRENT.length * 10) / ((69 * 68) / 2), 9);
    expect(pairs.top[0]?.ratio).toBeCloseTo(best / pairs.expected, 9);

    const withPb = CombinationsViewSchema.parse(
      (await get('/analysis/combinations?size=3&withPowerball=true&minCount=3')).body,
    );
    expect(withPb.withPowerball).toBe(true);
    expect(withPb.top.every((e) => e.powerball !== null && e.whites.length === 2 && e.count >= 3)).toBe(true);
    const five = CombinationsViewSchema.parse((await get('/analysis/combinations?size=5')).body);
    expect(five.possible).toBe(11_238_513);
    expect((await get('/analysis/combinations?size=6')).status).toBe(400);
  });

  it('places any sum among the draws, with and without the Powerball, per year and in splits', async () => {
    const v = SumsViewSchema.parse((await get('/analysis/sums?sum=150')).body);
    const sums = CURRENT.map((r) => r.whites.reduce((a, b) => a + b, 0));
    const below = sums.filter((s) => s < 150).length;
    const equal = sums.filter((s) => s === 150).length;
    expect(v.whites.position?.percentile).toBeCloseTo(((below + equal / 2) / sums.length) * 100, 9);
    // Symmetric under chance: 5 of 1..69 sum to 175 on average.
    expect(v.whites.position?.expectedPercentile).toBeLessThan(50);
    const withPb = CURRENT.map((r, i) => (sums[i] as number) + r.pb);
    expect(v.withPowerball.mean).toBeCloseTo(withPb.reduce((a, b) => a + b, 0) / withPb.length, 9);
    expect(v.withPowerball.expectedMean).toBeCloseTo(175 + 13.5, 9);
    expect(v.withPowerball.histogram.reduce((s, b) => s + b.count, 0)).toBe(CURRENT.length);
    expect(v.withPowerball.histogram.reduce((s, b) => s + b.expected, 0)).toBeCloseTo(CURRENT.length, 6);
    const y2020 = CURRENT.filter((r) => r.date.startsWith('2020-'));
    expect(v.byYear.find((y) => y.year === 2020)).toEqual({
      year: 2020,
      draws: y2020.length,
      mean: expect.closeTo(
        y2020.reduce((s, r) => s + r.whites.reduce((a, b) => a + b, 0), 0) / y2020.length,
        9,
      ),
      expected: 175,
    });
    expect(v.oddEven.distribution.reduce((s, d) => s + d.count, 0)).toBe(CURRENT.length);
  });

  it('measures gaps between appearances in draws and in days, whites and Powerball apart', async () => {
    const v = GapsViewSchema.parse((await get('/analysis/gaps')).body);
    const idx = CURRENT.flatMap((r, i) => (r.whites.includes(1) ? [i] : []));
    const gaps = idx.slice(1).map((x, i) => x - (idx[i] as number));
    const one = v.whites.numbers[0];
    expect(one?.gaps).toBe(gaps.length);
    expect(one?.max).toBe(Math.max(...gaps));
    expect(one?.mean).toBeCloseTo(gaps.reduce((a, b) => a + b, 0) / gaps.length, 9);
    expect(one?.current).toBe(CURRENT.length - 1 - (idx.at(-1) as number));
    expect(v.whites.expectedMean).toBeCloseTo(69 / 5, 9);
    const total = v.whites.numbers.reduce((s, n) => s + n.gaps, 0);
    expect(v.whites.inDraws.reduce((s, b) => s + b.count, 0)).toBe(total);
    expect(v.whites.inDays.reduce((s, b) => s + b.count, 0)).toBe(total);
    expect(v.whites.inDraws.reduce((s, b) => s + b.expected, 0)).toBeCloseTo(total, 6);
    expect(v.powerball.size).toBe(26);
    expect(v.powerball.expectedMean).toBe(26);
  });

  it("counts each number's frequency per draw weekday", async () => {
    const v = WeekdaysViewSchema.parse((await get('/analysis/weekdays')).body);
    expect(v.days.map((d) => d.weekday)).toEqual(['Monday', 'Wednesday', 'Saturday']);
    const sats = CURRENT.filter((r) => new Date(`${r.date}T12:00:00Z`).getUTCDay() === 6);
    const sat = v.days.find((d) => d.weekday === 'Saturday');
    expect(sat?.draws).toBe(sats.length);
    expect(sat?.whites[6]).toBe(sats.filter((r) => r.whites.includes(7)).length);
    expect(sat?.powerball[9]).toBe(sats.filter((r) => r.pb === 10).length);
  });

  it('pools every draw of every era, with the chance each number had in the eras it existed', async () => {
    const v = PooledViewSchema.parse((await get('/analysis/pooled')).body);
    expect(v.draws).toBe(ROWS.length);
    expect(v.whites).toHaveLength(69);
    const n69 = v.whites[68];
    expect(n69?.count).toBe(ROWS.filter((r) => r.whites.includes(69)).length);
    // 69 exists only since 2015-10-07.
    expect(n69?.eligibleDraws).toBe(CURRENT.length);
    expect(n69?.expected).toBeCloseTo((CURRENT.length * 5) / 69, 9);
    expect(v.powerball).toHaveLength(45);
  });

  it('speaks the contract everywhere: the report, pairs and the database check parse', async () => {
    AnalysisReportSchema.parse((await get('/analyze?era=all&sum=150&numbers=7,21')).body);
    PairMatrixSchema.parse((await get('/analyze/pairs')).body);
    IntegrityReportSchema.parse((await get('/db/check')).body);
    const doc = (await get('/openapi.json')).body as {
      paths: Record<
        string,
        { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }
      >;
    };
    for (const kind of ['trends', 'combinations', 'sums', 'gaps', 'weekdays', 'pooled']) {
      const schema = JSON.stringify(
        doc.paths[`/analysis/${kind}`]?.get.responses['200']?.content['application/json']?.schema,
      );
      expect(schema, kind).toMatch(/\$ref/);
    }
    const analyze = JSON.stringify(doc.paths['/analyze']?.get.responses['200']);
    expect(analyze).toContain('AnalysisReport');
  });

  it('names the era field when the era is unknown, and says when the range holds no draws', async () => {
    const unknown = await get('/analysis/gaps?era=2013-01-01');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('query.era');
    const empty = await get('/analysis/sums?from=2030-01-01');
    expect(empty.status).toBe(422);
  });
});
