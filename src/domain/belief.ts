/**
 * A strategy's belief about a ticket, shown as a multiple of a random ticket's probability so it
 * cannot be read as odds: 1.10 means "by this strategy's belief, 1.10 times as likely as any random
 * ticket". The true odds are the same for every ticket (1 in C(whiteMax, 5) × powerballMax).
 */
import type { RuleEra } from './eras.js';
import { binomial } from './prizes.js';

/** How many distinct tickets an era has (the jackpot odds are 1 in this). */
export function ticketsInEra(era: RuleEra): number {
  return binomial(era.whiteMax, 5) * era.powerballMax;
}

/** A ticket probability under a belief, as a multiple of a random ticket's probability. */
export function beliefMultiple(probability: number, era: RuleEra): number {
  return probability * ticketsInEra(era);
}

/** "1.10× a random ticket, by this strategy's belief". */
export function beliefText(multiple: number): string {
  const n =
    multiple < 10 ? multiple.toFixed(2) : multiple.toLocaleString('en-US', { maximumSignificantDigits: 3 });
  return `${n}× a random ticket, by this strategy's belief`;
}
