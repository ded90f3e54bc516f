/**
 * My tickets: record the tickets a person plays (typed in, imported from CSV, or "play this set"
 * from a stored prediction set), check each play against its draw as soon as the draw is stored,
 * and sum up what was spent and won beside what the odds make expected.
 */
import fs from 'node:fs';
import { type IsoDate, isoDateOf } from '../domain/dates.js';
import { FieldError, type FieldIssue, PbiError, ValidationError } from '../domain/errors.js';
import { said } from '../domain/hints.js';
import { createTicketSlip, type TicketSlip } from '../domain/played-ticket.js';
import type { PlayedTicket, PlayRow, PlayStatus, StoredPlay } from '../domain/ticket-plays.js';
import type { NewTicket } from '../store/ticket-types.js';
import type { Page } from '../domain/page.js';
import type { ServiceContext } from './context.js';
import { parseDrawDate } from './draw-import/draw-dates.js';
import { RowProblem } from './draw-import/types.js';
import { parseTicketCsv } from './tickets/ticket-csv.js';
import { summarizePlays, type TicketSummary } from './tickets/ticket-summary.js';

export type { TicketSummary } from './tickets/ticket-summary.js';

/** Largest ticket file accepted, and most tickets in one import. */
export const MAX_TICKET_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_TICKETS_PER_IMPORT = 10_000;

export interface AddTicketRequest {
  /** The first draw, in any spelling draw files use (`YYYY-MM-DD`, `MM/DD/YYYY`, …). */
  readonly date: string;
  readonly whites: readonly number[];
  readonly powerball: number;
  /** Consecutive draws (default 1). */
  readonly draws?: number;
  readonly powerPlay?: boolean;
  readonly doublePlay?: boolean;
  readonly note?: string | null;
}

export interface AddTicketReport {
  readonly ticket: PlayedTicket;
  /** Plays checked at once because their draw is already stored. */
  readonly checked: number;
}

export interface PlaySetOptions {
  readonly draws?: number;
  readonly powerPlay?: boolean;
  readonly doublePlay?: boolean;
  readonly note?: string | null;
}

export interface PlaySetReport {
  readonly setId: string;
  readonly tickets: readonly PlayedTicket[];
  readonly checked: number;
}

export interface TicketImportOptions {
  /** Store the valid lines and report the others instead of rejecting the file. */
  readonly skipInvalid?: boolean;
  /** Report what would happen without storing. */
  readonly dryRun?: boolean;
}

export interface TicketImportReport {
  readonly source: string;
  readonly rows: number;
  readonly inserted: number;
  readonly plays: number;
  /** Dollars the stored tickets cost. */
  readonly spent: number;
  readonly checked: number;
  readonly ids: readonly number[];
  readonly rejected: readonly { readonly line: number; readonly reason: string }[];
}

export interface CheckReport {
  /** Plays checked now (normally 0: plays are checked when their draw arrives). */
  readonly checked: number;
  /** Plays whose draw is not stored yet. */
  readonly awaitingDraw: number;
}

export class TicketService {
  constructor(private readonly ctx: ServiceContext<'tickets' | 'predictions'>) {}

  private today(): IsoDate {
    return isoDateOf(this.ctx.clock.now());
  }

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }

  /**
   * Records one ticket; its plays for stored draws are checked in the same transaction.
   * @throws ValidationError naming every bad field; nothing is stored.
   */
  add(request: AddTicketRequest): AddTicketReport {
    const slip = this.slip(request, 'ticket');
    const { ids, checked } = this.ctx.store.tickets.store([{ slip, origin: 'manual' }], this.now());
    return { ticket: this.ctx.store.tickets.get(ids[0] as number), checked };
  }

  /**
   * Plays every ticket of a stored prediction set for its target draw (and the next ones with
   * `draws`), keeping the link to the set.
   * @throws NotFoundError when the set is not stored; ValidationError as `add`.
   */
  playSet(setId: string, options: PlaySetOptions = {}): PlaySetReport {
    const set = this.ctx.store.predictions.getSet(setId);
    const tickets: NewTicket[] = set.tickets.map((t, i) => ({
      slip: this.slip(
        {
          date: set.targetDrawDate,
          whites: t.whites,
          powerball: t.powerball,
          ...options,
          note: options.note ?? `from prediction set ${setId}`,
        },
        `tickets[${i}]`,
      ),
      origin: 'set',
      set: { setId, position: t.position },
    }));
    const { ids, checked } = this.ctx.store.tickets.store(tickets, this.now());
    return { setId, tickets: ids.map((id) => this.ctx.store.tickets.get(id)), checked };
  }

  /**
   * Imports a ticket CSV file (format in ticket-csv.ts and the README).
   * @throws PbiError INVALID_INPUT when the file cannot be read, TOO_LARGE, and the errors of
   * `importText`.
   */
  importFile(file: string, options: TicketImportOptions = {}): TicketImportReport {
    let text: string;
    try {
      const size = fs.statSync(file).size;
      if (size > MAX_TICKET_FILE_BYTES)
        throw new PbiError(
          'TOO_LARGE',
          `${file} is ${size} bytes; ticket files are limited to ${MAX_TICKET_FILE_BYTES}`,
        );
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if (error instanceof PbiError) throw error;
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new PbiError('INVALID_INPUT', `cannot read ${file}: ${reason}`, [{ where: file, reason }]);
    }
    return this.importText(text, file, options);
  }

  /**
   * Imports ticket CSV content: all tickets in one transaction, or none. Every bad line is named.
   * @throws PbiError MALFORMED_FILE (bad header), IMPORT_REJECTED (bad lines, unless skipInvalid).
   */
  importText(text: string, source: string, options: TicketImportOptions = {}): TicketImportReport {
    let parsed: ReturnType<typeof parseTicketCsv>;
    try {
      parsed = parseTicketCsv(text);
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      throw new PbiError('MALFORMED_FILE', `${source}: ${error.message}`, [
        { where: `${source}:1`, reason: error.message },
      ]);
    }
    const rejected = [...parsed.errors];
    const tickets: NewTicket[] = [];
    const lines: number[] = [];
    for (const row of parsed.rows) {
      try {
        const slip = this.slip({ ...row, date: row.firstDrawDate }, `${source}:${row.line}`);
        tickets.push({ slip, origin: 'import', importSource: source, importLine: row.line });
        lines.push(row.line);
      } catch (error) {
        if (!(error instanceof PbiError)) throw error;
        rejected.push({
          line: row.line,
          reason: error.issues.map((i) => i.reason).join('; ') || error.message,
        });
      }
    }
    rejected.sort((a, b) => a.line - b.line);
    const rows = parsed.rows.length + parsed.errors.length;
    if (rows > MAX_TICKETS_PER_IMPORT)
      throw new PbiError(
        'TOO_LARGE',
        `${source} holds ${rows} tickets; one import takes at most ${MAX_TICKETS_PER_IMPORT}`,
      );
    if (rejected.length > 0 && !options.skipInvalid) {
      const issues: FieldIssue[] = rejected.map((r) => ({
        where: `${source}:${r.line}`,
        reason: r.reason,
        inData: true,
      }));
      throw new FieldError(
        said`${source}: ${rejected.length} invalid line(s); nothing was imported ${{ kind: 'import-valid-lines' }}`,
        issues,
        'IMPORT_REJECTED',
      );
    }
    const spent = tickets.reduce((s, t) => s + t.slip.plays.reduce((a, p) => a + p.price, 0), 0);
    const plays = tickets.reduce((s, t) => s + t.slip.plays.length, 0);
    if (options.dryRun || tickets.length === 0)
      return { source, rows, inserted: 0, plays: 0, spent: 0, checked: 0, ids: [], rejected };
    const { ids, checked } = this.ctx.store.tickets.store(tickets, this.now());
    return { source, rows, inserted: ids.length, plays, spent, checked, ids, rejected };
  }

  list(options: { status?: PlayStatus; limit?: number; offset?: number } = {}): Page<PlayedTicket> {
    return this.ctx.store.tickets.list(options);
  }

  /** Every play by draw date (upcoming: not drawn yet; checked: with its result). */
  plays(status: PlayStatus = 'all'): PlayRow[] {
    return this.ctx.store.tickets.plays(status);
  }

  /** @throws NotFoundError. */
  show(id: number): PlayedTicket {
    return this.ctx.store.tickets.get(id);
  }

  /** @throws NotFoundError. */
  remove(id: number): PlayedTicket {
    return this.ctx.store.tickets.remove(id);
  }

  /** Checks any play whose draw is stored but which has no result yet (e.g. draws stored by an older version). */
  check(): CheckReport {
    const checked = this.ctx.store.tickets.checkDraws(null, this.now());
    return { checked, awaitingDraw: this.ctx.store.tickets.plays('upcoming').length };
  }

  /**
   * Records the jackpot share a play won (dollars, as the owner was paid or told); null clears it.
   * @throws NotFoundError; ValidationError when the amount is not a positive whole number of dollars
   * or the play did not win the jackpot.
   */
  setJackpot(playId: number, amount: number | null): StoredPlay {
    if (amount !== null && (!Number.isSafeInteger(amount) || amount <= 0))
      throw new ValidationError(
        `the jackpot amount must be a positive whole number of dollars, got ${amount}`,
        [{ where: 'AMOUNT', reason: 'expected a positive whole number' }],
      );
    return this.ctx.store.tickets.setJackpot(playId, amount);
  }

  summary(): TicketSummary {
    const { tickets, plays, draws } = this.ctx.store.tickets.snapshot();
    return summarizePlays(tickets, plays, draws);
  }

  private slip(request: AddTicketRequest, where: string): TicketSlip {
    let date: IsoDate;
    try {
      date = parseDrawDate(request.date);
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      throw new ValidationError(
        `invalid ticket, nothing stored: ${error.message}`,
        [{ where: `${where}.date`, reason: error.message }],
        'INVALID_DRAW_DATE',
      );
    }
    return createTicketSlip(
      {
        firstDrawDate: date,
        whites: request.whites,
        powerball: request.powerball,
        draws: request.draws,
        powerPlay: request.powerPlay,
        doublePlay: request.doublePlay,
        note: request.note,
      },
      this.today(),
      where,
    );
  }
}
