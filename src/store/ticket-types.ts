/**
 * What the ticket repository is asked: a ticket to store, a listing's filter. What it returns (a
 * ticket, its plays and their results) is in domain/ticket-plays.ts.
 */
import type { TicketSlip } from '../domain/played-ticket.js';
import type { PlayStatus, TicketOrigin } from '../domain/ticket-plays.js';

export interface NewTicket {
  readonly slip: TicketSlip;
  readonly origin: TicketOrigin;
  /** For origin `set`: the stored prediction set and the ticket's position in it. */
  readonly set?: { readonly setId: string; readonly position: number };
  readonly importSource?: string;
  readonly importLine?: number;
}

export interface TicketQuery {
  /** upcoming: tickets with a play still to be drawn; checked: every play checked. */
  readonly status?: PlayStatus;
  readonly limit?: number;
  readonly offset?: number;
}
