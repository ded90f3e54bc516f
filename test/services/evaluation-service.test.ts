/**
 * `pbi evaluate` on a real database: scores of stored predictions against the draws that happened,
 * the weight update (and its history), idempotence, and ml scored only out of sample.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import { PRIZE_TIERS, scoreTicket, tierProbability } from '../../src/domain/prizes.js';
import { logLikelihoodRatio } from '../../src/strategies/probability.js';
import { DEFAULT_WEIGHTS } from '../../src/strategies/weighted.js';
import { loadBundledDraws } from '../strategies/bundled-draws.js';
import { createTestDb, registerRidge, type TestDb } from './prediction-fixtures.js';

let db: TestDb;
afterEach(() => db?.cleanup());

const CSV_HEADER = 'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier\n';
const real = (date: string) => {
  const d = loadBundledDraws().find((x) => x.date === date)!;
  return `${d.date},${d.whites.join(',')},${d.powerball},${d.multiplier ?? ''}\n`;
};

/**
 * The current era's prize table, written out by hand from powerball.com: tier, white matches,
 * Powerball matched, prize in dollars (null: the jackpot, which varies) and the odds "1 in …".
 */
const PRIZE_TABLE: [string, number, boolean, number | null, number][] = [
  ['5+PB', 5, true, null, 292_201_338],
  ['5', 5, false, 1_000_000, 11_688_053.52],
  ['4+PB', 4, true, 50_000, 913_129.18],
  ['4', 4, false, 100, 36_525.17],
  ['3+PB', 3, true, 100, 14_494.11],
  ['3', 3, false, 7, 579.76],
  ['2+PB', 2, true, 7, 701.33],
  ['1+PB', 1, true, 4, 91.98],
  ['PB', 0, true, 4, 38.32],
];

describe('evaluation service', () => {
  it('has the official prize table: 9 tiers with their amounts and odds', () => {
    expect(PRIZE_TIERS.map((t) => [t.tier, t.whiteMatches, t.powerballMatch, t.amount])).toEqual(
      PRIZE_TABLE.map(([tier, w, pb, amount]) => [tier, w, pb, amount]),
    );
    PRIZE_TIERS.forEach((t, i) =>
      expect(1 / tierProbability(t, CURRENT_ERA)).toBeCloseTo(PRIZE_TABLE[i]?.[4] as number, 2),
    );
  });

  it('scores a stored ticket in each tier (and two that win nothing) with the table’s prize', () => {
    db = createTestDb('2026-07-27');
    const s = db.open();
    const drawn = loadBundledDraws().find((x) => x.date === '2026-07-29')!;
    const others = Array.from({ length: 69 }, (_, i) => i + 1).filter((n) => !drawn.whites.includes(n));
    const otherPb = drawn.powerball === 1 ? 2 : 1;
    /** A ticket matching `k` drawn whites, and the Powerball or not. */
    const hit = (k: number, pb: boolean) => ({
      whites: [...drawn.whites.slice(0, k), ...others.slice(0, 5 - k)],
      powerball: pb ? drawn.powerball : otherPb,
      probability: 0,
    });
    const tickets = [...PRIZE_TABLE.map(([, w, pb]) => hit(w, pb)), hit(2, false), hit(0, false)];
    const { setId, predictionIds } = s.context.store.predictions.storePredictions({
      source: 'frequency',
      targetDrawDate: '2026-07-29' as never,
      createdAt: '2026-07-27T12:00:00.000Z',
      seed: null,
      weights: {},
      tickets,
    });
    s.draws.importText(CSV_HEADER + real('2026-07-29'), 'manual');
    expect(s.evaluation.evaluate().scored).toBe(tickets.length);
    const byId = new Map(s.context.store.scores.listScores({ setId }).map((sc) => [sc.predictionId, sc]));
    const got = predictionIds.map((id) => {
      const sc = byId.get(id)!;
      return [sc.tier, sc.whiteMatches, sc.powerballMatch, sc.amount];
    });
    expect(got).toEqual([
      ...PRIZE_TABLE.map(([tier, w, pb, amount]) => [tier, w, pb, amount]),
      [null, 2, false, 0],
      [null, 0, false, 0],
    ]);
    s.close();
  });

  it('scores predictions once their draw is stored and moves the weights by each strategy’s log-likelihood', () => {
    db = createTestDb('2026-07-27');
    const s = db.open();
    const set = s.predictor.generate({ seed: 1, count: 20, forDate: '2026-07-29' });
    s.predictor.generate({ seed: 2, strategy: 'dow', count: 3, forDate: '2026-07-29' });
    expect(set.targetDrawDate).toBe('2026-07-29');
    const nothing = s.evaluation.evaluate();
    expect(nothing.nothingNew).toBe(true);
    expect(s.context.store.weights.weightHistory()).toEqual([]);

    s.draws.importText(CSV_HEADER + real('2026-07-29'), 'manual');
    const r = s.evaluation.evaluate();
    expect(r.scored).toBe(23);
    const actual = s.context.store.draws.get('2026-07-29' as never)!;
    const scores = s.context.store.scores.listScores({ setId: set.setId });
    expect(scores).toHaveLength(20);
    for (const sc of scores) {
      const t = set.tickets.find((x) => x.id === sc.predictionId)!;
      const expected = scoreTicket({ whites: t.whites as never, powerball: t.powerball }, actual);
      expect({ w: sc.whiteMatches, pb: sc.powerballMatch, tier: sc.tier, amount: sc.amount }).toEqual({
        w: expected.whiteMatches,
        pb: expected.powerballMatch,
        tier: expected.tier,
        amount: expected.amount,
      });
    }

    // One update, for that draw: w ← w·exp(LLR) over the awake strategies; ml (no model) keeps its weight.
    expect(r.updates).toHaveLength(1);
    const u = r.updates[0]!;
    expect(u.drawDate).toBe('2026-07-29');
    expect(u.sleeping.join()).toMatch(/ml/);
    const draws = s.predictor.catalog.draws();
    const i = draws.findIndex((d) => d.date === '2026-07-29');
    const llr: Record<string, number> = {};
    for (const n of ['frequency', 'recency', 'trends', 'combo', 'sum', 'dow'] as const) {
      const d = s.predictor.catalog
        .get(n)
        .distribution(draws.slice(0, i), { date: actual.date, era: CURRENT_ERA });
      llr[n] = logLikelihoodRatio(d, actual, CURRENT_ERA).total;
      expect(u.scores[n]).toBeCloseTo(llr[n]!, 12);
    }
    const awake = Object.keys(llr);
    const z = awake.reduce(
      (a, n) => a + DEFAULT_WEIGHTS[n as keyof typeof DEFAULT_WEIGHTS] * Math.exp(llr[n]!),
      0,
    );
    for (const n of awake) {
      const w0 = DEFAULT_WEIGHTS[n as keyof typeof DEFAULT_WEIGHTS];
      expect(u.weights[n]).toBeCloseTo(((w0 * Math.exp(llr[n]!)) / z) * 0.9, 12);
    }
    expect(u.weights.ml).toBeCloseTo(0.1, 12);
    expect(Object.values(r.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const best = awake.reduce((a, b) => (llr[a]! > llr[b]! ? a : b));
    const worst = awake.reduce((a, b) => (llr[a]! < llr[b]! ? a : b));
    expect(u.weights[best]! / DEFAULT_WEIGHTS[best as 'sum']).toBeGreaterThan(
      u.weights[worst]! / DEFAULT_WEIGHTS[worst as 'sum'],
    );

    const history = s.context.store.weights.weightHistory();
    expect(history).toHaveLength(1);
    expect(history[0]!.drawDate).toBe('2026-07-29');
    expect(history[0]!.weights).toEqual(u.weights);
    expect(history[0]!.scores).toEqual(u.scores);

    // Running twice changes nothing.
    const again = s.evaluation.evaluate();
    expect(again.nothingNew).toBe(true);
    expect(again.weights).toEqual(r.weights);
    expect(s.context.store.weights.weightHistory()).toEqual(history);
    expect(s.context.store.scores.listScores()).toHaveLength(23);

    // The next weighted set uses the learned weights.
    const next = s.predictor.generate({ seed: 1 });
    expect(next.weightsSource).toBe('learned');
    expect(next.weights.frequency).toBeCloseTo(u.weights.frequency! / (1 - u.weights.ml!), 12);
    s.close();
  });

  it('scores ml only on draws after its models’ training data', () => {
    db = createTestDb('2026-07-25');
    const s = db.open();
    registerRidge(s, '2026-07-25');
    s.predictor.generate({ seed: 1, strategy: 'ml', forDate: '2026-07-27' });
    s.draws.importText(CSV_HEADER + real('2026-07-27'), 'manual');
    const r = s.evaluation.evaluate();
    // The ml score is the log-likelihood ratio of the ml strategy's distribution for that draw.
    const actual = s.context.store.draws.get('2026-07-27' as never)!;
    const draws = s.predictor.catalog.draws();
    const before = draws.slice(
      0,
      draws.findIndex((d) => d.date === '2026-07-27'),
    );
    const ml = s.predictor.catalog.get('ml').distribution(before, { date: actual.date, era: CURRENT_ERA });
    expect(r.updates[0]!.scores.ml).toBeCloseTo(logLikelihoodRatio(ml, actual, CURRENT_ERA).total, 12);
    expect(r.updates[0]!.sleeping).toEqual([]);
    // A model retrained on that very draw cannot be scored on it.
    registerRidge(s, '2026-07-27');
    s.predictor.generate({ seed: 1, strategy: 'ml', forDate: '2026-07-29' });
    s.draws.importText(CSV_HEADER + real('2026-07-29'), 'manual');
    registerRidge(s, '2026-07-29');
    const r2 = s.evaluation.evaluate();
    expect(r2.updates[0]!.drawDate).toBe('2026-07-29');
    expect(r2.updates[0]!.scores.ml).toBeUndefined();
    expect(r2.updates[0]!.sleeping.join()).toMatch(/trained on this draw/);
    s.close();
  });
});
