/**
 * A drawn result: a date that is a real draw day, and a ticket valid for that date's era.
 */
import { assertDrawDate } from './calendar.js';
import type { IsoDate } from './dates.js';
import { eraOf } from './eras.js';
import { ValidationError } from './errors.js';
import { createTicket, type Ticket, type ValidTicket, type Whites } from './ticket.js';

export interface Draw {
  readonly date: IsoDate;
  readonly whites: Whites;
  readonly powerball: number;
  /** Power Play multiplier, or null when there was none or it is unknown. */
  readonly multiplier: number | null;
  /** The Double Play draw's numbers (since 2021-08-23), present only when the source had them. */
  readonly doublePlay?: Ticket;
}

/** Double Play draws began with the Powerball draw of this date. */
export const DOUBLE_PLAY_FROM = '2021-08-23' as IsoDate;

export interface DrawInput {
  readonly date: IsoDate;
  readonly whites: readonly number[];
  readonly powerball: number;
  readonly multiplier?: number | null;
  readonly doublePlay?: { readonly whites: readonly number[]; readonly powerball: number } | null;
}

/**
 * Validates a draw: a draw day not after `today` (pass null to skip the future check), numbers valid
 * for the era of its date, a multiplier Power Play had on that date (see `allowedMultipliers`) or null.
 * @throws ValidationError naming `where`.
 */
export function createDraw(input: DrawInput, today: IsoDate | null, where = 'draw'): Draw {
  assertDrawDate(input.date, today, `${where}.date`);
  const ticket: ValidTicket = createTicket(input.whites, input.powerball, eraOf(input.date), where);
  const m = input.multiplier ?? null;
  if (m !== null) checkMultiplier(input.date, m, `${where}.multiplier`);
  let doublePlay: ValidTicket | undefined;
  if (input.doublePlay) {
    if (input.date < DOUBLE_PLAY_FROM)
      throw new ValidationError(
        `${input.date} has Double Play numbers, but Double Play began on ${DOUBLE_PLAY_FROM}`,
        [{ where: `${where}.doublePlay`, reason: 'no Double Play before 2021-08-23' }],
        'INVALID_NUMBERS',
      );
    doublePlay = createTicket(
      input.doublePlay.whites,
      input.doublePlay.powerball,
      eraOf(input.date),
      `${where}.doublePlay`,
    );
  }
  return Object.freeze({
    date: input.date,
    whites: ticket.whites,
    powerball: ticket.powerball,
    multiplier: m,
    ...(doublePlay ? { doublePlay } : {}),
  });
}

/** True when two draws hold the same numbers and multiplier. */
export function sameDraw(a: Draw, b: Draw): boolean {
  return (
    a.date === b.date &&
    a.powerball === b.powerball &&
    a.multiplier === b.multiplier &&
    a.whites.every((w, i) => w === b.whites[i]) &&
    sameOptionalTicket(a.doublePlay, b.doublePlay)
  );
}

function sameOptionalTicket(a: Ticket | undefined, b: Ticket | undefined): boolean {
  if (!a || !b) return a === b;
  return a.powerball === b.powerball && a.whites.every((w, i) => w === b.whites[i]);
}

const POWER_PLAY_FROM = '2001-03-07';
/** The early Power Play wheel had a 1x ball, up to the 2002-10-09 matrix change. */
const ONE_X_UNTIL = '2002-10-09';
/** 10x: promotional draws 2006-2010, then part of the wheel since 2015-01-18 (jackpots < $150M). */
const TEN_X_PERIODS: readonly (readonly [string, string])[] = [
  ['2006-01-01', '2011-01-01'],
  ['2015-01-18', '9999-12-31'],
];

/** The Power Play multipliers that could be drawn on a date (empty before Power Play began). */
export function allowedMultipliers(date: string): readonly number[] {
  if (date < POWER_PLAY_FROM) return [];
  const out = date < ONE_X_UNTIL ? [1, 2, 3, 4, 5] : [2, 3, 4, 5];
  if (TEN_X_PERIODS.some(([from, to]) => date >= from && date < to)) out.push(10);
  return out;
}

/** @throws ValidationError (INVALID_NUMBERS) when Power Play had no such multiplier on `date`. */
export function checkMultiplier(date: string, m: number, where = 'multiplier'): void {
  const allowed = allowedMultipliers(date);
  if (allowed.includes(m)) return;
  const why =
    allowed.length === 0
      ? `Power Play began on ${POWER_PLAY_FROM}; a draw of ${date} has no multiplier`
      : `Power Play on ${date} was ${allowed.join(', ')}`;
  throw new ValidationError(
    `multiplier ${m} is not possible: ${why}`,
    [{ where, reason: `expected one of ${allowed.join(', ') || 'none'}` }],
    'INVALID_NUMBERS',
  );
}
