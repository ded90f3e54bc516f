/**
 * Powerball rule eras (DESIGN §2, checked against the bundled PROVENANCE.md): from each start date
 * on, the white balls are drawn from 1..whiteMax and the Powerball from 1..powerballMax.
 */
import type { IsoDate } from './dates.js';
import { ValidationError } from './errors.js';

export interface RuleEra {
  /** Stable id: the era's first draw date. */
  readonly id: IsoDate;
  readonly from: IsoDate;
  /** Last day of the era (inclusive), or null for the current era. */
  readonly to: IsoDate | null;
  readonly whiteMax: number;
  readonly powerballMax: number;
}

const STARTS: readonly [string, number, number][] = [
  ['1992-04-22', 45, 45],
  ['1997-11-05', 49, 42],
  ['2002-10-09', 53, 42],
  ['2005-08-31', 55, 42],
  ['2009-01-07', 59, 39],
  ['2012-01-18', 59, 35],
  ['2015-10-07', 69, 26],
];

function dayBefore(date: string): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10) as IsoDate;
}

/** All eras, oldest first. */
export const ERAS: readonly RuleEra[] = Object.freeze(
  STARTS.map(([from, whiteMax, powerballMax], i) =>
    Object.freeze({
      id: from as IsoDate,
      from: from as IsoDate,
      to: i + 1 < STARTS.length ? dayBefore((STARTS[i + 1] as [string, number, number])[0]) : null,
      whiteMax,
      powerballMax,
    }),
  ),
);

export const CURRENT_ERA: RuleEra = ERAS[ERAS.length - 1] as RuleEra;
export const FIRST_DRAW_DATE = (ERAS[0] as RuleEra).from;

/** The era in force on a date. @throws ValidationError before the first Powerball draw. */
export function eraOf(date: IsoDate): RuleEra {
  if (date < FIRST_DRAW_DATE) {
    throw new ValidationError(
      `${date} is before the first Powerball draw (${FIRST_DRAW_DATE})`,
      [{ where: 'date', reason: 'before 1992-04-22' }],
      'INVALID_DRAW_DATE',
    );
  }
  for (let i = ERAS.length - 1; i >= 0; i--) {
    const era = ERAS[i] as RuleEra;
    if (date >= era.from) return era;
  }
  return ERAS[0] as RuleEra;
}

/** True when a and b are drawn under the same number ranges (so their statistics mean the same). */
export function sameRanges(a: RuleEra, b: RuleEra): boolean {
  return a.whiteMax === b.whiteMax && a.powerballMax === b.powerballMax;
}
