/**
 * The date spellings found in draw files: `YYYY-MM-DD` (optionally with a midnight time, as pandas
 * writes it), `MM/DD/YYYY`, `MM-DD-YYYY`, `MM/DD/YY`, `Sat, May 31, 2025`, `Saturday, May 31, 2025`
 * and `May 31, 2025`. A weekday, when written, must be the date's weekday.
 */
import { isoDateFromParts, isRealDay, type IsoDate, weekdayOf } from '../../domain/dates.js';
import { RowProblem } from './types.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAY_PREFIX = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/;
const US = /^(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})$/;
const WORDS = /^(?:([A-Za-z]+)\.?,?\s+)?([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/;

/** Two-digit years: Powerball began in 1992, so 92–99 are 1990s and the rest 2000s. */
function fullYear(yy: string): number {
  const y = Number(yy);
  return yy.length === 4 ? y : y >= 92 ? 1900 + y : 2000 + y;
}

function build(y: number, m: number, d: number, text: string): IsoDate {
  if (!isRealDay(y, m, d)) throw new RowProblem(`date "${text}" is not a real calendar day`);
  return isoDateFromParts(y, m, d);
}

/**
 * Parses a draw date in any of the accepted spellings.
 * @throws RowProblem saying what was wrong.
 */
export function parseDrawDate(text: string): IsoDate {
  const t = text.trim();
  if (t === '') throw new RowProblem('date is empty');
  let m = ISO.exec(t);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), t);
  m = US.exec(t);
  if (m) return build(fullYear(m[4] as string), Number(m[1]), Number(m[3]), t);
  m = WORDS.exec(t);
  if (m) {
    const month = MONTHS.indexOf((m[2] as string).slice(0, 3).toLowerCase());
    const monthWord = (m[2] as string).toLowerCase();
    if (month < 0 || !fullMonthName(month).startsWith(monthWord))
      throw new RowProblem(`date "${text}": unknown month "${m[2]}"`);
    const date = build(Number(m[4]), month + 1, Number(m[3]), t);
    const weekdayWord = m[1];
    if (weekdayWord !== undefined) {
      const actual = weekdayOf(date);
      const w = weekdayWord.toLowerCase();
      const known = WEEKDAY_PREFIX.findIndex((p) => w.startsWith(p));
      if (known < 0 || !actual.toLowerCase().startsWith(w))
        throw new RowProblem(`date "${text}": ${date} is a ${actual}, not "${weekdayWord}"`);
    }
    return date;
  }
  throw new RowProblem(
    `date "${text}" is not in a known form (YYYY-MM-DD, MM/DD/YYYY, MM-DD-YYYY, MM/DD/YY, "May 31, 2025")`,
  );
}

function fullMonthName(i: number): string {
  return [
    'january',
    'february',
    'march',
    'april',
    'may',
    'june',
    'july',
    'august',
    'september',
    'october',
    'november',
    'december',
  ][i] as string;
}
