/**
 * store.legacyAccuracy on a real SQLite file: what it accepts and refuses, what `pbi db check` finds
 * wrong with its links, and the upgrade that moves accuracy entries an earlier migration kept in
 * legacy_feedback.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.js';
import type { LegacyAccuracyInput } from '../../src/store/legacy-accuracy-repository.js';
import { openStore, type Store } from '../../src/store/store.js';
import { expectRejected } from './store-conformance.js';
import { setRequest, tableChecksums } from './helpers.js';
import { makeTestDb } from '../support/test-db.js';

let t: { dir: string; cleanup: () => void };
let file: string;
let store: Store;

const summary = (overrides: Partial<LegacyAccuracyInput> = {}): LegacyAccuracyInput => ({
  origin: 'model_predictions.db',
  legacyRecord: 'prediction_accuracy row 1',
  shape: 'summary',
  modelName: 'Ridge Regression',
  legacySetId: null,
  drawDate: '2026-01-03' as IsoDate,
  evaluatedAt: '2026-01-04T09:00:00Z',
  setId: 'legacy-ridge',
  predictionId: null,
  link: 'current_at_draw',
  linkNote: null,
  whiteMatches: 0.4,
  powerballMatch: false,
  totalMatches: 0.4,
  accuracyScore: 0.4 / 6,
  actualWhites: [1, 2, 3, 4, 5],
  actualPowerball: 6,
  payload: { white_numbers_matched: 0.4 },
  ...overrides,
});

function sql(statement: string): void {
  const db = new Database(file);
  try {
    db.exec(statement);
  } finally {
    db.close();
  }
}

beforeEach(() => {
  t = makeTestDb({ prefix: 'pbi-legacy-accuracy-' });
  file = path.join(t.dir, 'insights.db');
  store = openStore(file);
  // A migrated legacy set of Ridge Regression, and one made by the product itself.
  store.predictions.storePredictions(
    setRequest({
      setId: 'legacy-ridge',
      source: 'Ridge-Regression',
      seed: null,
      legacy: { extra: { set_id: 'ridge_regression_20260102', model_name: 'Ridge Regression' } },
      tickets: setRequest().tickets.map((x, i) => ({
        ...x,
        legacy: { predictionId: `ridge_pred_${i + 1}` },
      })),
    }),
  );
  store.predictions.storePredictions(setRequest({ setId: 'native', createdAt: '2026-01-02T11:00:00Z' }));
});
afterEach(() => {
  store.close();
  t.cleanup();
});

describe('store.legacyAccuracy', () => {
  it('stores summaries with fractional averages as written and lists them with their set', () => {
    const [id] = store.legacyAccuracy.store([summary()]);
    expect(store.legacyAccuracy.list()).toEqual([
      {
        ...summary(),
        id,
        setSource: 'Ridge-Regression',
        drawDate: '2026-01-03',
        evaluatedAt: '2026-01-04T09:00:00Z',
      },
    ]);
    expect(store.check()).toEqual({ ok: true, problems: [] });
  });

  it('refuses impossible figures and contradictory links, naming the field, and stores nothing', () => {
    store.close();
    const before = tableChecksums(file);
    store = openStore(file);
    const s = store.legacyAccuracy;
    expectRejected(
      () => s.store([summary(), summary({ whiteMatches: 6 })]),
      'INVALID_INPUT',
      'records[1].whiteMatches',
    );
    expectRejected(() => s.store([summary({ link: 'none' })]), 'INVALID_INPUT', 'records[0].link');
    expectRejected(() => s.store([summary({ setId: null })]), 'INVALID_INPUT', 'records[0].link');
    expectRejected(() => s.store([summary({ predictionId: 1 })]), 'INVALID_INPUT', 'records[0].predictionId');
    expectRejected(
      () => s.store([summary({ drawDate: '2026-02-30' as IsoDate })]),
      'INVALID_INPUT',
      'records[0].drawDate',
    );
    expectRejected(() => s.store([summary({ setId: 'nope' })]), 'NOT_FOUND', 'records[0].setId');
    store.close();
    expect(tableChecksums(file)).toEqual(before);
    store = openStore(file);
  });
});

describe('pbi db check on legacy accuracy links', () => {
  const problemsAfter = (statement: string): readonly string[] => {
    store.legacyAccuracy.store([summary({ link: 'set_id', legacySetId: 'ridge_regression_20260102' })]);
    sql(statement);
    return store.check().problems;
  };

  it('finds a record marked unlinked that still points at a set', () => {
    expect(problemsAfter("UPDATE legacy_accuracy SET link = 'none'")).toEqual([
      'legacy accuracy links agree with how they were made: legacy accuracy 1 (prediction_accuracy row 1) is marked unlinked but points at a set or prediction',
    ]);
  });

  it('finds a link to a set the product made, not the legacy app', () => {
    expect(
      problemsAfter(
        "UPDATE legacy_accuracy SET set_row = (SELECT id FROM prediction_sets WHERE set_id = 'native')",
      ),
    ).toContainEqual(expect.stringMatching(/links set native, which did not come from the legacy app$/));
  });

  it('finds a link to another model, another set id, or a set made after the draw', () => {
    expect(problemsAfter("UPDATE legacy_accuracy SET model_name = 'Random Forest'")).toEqual([
      'legacy accuracy set links match the model, the set id and the draw: legacy accuracy 1 (prediction_accuracy row 1) of model Random Forest links set legacy-ridge of Ridge Regression',
    ]);
    sql("UPDATE legacy_accuracy SET model_name = 'Ridge Regression', legacy_set_id = 'other'");
    expect(store.check().problems).toEqual([
      'legacy accuracy set links match the model, the set id and the draw: legacy accuracy 1 (prediction_accuracy row 1) names set other but links legacy-ridge',
    ]);
    sql(
      "UPDATE legacy_accuracy SET legacy_set_id = NULL, link = 'current_at_draw', draw_date = '2025-12-31'",
    );
    expect(store.check().problems).toEqual([
      'legacy accuracy set links match the model, the set id and the draw: legacy accuracy 1 (prediction_accuracy row 1) of the draw of 2025-12-31 links set legacy-ridge, made after it (2026-01-02T10:00:00.000Z)',
    ]);
  });

  it('finds a link to a set or prediction that does not exist', () => {
    const problems = problemsAfter('PRAGMA foreign_keys = OFF; UPDATE legacy_accuracy SET set_row = 999');
    expect(problems).toContainEqual('orphan row 1 in legacy_accuracy (missing prediction_sets)');
  });
});

describe('upgrading a database migrated before legacy_accuracy existed', () => {
  it('moves accuracy entries out of legacy_feedback under the same ids, and the ledger follows', () => {
    const ticketId = store.predictions.getSet('legacy-ridge').tickets[0]!.id;
    store.close();
    // The shape an earlier `pbi migrate` left: schema 5, accuracy kept in legacy_feedback.
    sql(`DROP TABLE legacy_accuracy; DELETE FROM schema_migrations WHERE version = 8;
         INSERT INTO legacy_feedback (id, kind, recorded_at, draw_date, prediction_id, strategy, payload) VALUES
           (7, 'accuracy', '2026-01-04T09:00:00.000Z', '2026-01-03', ${ticketId}, NULL,
            '{"index":3,"whiteMatches":2,"powerballMatch":true,"actualWhites":[1,2,3,4,5],"actualPowerball":6,"score":0.4}'),
           (8, 'accuracy', NULL, NULL, NULL, NULL, '{"rowId":41,"predictionId":"gone","whiteMatches":9}'),
           (9, 'feedback', NULL, NULL, NULL, 'ml', '{"index":0}');
         INSERT INTO legacy_records (source, legacy_key, kind, target_id, checksum, migrated_at) VALUES
           ('data/prediction_history.joblib', 'accuracy#3', 'accuracy', 'legacy_feedback:7;score:${ticketId}@2026-01-03', 'c1', '2026-01-05T00:00:00.000Z'),
           ('data/model_predictions.db', 'prediction_accuracy:row 41', 'accuracy', 'legacy_feedback:8', 'c2', '2026-01-05T00:00:00.000Z');`);
    store = openStore(file);
    const moved = store.legacyAccuracy.list();
    expect(
      moved.map((a) => [a.id, a.origin, a.legacyRecord, a.link, a.predictionId, a.setId, a.whiteMatches]),
    ).toEqual([
      [7, 'prediction_history.joblib', 'accuracy#3', 'prediction_index', ticketId, 'legacy-ridge', 2],
      [8, 'model_predictions.db', 'prediction_accuracy row 41', 'none', null, null, null],
    ]);
    expect(moved[0]).toMatchObject({
      powerballMatch: true,
      accuracyScore: 0.4,
      actualWhites: [1, 2, 3, 4, 5],
    });
    expect(store.migrations.listLegacyFeedback().map((f) => f.id)).toEqual([9]);
    expect(store.migrations.findLegacyRecord('data/prediction_history.joblib', 'accuracy#3')?.targetId).toBe(
      'legacy_accuracy:7',
    );
    expect(
      store.migrations.findLegacyRecord('data/model_predictions.db', 'prediction_accuracy:row 41')?.targetId,
    ).toBe('legacy_accuracy:8');
    expect(store.check()).toEqual({ ok: true, problems: [] });
  });
});
