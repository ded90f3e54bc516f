import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromEpochDay, toEpochDay, type IsoDate, weekdayIndex } from '../../src/domain/dates.js';

const parsed = (s: string): number => Math.round(Date.parse(`${s}T00:00:00Z`) / 86_400_000);

describe('toEpochDay', () => {
  it('is the day Date.parse gives, for every real day of years 1 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const day = Math.floor(ms / 86_400_000);
        const iso = fromEpochDay(day);
        expect(toEpochDay(iso)).toBe(day);
        expect(toEpochDay(iso)).toBe(parsed(iso));
      }),
      { numRuns: 5000 },
    );
    for (const s of ['1970-01-01', '1992-04-22', '2000-02-29', '2100-03-01', '0001-01-01', '9999-12-31'])
      expect(toEpochDay(s as IsoDate), s).toBe(parsed(s));
  });

  it('agrees with Date.parse on day numbers past the month end and on text that is not a date', () => {
    // Date.parse rolls 2023-02-30 over to March 2; nonsense gives NaN.
    for (const s of [
      '2023-02-30',
      '2023-04-31',
      '2023-13-01',
      '2023-00-10',
      '2023-01-00',
      '2023-01-32',
      '',
      '2023-1-01',
      '2023/01/01',
      '2023-01-01T',
      ' 2023-01-01',
      'abcd-ef-gh',
      '20a3-01-01',
    ])
      expect(toEpochDay(s as IsoDate), JSON.stringify(s)).toEqual(parsed(s));
    expect(toEpochDay('2023-02-30' as IsoDate)).toBe(toEpochDay('2023-03-02' as IsoDate));
  });

  it('counts weekdays from a Thursday', () => {
    expect(weekdayIndex('1970-01-01' as IsoDate)).toBe(4);
    expect(weekdayIndex('1969-12-28' as IsoDate)).toBe(0);
    expect(weekdayIndex('2021-08-23' as IsoDate)).toBe(1);
  });
});
