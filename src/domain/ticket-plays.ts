/**
 * Played tickets as stored: a ticket, its plays (one per draw) and each play's result once its draw
 * is stored — what the store returns, the ticket service sums up and the interfaces show.
 */
import type { IsoDate } from './dates.js';
import type { PowerPlayApplied } from './played-ticket.js';
import type { PrizeTier } from './prizes.js';
import type { Whites } from './ticket.js';

export type TicketOrigin = 'manual' | 'import' | 'set';

export interface GameResult {
  readonly whiteMatches: number;
  readonly powerballMatch: boolean;
  readonly tier: PrizeTier | null;
  /** Dollars; null for a prize without a fixed amount (the jackpot, the Double Play top prize). */
  readonly amount: number | null;
}

export interface PlayResult extends GameResult {
  readonly drawDate: IsoDate;
  /** The main-game prize without Power Play. */
  readonly baseAmount: number | null;
  readonly multiplier: number | null;
  readonly powerPlay: PowerPlayApplied;
  readonly doublePlay: GameResult | null;
  /** Double Play was played but the draw's Double Play numbers are not stored yet. */
  readonly doublePlayPending: boolean;
  /** Dollars of fixed prizes won by this play. */
  readonly won: number;
  readonly checkedAt: string;
}

export interface StoredPlay {
  readonly id: number;
  readonly position: number;
  readonly drawDate: IsoDate;
  readonly price: number;
  /** The jackpot share won, as given by the owner (null: not won, or not given). */
  readonly jackpotAmount: number | null;
  /** Null until the draw is stored. */
  readonly result: PlayResult | null;
}

export interface PlayedTicket {
  readonly id: number;
  readonly whites: Whites;
  readonly powerball: number;
  readonly powerPlay: boolean;
  readonly doublePlay: boolean;
  readonly draws: number;
  readonly firstDrawDate: IsoDate;
  readonly lastDrawDate: IsoDate;
  /** Dollars paid for all its plays. */
  readonly price: number;
  readonly note: string | null;
  readonly origin: TicketOrigin;
  /** The prediction set it was played from, and the ticket's position in it. */
  readonly setId: string | null;
  readonly setPosition: number | null;
  readonly importSource: string | null;
  readonly importLine: number | null;
  readonly createdAt: string;
  readonly plays: readonly StoredPlay[];
}

/** One play with its ticket's numbers, for lists and the summary. */
export interface PlayRow {
  readonly ticketId: number;
  readonly playId: number;
  readonly drawDate: IsoDate;
  readonly price: number;
  readonly whites: Whites;
  readonly powerball: number;
  readonly powerPlay: boolean;
  readonly doublePlay: boolean;
  readonly note: string | null;
  readonly jackpotAmount: number | null;
  readonly result: PlayResult | null;
}

export type PlayStatus = 'all' | 'upcoming' | 'checked';
