/**
 * Played tickets, their plays and results (migration 007). A batch of tickets is stored in one
 * transaction with the checks of the plays whose draw is already stored: all or nothing. A play has
 * at most one result, computed once from its draw and recomputed only when that draw's numbers,
 * multiplier or Double Play numbers change (`draw_key`).
 */
import type { IsoDate } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import {
  consecutiveDraws,
  drawFingerprint,
  type PlayedNumbers,
  playOutcome,
  playPrice,
  type PowerPlayApplied,
} from '../domain/played-ticket.js';
import { prizePeriodOf } from '../domain/prize-tables.js';
import type { PrizeTier } from '../domain/prizes.js';
import type { Whites } from '../domain/ticket.js';
import type { Connection } from './connection.js';
import { toDraw } from './draw-repository.js';
import { registerCodeInvariant, registerInvariant } from './integrity.js';
import type { Page } from '../domain/page.js';
import type {
  PlayedTicket,
  PlayResult,
  PlayRow,
  PlayStatus,
  StoredPlay,
  TicketOrigin,
} from '../domain/ticket-plays.js';
import type { NewTicket, TicketQuery } from './ticket-types.js';

interface TicketRow {
  id: number;
  white_1: number;
  white_2: number;
  white_3: number;
  white_4: number;
  white_5: number;
  powerball: number;
  power_play: number;
  double_play: number;
  draws: number;
  first_draw_date: string;
  note: string | null;
  origin: string;
  set_id: string | null;
  set_position: number | null;
  import_source: string | null;
  import_line: number | null;
  created_at: string;
}

interface ResultRow {
  play_id: number;
  draw_date: string;
  draw_key: string;
  white_matches: number;
  powerball_match: number;
  tier: string | null;
  base_amount: number | null;
  amount: number | null;
  multiplier: number | null;
  power_play: string;
  dp_white_matches: number | null;
  dp_powerball_match: number | null;
  dp_tier: string | null;
  dp_amount: number | null;
  dp_pending: number;
  won: number;
  checked_at: string;
}

interface PlayJoinRow extends Partial<ResultRow> {
  id: number;
  ticket_row: number;
  position: number;
  pdate: string;
  price: number;
  jackpot_amount: number | null;
}

const TICKET_SELECT = `SELECT t.*, s.set_id AS set_id FROM tickets t LEFT JOIN prediction_sets s ON s.id = t.set_row`;
const PLAY_SELECT = `SELECT p.id, p.ticket_row, p.position, p.draw_date AS pdate, p.price, p.jackpot_amount, r.*
  FROM plays p LEFT JOIN play_results r ON r.play_id = p.id`;

const whitesOf = (r: {
  white_1: number;
  white_2: number;
  white_3: number;
  white_4: number;
  white_5: number;
}) => [r.white_1, r.white_2, r.white_3, r.white_4, r.white_5] as unknown as Whites;

function toResult(r: Partial<ResultRow>): PlayResult | null {
  if (r.play_id === undefined || r.play_id === null) return null;
  return {
    drawDate: r.draw_date as IsoDate,
    whiteMatches: r.white_matches as number,
    powerballMatch: r.powerball_match === 1,
    tier: (r.tier ?? null) as PrizeTier | null,
    baseAmount: r.base_amount ?? null,
    amount: r.amount ?? null,
    multiplier: r.multiplier ?? null,
    powerPlay: r.power_play as PowerPlayApplied,
    doublePlay:
      r.dp_white_matches === null || r.dp_white_matches === undefined
        ? null
        : {
            whiteMatches: r.dp_white_matches,
            powerballMatch: r.dp_powerball_match === 1,
            tier: (r.dp_tier ?? null) as PrizeTier | null,
            amount: r.dp_amount ?? null,
          },
    doublePlayPending: r.dp_pending === 1,
    won: r.won as number,
    checkedAt: r.checked_at as string,
  };
}

function toPlay(r: PlayJoinRow): StoredPlay {
  return {
    id: r.id,
    position: r.position,
    drawDate: r.pdate as IsoDate,
    price: r.price,
    jackpotAmount: r.jackpot_amount,
    result: toResult(r),
  };
}

function toTicket(r: TicketRow, plays: readonly StoredPlay[]): PlayedTicket {
  return {
    id: r.id,
    whites: whitesOf(r),
    powerball: r.powerball,
    powerPlay: r.power_play === 1,
    doublePlay: r.double_play === 1,
    draws: r.draws,
    firstDrawDate: r.first_draw_date as IsoDate,
    lastDrawDate: (plays[plays.length - 1]?.drawDate ?? r.first_draw_date) as IsoDate,
    price: plays.reduce((s, p) => s + p.price, 0),
    note: r.note,
    origin: r.origin as TicketOrigin,
    setId: r.set_id,
    setPosition: r.set_position,
    importSource: r.import_source,
    importLine: r.import_line,
    createdAt: r.created_at,
    plays,
  };
}

const numbersOf = (t: TicketRow): PlayedNumbers => ({
  whites: whitesOf(t),
  powerball: t.powerball,
  powerPlay: t.power_play === 1,
  doublePlay: t.double_play === 1,
});

/** The values of a result row, in play_results column order after play_id. */
function resultValues(play: PlayedNumbers, draw: Draw, at: string): unknown[] {
  const o = playOutcome(play, draw);
  const dp = o.doublePlay;
  return [
    draw.date,
    drawFingerprint(draw),
    o.main.whiteMatches,
    o.main.powerballMatch ? 1 : 0,
    o.main.tier,
    o.main.baseAmount,
    o.main.amount,
    o.main.multiplier,
    o.main.powerPlay,
    dp ? dp.whiteMatches : null,
    dp ? (dp.powerballMatch ? 1 : 0) : null,
    dp ? dp.tier : null,
    dp ? dp.amount : null,
    o.doublePlayPending ? 1 : 0,
    o.won,
    at,
  ];
}

const RESULT_COLUMNS = `draw_date, draw_key, white_matches, powerball_match, tier, base_amount, amount, multiplier,
  power_play, dp_white_matches, dp_powerball_match, dp_tier, dp_amount, dp_pending, won, checked_at`;

registerInvariant({
  name: 'every play of a stored draw is checked',
  sql: `SELECT 'play ' || p.id || ' of ticket ' || p.ticket_row || ' for the stored draw ' || p.draw_date ||
               ' has no result' AS problem
        FROM plays p JOIN draws d ON d.draw_date = p.draw_date
        WHERE NOT EXISTS (SELECT 1 FROM play_results r WHERE r.play_id = p.id)`,
});
registerInvariant({
  name: 'a result is for its play’s draw',
  sql: `SELECT 'result of play ' || r.play_id || ' is for ' || r.draw_date || ' but the play is for ' ||
               p.draw_date AS problem
        FROM play_results r JOIN plays p ON p.id = r.play_id WHERE r.draw_date != p.draw_date`,
});
registerInvariant({
  name: 'each ticket holds its number of plays',
  sql: `SELECT 'ticket ' || t.id || ' is for ' || t.draws || ' draws but holds ' ||
               (SELECT COUNT(*) FROM plays p WHERE p.ticket_row = t.id) || ' plays' AS problem
        FROM tickets t WHERE t.draws != (SELECT COUNT(*) FROM plays p WHERE p.ticket_row = t.id)`,
});
registerInvariant({
  name: 'a jackpot amount is only on a play that won the jackpot',
  sql: `SELECT 'play ' || p.id || ' has a jackpot amount but its result is ' || COALESCE(r.tier, 'not checked') AS problem
        FROM plays p LEFT JOIN play_results r ON r.play_id = p.id
        WHERE p.jackpot_amount IS NOT NULL AND (r.tier IS NULL OR r.tier != '5+PB')`,
});
registerCodeInvariant({
  name: 'plays, prices and prize amounts match the draw calendar and the prize tables',
  run: (db) => {
    const problems: string[] = [];
    const tickets = db.prepare('SELECT * FROM tickets ORDER BY id').all() as TicketRow[];
    const plays = db.prepare(`${PLAY_SELECT} ORDER BY p.ticket_row, p.position`).all() as PlayJoinRow[];
    const draws = new Map<string, Draw>();
    for (const row of db
      .prepare('SELECT * FROM draws WHERE draw_date IN (SELECT draw_date FROM plays)')
      .all())
      draws.set((row as { draw_date: string }).draw_date, toDraw(row as Parameters<typeof toDraw>[0]));
    const byTicket = new Map<number, PlayJoinRow[]>();
    for (const p of plays) byTicket.set(p.ticket_row, [...(byTicket.get(p.ticket_row) ?? []), p]);
    for (const t of tickets) {
      const mine = byTicket.get(t.id) ?? [];
      const expected = consecutiveDraws(t.first_draw_date as IsoDate, t.draws);
      if (mine.some((p, i) => p.pdate !== expected[i]))
        problems.push(
          `ticket ${t.id}'s plays are not its ${t.draws} consecutive draws from ${t.first_draw_date}`,
        );
      const numbers = numbersOf(t);
      for (const p of mine) {
        const price = playPrice(prizePeriodOf(p.pdate as IsoDate), numbers.powerPlay, numbers.doublePlay);
        if (p.price !== price) problems.push(`play ${p.id} cost ${p.price} but the table says ${price}`);
        const draw = draws.get(p.pdate);
        if (!draw || p.play_id === null || p.play_id === undefined) continue;
        const want = resultValues(numbers, draw, p.checked_at as string);
        const have = [
          p.draw_date,
          p.draw_key,
          p.white_matches,
          p.powerball_match,
          p.tier,
          p.base_amount,
          p.amount,
          p.multiplier,
          p.power_play,
          p.dp_white_matches,
          p.dp_powerball_match,
          p.dp_tier,
          p.dp_amount,
          p.dp_pending,
          p.won,
          p.checked_at,
        ];
        if (want.some((v, i) => v !== have[i]))
          problems.push(
            `the result of play ${p.id} (ticket ${t.id}, draw ${p.pdate}) differs from its draw and the prize table`,
          );
      }
    }
    return problems;
  },
});

export class TicketRepository {
  constructor(private readonly db: Connection) {}

  /**
   * Stores tickets and their plays, and checks the plays whose draw is stored, in one transaction.
   * @throws NotFoundError when a ticket names a prediction set that is not stored.
   */
  store(tickets: readonly NewTicket[], at: string): { ids: number[]; checked: number } {
    const insertTicket = this.db.prepare(
      `INSERT INTO tickets (white_1, white_2, white_3, white_4, white_5, powerball, power_play, double_play, draws,
         first_draw_date, note, origin, set_row, set_position, import_source, import_line, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertPlay = this.db.prepare(
      'INSERT INTO plays (ticket_row, position, draw_date, price) VALUES (?, ?, ?, ?)',
    );
    const setRow = this.db.prepare('SELECT id FROM prediction_sets WHERE set_id = ?');
    return this.db.write(() => {
      const ids: number[] = [];
      const dates = new Set<IsoDate>();
      for (const t of tickets) {
        let row: number | null = null;
        if (t.set) {
          const found = setRow.get(t.set.setId) as { id: number } | undefined;
          if (!found) throw new NotFoundError(`no prediction set ${t.set.setId}; nothing stored`);
          row = found.id;
        }
        const s = t.slip;
        const { lastInsertRowid } = insertTicket.run(
          ...s.whites,
          s.powerball,
          s.powerPlay ? 1 : 0,
          s.doublePlay ? 1 : 0,
          s.plays.length,
          s.plays[0]?.drawDate,
          s.note,
          t.origin,
          row,
          t.set?.position ?? null,
          t.importSource ?? null,
          t.importLine ?? null,
          at,
        );
        const id = Number(lastInsertRowid);
        s.plays.forEach((p, i) => {
          insertPlay.run(id, i, p.drawDate, p.price);
          dates.add(p.drawDate);
        });
        ids.push(id);
      }
      return { ids, checked: this.checkDraws([...dates], at) };
    });
  }

  /**
   * Checks the plays of the given draw dates (every stored draw when null) that have no result, or
   * whose result was computed from other numbers of that draw. Returns how many were (re)checked.
   */
  checkDraws(dates: readonly IsoDate[] | null, at: string): number {
    if (dates !== null && dates.length === 0) return 0;
    const filter = dates === null ? '' : 'AND p.draw_date IN (SELECT value FROM json_each(?))';
    const upsert = this.db.prepare(
      `INSERT INTO play_results (play_id, ${RESULT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (play_id) DO UPDATE SET ${RESULT_COLUMNS.split(',')
         .map((c) => `${c.trim()} = excluded.${c.trim()}`)
         .join(', ')}`,
    );
    const clearJackpot = this.db.prepare(
      'UPDATE plays SET jackpot_amount = NULL WHERE id = ? AND jackpot_amount IS NOT NULL',
    );
    return this.db.write(() => {
      const rows = this.db
        .prepare(
          `SELECT p.id AS play_id, r.draw_key, t.*, d.draw_date AS d_date FROM plays p
           JOIN tickets t ON t.id = p.ticket_row JOIN draws d ON d.draw_date = p.draw_date
           LEFT JOIN play_results r ON r.play_id = p.id WHERE 1 = 1 ${filter}`,
        )
        .all(...(dates === null ? [] : [JSON.stringify(dates)])) as (TicketRow & {
        play_id: number;
        draw_key: string | null;
        d_date: string;
      })[];
      if (rows.length === 0) return 0;
      const draws = new Map<string, Draw>();
      const getDraw = this.db.prepare('SELECT * FROM draws WHERE draw_date = ?');
      let checked = 0;
      for (const r of rows) {
        let draw = draws.get(r.d_date);
        if (!draw) {
          draw = toDraw(getDraw.get(r.d_date) as Parameters<typeof toDraw>[0]);
          draws.set(r.d_date, draw);
        }
        if (r.draw_key === drawFingerprint(draw)) continue;
        const values = resultValues(numbersOf(r), draw, at);
        upsert.run(r.play_id, ...values);
        // A changed draw can take a jackpot away: the share given for it goes too.
        if (values[4] !== '5+PB') clearJackpot.run(r.play_id);
        checked++;
      }
      return checked;
    });
  }

  /** Tickets newest first, filtered by whether they still have plays to be drawn. */
  list(query: TicketQuery = {}): Page<PlayedTicket> {
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000 || !Number.isInteger(offset) || offset < 0)
      throw new ValidationError('limit must be 1–1000 and offset ≥ 0', [
        { where: 'limit', reason: 'out of range' },
      ]);
    const pending = `EXISTS (SELECT 1 FROM plays p WHERE p.ticket_row = t.id
                       AND NOT EXISTS (SELECT 1 FROM play_results r WHERE r.play_id = p.id))`;
    const where = statusClause(query.status ?? 'all', pending);
    return this.db.read(() => {
      const rows = this.db
        .prepare(`${TICKET_SELECT} ${where} ORDER BY t.first_draw_date DESC, t.id DESC LIMIT ? OFFSET ?`)
        .all(limit + 1, offset) as TicketRow[];
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => toTicket(r, this.playsOf(r.id))),
        offset,
        limit,
        hasMore: rows.length > limit,
      };
    });
  }

  /** @throws NotFoundError when no ticket has this id. */
  get(id: number): PlayedTicket {
    const ticket = this.db.read(() => {
      const row = this.db.prepare(`${TICKET_SELECT} WHERE t.id = ?`).get(id) as TicketRow | undefined;
      return row ? toTicket(row, this.playsOf(row.id)) : null;
    });
    if (!ticket) throw new NotFoundError(`no ticket ${id}`);
    return ticket;
  }

  /** Deletes a ticket with its plays and results. @throws NotFoundError. */
  remove(id: number): PlayedTicket {
    return this.db.write(() => {
      const ticket = this.get(id);
      this.db.prepare('DELETE FROM tickets WHERE id = ?').run(id);
      return ticket;
    });
  }

  /**
   * Records the jackpot share a play won, as its owner gives it (null clears it).
   * @throws NotFoundError when no play has this id; ValidationError when it did not win the jackpot.
   */
  setJackpot(playId: number, amount: number | null): StoredPlay {
    return this.db.write(() => {
      const row = this.db.prepare(`${PLAY_SELECT} WHERE p.id = ?`).get(playId) as PlayJoinRow | undefined;
      if (!row) throw new NotFoundError(`no play ${playId}`);
      if (amount !== null && row.tier !== '5+PB')
        throw new ValidationError(
          `play ${playId} (draw ${row.pdate}) did not win the jackpot${row.play_id === null ? ': its draw is not stored yet' : ''}; nothing stored`,
          [{ where: 'PLAY_ID', reason: 'not a jackpot win' }],
        );
      this.db.prepare('UPDATE plays SET jackpot_amount = ? WHERE id = ?').run(amount, playId);
      return toPlay({ ...row, jackpot_amount: amount });
    });
  }

  /** Every play with its ticket's numbers, by draw date (upcoming: not yet checked). */
  plays(status: PlayStatus = 'all'): PlayRow[] {
    const where =
      status === 'all'
        ? ''
        : status === 'checked'
          ? 'WHERE r.play_id IS NOT NULL'
          : 'WHERE r.play_id IS NULL';
    const rows = this.db
      .prepare(
        `SELECT p.id, p.ticket_row, p.position, p.draw_date AS pdate, p.price, p.jackpot_amount, r.*, t.white_1, t.white_2, t.white_3,
           t.white_4, t.white_5, t.powerball, t.power_play AS ticket_power_play, t.double_play, t.note
         FROM plays p JOIN tickets t ON t.id = p.ticket_row LEFT JOIN play_results r ON r.play_id = p.id
         ${where} ORDER BY p.draw_date, p.ticket_row`,
      )
      // The ticket's power_play (0/1) is renamed: the result's power_play (how it was applied) keeps its name.
      .all() as (PlayJoinRow & Omit<TicketRow, 'power_play'> & { ticket_power_play: number })[];
    return rows.map((r) => ({
      ticketId: r.ticket_row,
      playId: r.id,
      drawDate: r.pdate as IsoDate,
      price: r.price,
      whites: whitesOf(r),
      powerball: r.powerball,
      powerPlay: r.ticket_power_play === 1,
      doublePlay: r.double_play === 1,
      note: r.note,
      jackpotAmount: r.jackpot_amount,
      result: toResult(r),
    }));
  }

  /** Everything the summary needs, read in one snapshot: ticket count, every play, their drawn draws. */
  snapshot(): { tickets: number; plays: PlayRow[]; draws: Map<IsoDate, Draw> } {
    return this.db.read(() => {
      const plays = this.plays('all');
      const draws = new Map<IsoDate, Draw>();
      const get = this.db.prepare('SELECT * FROM draws WHERE draw_date = ?');
      for (const p of plays) {
        if (!p.result || draws.has(p.drawDate)) continue;
        draws.set(p.drawDate, toDraw(get.get(p.drawDate) as Parameters<typeof toDraw>[0]));
      }
      return { tickets: this.counts().tickets, plays, draws };
    });
  }

  counts(): { tickets: number; plays: number; checked: number } {
    return this.db.read(() => ({
      tickets: (this.db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n,
      plays: (this.db.prepare('SELECT COUNT(*) AS n FROM plays').get() as { n: number }).n,
      checked: (this.db.prepare('SELECT COUNT(*) AS n FROM play_results').get() as { n: number }).n,
    }));
  }

  private playsOf(ticketRow: number): StoredPlay[] {
    return (
      this.db
        .prepare(`${PLAY_SELECT} WHERE p.ticket_row = ? ORDER BY p.position`)
        .all(ticketRow) as PlayJoinRow[]
    ).map(toPlay);
  }
}

function statusClause(status: PlayStatus, pending: string): string {
  if (status === 'upcoming') return `WHERE ${pending}`;
  if (status === 'checked') return `WHERE NOT ${pending}`;
  return '';
}
