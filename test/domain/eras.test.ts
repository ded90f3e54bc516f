import { describe, expect, it } from 'vitest';
import { CURRENT_ERA, ERAS, eraOf, sameRanges } from '../../src/domain/eras.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { PbiError } from '../../src/domain/errors.js';

const d = (s: string) => s as IsoDate;

describe('rule eras', () => {
  it('matches the table of DESIGN §2', () => {
    expect(ERAS.map((e) => [e.from, e.whiteMax, e.powerballMax])).toEqual([
      ['1992-04-22', 45, 45],
      ['1997-11-05', 49, 42],
      ['2002-10-09', 53, 42],
      ['2005-08-31', 55, 42],
      ['2009-01-07', 59, 39],
      ['2012-01-18', 59, 35],
      ['2015-10-07', 69, 26],
    ]);
    expect(CURRENT_ERA.to).toBeNull();
  });

  it('each era ends the day before the next begins', () => {
    expect(ERAS[0]?.to).toBe('1997-11-04');
    expect(ERAS[5]?.to).toBe('2015-10-06');
  });

  it('looks up the era in force on a date, boundaries included', () => {
    expect(eraOf(d('1992-04-22')).whiteMax).toBe(45);
    expect(eraOf(d('1997-11-04')).whiteMax).toBe(45);
    expect(eraOf(d('1997-11-05')).whiteMax).toBe(49);
    expect(eraOf(d('2015-10-03')).whiteMax).toBe(59);
    expect(eraOf(d('2015-10-07'))).toBe(CURRENT_ERA);
    expect(eraOf(d('2030-01-01'))).toBe(CURRENT_ERA);
  });

  it('refuses dates before the first draw with a machine code', () => {
    try {
      eraOf(d('1992-04-21'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PbiError);
      expect((e as PbiError).code).toBe('INVALID_DRAW_DATE');
    }
  });

  it('sameRanges compares both pools', () => {
    expect(sameRanges(ERAS[4]!, ERAS[5]!)).toBe(false); // 59/39 vs 59/35
    expect(sameRanges(ERAS[6]!, CURRENT_ERA)).toBe(true);
  });
});
