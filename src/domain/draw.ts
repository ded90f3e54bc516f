/**
 * A drawn result: a date that is a real draw day, and a ticket valid for that date's era.
 */
import { assertDrawDate } from './calendar.js';
import type { IsoDate } from './dates.js';
import { eraOf } from './eras.js';
import { ValidationError } from './errors.js';
import { createTicket, type ValidTicket, type Whites } from './ticket.js';

export interface Draw {
  readonly date: IsoDate;
  readonly whites: Whites;
  readonly powerball: number;
  /** Power Play multiplier, or null when there was none or it is unknown. */
  readonly multiplier: number | null;
}

export interface DrawInput {
  readonly date: IsoDate;
  readonly whites: readonly number[];
  readonly powerball: number;
  readonly multiplier?: number | null;
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
  return Object.freeze({
    date: input.date,
    whites: ticket.whites,
    powerball: ticket.powerball,
    multiplier: m,
  });
}

/** True when two draws hold the same numbers and multiplier. */
export function sameDraw(a: Draw, b: Draw): boolean {
  return (
    a.date === b.date &&
    a.powerball === b.powerball &&
    a.multiplier === b.multiplier &&
    a.whites.every((w, i) => w === b.whites[i])
  );
}
