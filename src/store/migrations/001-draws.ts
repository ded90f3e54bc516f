import type { Migration } from './index.js';

export const m001Draws: Migration = {
  version: 1,
  name: 'draws',
  sql: `
    CREATE TABLE draws (
      draw_date   TEXT PRIMARY KEY CHECK (draw_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      white_1     INTEGER NOT NULL,
      white_2     INTEGER NOT NULL,
      white_3     INTEGER NOT NULL,
      white_4     INTEGER NOT NULL,
      white_5     INTEGER NOT NULL,
      powerball   INTEGER NOT NULL,
      multiplier  INTEGER,
      source      TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      CHECK (white_1 < white_2 AND white_2 < white_3 AND white_3 < white_4 AND white_4 < white_5)
    ) STRICT;
  `,
};
