/**
 * Generating prediction sets on a real database: what `pbi predict` stores and prints, reproducibility,
 * the ml strategy over a real registered model, and every bad input leaving the database unchanged.
 */
import { inCliWords } from '../../src/interfaces/cli/hints.js';
import { afterEach, describe, expect, it } from 'vitest';
import { nextDrawDate } from '../../src/domain/calendar.js';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import { PbiError } from '../../src/domain/errors.js';
import { JACKPOT_ODDS } from '../../src/domain/prizes.js';
import { whiteSetProbability } from '../../src/strategies/probability.js';
import { STRATEGY_NAMES } from '../../src/domain/strategy-names.js';
import type { MLPredictionService } from '../../src/services/ml-prediction-service.js';
import { createTestDb, registerRidge, type TestDb } from './prediction-fixtures.js';

let db: TestDb;
afterEach(() => db?.cleanup());

function errorOf(fn: () => unknown): PbiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PbiError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const ticketsOf = (r: { tickets: readonly { whites: readonly number[]; powerball: number }[] }) =>
  r.tickets.map((t) => `${t.whites.join('-')}|${t.powerball}`);

describe('prediction service', () => {
  it('stores a weighted set of five for the next draw, without ml when no model is trained', () => {
    db = createTestDb();
    const s = db.open();
    const latest = s.context.store.draws.latest()!;
    const r = s.predictor.generate({ seed: 7 });
    expect(r.targetDrawDate).toBe(nextDrawDate(latest.date));
    expect(r.tickets).toHaveLength(5);
    expect(Object.keys(r.weights).sort()).toEqual(STRATEGY_NAMES.filter((n) => n !== 'ml').sort());
    expect(Object.values(r.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(r.weights.frequency).toBeCloseTo(0.2 / 0.9, 12); // legacy defaults renormalized without ml
    expect(r.weightsSource).toBe('default');
    expect(inCliWords(r).notes.join(' ')).toMatch(/ml left out.*pbi train.*renormalized/);
    expect(r.notice).toContain('1 in 292,201,338');
    expect(r.notice).toMatch(/independent/);
    const set = s.context.store.predictions.getSet(r.setId);
    expect(set.source).toBe('weighted');
    expect(set.seed).toBe(7);
    expect(set.targetDrawDate).toBe(r.targetDrawDate);
    expect(set.weights).toEqual(r.weights);
    expect(set.tickets.map((t) => `${t.whites.join('-')}|${t.powerball}`)).toEqual(ticketsOf(r));
    expect(new Set(ticketsOf(r)).size).toBe(5);
    for (const t of set.tickets) {
      // Close to the true odds, since every strategy is mostly uniform.
      expect(t.probability * JACKPOT_ODDS).toBeGreaterThan(0.5);
      expect(t.probability * JACKPOT_ODDS).toBeLessThan(2);
      const shares = Object.values(t.contributions ?? {});
      expect(shares).toHaveLength(6);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    }
    s.close();
  });

  it('stores each ticket’s exact probability under the strategy’s distribution', () => {
    db = createTestDb();
    const s = db.open();
    const r = s.predictor.generate({ seed: 3, strategy: 'frequency', count: 3 });
    const dist = s.predictor.catalog
      .get('frequency')
      .distribution(s.predictor.catalog.draws(), { date: r.targetDrawDate, era: CURRENT_ERA });
    for (const t of r.tickets) {
      const exact = whiteSetProbability(dist.whites, t.whites) * (dist.powerball[t.powerball] as number);
      // Shown as a multiple of a random ticket's probability, never as a probability beside the odds.
      expect(t.beliefMultiple / (exact * JACKPOT_ODDS)).toBeCloseTo(1, 12);
      expect(t).not.toHaveProperty('probability');
      expect(t).not.toHaveProperty('oneIn');
      expect(t.contributions).toEqual({ frequency: 1 });
    }
    s.close();
  });

  it('is reproducible for a seed and differs for another seed', () => {
    db = createTestDb();
    const s = db.open();
    const a = s.predictor.generate({ seed: 11, count: 20 });
    const b = s.predictor.generate({ seed: 11, count: 20 });
    const c = s.predictor.generate({ seed: 12, count: 20 });
    expect(ticketsOf(b)).toEqual(ticketsOf(a));
    expect(ticketsOf(c)).not.toEqual(ticketsOf(a));
    expect(b.setId).not.toBe(a.setId);
    // Only the newest set of a source is current.
    expect(s.context.store.predictions.currentSet('weighted')?.setId).toBe(c.setId);
    s.close();
  });

  it('generates with every history strategy, honouring the sum range where there is one', () => {
    db = createTestDb();
    const s = db.open();
    for (const name of STRATEGY_NAMES.filter((n) => n !== 'ml')) {
      const r = s.predictor.generate({ seed: 1, strategy: name, count: 10 });
      expect(r.strategy).toBe(name);
      expect(r.tickets).toHaveLength(10);
      expect(r.strategies.map((x) => x.name)).toEqual([name]);
      expect(r.strategies[0]!.shrinkage.uniformWeight).toBeGreaterThan(0.4);
      if (r.sumRange) {
        for (const t of r.tickets) {
          const sum = t.whites.reduce((x, y) => x + y, 0);
          expect(sum).toBeGreaterThanOrEqual(r.sumRange[0]);
          expect(sum).toBeLessThanOrEqual(r.sumRange[1]);
        }
      }
    }
    s.close();
  });

  it('predicts for a given future draw date', () => {
    db = createTestDb();
    const s = db.open();
    const r = s.predictor.generate({ seed: 1, forDate: '2026-12-30' });
    expect(r.targetDrawDate).toBe('2026-12-30');
    expect(s.context.store.predictions.getSet(r.setId).targetDrawDate).toBe('2026-12-30');
    s.close();
  });

  it('uses the active trained model for ml, includes it in the weighted mix, and follows model changes', () => {
    db = createTestDb();
    const s = db.open();
    const ref = registerRidge(s, '2026-06-30');
    const ml = s.predictor.generate({ seed: 5, strategy: 'ml', count: 10 });
    expect(new Set(ticketsOf(ml)).size).toBe(10); // never the same rounded ticket again and again
    const set = s.context.store.predictions.getSet(ml.setId);
    expect(set.model).toEqual(ref);
    expect(set.notes).toContain('ridge@1');
    const w = s.predictor.generate({ seed: 5 });
    expect(w.weights.ml).toBeCloseTo(0.1, 12);
    expect(w.notes.join(' ')).not.toMatch(/ml left out/);
    const before = s.predictor.catalog.get('ml').distribution(s.predictor.catalog.draws(), {
      date: ml.targetDrawDate,
      era: CURRENT_ERA,
    });
    registerRidge(s, '2026-06-30', 5000); // a new active version: the cached ml distribution must go
    const after = s.predictor.catalog.get('ml').distribution(s.predictor.catalog.draws(), {
      date: ml.targetDrawDate,
      era: CURRENT_ERA,
    });
    expect(Array.from(after.whites)).not.toEqual(Array.from(before.whites));
    s.close();
  });

  it('follows new draws: the target moves on with the clock and the distributions are recomputed', () => {
    db = createTestDb('2026-07-29');
    const s = db.open('2026-07-30T12:00:00Z');
    const recency = () => s.predictor.catalog.get('recency');
    const a = s.predictor.generate({ seed: 1, strategy: 'recency' });
    expect(a.targetDrawDate).toBe('2026-08-01');
    const da = recency().distribution(s.predictor.catalog.draws(), {
      date: '2026-08-03' as never,
      era: CURRENT_ERA,
    });
    const later = db.open('2026-08-02T12:00:00Z');
    later.draws.importText(
      'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier\n2026-08-01,1,2,3,4,5,6,2\n',
      'manual',
    );
    const b = later.predictor.generate({ seed: 1, strategy: 'recency' });
    expect(b.targetDrawDate).toBe('2026-08-03');
    later.close();
    const db2 = recency().distribution(s.predictor.catalog.draws(), {
      date: '2026-08-03' as never,
      era: CURRENT_ERA,
    });
    expect(s.predictor.catalog.draws().at(-1)?.date).toBe('2026-08-01');
    expect(db2.whites[1]).toBeGreaterThan(da.whites[1] as number); // the new draw's numbers are now hot
    expect(db2.powerball[6]).toBeGreaterThan(da.powerball[6] as number);
    s.close();
  });
});

describe('prediction service: bad input stores nothing', () => {
  function expectRejected(
    s: MLPredictionService,
    request: Parameters<MLPredictionService['predictor']['generate']>[0],
    code: string,
    message: RegExp,
  ) {
    const before = s.context.store.predictions.counts();
    const e = errorOf(() => s.predictor.generate(request));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(s.context.store.predictions.counts()).toEqual(before);
  }

  it('rejects bad counts, strategies, seeds and dates', () => {
    db = createTestDb();
    const s = db.open();
    expectRejected(s, { count: 0 }, 'INVALID_INPUT', /^count must be a whole number from 1 to 100/);
    expectRejected(s, { count: 101 }, 'INVALID_INPUT', /^count/);
    expectRejected(
      s,
      { strategy: 'astrology' },
      'INVALID_INPUT',
      /^strategy must be one of weighted, frequency/,
    );
    expectRejected(s, { seed: -1 }, 'INVALID_INPUT', /^seed must be a whole number/);
    expectRejected(s, { forDate: '2026-12-31' }, 'INVALID_DRAW_DATE', /Thursday, not a draw day/);
    expectRejected(s, { forDate: '2026-13-01' }, 'INVALID_INPUT', /not a real calendar day/);
    expectRejected(s, { forDate: '2015-10-03' }, 'INVALID_DRAW_DATE', /not in the current era/);
    s.close();
  });

  it('rejects ml with no trained model, telling the user to run pbi train', () => {
    db = createTestDb();
    const s = db.open();
    expectRejected(
      s,
      { strategy: 'ml' },
      'NOT_FOUND',
      /needs a trained model and none is active: train a model first/,
    );
    s.close();
  });

  it('rejects a database with no draws', () => {
    db = createTestDb(undefined, false);
    const s = db.open();
    expectRejected(s, {}, 'INSUFFICIENT_DATA', /no draws are stored; load the draw history first/);
    s.close();
  });
});
