/**
 * The draw calendar: Wednesdays and Saturdays since 1992-04-22, Mondays too since 2021-08-23, each
 * draw at 10:59 pm US Eastern time. The rule is written once, over days since 1970-01-01
 * (`isDrawEpochDay`); the date forms and the analyses' epoch-day loops all ask it.
 */
import { addDays, epochDayWeekday, fromEpochDay, type IsoDate, toEpochDay, weekdayOf } from './dates.js';
import { easternDayAndMinute } from './eastern-time.js';
import { ValidationError } from './errors.js';
import { FIRST_DRAW_DATE } from './eras.js';
import { said, type Said } from './hints.js';

export const MONDAY_DRAWS_FROM = '2021-08-23' as IsoDate;

const FIRST_DRAW_DAY = toEpochDay(FIRST_DRAW_DATE);
const MONDAY_DRAWS_FROM_DAY = toEpochDay(MONDAY_DRAWS_FROM);
const WED_SAT: readonly number[] = Object.freeze([3, 6]);
const MON_WED_SAT: readonly number[] = Object.freeze([1, 3, 6]);

/** The weekday indexes (0 = Sunday) that are draw days in the week of epoch day `day`. */
function drawWeekdaysOfDay(day: number): readonly number[] {
  return day >= MONDAY_DRAWS_FROM_DAY ? MON_WED_SAT : WED_SAT;
}

/** The weekday indexes (0 = Sunday) that are draw days on a date. */
export function drawWeekdays(date: IsoDate): readonly number[] {
  return drawWeekdaysOfDay(toEpochDay(date));
}

/** Whether epoch day `day` (days since 1970-01-01) is a draw day: the rule itself. */
export function isDrawEpochDay(day: number): boolean {
  return day >= FIRST_DRAW_DAY && drawWeekdaysOfDay(day).includes(epochDayWeekday(day));
}

export function isDrawDay(date: IsoDate): boolean {
  return isDrawEpochDay(toEpochDay(date));
}

/** The first draw date strictly after `date`. */
export function nextDrawDate(date: IsoDate): IsoDate {
  let d = addDays(date, 1);
  if (d < FIRST_DRAW_DATE) return FIRST_DRAW_DATE;
  while (!isDrawDay(d)) d = addDays(d, 1);
  return d;
}

/** Every draw date in [from, to], inclusive. */
export function drawDatesBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  let d = isDrawDay(from) ? from : nextDrawDate(from);
  while (d <= to) {
    out.push(d);
    d = nextDrawDate(d);
  }
  return out;
}

/**
 * Checks that a date is a draw day and not after `today`.
 * @throws ValidationError (INVALID_DRAW_DATE) naming `where`.
 */
export function assertDrawDate(date: IsoDate, today: IsoDate | null, where = 'date'): void {
  if (date < FIRST_DRAW_DATE) {
    throw new ValidationError(
      `${date} is before the first Powerball draw (${FIRST_DRAW_DATE})`,
      [{ where, reason: 'before the first draw' }],
      'INVALID_DRAW_DATE',
    );
  }
  if (!isDrawDay(date)) {
    const days = drawWeekdays(date)
      .map((i) => weekdayOf(addDays('1970-01-04' as IsoDate, i)))
      .join(', ');
    throw new ValidationError(
      `${date} is a ${weekdayOf(date)}, not a draw day (draws are on ${days})`,
      [{ where, reason: 'not a draw day' }],
      'INVALID_DRAW_DATE',
    );
  }
  if (today !== null && date > today) {
    throw new ValidationError(
      `${date} is in the future: its draw has not happened yet (draws are at 10:59 pm US Eastern; the latest draw day by now is ${today})`,
      [{ where, reason: 'date in the future' }],
      'INVALID_DRAW_DATE',
    );
  }
}

/** Every draw is at 10:59 pm US Eastern time (EST or EDT), in minutes after local midnight. */
export const DRAW_TIME_EASTERN_MINUTES = 22 * 60 + 59;

/** The US Eastern calendar date and minutes after local midnight of an instant. */
export function easternDateTime(now: Date): { date: IsoDate; minutes: number } {
  const { day, minute } = easternDayAndMinute(now.getTime());
  return { date: fromEpochDay(day), minutes: minute };
}

/**
 * The first scheduled draw (as an epoch day) whose draw time has not passed at instant `ms`; the
 * first draw for any instant before it.
 */
function scheduledDrawDay(ms: number): number {
  const eastern = easternDayAndMinute(ms);
  let day = eastern.day;
  const minute = eastern.minute;
  if (day < FIRST_DRAW_DAY) return FIRST_DRAW_DAY;
  if (isDrawEpochDay(day) && minute < DRAW_TIME_EASTERN_MINUTES) return day;
  do day++;
  while (!isDrawEpochDay(day));
  return day;
}

/**
 * The one definition of "the next draw": the first scheduled draw whose draw time (10:59 pm US
 * Eastern) has not passed at `now`. On a draw day before 10:59 pm Eastern, that is today.
 */
export function nextScheduledDraw(now: Date): IsoDate {
  return fromEpochDay(scheduledDrawDay(now.getTime()));
}

/** Per-minute memo of `targetDrawDateFor` for UTC timestamps: a large legacy history asks once per record. */
const targetCache = new Map<string, IsoDate>();

/**
 * The draw something made at timestamp `iso` was for: the first draw whose draw time had not passed
 * then (`nextScheduledDraw` at that instant).
 * @throws RangeError for an unparseable timestamp (callers pass normalised ones).
 */
export function targetDrawDateFor(iso: string): IsoDate {
  const utc = iso.length >= 20 && iso.endsWith('Z');
  const minuteKey = iso.slice(0, 16);
  const cached = utc ? targetCache.get(minuteKey) : undefined;
  if (cached) return cached;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new RangeError(`not a timestamp: ${iso}`);
  const target = fromEpochDay(scheduledDrawDay(ms));
  if (utc) {
    if (targetCache.size > 100_000) targetCache.clear();
    targetCache.set(minuteKey, target);
  }
  return target;
}

/** Scheduled draws after `latestStored` whose draw time has passed at `now` (oldest first). */
export function missingScheduledDraws(latestStored: IsoDate | null, now: Date): IsoDate[] {
  if (latestStored === null) return [];
  const next = nextScheduledDraw(now);
  const out: IsoDate[] = [];
  for (let d = nextDrawDate(latestStored); d < next; d = nextDrawDate(d)) out.push(d);
  return out;
}

/** What every surface says when stored draws stop before the previous scheduled draw; null when none are missing. */
export function missingDrawsNotice(missing: readonly IsoDate[]): Said | null {
  if (missing.length === 0) return null;
  const n = missing.length;
  const range = n === 1 ? (missing[0] as string) : `${missing[0]} to ${missing[n - 1]}`;
  return said`${n.toLocaleString('en-US')} scheduled draw${n === 1 ? ' is' : 's are'} missing from the stored history (${range}): ${{ kind: 'fetch-draws' }}`;
}

/**
 * The latest calendar day whose draw can have happened at `now`: today (US Eastern) once its
 * 10:59 pm draw time has passed, else yesterday. A draw dated after it cannot be known yet.
 */
export function latestDrawnDay(now: Date): IsoDate {
  const { date, minutes } = easternDateTime(now);
  return minutes >= DRAW_TIME_EASTERN_MINUTES ? date : addDays(date, -1);
}
