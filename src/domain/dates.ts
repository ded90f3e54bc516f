/**
 * Calendar dates as ISO `YYYY-MM-DD` strings, branded so an unchecked string cannot pass for one.
 * Draw dates have no time zone: they are the calendar day of the draw (US Eastern), so all arithmetic
 * is done in UTC on whole days.
 */
import { checkField, FieldError, ValidationError } from './errors.js';

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

/** Request field `field` as a date. @throws FieldError naming the field. */
export function dateField(field: string, text: string): IsoDate {
  return checkField(field, () => parseIsoDate(text));
}

/**
 * Checks that a requested range is in order.
 * @throws FieldError naming the `from` field when it is after the `to` field.
 */
export function checkDateRange(
  from: IsoDate | undefined,
  to: IsoDate | undefined,
  fields = { from: 'from', to: 'to' },
): void {
  if (from === undefined || to === undefined || from <= to) return;
  throw new FieldError(
    (n) => `${n(fields.from)} ${from} is after ${n(fields.to)} ${to}`,
    [{ where: fields.from, reason: (n) => `after ${n(fields.to)}` }],
  );
}

/**
 * Days since 1970-01-01 of an IsoDate. Computed from the digits (days-from-civil, H. Hinnant)
 * because feature building and the analyses call it once per draw, and parsing the text as a Date
 * costs several times more. The shape check is branch-free (any digit out of 0..9, month out of
 * 1..12 or day out of 1..31 makes `bad` negative); anything else falls back to Date.parse, so the
 * result equals `Date.parse(date + 'T00:00:00Z') / 86400000` for every input (NaN for nonsense).
 */
export function toEpochDay(date: IsoDate): number {
  const y0 = date.charCodeAt(0) - 48;
  const y1 = date.charCodeAt(1) - 48;
  const y2 = date.charCodeAt(2) - 48;
  const y3 = date.charCodeAt(3) - 48;
  const m0 = date.charCodeAt(5) - 48;
  const m1 = date.charCodeAt(6) - 48;
  const d0 = date.charCodeAt(8) - 48;
  const d1 = date.charCodeAt(9) - 48;
  const m = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  const bad =
    y0 |
    y1 |
    y2 |
    y3 |
    m0 |
    m1 |
    d0 |
    d1 |
    ((9 - y0) | (9 - y1) | (9 - y2) | (9 - y3) | (9 - m0) | (9 - m1) | (9 - d0) | (9 - d1)) |
    ((m - 1) | (12 - m) | (d - 1) | (31 - d));
  // NaN digits (a string too short) fold to 0 in `|`, so the length is checked as well.
  if (bad < 0 || date.length !== 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45)
    return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
  // Years start in March here, so the leap day ends one.
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3 - (m <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromEpochDay(day: number): IsoDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10) as IsoDate;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Weekday of an epoch day, 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function epochDayWeekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayIndex(date: IsoDate): number {
  return epochDayWeekday(toEpochDay(date));
}

export function weekdayOf(date: IsoDate): Weekday {
  return WEEKDAYS[weekdayIndex(date)] as Weekday;
}

/** The UTC calendar day of an instant. */
export function isoDateOf(instant: Date): IsoDate {
  return instant.toISOString().slice(0, 10) as IsoDate;
}
