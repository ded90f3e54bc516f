/**
 * Legacy tickets against the draw they were made for: whether one is valid in that draw's era, and
 * what probability it keeps when the legacy one is meaningless.
 */
import { targetDrawDateFor } from '../../domain/calendar.js';
import { ticketsInEra } from '../../domain/belief.js';
import type { IsoDate } from '../../domain/dates.js';
import { eraOf } from '../../domain/eras.js';
import { ticketProblems } from '../../domain/ticket.js';
import type { JsonValue } from '../../domain/json.js';

/** The probability of one exact ticket under uniform draws in the era of `date`. */
export function uniformTicketProbability(date: IsoDate): number {
  return 1 / ticketsInEra(eraOf(date));
}

/** A legacy probability as stored here, and the original when it had to be replaced. */
export function migratedProbability(
  p: number | null,
  target: IsoDate,
): { readonly value: number; readonly original?: JsonValue } {
  if (p !== null && Number.isFinite(p) && p >= 0 && p <= 1) return { value: p };
  return { value: uniformTicketProbability(target), original: p === null || !Number.isFinite(p) ? null : p };
}

/** Why a ticket is not valid for the draw of `target`, or null when it is. */
export function invalidTicketReason(
  whites: readonly number[],
  powerball: number,
  target: IsoDate,
): string | null {
  const issues = ticketProblems(whites, powerball, eraOf(target), 'ticket');
  return issues.length
    ? `not a valid ticket for the draw of ${target}: ${issues.map((i) => i.reason).join('; ')}`
    : null;
}

/** Why a legacy ticket made at `createdAt` is not valid for the draw it was for, or null when it is. */
export function ticketReason(
  whites: readonly number[],
  powerball: number,
  createdAt: string | null,
): string | null {
  if (createdAt === null) return 'no readable created_at: the draw it was made for cannot be told';
  return invalidTicketReason(whites, powerball, targetDrawDateFor(createdAt));
}

/** A probability the note says was replaced, as the reports word it. */
export function replacedProbabilityNote(original: JsonValue): string {
  return `probability ${String(original)} replaced by the uniform ticket probability`;
}
