import { describe, expect, it } from 'vitest';
import {
  assertDrawDate,
  drawDatesBetween,
  isDrawDay,
  MONDAY_DRAWS_FROM,
  nextDrawDate,
} from '../../src/domain/calendar.js';
import { addDays, type IsoDate, parseIsoDate, weekdayOf } from '../../src/domain/dates.js';
import { PbiError } from '../../src/domain/errors.js';

const d = (s: string) => s as IsoDate;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof PbiError ? e.code : 'not a PbiError';
  }
  return undefined;
}

describe('draw calendar', () => {
  it('Wednesdays and Saturdays are draw days, Mondays only from 2021-08-23', () => {
    expect(MONDAY_DRAWS_FROM).toBe('2021-08-23');
    expect(weekdayOf(d('2021-08-23'))).toBe('Monday');
    expect(isDrawDay(d('2021-08-16'))).toBe(false); // Monday before the change
    expect(isDrawDay(d('2021-08-23'))).toBe(true); // first Monday draw
    expect(isDrawDay(d('2021-08-25'))).toBe(true); // Wednesday
    expect(isDrawDay(d('2021-08-28'))).toBe(true); // Saturday
    expect(isDrawDay(d('2021-08-27'))).toBe(false); // Friday
    expect(isDrawDay(d('1992-04-18'))).toBe(false); // Saturday before the first draw
    expect(isDrawDay(d('1992-04-22'))).toBe(true);
  });

  it('next draw date is strictly after the given date', () => {
    expect(nextDrawDate(d('2021-08-21'))).toBe('2021-08-23'); // Saturday → first Monday draw
    expect(nextDrawDate(d('2021-08-14'))).toBe('2021-08-18'); // Saturday → Wednesday (no Monday yet)
    expect(nextDrawDate(d('2026-08-05'))).toBe('2026-08-08'); // Wednesday → Saturday
    expect(nextDrawDate(d('2026-08-08'))).toBe('2026-08-10'); // Saturday → Monday
    expect(nextDrawDate(d('1990-01-01'))).toBe('1992-04-22');
  });

  it('every date listed between two dates is a draw day and none is skipped', () => {
    const dates = drawDatesBetween(d('2021-08-01'), d('2021-08-31'));
    expect(dates).toEqual([
      '2021-08-04',
      '2021-08-07',
      '2021-08-11',
      '2021-08-14',
      '2021-08-18',
      '2021-08-21',
      '2021-08-23',
      '2021-08-25',
      '2021-08-28',
      '2021-08-30',
    ]);
  });

  it('rejects non-draw weekdays, dates before 1992-04-22 and future dates', () => {
    expect(codeOf(() => assertDrawDate(d('2025-06-01'), null))).toBe('INVALID_DRAW_DATE'); // Sunday
    expect(codeOf(() => assertDrawDate(d('1992-04-18'), null))).toBe('INVALID_DRAW_DATE');
    expect(codeOf(() => assertDrawDate(d('2025-06-04'), d('2025-06-03')))).toBe('INVALID_DRAW_DATE');
    expect(codeOf(() => assertDrawDate(d('2025-06-04'), d('2025-06-04')))).toBeUndefined();
  });

  it('the non-draw-day message names the weekday', () => {
    expect(() => assertDrawDate(d('2025-06-01'), null)).toThrow(/Sunday, not a draw day/);
  });
});

describe('dates', () => {
  it('parses strict ISO dates and refuses impossible days', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(codeOf(() => parseIsoDate('2023-02-29'))).toBe('INVALID_INPUT');
    expect(codeOf(() => parseIsoDate('2023-2-1'))).toBe('INVALID_INPUT');
  });

  it('adds days across months and years', () => {
    expect(addDays(d('2024-12-31'), 1)).toBe('2025-01-01');
    expect(addDays(d('2024-03-01'), -1)).toBe('2024-02-29');
  });
});
