/**
 * The SQLite store against the conformance suite, plus what only a real file shows: reopening,
 * `db check` catching broken invariants, injected set ids, indexes used by the hot queries.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.js';
import type { Whites } from '../../src/domain/ticket.js';
import { openStore } from '../../src/store/store.js';
import { setRequest, versionRequest } from './helpers.js';
import { runStoreConformance } from './store-conformance.js';
import { makeTestDb } from '../support/test-db.js';

describe('SQLite store', () => {
  runStoreConformance({
    create: () => {
      const t = makeTestDb();
      const store = openStore(path.join(t.dir, 'store.db'));
      return {
        store,
        cleanup: () => {
          store.close();
          t.cleanup();
        },
      };
    },
  });

  it('keeps everything across close and reopen', () => {
    const t = makeTestDb();
    try {
      const file = path.join(t.dir, 'x.db');
      let store = openStore(file);
      store.models.registerModelVersion(versionRequest());
      const { setId } = store.predictions.storePredictions(setRequest());
      store.close();
      store = openStore(file);
      expect(store.predictions.getSet(setId).tickets).toHaveLength(5);
      expect(store.models.loadModel('ridge', 'active').artifact).toEqual(versionRequest().artifact);
      store.close();
    } finally {
      t.cleanup();
    }
  });

  it('uses the injected random part in generated set ids', () => {
    const t = makeTestDb();
    try {
      let n = 0;
      const store = openStore(path.join(t.dir, 'x.db'), { setIdSuffix: () => `r${n++}` });
      expect(store.predictions.storePredictions(setRequest()).setId).toBe('set_20260102T100000000Z_r0');
      expect(store.predictions.storePredictions(setRequest()).setId).toBe('set_20260102T100000000Z_r1');
      store.close();
    } finally {
      t.cleanup();
    }
  });

  it('db check reports each broken invariant', () => {
    const t = makeTestDb();
    try {
      const file = path.join(t.dir, 'x.db');
      const store = openStore(file);
      store.models.registerModelVersion(versionRequest());
      store.models.registerModelVersion(versionRequest());
      const a = store.predictions.storePredictions(setRequest({ source: 'a' }));
      const b = store.predictions.storePredictions(setRequest({ source: 'a', current: false }));
      expect(store.check()).toEqual({ ok: true, problems: [] });
      store.close();

      // Break things behind the store's back, as a buggy writer or a hand edit would.
      const raw = new Database(file);
      raw.pragma('foreign_keys = OFF');
      raw.exec(`UPDATE prediction_sets SET total_predictions = 4 WHERE set_id = '${a.setId}'`);
      raw.exec(
        "DROP INDEX prediction_sets_one_current; UPDATE prediction_sets SET is_current = 1 WHERE source = 'a'",
      );
      raw.exec(
        "DROP INDEX model_versions_one_active; UPDATE model_versions SET is_active = 1 WHERE model_name = 'ridge'",
      );
      raw.exec(`UPDATE prediction_sets SET scored = 1 WHERE set_id = '${b.setId}'`);
      raw.exec(
        'INSERT INTO predictions (set_row, position, white_1, white_2, white_3, white_4, white_5, powerball, probability) VALUES (999, 0, 1, 2, 3, 4, 5, 6, 0)',
      );
      raw.close();

      const again = openStore(file);
      const report = again.check();
      again.close();
      expect(report.ok).toBe(false);
      const text = report.problems.join('\n');
      expect(text).toMatch(/at most one current prediction set per source: source a has 2 current sets/);
      expect(text).toMatch(new RegExp(`set ${a.setId} records 4 predictions but holds 5`));
      expect(text).toMatch(/at most one active version per model: model ridge has 2 active versions/);
      expect(text).toMatch(/no orphan predictions: prediction \d+ belongs to no set/);
      expect(text).toMatch(new RegExp(`set ${b.setId} is marked scored but 0 of 5 predictions are scored`));
    } finally {
      t.cleanup();
    }
  });

  it('answers the hot queries from indexes, not table scans', () => {
    const t = makeTestDb();
    try {
      const file = path.join(t.dir, 'x.db');
      openStore(file).close();
      const raw = new Database(file, { readonly: true });
      const plan = (sql: string): string =>
        (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
          .map((r) => r.detail)
          .join('\n');
      const oneSet = plan('SELECT * FROM predictions WHERE set_row = 1 ORDER BY position');
      expect(oneSet).toMatch(/USING INDEX/);
      expect(oneSet).not.toMatch(/TEMP B-TREE/);
      const filtered = plan(
        `SELECT p.* FROM prediction_sets s JOIN predictions p ON p.set_row = s.id
         WHERE s.source = 'ml' AND s.created_at >= '2026' AND s.created_at < '2027'
         ORDER BY s.created_at DESC, s.id DESC, p.position LIMIT 101`,
      );
      expect(filtered).toMatch(/prediction_sets_source_created/);
      expect(filtered).not.toMatch(/SCAN p\b|SCAN predictions/);
      const unscored = plan(
        `SELECT p.id FROM prediction_sets s JOIN draws d ON d.draw_date = s.target_draw_date
         JOIN predictions p ON p.set_row = s.id
         WHERE s.scored = 0 AND s.target_draw_date <= '2026-01-31'
           AND NOT EXISTS (SELECT 1 FROM prediction_scores sc WHERE sc.prediction_id = p.id AND sc.draw_date = s.target_draw_date)
         ORDER BY s.target_draw_date, s.id, p.position`,
      );
      expect(unscored).toMatch(/prediction_sets_unscored/);
      raw.close();
    } finally {
      t.cleanup();
    }
  });
  it('migration 005 marks sets that were already fully scored, and evaluation skips them', () => {
    const t = makeTestDb();
    try {
      const file = path.join(t.dir, 'x.db');
      let store = openStore(file);
      store.draws.apply({
        insert: [
          {
            date: '2026-01-03' as IsoDate,
            whites: [1, 2, 3, 4, 5] as unknown as Whites,
            powerball: 1,
            multiplier: null,
          },
        ],
        update: [],
        source: 'test',
        at: '2026-01-04T00:00:00Z',
      });
      const full = store.predictions.storePredictions(setRequest({ source: 'a' }, 2));
      const half = store.predictions.storePredictions(setRequest({ source: 'b' }, 2));
      const score = (id: number) => ({
        predictionId: id,
        drawDate: '2026-01-03' as IsoDate,
        whiteMatches: 0,
        powerballMatch: false,
        tier: null,
        amount: 0,
        scoredAt: '2026-01-04T00:00:00Z',
      });
      store.scores.storeScores([...full.predictionIds.map(score), score(half.predictionIds[0] as number)]);
      store.close();
      // Rewind the schema to before 005, as a database written by that release.
      const raw = new Database(file);
      raw.exec(
        // Later migrations are undone too: the store applies those above the highest version recorded.
        'DROP TABLE legacy_accuracy; DROP INDEX prediction_sets_unscored; ALTER TABLE prediction_sets DROP COLUMN scored; ' +
          'ALTER TABLE prediction_sets DROP COLUMN strength; DELETE FROM schema_migrations WHERE version >= 5',
      );
      // …and before the later migrations, which that release did not have either.
      raw.exec(
        `DROP TABLE play_results; DROP TABLE plays; DROP TABLE tickets;
         ${['dp_white_1', 'dp_white_2', 'dp_white_3', 'dp_white_4', 'dp_white_5', 'dp_powerball'].map((c) => `ALTER TABLE draws DROP COLUMN ${c};`).join(' ')}
         DELETE FROM schema_migrations WHERE version > 5`,
      );
      raw.close();
      store = openStore(file);
      expect(store.scores.unscoredPredictions('2026-01-31' as IsoDate).map((p) => p.id)).toEqual([
        half.predictionIds[1],
      ]);
      expect(store.check()).toEqual({ ok: true, problems: [] });
      store.close();
      const check = new Database(file, { readonly: true });
      expect(check.prepare('SELECT set_id, scored FROM prediction_sets ORDER BY id').all()).toEqual([
        { set_id: full.setId, scored: 1 },
        { set_id: half.setId, scored: 0 },
      ]);
      check.close();
    } finally {
      t.cleanup();
    }
  });
});
