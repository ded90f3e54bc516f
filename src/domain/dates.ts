/**
 * Calendar dates as ISO `YYYY-MM-DD` strings, branded so an unchecked string cannot pass for one.
 * Draw dates have no time zone: they are the calendar day of the draw (US Eastern), so all arithmetic
 * is done in UTC on whole days.
 */
import { ValidationError } from './errors.js';

export type IsoDate = string & { readonly __brand: 'IsoDate' };

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Weekday names indexed like `Date.getUTCDay()` (0 = Sunday). */
export const WEEKDAYS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** True when `y-m-d` is a real calendar day. */
export function isRealDay(y: number, m: number, d: number): boolean {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return false;
  if (m < 1 || m > 12 || d < 1 || y < 1 || y > 9999) return false;
  // Date.UTC maps years 0-99 to 1900-1999, so the year is set on its own.
  const t = new Date(Date.UTC(2000, m - 1, d));
  t.setUTCFullYear(y, m - 1, d);
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Builds an IsoDate from parts. @throws ValidationError when the day does not exist. */
export function isoDateFromParts(y: number, m: number, d: number, where = 'date'): IsoDate {
  if (!isRealDay(y, m, d)) {
    const shown = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    throw new ValidationError(`${shown} is not a real calendar day`, [{ where, reason: 'impossible date' }]);
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as IsoDate;
}

/** Parses a strict `YYYY-MM-DD`. @throws ValidationError naming `where`. */
export function parseIsoDate(text: string, where = 'date'): IsoDate {
  const m = ISO_RE.exec(text.trim());
  if (!m)
    throw new ValidationError(`"${text}" is not a date in YYYY-MM-DD form`, [
      { where, reason: 'expected YYYY-MM-DD' },
    ]);
  return isoDateFromParts(Number(m[1]), Number(m[2]), Number(m[3]), where);
}

/** Days since 1970-01-01 of an IsoDate. */
export function toEpochDay(date: IsoDate): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function fromEpochDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10) as IsoDate;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayIndex(date: IsoDate): number {
  return (((toEpochDay(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function weekdayOf(date: IsoDate): Weekday {
  return WEEKDAYS[weekdayIndex(date)] as Weekday;
}

/** The UTC calendar day of an instant. */
export function isoDateOf(instant: Date): IsoDate {
  return instant.toISOString().slice(0, 10) as IsoDate;
}
