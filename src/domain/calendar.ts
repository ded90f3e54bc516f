/**
 * The draw calendar: Wednesdays and Saturdays since 1992-04-22, Mondays too since 2021-08-23.
 */
import { addDays, type IsoDate, weekdayIndex, weekdayOf } from './dates.js';
import { ValidationError } from './errors.js';
import { FIRST_DRAW_DATE } from './eras.js';

export const MONDAY_DRAWS_FROM = '2021-08-23' as IsoDate;

/** The weekday indexes (0 = Sunday) that are draw days on a date. */
export function drawWeekdays(date: IsoDate): readonly number[] {
  return date >= MONDAY_DRAWS_FROM ? [1, 3, 6] : [3, 6];
}

export function isDrawDay(date: IsoDate): boolean {
  return date >= FIRST_DRAW_DATE && drawWeekdays(date).includes(weekdayIndex(date));
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

const EASTERN = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The US Eastern calendar date and minutes after local midnight of an instant. */
export function easternDateTime(now: Date): { date: IsoDate; minutes: number } {
  const parts = Object.fromEntries(EASTERN.formatToParts(now).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}` as IsoDate,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/**
 * The one definition of "the next draw": the first scheduled draw whose draw time (10:59 pm US
 * Eastern) has not passed at `now`. On a draw day before 10:59 pm Eastern, that is today.
 */
export function nextScheduledDraw(now: Date): IsoDate {
  const { date, minutes } = easternDateTime(now);
  if (isDrawDay(date) && minutes < DRAW_TIME_EASTERN_MINUTES) return date;
  return nextDrawDate(date);
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
export function missingDrawsNotice(missing: readonly IsoDate[]): string | null {
  if (missing.length === 0) return null;
  const n = missing.length;
  const range = n === 1 ? (missing[0] as string) : `${missing[0]} to ${missing[n - 1]}`;
  return (
    `${n.toLocaleString('en-US')} scheduled draw${n === 1 ? ' is' : 's are'} missing from the stored history (${range}): ` +
    'fetch them with `pbi draws update` or the dashboard’s “Fetch the official results” button'
  );
}

/**
 * The latest calendar day whose draw can have happened at `now`: today (US Eastern) once its
 * 10:59 pm draw time has passed, else yesterday. A draw dated after it cannot be known yet.
 */
export function latestDrawnDay(now: Date): IsoDate {
  const { date, minutes } = easternDateTime(now);
  return minutes >= DRAW_TIME_EASTERN_MINUTES ? date : addDays(date, -1);
}
