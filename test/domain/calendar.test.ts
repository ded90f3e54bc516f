import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertDrawDate,
  drawDatesBetween,
  easternDateTime,
  isDrawDay,
  isDrawEpochDay,
  latestDrawnDay,
  MONDAY_DRAWS_FROM,
  nextDrawDate,
  nextScheduledDraw,
  targetDrawDateFor,
} from '../../src/domain/calendar.js';
import { addDays, type IsoDate, parseIsoDate, toEpochDay, weekdayOf } from '../../src/domain/dates.js';
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

const NEW_YORK = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The local New York date and minute of an instant, the slow way: from the platform's time zone data. */
function newYork(ms: number): { date: IsoDate; minutes: number } {
  const parts = NEW_YORK.formatToParts(new Date(ms));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}` as IsoDate,
    minutes: Number(get('hour')) * 60 + Number(get('minute')),
  };
}

/** The draw for an instant, the slow way. */
function expectedTarget(ms: number): IsoDate {
  const { date: day, minutes: minute } = newYork(ms);
  if (day < '1992-04-22') return '1992-04-22' as IsoDate;
  return isDrawDay(day) && minute < 22 * 60 + 59 ? day : nextDrawDate(day);
}

describe('targetDrawDateFor', () => {
  it('is the first draw (22:59 New York time) after the timestamp', () => {
    expect(targetDrawDateFor('2023-03-01T09:00:00.000Z')).toBe('2023-03-01'); // Wednesday morning
    expect(targetDrawDateFor('2023-03-02T03:58:00.000Z')).toBe('2023-03-01'); // 22:58 EST
    expect(targetDrawDateFor('2023-03-02T03:59:00.000Z')).toBe('2023-03-04'); // 22:59 EST: too late
    expect(targetDrawDateFor('2023-07-06T02:58:00.000Z')).toBe('2023-07-05'); // 22:58 EDT
    expect(targetDrawDateFor('2023-07-06T02:59:00.000Z')).toBe('2023-07-08');
    expect(targetDrawDateFor('2021-08-22T12:00:00.000Z')).toBe('2021-08-23'); // first Monday draw
    expect(targetDrawDateFor('2019-08-26T12:00:00.000Z')).toBe('2019-08-28'); // no Monday draws yet
    expect(targetDrawDateFor('1990-01-01T00:00:00.000Z')).toBe('1992-04-22');
  });

  it('agrees with the time zone database for any instant from 1992 to 2035', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1992, 0, 1), max: Date.UTC(2035, 0, 1) }), (ms) => {
        expect(targetDrawDateFor(new Date(ms).toISOString())).toBe(expectedTarget(ms));
      }),
      { numRuns: 3000 },
    );
    // Around the draw time (02:59–04:59 UTC), on every kind of day, including DST changes.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 43 * 366 }),
        fc.integer({ min: 179, max: 299 }),
        (day, minute) => {
          const ms = Date.UTC(1992, 0, 1) + day * 86_400_000 + minute * 60_000;
          expect(targetDrawDateFor(new Date(ms).toISOString())).toBe(expectedTarget(ms));
        },
      ),
      { numRuns: 3000 },
    );
    for (const at of [
      '2006-10-29T03:30:00Z',
      '2006-04-02T03:30:00Z',
      '2023-11-05T03:30:00Z',
      '2023-03-12T03:30:00Z',
    ])
      expect(targetDrawDateFor(new Date(at).toISOString()), at).toBe(expectedTarget(Date.parse(at)));
  });
});

describe('US Eastern time and the next draw', () => {
  it('agree with the time zone database for any instant from 1987 to 2040', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1987, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
        const now = new Date(ms);
        expect(easternDateTime(now)).toEqual(newYork(ms));
        expect(nextScheduledDraw(now)).toBe(expectedTarget(ms));
        const { date, minutes } = newYork(ms);
        expect(latestDrawnDay(now)).toBe(minutes >= 22 * 60 + 59 ? date : addDays(date, -1));
      }),
      { numRuns: 3000 },
    );
  });

  it('the epoch-day rule is the date rule', () => {
    for (let day = toEpochDay(d('1992-04-01')); day <= toEpochDay(d('2030-01-01')); day++) {
      const date = new Date(day * 86_400_000).toISOString().slice(0, 10) as IsoDate;
      expect(isDrawEpochDay(day), date).toBe(
        date >= '1992-04-22' &&
          ['Wednesday', 'Saturday', ...(date >= '2021-08-23' ? ['Monday'] : [])].includes(weekdayOf(date)),
      );
    }
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
