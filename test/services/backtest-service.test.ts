/**
 * `pbi backtest` on a real database: walk-forward results per strategy, determinism, ml tested only
 * out of sample, bad input.
 */
import { inCliWords } from '../../src/interfaces/cli/hints.js';
import { afterEach, describe, expect, it } from 'vitest';
import { drawDatesBetween } from '../../src/domain/calendar.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { PbiError } from '../../src/domain/errors.js';
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

describe('backtest service', () => {
  it('runs one strategy over a range, deterministic for a seed', () => {
    db = createTestDb();
    const s = db.open();
    const a = s.backtest.run({ strategy: 'frequency', from: '2025-01-01', to: '2025-12-31', seed: 3 });
    const b = s.backtest.run({ strategy: 'frequency', from: '2025-01-01', to: '2025-12-31', seed: 3 });
    expect(a.results.map((r) => r.strategy)).toEqual(['frequency']);
    const r = a.results[0]!;
    // Every draw day of 2025 (Monday, Wednesday, Saturday) is in the bundled history.
    expect(r.draws).toBe(drawDatesBetween('2025-01-01' as IsoDate, '2025-12-31' as IsoDate).length);
    expect(r.whiteMatches.expected).toBeCloseTo(25 / 69, 12);
    expect(r.powerballHits.expected).toBeCloseTo(1 / 26, 12);
    expect(r.tiers.map((t) => t.tier)).toEqual(['5+PB', '5', '4+PB', '4', '3+PB', '3', '2+PB', '1+PB', 'PB']);
    expect(r.verdict).toMatch(/chance/);
    expect({ ...b.results[0] }).toEqual({ ...r });
    expect(a.notice).toContain('292,201,338');
    s.close();
  });

  it('runs all strategies, leaving ml out with the reason when no model is trained', () => {
    db = createTestDb();
    const s = db.open();
    const r = s.backtest.run({ from: '2026-01-01' });
    expect(r.results.map((x) => x.strategy)).toEqual([
      'frequency',
      'recency',
      'trends',
      'combo',
      'sum',
      'dow',
      'weighted',
    ]);
    expect(inCliWords(r).skipped).toEqual([{ strategy: 'ml', reason: expect.stringMatching(/pbi train/) }]);
    s.close();
  });

  it('tests ml and the weighted mix only on draws after the model’s training data', () => {
    db = createTestDb();
    const s = db.open();
    registerRidge(s, '2026-03-31');
    // From January: the statistical strategies see three months the model was trained on.
    const r = s.backtest.run({ from: '2026-01-01' });
    const ml = r.results.find((x) => x.strategy === 'ml')!;
    const weighted = r.results.find((x) => x.strategy === 'weighted')!;
    const freq = r.results.find((x) => x.strategy === 'frequency')!;
    const outOfSample = r.reports.find((rep) => rep.results.some((x) => x.strategy === 'ml'))!;
    expect(outOfSample.from > '2026-03-31').toBe(true);
    expect(ml.draws).toBe(weighted.draws);
    expect(freq.draws).toBeGreaterThan(ml.draws);
    expect(Number.isFinite(ml.llr.mean)).toBe(true);
    // A model trained on everything leaves nothing out of sample.
    registerRidge(s, '2026-08-05');
    const all = s.backtest.run({ from: '2026-01-01' });
    expect(all.skipped.map((x) => x.strategy).sort()).toEqual(['ml', 'weighted']);
    expect(all.skipped[0]!.reason).toMatch(/in-sample/);
    expect(errorOf(() => s.backtest.run({ strategy: 'ml' })).code).toBe('INSUFFICIENT_DATA');
    s.close();
  });

  it('rejects bad input', () => {
    db = createTestDb();
    const s = db.open();
    // The service names its request's fields; each interface words them (`--from`, `body.from`).
    expect(errorOf(() => s.backtest.run({ strategy: 'tarot' })).message).toMatch(/^strategy must be one of/);
    expect(errorOf(() => s.backtest.run({ from: '2025-02-30' })).issues[0]!.where).toBe('from');
    expect(errorOf(() => s.backtest.run({ from: '2026-01-01', to: '2025-01-01' })).message).toBe(
      'from 2026-01-01 is after to 2025-01-01',
    );
    expect(errorOf(() => s.backtest.run({ from: '2027-01-01' })).code).toBe('INSUFFICIENT_DATA');
    expect(errorOf(() => s.backtest.run({ strategy: 'ml' })).hint).toEqual({
      kind: 'train-model',
      first: true,
    });
    s.close();
    db.cleanup();
    db = createTestDb(undefined, false);
    const empty = db.open();
    expect(errorOf(() => empty.backtest.run({})).message).toMatch(/no draws are stored/);
    empty.close();
  });
});
