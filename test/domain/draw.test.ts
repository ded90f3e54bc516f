import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.js';
import { createDraw } from '../../src/domain/draw.js';
import { CURRENT_ERA, eraOf } from '../../src/domain/eras.js';
import { PbiError } from '../../src/domain/errors.js';
import { createTicket, ticketProblems } from '../../src/domain/ticket.js';

const d = (s: string) => s as IsoDate;

function errorOf(fn: () => unknown): PbiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PbiError) return e;
    throw e;
  }
  throw new Error('expected a PbiError');
}

describe('tickets', () => {
  it('stores whites sorted', () => {
    expect(createTicket([41, 1, 30, 11, 18], 7, CURRENT_ERA).whites).toEqual([1, 11, 18, 30, 41]);
  });

  it('reports every broken rule at once', () => {
    const issues = ticketProblems([1, 1, 70, 3], 27, CURRENT_ERA);
    const reasons = issues.map((i) => i.reason).join(' | ');
    expect(reasons).toMatch(/expected 5 white balls, got 4/);
    expect(reasons).toMatch(/white ball 70 is outside 1–69/);
    expect(reasons).toMatch(/white ball 1 appears twice/);
    expect(reasons).toMatch(/Powerball 27 is outside 1–26/);
  });

  it('rejects with INVALID_NUMBERS', () => {
    expect(errorOf(() => createTicket([1, 2, 3, 4, 4], 1, CURRENT_ERA)).code).toBe('INVALID_NUMBERS');
    expect(errorOf(() => createTicket([1, 2, 3, 4, 0], 1, CURRENT_ERA)).code).toBe('INVALID_NUMBERS');
    expect(errorOf(() => createTicket([1, 2, 3, 4, 5.5], 1, CURRENT_ERA)).code).toBe('INVALID_NUMBERS');
  });
});

describe('draws', () => {
  it('validates numbers against the era of the draw date', () => {
    // 69 exists only from 2015-10-07 on.
    expect(
      createDraw({ date: d('2015-10-07'), whites: [69, 1, 2, 3, 4], powerball: 26 }, null).whites,
    ).toEqual([1, 2, 3, 4, 69]);
    expect(
      errorOf(() => createDraw({ date: d('2015-10-03'), whites: [69, 1, 2, 3, 4], powerball: 26 }, null))
        .code,
    ).toBe('INVALID_NUMBERS');
    // A Powerball of 40 was valid in 2005 (1–42) but not in 2010 (1–39).
    expect(
      createDraw({ date: d('2005-09-03'), whites: [1, 2, 3, 4, 5], powerball: 40 }, null).powerball,
    ).toBe(40);
    expect(eraOf(d('2010-01-02')).powerballMax).toBe(39);
    expect(
      errorOf(() => createDraw({ date: d('2010-01-02'), whites: [1, 2, 3, 4, 5], powerball: 40 }, null)).code,
    ).toBe('INVALID_NUMBERS');
  });

  it('rejects non-draw days and future dates', () => {
    expect(
      errorOf(() => createDraw({ date: d('2025-06-01'), whites: [1, 2, 3, 4, 5], powerball: 1 }, null)).code,
    ).toBe('INVALID_DRAW_DATE');
    expect(
      errorOf(() =>
        createDraw({ date: d('2025-06-04'), whites: [1, 2, 3, 4, 5], powerball: 1 }, d('2025-06-01')),
      ).code,
    ).toBe('INVALID_DRAW_DATE');
  });

  it('accepts multipliers 1–10 or none', () => {
    const base = { date: d('2025-05-31'), whites: [1, 2, 3, 4, 5], powerball: 1 };
    expect(createDraw({ ...base, multiplier: 10 }, null).multiplier).toBe(10);
    expect(createDraw(base, null).multiplier).toBeNull();
    expect(errorOf(() => createDraw({ ...base, multiplier: 0 }, null)).code).toBe('INVALID_NUMBERS');
  });
});
