import type { Migration } from './index.js';

/**
 * Played tickets. A ticket holds the numbers and add-ons once; each of its consecutive draws is a
 * play with its price; a play's result is stored once its draw is (at most one per play, replaced
 * only when the draw's numbers, multiplier or Double Play numbers change: `draw_key` records what
 * it was computed from). Draws gain their Double Play numbers, NULL where the source had none.
 */
export const m007Tickets: Migration = {
  version: 7,
  name: 'tickets, plays, results; Double Play numbers on draws',
  sql: `
    ALTER TABLE draws ADD COLUMN dp_white_1 INTEGER;
    ALTER TABLE draws ADD COLUMN dp_white_2 INTEGER;
    ALTER TABLE draws ADD COLUMN dp_white_3 INTEGER;
    ALTER TABLE draws ADD COLUMN dp_white_4 INTEGER;
    ALTER TABLE draws ADD COLUMN dp_white_5 INTEGER;
    ALTER TABLE draws ADD COLUMN dp_powerball INTEGER;

    CREATE TABLE tickets (
      id              INTEGER PRIMARY KEY,
      white_1         INTEGER NOT NULL,
      white_2         INTEGER NOT NULL,
      white_3         INTEGER NOT NULL,
      white_4         INTEGER NOT NULL,
      white_5         INTEGER NOT NULL,
      powerball       INTEGER NOT NULL,
      power_play      INTEGER NOT NULL CHECK (power_play IN (0, 1)),
      double_play     INTEGER NOT NULL CHECK (double_play IN (0, 1)),
      draws           INTEGER NOT NULL CHECK (draws >= 1),
      first_draw_date TEXT NOT NULL,
      note            TEXT,
      origin          TEXT NOT NULL CHECK (origin IN ('manual', 'import', 'set')),
      set_row         INTEGER REFERENCES prediction_sets(id),
      set_position    INTEGER,
      import_source   TEXT,
      import_line     INTEGER,
      created_at      TEXT NOT NULL,
      CHECK (white_1 < white_2 AND white_2 < white_3 AND white_3 < white_4 AND white_4 < white_5),
      CHECK ((origin = 'set') = (set_row IS NOT NULL))
    ) STRICT;
    CREATE INDEX tickets_set ON tickets(set_row) WHERE set_row IS NOT NULL;

    CREATE TABLE plays (
      id         INTEGER PRIMARY KEY,
      ticket_row INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
      position   INTEGER NOT NULL,
      draw_date  TEXT NOT NULL,
      price      INTEGER NOT NULL CHECK (price > 0),
      -- The jackpot share this play won, when its owner gives it: the jackpot is pari-mutuel.
      jackpot_amount INTEGER CHECK (jackpot_amount IS NULL OR jackpot_amount > 0),
      UNIQUE (ticket_row, position)
    ) STRICT;
    CREATE INDEX plays_draw ON plays(draw_date);

    CREATE TABLE play_results (
      play_id            INTEGER PRIMARY KEY REFERENCES plays(id) ON DELETE CASCADE,
      draw_date          TEXT NOT NULL REFERENCES draws(draw_date),
      draw_key           TEXT NOT NULL,
      white_matches      INTEGER NOT NULL,
      powerball_match    INTEGER NOT NULL CHECK (powerball_match IN (0, 1)),
      tier               TEXT,
      base_amount        INTEGER,
      amount             INTEGER,
      multiplier         INTEGER,
      power_play         TEXT NOT NULL,
      dp_white_matches   INTEGER,
      dp_powerball_match INTEGER,
      dp_tier            TEXT,
      dp_amount          INTEGER,
      dp_pending         INTEGER NOT NULL CHECK (dp_pending IN (0, 1)),
      won                INTEGER NOT NULL CHECK (won >= 0),
      checked_at         TEXT NOT NULL
    ) STRICT;
    CREATE INDEX play_results_draw ON play_results(draw_date);
  `,
};
