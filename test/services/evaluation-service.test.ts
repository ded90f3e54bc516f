/**
 * `pbi evaluate` on a real database: scores of stored predictions against the draws that happened,
 * the weight update (and its history), idempotence, and ml scored only out of sample.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import { scoreTicket } from '../../src/domain/prizes.js';
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

describe('evaluation service', () => {
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
    const draws = s.predictor.registry.draws();
    const i = draws.findIndex((d) => d.date === '2026-07-29');
    const llr: Record<string, number> = {};
    for (const n of ['frequency', 'recency', 'trends', 'combo', 'sum', 'dow'] as const) {
      const d = s.predictor.registry
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
    expect(r.updates[0]!.scores.ml).toBeDefined();
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
