/**
 * Draws: rows in, `Draw` values out (STYLE §4). Writes are all-or-nothing.
 */
import type { IsoDate } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import type { Whites } from '../domain/ticket.js';
import type { Connection } from './connection.js';

interface DrawRow {
  draw_date: string;
  white_1: number;
  white_2: number;
  white_3: number;
  white_4: number;
  white_5: number;
  powerball: number;
  multiplier: number | null;
  dp_white_1: number | null;
  dp_white_2: number | null;
  dp_white_3: number | null;
  dp_white_4: number | null;
  dp_white_5: number | null;
  dp_powerball: number | null;
}

/** Row → draw; `doublePlay` only when the row holds Double Play numbers. */
export function toDraw(row: DrawRow): Draw {
  const draw = {
    date: row.draw_date as IsoDate,
    whites: [row.white_1, row.white_2, row.white_3, row.white_4, row.white_5] as unknown as Whites,
    powerball: row.powerball,
    multiplier: row.multiplier,
  };
  if (row.dp_powerball === null) return draw;
  return {
    ...draw,
    doublePlay: {
      whites: [
        row.dp_white_1,
        row.dp_white_2,
        row.dp_white_3,
        row.dp_white_4,
        row.dp_white_5,
      ] as unknown as Whites,
      powerball: row.dp_powerball,
    },
  };
}

function doublePlayValues(d: Draw): (number | null)[] {
  return d.doublePlay
    ? [...d.doublePlay.whites, d.doublePlay.powerball]
    : [null, null, null, null, null, null];
}

export interface DrawQuery {
  /** Only the newest N draws (still returned oldest first). */
  readonly last?: number;
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

export interface DrawChanges {
  readonly insert: readonly Draw[];
  readonly update: readonly Draw[];
  /** Where the rows came from (file name, URL, `manual`). */
  readonly source: string;
  /** UTC ISO timestamp of the change. */
  readonly at: string;
}

export class DrawRepository {
  constructor(private readonly db: Connection) {}

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM draws').get() as { n: number }).n;
  }

  /** Draws oldest first. */
  list(query: DrawQuery = {}): Draw[] {
    const { clause, params } = dateRange(query);
    if (query.last !== undefined) {
      const rows = this.db
        .prepare(
          `SELECT * FROM (SELECT * FROM draws ${clause} ORDER BY draw_date DESC LIMIT ?) ORDER BY draw_date`,
        )
        .all(...params, query.last) as DrawRow[];
      return rows.map(toDraw);
    }
    return (
      this.db.prepare(`SELECT * FROM draws ${clause} ORDER BY draw_date`).all(...params) as DrawRow[]
    ).map(toDraw);
  }

  /**
   * One page of draws, newest first, between `from` and `to` (inclusive), with the count of all
   * that match: the dashboard's history table (the primary key orders and bounds it).
   */
  page(query: { from?: IsoDate; to?: IsoDate; limit: number; offset: number }): {
    total: number;
    draws: Draw[];
  } {
    const { clause, params } = dateRange(query);
    return this.db.read(() => ({
      total: (this.db.prepare(`SELECT COUNT(*) AS n FROM draws ${clause}`).get(...params) as { n: number }).n,
      draws: (
        this.db
          .prepare(`SELECT * FROM draws ${clause} ORDER BY draw_date DESC LIMIT ? OFFSET ?`)
          .all(...params, query.limit, query.offset) as DrawRow[]
      ).map(toDraw),
    }));
  }

  /**
   * Deletes the draw of `date` with what was derived from it, in one transaction: the played
   * tickets' results for it (those plays are pending again) and the prediction scores against it
   * (those sets are unscored again, so a corrected draw is scored afresh). Returns the removed draw.
   */
  remove(date: IsoDate): { draw: Draw; playResults: number; scores: number } | null {
    return this.db.write(() => {
      const draw = this.get(date);
      if (!draw) return null;
      const playResults = this.db.prepare('DELETE FROM play_results WHERE draw_date = ?').run(date).changes;
      const scores = this.db.prepare('DELETE FROM prediction_scores WHERE draw_date = ?').run(date).changes;
      this.db
        .prepare('UPDATE prediction_sets SET scored = 0 WHERE target_draw_date = ? AND scored = 1')
        .run(date);
      this.db.prepare('DELETE FROM draws WHERE draw_date = ?').run(date);
      return { draw, playResults, scores };
    });
  }

  get(date: IsoDate): Draw | null {
    const row = this.db.prepare('SELECT * FROM draws WHERE draw_date = ?').get(date) as DrawRow | undefined;
    return row ? toDraw(row) : null;
  }

  /** Stored draws for the given dates, keyed by date. */
  getMany(dates: readonly IsoDate[]): Map<IsoDate, Draw> {
    const out = new Map<IsoDate, Draw>();
    const st = this.db.prepare('SELECT * FROM draws WHERE draw_date = ?');
    this.db.read(() => {
      for (const d of dates) {
        const row = st.get(d) as DrawRow | undefined;
        if (row) out.set(d, toDraw(row));
      }
    });
    return out;
  }

  latest(): Draw | null {
    const row = this.db.prepare('SELECT * FROM draws ORDER BY draw_date DESC LIMIT 1').get() as
      DrawRow | undefined;
    return row ? toDraw(row) : null;
  }

  /**
   * A token that changes whenever the stored draws change, so callers can cache per-history work.
   */
  revision(): string {
    const r = this.db
      .prepare('SELECT COUNT(*) AS n, MAX(draw_date) AS d, MAX(imported_at) AS t FROM draws')
      .get() as { n: number; d: string | null; t: string | null };
    return `${r.n}:${r.d ?? ''}:${r.t ?? ''}`;
  }

  /** Inserts and updates in one transaction: all or nothing. */
  apply(changes: DrawChanges): void {
    const insert = this.db.prepare(
      `INSERT INTO draws (draw_date, white_1, white_2, white_3, white_4, white_5, powerball, multiplier, source, imported_at,
         dp_white_1, dp_white_2, dp_white_3, dp_white_4, dp_white_5, dp_powerball)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const update = this.db.prepare(
      `UPDATE draws SET white_1 = ?, white_2 = ?, white_3 = ?, white_4 = ?, white_5 = ?, powerball = ?, multiplier = ?,
       source = ?, imported_at = ?, dp_white_1 = ?, dp_white_2 = ?, dp_white_3 = ?, dp_white_4 = ?, dp_white_5 = ?,
       dp_powerball = ? WHERE draw_date = ?`,
    );
    this.db.write(() => {
      for (const d of changes.insert)
        insert.run(
          d.date,
          ...d.whites,
          d.powerball,
          d.multiplier,
          changes.source,
          changes.at,
          ...doublePlayValues(d),
        );
      for (const d of changes.update)
        update.run(
          ...d.whites,
          d.powerball,
          d.multiplier,
          changes.source,
          changes.at,
          ...doublePlayValues(d),
          d.date,
        );
    });
  }
}

/** The WHERE clause (empty without bounds) and its parameters for draws between `from` and `to`. */
function dateRange(query: { from?: IsoDate; to?: IsoDate }): { clause: string; params: IsoDate[] } {
  const where: string[] = [];
  const params: IsoDate[] = [];
  if (query.from) {
    where.push('draw_date >= ?');
    params.push(query.from);
  }
  if (query.to) {
    where.push('draw_date <= ?');
    params.push(query.to);
  }
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}
