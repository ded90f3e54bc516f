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

/** Minutes after midnight US Eastern at which the draw takes place (10:59 pm). */
export const DRAW_MINUTE_EASTERN = 22 * 60 + 59;

const EASTERN = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The US Eastern calendar day and minute of the day at an instant. */
export function easternClock(now: Date): { readonly date: IsoDate; readonly minute: number } {
  const parts = Object.fromEntries(EASTERN.formatToParts(now).map((p) => [p.type, p.value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}` as IsoDate,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/**
 * The latest calendar day whose draw can have happened at `now`: today (US Eastern) once its
 * 10:59 pm draw time has passed, else yesterday. A draw dated after it cannot be known yet.
 */
export function latestDrawnDay(now: Date): IsoDate {
  const { date, minute } = easternClock(now);
  return minute >= DRAW_MINUTE_EASTERN ? date : addDays(date, -1);
}
