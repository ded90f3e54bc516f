/**
 * A ticket: five distinct white balls (stored ascending) and one Powerball, valid for one era.
 * The only way to get a `Ticket` is `createTicket`, so an invalid one cannot exist.
 */
import type { RuleEra } from './eras.js';
import { ValidationError, type ErrorIssue } from './errors.js';

export type Whites = readonly [number, number, number, number, number];

export interface Ticket {
  readonly whites: Whites;
  readonly powerball: number;
}

declare const ticketBrand: unique symbol;
/** A ticket that passed validation. */
export type ValidTicket = Ticket & { readonly [ticketBrand]: true };

/** Lists every rule a ticket breaks for an era (empty when valid). */
export function ticketProblems(
  whites: readonly unknown[],
  powerball: unknown,
  era: RuleEra,
  where = 'ticket',
): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  if (whites.length !== 5)
    issues.push({ where: `${where}.whites`, reason: `expected 5 white balls, got ${whites.length}` });
  whites.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isInteger(w))
      issues.push({ where: `${where}.whites[${i}]`, reason: `${String(w)} is not a whole number` });
    else if (w < 1 || w > era.whiteMax)
      issues.push({
        where: `${where}.whites[${i}]`,
        reason: `white ball ${w} is outside 1–${era.whiteMax} (era from ${era.from})`,
      });
  });
  const seen = new Set<unknown>();
  for (const w of whites) {
    if (seen.has(w))
      issues.push({ where: `${where}.whites`, reason: `white ball ${String(w)} appears twice` });
    seen.add(w);
  }
  if (typeof powerball !== 'number' || !Number.isInteger(powerball))
    issues.push({ where: `${where}.powerball`, reason: `${String(powerball)} is not a whole number` });
  else if (powerball < 1 || powerball > era.powerballMax)
    issues.push({
      where: `${where}.powerball`,
      reason: `Powerball ${powerball} is outside 1–${era.powerballMax} (era from ${era.from})`,
    });
  return issues;
}

/**
 * Validates and normalizes (whites sorted ascending).
 * @throws ValidationError (INVALID_NUMBERS) listing every problem.
 */
export function createTicket(
  whites: readonly number[],
  powerball: number,
  era: RuleEra,
  where = 'ticket',
): ValidTicket {
  const issues = ticketProblems(whites, powerball, era, where);
  if (issues.length > 0)
    throw new ValidationError(
      `invalid ticket: ${issues.map((i) => i.reason).join('; ')}`,
      issues,
      'INVALID_NUMBERS',
    );
  const sorted = [...whites].sort((a, b) => a - b) as unknown as Whites;
  return Object.freeze({ whites: Object.freeze(sorted), powerball }) as ValidTicket;
}

/** A stable text key of a ticket, e.g. `4-8-19-27-34|10`. */
export function ticketKey(t: Ticket): string {
  return `${t.whites.join('-')}|${t.powerball}`;
}
