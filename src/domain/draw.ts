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
 * for the era of its date, multiplier a whole number 1–10 or null.
 * @throws ValidationError naming `where`.
 */
export function createDraw(input: DrawInput, today: IsoDate | null, where = 'draw'): Draw {
  assertDrawDate(input.date, today, `${where}.date`);
  const ticket: ValidTicket = createTicket(input.whites, input.powerball, eraOf(input.date), where);
  const m = input.multiplier ?? null;
  if (m !== null && (!Number.isInteger(m) || m < 1 || m > 10)) {
    throw new ValidationError(
      `multiplier ${m} is not a whole number from 1 to 10`,
      [{ where: `${where}.multiplier`, reason: 'out of range' }],
      'INVALID_NUMBERS',
    );
  }
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
