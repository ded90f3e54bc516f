/**
 * Prize tiers of the current era (DESIGN §2) and the exact odds of each, used for scoring and for
 * the baselines every backtest is compared with.
 */
import type { RuleEra } from './eras.js';
import type { Ticket } from './ticket.js';

export type PrizeTier = '5+PB' | '5' | '4+PB' | '4' | '3+PB' | '3' | '2+PB' | '1+PB' | 'PB';

export interface PrizeTierInfo {
  readonly tier: PrizeTier;
  readonly whiteMatches: number;
  readonly powerballMatch: boolean;
  /** Fixed prize in dollars; null for the jackpot (it varies). */
  readonly amount: number | null;
}

export const PRIZE_TIERS: readonly PrizeTierInfo[] = [
  { tier: '5+PB', whiteMatches: 5, powerballMatch: true, amount: null },
  { tier: '5', whiteMatches: 5, powerballMatch: false, amount: 1_000_000 },
  { tier: '4+PB', whiteMatches: 4, powerballMatch: true, amount: 50_000 },
  { tier: '4', whiteMatches: 4, powerballMatch: false, amount: 100 },
  { tier: '3+PB', whiteMatches: 3, powerballMatch: true, amount: 100 },
  { tier: '3', whiteMatches: 3, powerballMatch: false, amount: 7 },
  { tier: '2+PB', whiteMatches: 2, powerballMatch: true, amount: 7 },
  { tier: '1+PB', whiteMatches: 1, powerballMatch: true, amount: 4 },
  { tier: 'PB', whiteMatches: 0, powerballMatch: true, amount: 4 },
];

/** Jackpot odds of the current era: C(69,5) × 26. */
export const JACKPOT_ODDS = 292_201_338;

/** C(n, k), the number of ways to choose k of n, as a float (exact below 2^53); 0 outside 0 ≤ k ≤ n. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/** Exact probability that a random draw of the era matches `k` of a ticket's 5 whites. */
export function whiteMatchProbability(k: number, era: RuleEra): number {
  return (binomial(5, k) * binomial(era.whiteMax - 5, 5 - k)) / binomial(era.whiteMax, 5);
}

/** Exact probability of a tier for one ticket in an era. */
export function tierProbability(info: PrizeTierInfo, era: RuleEra): number {
  const pb = info.powerballMatch ? 1 / era.powerballMax : 1 - 1 / era.powerballMax;
  return whiteMatchProbability(info.whiteMatches, era) * pb;
}

export interface TicketScore {
  readonly whiteMatches: number;
  readonly powerballMatch: boolean;
  readonly tier: PrizeTier | null;
  /** Dollars won; null for the jackpot (variable), 0 when no prize. */
  readonly amount: number | null;
}

/** Scores a ticket against a drawn result. */
export function scoreTicket(ticket: Ticket, drawn: Ticket): TicketScore {
  const drawnSet = new Set(drawn.whites);
  const whiteMatches = ticket.whites.filter((w) => drawnSet.has(w)).length;
  const powerballMatch = ticket.powerball === drawn.powerball;
  const info = PRIZE_TIERS.find(
    (t) => t.whiteMatches === whiteMatches && t.powerballMatch === powerballMatch,
  );
  return { whiteMatches, powerballMatch, tier: info?.tier ?? null, amount: info ? info.amount : 0 };
}
