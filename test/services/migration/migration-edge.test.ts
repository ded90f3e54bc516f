/**
 * The migration's decisions on legacy histories made for the purpose (written with the test pickle
 * writer, no Python): which draw a prediction was for, how entries group into sets, what happens to
 * meaningless probabilities and invalid tickets, and re-running over a history that grew or changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../src/domain/dates.js';
import { migratedProbability, uniformTicketProbability } from '../../../src/services/migration/index.js';
import { MLPredictionService } from '../../../src/services/ml-prediction-service.js';
import { PickleWriter, type WritableValue } from '../../legacy/pickle-writer.js';
import { makeTestDb } from '../../support/test-db.js';

describe('migratedProbability', () => {
  it('keeps a probability in [0, 1] and replaces anything else by the uniform ticket probability', () => {
    const d = '2023-03-01' as IsoDate;
    expect(uniformTicketProbability(d)).toBe(1 / 292_201_338);
    expect(uniformTicketProbability('2014-01-01' as IsoDate)).toBe(1 / (5_006_386 * 35));
    expect(migratedProbability(0.25, d)).toEqual({ value: 0.25 });
    expect(migratedProbability(0, d)).toEqual({ value: 0 });
    expect(migratedProbability(null, d)).toEqual({ value: 1 / 292_201_338, original: null });
    expect(migratedProbability(1.5, d)).toEqual({ value: 1 / 292_201_338, original: 1.5 });
    expect(migratedProbability(-0.1, d)).toEqual({ value: 1 / 292_201_338, original: -0.1 });
    expect(migratedProbability(Number.NaN, d)).toEqual({ value: 1 / 292_201_338, original: null });
  });
});

// ---------------------------------------------------------------------------------------------

interface Entry {
  at: string;
  whites: number[];
  pb: number;
  probability?: number | null;
  method?: string;
  id?: string;
}

function entry(e: Entry): WritableValue {
  const m = new Map<string, WritableValue>([
    ['timestamp', e.at],
    ['white_numbers', e.whites.map((v) => ({ np: 'i8', v }) as WritableValue)],
    ['powerball', { np: 'i8', v: e.pb }],
    [
      'probability',
      e.probability === undefined ? { np: 'f8', v: 1e-7 } : e.probability === null ? null : e.probability,
    ],
    ['tool_contributions', new Map<string, WritableValue>([['frequency', { np: 'f8', v: 0.2 }]])],
    ['sources', ['frequency']],
    ['method', e.method ?? 'weighted_ensemble'],
  ]);
  if (e.id) m.set('prediction_id', e.id);
  return m;
}

function writeHistory(app: string, entries: Entry[], accuracy: WritableValue[] = []): void {
  fs.mkdirSync(path.join(app, 'data'), { recursive: true });
  const w = new PickleWriter();
  w.value(
    new Map<string, WritableValue>([
      ['predictions', entries.map(entry)],
      ['accuracy', accuracy],
      ['feedback', []],
    ]),
  );
  fs.writeFileSync(path.join(app, 'data', 'prediction_history.joblib'), w.finish());
}

let dir: string;
let app: string;
let service: MLPredictionService;

beforeEach(() => {
  const db = makeTestDb({ name: 'x.db', prefix: 'pbi-migrate-edge-', config: { backupKeep: 1 } });
  dir = db.dir;
  app = path.join(dir, 'legacy');
  service = MLPredictionService.open(db.config);
});

afterEach(() => {
  service.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const BASE: Entry[] = [
  { at: '2023-03-01T09:00:00.000Z', whites: [1, 2, 3, 4, 5], pb: 1, id: 'a' },
  { at: '2023-03-01T09:00:01.000Z', whites: [6, 7, 8, 9, 10], pb: 2, probability: null },
  { at: '2023-03-01T09:00:02.000Z', whites: [11, 12, 13, 14, 15], pb: 30 }, // Powerball out of range
  { at: '2023-03-01T09:00:03.000Z', whites: [16, 17, 18, 19, 20], pb: 3, probability: 1.5 },
  { at: '2023-03-01T09:01:00.000Z', whites: [21, 22, 23, 24, 25], pb: 4, method: 'ml_prediction' },
  { at: '2023-03-01T09:30:00.000Z', whites: [26, 27, 28, 29, 30], pb: 5 }, // > 5 minutes later
  { at: '2014-06-04T12:00:00.000Z', whites: [1, 2, 3, 4, 59], pb: 35 }, // valid in its own era
  { at: '2014-06-04T12:00:01.000Z', whites: [1, 2, 3, 4, 65], pb: 1 }, // 65 > 59 in 2014
];

describe('history entries into sets', () => {
  it('groups generations, keeps the era of the draw, and replaces meaningless probabilities', async () => {
    writeHistory(app, BASE);
    const report = await service.migration.migrate(app);
    const src = report.sources[0]!;
    expect(src.records['predictions']).toEqual({ read: 8, migrated: 6, alreadyMigrated: 0, skipped: 2 });
    expect(src.skipped.map((s) => [s.record, s.reason])).toEqual([
      ['predictions#2', expect.stringMatching(/Powerball 30 is outside 1–26/)],
      ['predictions#7', expect.stringMatching(/white ball 65 is outside 1–59/)],
    ]);
    const sets = service.context.store.predictions.findSets({ limit: 100 }).items;
    const byId = new Map(sets.map((s) => [s.setId, s]));
    // #0, #1, #3: one generation; #4 another method; #5 half an hour later; #6 in 2014.
    expect([...byId.keys()].sort()).toEqual([
      'legacy-history-000000',
      'legacy-history-000004',
      'legacy-history-000005',
      'legacy-history-000006',
    ]);
    const gen = byId.get('legacy-history-000000')!;
    expect(gen.tickets.map((t) => t.legacy?.extra?.['history_index'])).toEqual([0, 1, 3]);
    expect(gen.source).toBe('weighted_ensemble');
    expect(gen.targetDrawDate).toBe('2023-03-01');
    expect(gen.createdAt).toBe('2023-03-01T09:00:00.000Z');
    expect(gen.isCurrent).toBe(false);
    expect(gen.tickets[0]?.probability).toBe(1e-7);
    expect(gen.tickets[0]?.legacy?.predictionId).toBe('a');
    expect(gen.tickets[0]?.contributions).toEqual({ frequency: 0.2 });
    expect(gen.tickets[1]?.probability).toBe(1 / 292_201_338);
    expect(gen.tickets[1]?.legacy?.extra?.['original_probability']).toBeNull();
    expect(gen.tickets[2]?.probability).toBe(1 / 292_201_338);
    expect(gen.tickets[2]?.legacy?.extra?.['original_probability']).toBe(1.5);
    expect(src.notes.filter((n) => n.field === 'probability').map((n) => n.record)).toEqual([
      'predictions#1',
      'predictions#3',
    ]);
    expect(byId.get('legacy-history-000004')?.source).toBe('ml_prediction');
    const old = byId.get('legacy-history-000006')!;
    expect(old.targetDrawDate).toBe('2014-06-04');
    expect(old.tickets[0]?.whites).toEqual([1, 2, 3, 4, 59]);
    expect(service.database.check().ok).toBe(true);
  });
});

describe('running again over a history that grew or changed', () => {
  it('migrates only the new entries, links new accuracy entries to earlier predictions, keeps changed ones', async () => {
    writeHistory(app, BASE.slice(0, 6));
    const first = await service.migration.migrate(app);
    expect(first.totals.migrated).toBe(5);
    const before = service.context.store.predictions.counts();

    const grown: Entry[] = [
      { ...BASE[0]!, pb: 9 }, // changed since it was migrated
      ...BASE.slice(1, 6),
      { at: '2023-03-05T10:00:00.000Z', whites: [31, 32, 33, 34, 35], pb: 6 },
      { at: '2023-03-05T10:00:01.000Z', whites: [36, 37, 38, 39, 40], pb: 7 },
    ];
    const accuracy = new Map<string, WritableValue>([
      ['timestamp', '2023-03-02T10:00:00'],
      ['prediction_index', 4],
      ['actual_numbers', [21, 22, 50, 51, 52]],
      ['actual_powerball', 4],
      ['draw_date', '2023-03-01'],
      ['white_matches', 2],
      ['powerball_match', true],
    ]);
    writeHistory(app, grown, [accuracy]);
    const second = await service.migration.migrate(app);
    const src = second.sources[0]!;
    expect(src.records['predictions']).toEqual({ read: 8, migrated: 2, alreadyMigrated: 5, skipped: 1 });
    expect(src.records['accuracy']).toEqual({ read: 1, migrated: 1, alreadyMigrated: 0, skipped: 0 });
    expect(src.notes.map((n) => n.reason)).toContainEqual(
      expect.stringMatching(
        /^changed since it was migrated on .*; the migrated set \(legacy-history-000000\) is kept$/,
      ),
    );
    expect(service.context.store.predictions.counts()).toEqual({
      sets: before.sets + 1,
      predictions: before.predictions + 2,
    });
    // The earlier version of #0 is what stays.
    expect(service.context.store.predictions.getSet('legacy-history-000000').tickets[0]?.powerball).toBe(1);
    // The accuracy entry found prediction #4, migrated by the first run; its figures stay legacy.
    const ml = service.context.store.predictions.getSet('legacy-history-000004').tickets[0]!;
    const [acc] = service.context.store.legacyAccuracy.list();
    expect(acc).toMatchObject({
      predictionId: ml.id,
      link: 'prediction_index',
      whiteMatches: 2,
      powerballMatch: true,
    });
    expect(service.context.store.scores.listScores()).toEqual([]);

    const third = await service.migration.migrate(app);
    expect(third.nothingNew).toBe(true);
    expect(third.sources[0]?.contentSha256).toBe(src.contentSha256);
    expect(service.database.check().ok).toBe(true);
  });
});

describe('model_predictions.db rows on a second run', () => {
  function legacyDb(file: string): Database.Database {
    const db = new Database(file);
    db.exec(`CREATE TABLE model_predictions (id INTEGER PRIMARY KEY AUTOINCREMENT, model_name TEXT, prediction_id TEXT,
               prediction_set_id TEXT, white_numbers TEXT, powerball INTEGER, probability REAL, features_used TEXT,
               hyperparameters TEXT, performance_metrics TEXT, created_at TIMESTAMP, version TEXT, is_active BOOLEAN);
             CREATE TABLE prediction_sets (id INTEGER PRIMARY KEY AUTOINCREMENT, set_id TEXT UNIQUE, model_name TEXT,
               created_at TIMESTAMP, is_current BOOLEAN, total_predictions INTEGER, training_duration REAL, notes TEXT);`);
    return db;
  }
  const row = (
    db: Database.Database,
    id: string,
    whites: number[],
    pb: number,
    probability: number,
  ): void => {
    db.prepare(
      `INSERT INTO model_predictions (model_name, prediction_id, prediction_set_id, white_numbers, powerball, probability,
         features_used, hyperparameters, performance_metrics, created_at, version, is_active)
       VALUES ('ridge', ?, 'ridge_1', ?, ?, ?, '[]', '{}', '{}', 1693555200, '1.0', 1)`,
    ).run(id, JSON.stringify(whites), pb, probability);
  };

  it('reports an invalid ticket with its reason every time, and rows added to a migrated set as such', async () => {
    const file = path.join(app, 'data', 'model_predictions.db');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = legacyDb(file);
    db.prepare(
      "INSERT INTO prediction_sets (set_id, model_name, created_at, is_current, total_predictions) VALUES ('ridge_1', 'ridge', 1693555200, 1, 3)",
    ).run();
    row(db, 'p1', [1, 2, 3, 4, 5], 6, 1e-8);
    row(db, 'p2', [1, 2, 3, 4, 5], 30, 1e-8); // Powerball out of range
    row(db, 'p3', [7, 8, 9, 10, 11], 12, 2.0); // probability out of range
    db.close();
    const first = await service.migration.migrate(app);
    const src = first.sources[0]!;
    expect(src.records['model_predictions']).toEqual({
      read: 3,
      migrated: 2,
      alreadyMigrated: 0,
      skipped: 1,
    });
    const set = service.context.store.predictions.getSet('ridge_1');
    expect(set.createdAt).toBe('2023-09-01T08:00:00.000Z'); // epoch seconds in the legacy cell
    expect(set.legacy?.createdAt).toBe('1693555200');
    expect(set.targetDrawDate).toBe('2023-09-02');
    expect(set.isCurrent).toBe(true);
    expect(set.tickets[1]?.probability).toBe(1 / 292_201_338);
    expect(set.tickets[1]?.legacy?.extra?.['original_probability']).toBe(2);

    const reopened = new Database(file);
    row(reopened, 'p4', [20, 21, 22, 23, 24], 1, 1e-8);
    reopened.close();
    const second = await service.migration.migrate(app);
    const s2 = second.sources[0]!;
    expect(s2.records['model_predictions']).toEqual({ read: 4, migrated: 0, alreadyMigrated: 2, skipped: 2 });
    expect(s2.skipped.map((x) => [x.record, x.reason])).toEqual([
      ['model_predictions row 2', expect.stringMatching(/Powerball 30 is outside 1–26/)],
      ['model_predictions row 4', 'added to set ridge_1 after the set was migrated'],
    ]);
    expect(service.context.store.predictions.counts()).toEqual({ sets: 1, predictions: 2 });
  });
});

describe('progress', () => {
  it('reports rising fractions per source, ending at 1', async () => {
    writeHistory(app, BASE);
    const seen: [string, number][] = [];
    await service.migration.migrate(app, { onProgress: (label, f) => seen.push([label, f]) });
    const fractions = seen.map(([, f]) => f);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(seen[0]).toEqual(['migrating data/prediction_history.joblib', 0]);
    expect(seen.some(([, f]) => f === 0.5)).toBe(true);
    expect(seen[seen.length - 1]).toEqual(['migrated', 1]);
  });
});

describe('experiments.db written without its keys', () => {
  it('keeps the first of two runs with the same id and reports the second', async () => {
    const file = path.join(app, 'data', 'experiment_tracking', 'experiments.db');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.exec(`CREATE TABLE experiment_jobs (job_id TEXT, name TEXT, description TEXT, config TEXT, status TEXT,
               created_at TEXT, started_at TEXT, completed_at TEXT, error_message TEXT, progress REAL);
             CREATE TABLE experiment_runs (run_id TEXT, job_id TEXT, run_number INTEGER, model_name TEXT,
               hyperparameters TEXT, metrics TEXT, status TEXT, started_at TEXT, completed_at TEXT,
               duration_seconds REAL, artifact_path TEXT);
             CREATE TABLE metrics_timeseries (id INTEGER PRIMARY KEY, run_id TEXT, metric_name TEXT, value REAL,
               step INTEGER, timestamp TEXT);
             INSERT INTO experiment_jobs VALUES ('j1', 'grid', NULL, '{"models": ["ridge"]}', 'running',
               '2023-11-01 12:00:00', NULL, NULL, NULL, 0.5);
             INSERT INTO experiment_runs VALUES ('r1', 'j1', 1, 'ridge', '{"alpha": 1.0, "grid": [1, 2]}',
               '{"mae": 12.5}', 'completed', '2023-11-01T12:00:00', '2023-11-01T12:00:20', 20, NULL);
             INSERT INTO experiment_runs VALUES ('r1', 'j1', 2, 'ridge', '{"alpha": 10.0}', '{}', 'completed',
               '2023-11-01T12:01:00', NULL, NULL, NULL);
             INSERT INTO metrics_timeseries (run_id, metric_name, value, step, timestamp) VALUES
               ('r1', 'val loss', 3.5, 0, '2023-11-01T12:00:05'), ('r1', 'val loss', 3.25, 1, NULL);`);
    db.close();
    const report = await service.migration.migrate(app);
    const src = report.sources[0]!;
    expect(src.status).toBe('migrated');
    expect(src.records['experiment_runs']).toEqual({ read: 2, migrated: 1, alreadyMigrated: 0, skipped: 1 });
    expect(src.records['metrics_timeseries']).toEqual({
      read: 2,
      migrated: 2,
      alreadyMigrated: 0,
      skipped: 0,
    });
    expect(src.skipped).toEqual([
      {
        record: 'experiment_runs r1',
        reason: 'duplicate of an earlier record with the same key (experiment_runs:r1)',
      },
    ]);
    const runs = service.context.store.runs.search({}).runs;
    const job = runs.find((r) => r.kind === 'search')!;
    // A job still "running" in a dead app did not finish: failed, saying why.
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/legacy status running: it never finished/);
    expect(job.experiment).toBe('legacy grid (j1)');
    const trial = runs.find((r) => r.kind === 'trial')!;
    expect(trial.parentRunId).toBe(job.id);
    expect(trial.params).toEqual({ alpha: 1, grid: '[1,2]' });
    expect(trial.metrics).toEqual({ 'summary.mae': 12.5, val_loss: 3.25 });
    expect(src.notes.map((n) => n.reason)).toContainEqual('metric names made valid: val loss → val_loss');
    expect(service.database.check().ok).toBe(true);
  });
});
