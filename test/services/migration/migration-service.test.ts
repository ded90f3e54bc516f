/**
 * `pbi migrate` through the service on real SQLite files and the committed legacy fixtures
 * (test/fixtures/legacy): what a user of the old app gets in the new store, field by field.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDrawDay, targetDrawDateFor } from '../../../src/domain/calendar.js';
import { readJoblibFile } from '../../../src/legacy/joblib/index.js';
import {
  readExperimentsDb,
  readModelPredictionsDb,
  readPredictionHistory,
} from '../../../src/legacy/records/index.js';
import type { MigrationReport, SourceReport } from '../../../src/services/migration/index.js';
import { MLPredictionService } from '../../../src/services/ml-prediction-service.js';
import { parseModelReference } from '../../../src/services/model-service.js';
import { openLegacySqlite } from '../../../src/store/connection.js';
import type { StoredPrediction } from '../../../src/store/prediction-types.js';
import { openStore } from '../../../src/store/store.js';
import { makeTestDb } from '../../support/test-db.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/legacy');
const APP = path.join(FIXTURES, 'app-basic');
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'reference/expected.json'), 'utf8')) as {
  history: { predictions: number; accuracy: number; feedback: number };
};

function source(report: MigrationReport, rel: string): SourceReport {
  const s = report.sources.find((x) => x.source === rel);
  if (!s) throw new Error(`no source ${rel} in the report`);
  return s;
}

function allPredictions(service: MLPredictionService): StoredPrediction[] {
  const out: StoredPrediction[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = service.context.store.predictions.findPredictions({ limit: 1000, offset });
    out.push(...page.items);
    if (!page.hasMore) return out;
  }
}

function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

let dir: string;
let service: MLPredictionService;
let first: MigrationReport;
let second: MigrationReport;
let countsAfterFirst: { sets: number; predictions: number };

beforeAll(async () => {
  const db = makeTestDb({ name: 'insights.db', prefix: 'pbi-migrate-' });
  dir = db.dir;
  service = MLPredictionService.open(db.config);
  first = await service.migration.migrate(APP);
  countsAfterFirst = service.context.store.predictions.counts();
  second = await service.migration.migrate(APP);
}, 60_000);

afterAll(() => {
  service.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('full migration of app-basic', () => {
  it('reads every source of the folder and counts exactly what the legacy files hold', () => {
    expect(first.sources.map((s) => s.source)).toEqual([
      'models/gradient_boosting_20240117_180005.joblib',
      'models/random_forest_20240116_091500.joblib',
      'models/ridge_20240115_103000.joblib',
      'data/prediction_models.joblib',
      'data/prediction_history.joblib',
      'data/model_predictions.db',
      'data/experiment_tracking/experiments.db',
      'data/ml_memory/broken_memory.json',
      'data/ml_memory/gradient_boosting_memory.json',
      'data/ml_memory/random_forest_memory.json',
      'data/ml_memory/ridge_memory.json',
    ]);
    const h = source(first, 'data/prediction_history.joblib').records;
    expect(h['predictions']?.read).toBe(expected.history.predictions);
    expect(h['accuracy']?.read).toBe(expected.history.accuracy);
    expect(h['feedback']?.read).toBe(expected.history.feedback);
    // Counted independently of the readers, straight from the legacy SQLite files.
    const legacy = openLegacySqlite(path.join(APP, 'data/model_predictions.db'));
    const exp = openLegacySqlite(path.join(APP, 'data/experiment_tracking/experiments.db'));
    const n = (db: typeof legacy, t: string) => Number(db.all(`SELECT COUNT(*) AS n FROM ${t}`)[0]?.['n']);
    const db = source(first, 'data/model_predictions.db').records;
    for (const t of ['model_predictions', 'prediction_sets', 'prediction_accuracy'])
      expect(db[t]?.read, t).toBe(n(legacy, t));
    const ex = source(first, 'data/experiment_tracking/experiments.db').records;
    for (const t of ['experiment_jobs', 'experiment_runs', 'metrics_timeseries'])
      expect(ex[t]?.read, t).toBe(n(exp, t));
    legacy.close();
    exp.close();
    // Every record read is migrated or skipped with a reason; nothing vanishes.
    for (const s of first.sources)
      for (const [k, c] of Object.entries(s.records))
        expect(c.migrated + c.alreadyMigrated + c.skipped, `${s.source} ${k}`).toBe(c.read);
    expect(first.totals.read).toBe(1056);
    expect(first.totals.migrated).toBe(1044);
  });

  it('skips only the broken legacy records, each with its reason', () => {
    const h = source(first, 'data/prediction_history.joblib');
    expect(h.records['predictions']).toEqual({ read: 425, migrated: 420, alreadyMigrated: 0, skipped: 5 });
    expect(h.skipped.map((s) => [s.record, s.reason])).toEqual([
      ['prediction_history.predictions #420', 'white_numbers is not a list of 5 integers'],
      ['prediction_history.predictions #421', 'white_numbers has duplicates'],
      ['prediction_history.predictions #424', 'entry is not a dict'],
      ['prediction_history.accuracy #140', 'actual_numbers is not a list of 5 integers'],
      ['predictions#422', 'no readable timestamp: the draw it was made for cannot be told'],
      ['predictions#423', 'no readable timestamp: the draw it was made for cannot be told'],
    ]);
    const db = source(first, 'data/model_predictions.db');
    expect(db.skipped.map((s) => s.record).sort()).toEqual([
      'model_predictions row 64',
      'model_predictions row 73',
      'model_predictions row 81',
      'prediction_sets row 25',
    ]);
    expect(db.skipped.find((s) => s.record === 'prediction_sets row 25')?.reason).toMatch(/no predictions/);
    // The broken memory file fails alone, with a clear error.
    const broken = source(first, 'data/ml_memory/broken_memory.json');
    expect(broken.status).toBe('failed');
    expect(broken.error?.code).toBe('MALFORMED_FILE');
    expect(broken.error?.message).toMatch(/broken_memory\.json is unreadable: malformed JSON/);
  });

  it('stores what the report counts', () => {
    const h = source(first, 'data/prediction_history.joblib');
    const db = source(first, 'data/model_predictions.db');
    expect(countsAfterFirst).toEqual({
      sets: (h.details['setsCreated'] as number) + (db.details['setsCreated'] as number),
      predictions: 420 + 157,
    });
    const fb = service.context.store.migrations.listLegacyFeedback();
    expect(fb.filter((f) => f.kind === 'feedback')).toHaveLength(60);
    expect(fb.filter((f) => f.kind === 'accuracy')).toEqual([]);
    expect(service.context.store.legacyAccuracy.count()).toBe(140 + 41);
    // Legacy accuracy is kept beside the product's scores, never turned into them.
    expect(service.context.store.scores.listScores()).toEqual([]);
  });

  it('keeps every field of every model_predictions and prediction_sets row', () => {
    const legacy = openLegacySqlite(path.join(APP, 'data/model_predictions.db'));
    const rows = legacy.all('SELECT * FROM model_predictions ORDER BY id');
    const setRows = new Map(legacy.all('SELECT * FROM prediction_sets').map((r) => [r['set_id'], r]));
    legacy.close();
    const byLegacyId = new Map<number, StoredPrediction>();
    for (const p of allPredictions(service))
      if (p.legacy?.id !== undefined && p.legacy.modelName !== undefined) byLegacyId.set(p.legacy.id, p);
    const skipped = new Set([64, 73, 81]);
    let checked = 0;
    for (const r of rows) {
      const id = r['id'] as number;
      const p = byLegacyId.get(id);
      if (skipped.has(id)) {
        expect(p, `row ${id}`).toBeUndefined();
        continue;
      }
      expect(p, `row ${id}`).toBeDefined();
      const l = p!.legacy!;
      expect([...p!.whites]).toEqual(
        (JSON.parse(r['white_numbers'] as string) as number[]).sort((a, b) => a - b),
      );
      expect(p!.powerball).toBe(r['powerball']);
      expect(p!.probability).toBe(r['probability']);
      expect(l.modelName).toBe(r['model_name']);
      expect(l.predictionId).toBe(r['prediction_id']);
      expect(l.createdAt).toBe(String(r['created_at']));
      expect(l.version).toBe(r['version']);
      expect(l.isActive).toBe(r['is_active'] === 1);
      expect(l.hyperparameters).toEqual(JSON.parse(r['hyperparameters'] as string));
      expect(l.performanceMetrics).toEqual(JSON.parse(r['performance_metrics'] as string));
      if (id === 70) expect(l.extra?.['features_used_raw']).toBe(r['features_used']);
      else expect(l.featuresUsed).toEqual(JSON.parse(r['features_used'] as string));
      expect(l.extra?.['prediction_set_id']).toBe(r['prediction_set_id']);
      const set = service.context.store.predictions.getSet(p!.setId);
      const s = setRows.get(r['prediction_set_id']);
      if (s && !String(set.setId).endsWith('-2')) {
        expect(set.source).toBe(s['model_name']);
        expect(set.legacy?.id).toBe(s['id']);
        expect(set.legacy?.createdAt).toBe(String(s['created_at']));
        expect(set.legacy?.totalPredictions).toBe(s['total_predictions']);
        expect(set.legacy?.modelArtifactPath ?? null).toBe(s['model_artifact_path']);
        expect(set.trainingDurationMs).toBeCloseTo((s['training_duration'] as number) * 1000, 9);
        expect(set.notes).toBe(s['notes']);
        expect(set.legacy?.extra?.['set_id']).toBe(s['set_id']);
      }
      // The target is the first draw after the set's legacy timestamp.
      expect(isDrawDay(set.targetDrawDate)).toBe(true);
      expect(Date.parse(`${set.targetDrawDate}T23:59:59-05:00`)).toBeGreaterThan(Date.parse(set.createdAt));
      checked++;
    }
    expect(checked).toBe(157);
  });

  it('maps the sets the old code wrote badly to sets of their own', () => {
    const store = service.context.store;
    const rerun = store.predictions.getSet('random_forest_20231001_081000-2');
    expect(rerun.total).toBe(2);
    expect(rerun.legacy?.extra?.['set_id']).toBe('random_forest_20231001_081000');
    const orphan = store.predictions.getSet('legacy-row-112');
    expect(orphan.total).toBe(1);
    expect(orphan.tickets[0]?.legacy?.extra?.['prediction_set_id']).toBe('');
    // Sets whose artifact was migrated point at the converted model version.
    expect(store.predictions.getSet('ridge_20230910_080300').model).toEqual({
      name: 'legacy-ridge',
      version: 1,
    });
    expect(store.predictions.getSet('gradient_boosting_20231215_083500').model).toEqual({
      name: 'legacy-gradient_boosting',
      version: 1,
    });
    expect(store.predictions.getSet('ridge_20230919_080600').model).toBeNull();
    // Legacy current sets stay current (one per model); the rest are not.
    expect(store.predictions.currentSet('ridge')?.setId).toBe('ridge_20231209_083300');
    expect(
      store.predictions.findSets({ source: 'weighted_ensemble', currentOnly: true, limit: 10 }).items,
    ).toEqual([]);
  });

  it('keeps every history entry with its original timestamp, numbers and details', () => {
    const h = readPredictionHistory(readJoblibFile(path.join(APP, 'data/prediction_history.joblib')).value);
    const stored = new Map<number, StoredPrediction>();
    for (const p of allPredictions(service)) {
      const i = p.legacy?.extra?.['history_index'];
      if (typeof i === 'number') stored.set(i, p);
    }
    expect(stored.size).toBe(420);
    for (const e of h.predictions) {
      const p = stored.get(e.index);
      if (e.timestamp === null) {
        expect(p).toBeUndefined();
        continue;
      }
      expect(p, `#${e.index}`).toBeDefined();
      expect([...p!.whites]).toEqual(e.whites);
      expect(p!.powerball).toBe(e.powerball);
      expect(p!.probability).toBe(e.probability);
      expect(p!.legacy?.createdAt).toBe(e.timestamp);
      expect(p!.legacy?.predictionId).toBe(e.predictionId ?? undefined);
      expect(p!.legacy?.extra?.['sources']).toEqual(e.sources);
      expect(p!.legacy?.extra?.['method']).toBe(e.method);
      for (const [k, v] of Object.entries(e.extra)) expect(p!.legacy?.extra?.[k]).toEqual(v);
      const numeric = Object.values(e.toolContributions).every((v) => typeof v === 'number');
      if (numeric) expect(p!.contributions).toEqual(e.toolContributions);
      else expect(p!.legacy?.extra?.['tool_contributions']).toEqual(e.toolContributions);
      expect(p!.createdAt <= e.timestamp).toBe(true);
      expect(p!.targetDrawDate).toBe(targetDrawDateFor(e.timestamp));
      expect(p!.isCurrent).toBe(false);
    }
  });

  it('keeps accuracy and feedback entries whole, linked to the prediction they concern', () => {
    const h = readPredictionHistory(readJoblibFile(path.join(APP, 'data/prediction_history.joblib')).value);
    const store = service.context.store;
    const fb = store.migrations.listLegacyFeedback('feedback');
    expect(fb.map((f) => f.payload)).toEqual(JSON.parse(JSON.stringify(h.feedback)));
    expect(fb.map((f) => f.strategy)).toEqual(h.feedback.map((f) => f.tool));
    const acc = store.legacyAccuracy.list().filter((a) => a.origin === 'prediction_history.joblib');
    expect(acc.map((a) => a.payload)).toEqual(JSON.parse(JSON.stringify(h.accuracy)));
    const byId = new Map(allPredictions(service).map((p) => [p.id, p]));
    for (const a of acc) {
      const entry = h.accuracy[(a.payload as { index: number }).index]!;
      expect(a.link).toBe('prediction_index');
      const p = byId.get(a.predictionId as number);
      expect(p?.legacy?.extra?.['history_index']).toBe(entry.predictionIndex);
      expect([...p!.whites]).toEqual(entry.predictedWhites);
      expect([a.whiteMatches, a.powerballMatch, a.drawDate]).toEqual([
        entry.whiteMatches,
        entry.powerballMatch,
        entry.drawDate,
      ]);
    }
    // The per-ticket rows of the older SQLite layout link their prediction by prediction_id.
    const rows = store.legacyAccuracy.list().filter((a) => a.origin === 'model_predictions.db');
    expect(rows).toHaveLength(41);
    const missing = rows.find((a) => a.legacyRecord === 'prediction_accuracy row 41')!;
    expect(missing).toMatchObject({ link: 'none', predictionId: null });
    expect(missing.linkNote).toMatch(/pred_does_not_exist is not in the legacy database/);
    for (const a of rows.filter((r) => r !== missing)) {
      expect(a.link).toBe('prediction_id');
      expect(byId.get(a.predictionId as number)?.legacy?.predictionId).toBe(
        (a.payload as { predictionId: string }).predictionId,
      );
    }
  });

  it('brings experiment runs with their metric history, and the training memory', () => {
    const runs = service.context.store.runs;
    const legacy = readExperimentsDb(
      openLegacySqlite(path.join(APP, 'data/experiment_tracking/experiments.db')),
    );
    const all = runs.search({ limit: 1000 }).runs;
    const trials = all.filter((r) => r.kind === 'trial');
    expect(trials).toHaveLength(legacy.runs.length);
    expect(all.filter((r) => r.kind === 'search')).toHaveLength(legacy.jobs.length);
    for (const lr of legacy.runs) {
      const run = trials.find((r) => r.tags['legacy_run_id'] === lr.runId)!;
      expect(run.modelName).toBe(lr.modelName);
      expect(run.params).toEqual(lr.hyperparameters);
      expect(run.startedAt).toBe(lr.startedAt);
      expect(run.durationMs).toBe((lr.durationSeconds as number) * 1000);
      const points = legacy.metrics.filter((m) => m.runId === lr.runId);
      const history = runs.history(run.id).filter((m) => !m.key.startsWith('summary.'));
      expect(history.map((m) => [m.key, m.step, m.value]).sort()).toEqual(
        points.map((m) => [m.name, m.step, m.value]).sort(),
      );
      if (lr.jobExists) expect(runs.get(run.parentRunId as number)?.tags['legacy_job_id']).toBe(lr.jobId);
      else expect(run.parentRunId).toBeNull();
    }
    const failedJob = all.find((r) => r.kind === 'search' && r.tags['legacy_status'] === 'failed')!;
    expect(failedJob.status).toBe('failed');
    expect(failedJob.error).toBe('ValueError: NaN in input');
    const memory = runs.search({ experiment: 'legacy ml_memory' }).runs;
    expect(memory.map((r) => r.modelName).sort()).toEqual(['gradient_boosting', 'random_forest', 'ridge']);
    expect(memory.find((r) => r.modelName === 'ridge')?.metrics).toMatchObject({
      mae_white: 12.4,
      mae_powerball: 7.1,
    });
  });

  it('registers converted models that predict what scikit-learn predicted (1e-9) through the models service', () => {
    const ref = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'reference/predictions.json'), 'utf8')) as {
      cases: { file: string; path: string[]; predictions: number[][] }[];
    };
    const x = (
      JSON.parse(fs.readFileSync(path.join(FIXTURES, 'reference/X.json'), 'utf8')) as { rows: number[][] }
    ).rows;
    const csv = path.join(dir, 'x.csv');
    fs.writeFileSync(
      csv,
      [x[0]!.map((_, i) => `x${i}`).join(','), ...x.map((r) => r.map((v) => String(v)).join(','))].join('\n'),
    );
    const models: [string, string][] = [
      ['legacy-prediction_models', 'app-basic/data/prediction_models.joblib'],
      ['legacy-ridge', 'app-basic/models/ridge_20240115_103000.joblib'],
      ['legacy-random_forest', 'app-basic/models/random_forest_20240116_091500.joblib'],
      ['legacy-gradient_boosting', 'app-basic/models/gradient_boosting_20240117_180005.joblib'],
    ];
    for (const [name, file] of models) {
      const info = service.context.store.models.getVersion(name, 'active');
      expect(info.source).toBe('migrated');
      expect(info.featureNames).toEqual(Array.from({ length: 12 }, (_, i) => `x${i}`));
      const out = service.models.predictFile(parseModelReference(name), csv);
      const cases = ref.cases.filter((c) => c.file === file);
      const white = cases.find((c) => c.path[0] === 'white_balls' || c.path[0] === 'white_pipeline')!;
      const pb = cases.find((c) => c.path[0] === 'powerball' || c.path[0] === 'powerball_pipeline')!;
      expect(out.rows).toBe(x.length);
      out.predictions.forEach((row, r) => {
        expect(row).toHaveLength(6);
        for (let j = 0; j < 5; j++)
          expect(Math.abs(row[j]! - white.predictions[r]![j]!)).toBeLessThanOrEqual(1e-9);
        expect(Math.abs(row[5]! - pb.predictions[r]![0]!)).toBeLessThanOrEqual(1e-9);
      });
    }
  });

  it('backs up the database before writing, and stores the report as a migration run', () => {
    expect(first.backup).not.toBeNull();
    const copy = openStore(first.backup!.file, { readonly: true });
    expect(copy.predictions.counts()).toEqual({ sets: 0, predictions: 0 });
    copy.close();
    const runs = service.context.store.migrations.listMigrationRuns();
    expect(runs.map((r) => r.id)).toEqual([second.runId, first.runId]);
    expect(runs[1]?.status).toBe('completed');
    expect(runs[1]?.report).toEqual(JSON.parse(JSON.stringify(first)));
    // Checksums: the file as read, and the migrated content.
    const h = source(first, 'data/prediction_history.joblib');
    expect(h.fileSha256).toBe(sha(path.join(APP, 'data/prediction_history.joblib')));
    expect(h.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(service.context.store.migrations.legacyRecords('data/prediction_history.joblib').size).toBe(
      420 + 140 + 60,
    );
  });

  it('leaves a database that passes pbi db check', () => {
    const report = service.database.check();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });
});

describe('running the migration again', () => {
  it('adds nothing and says so', () => {
    expect(service.context.store.predictions.counts()).toEqual(countsAfterFirst);
    expect(second.nothingNew).toBe(true);
    expect(second.summary).toMatch(/^nothing new added from .*: 1044 records were already migrated/);
    expect(second.totals.migrated).toBe(0);
    expect(second.totals.alreadyMigrated).toBe(first.totals.migrated);
    for (const s of second.sources) {
      const before = source(first, s.source);
      expect(s.status).toBe(before.status === 'failed' ? 'failed' : 'unchanged');
      expect(s.contentSha256, s.source).toBe(before.contentSha256);
      expect(s.fileSha256).toBe(before.fileSha256);
    }
    expect(service.context.store.migrations.listLegacyFeedback()).toHaveLength(60);
    expect(service.context.store.legacyAccuracy.count()).toBe(181);
    expect(service.context.store.models.listModels().map((m) => [m.name, m.versions])).toEqual([
      ['legacy-gradient_boosting', 1],
      ['legacy-prediction_models', 1],
      ['legacy-random_forest', 1],
      ['legacy-ridge', 1],
    ]);
  });
});

describe('dry run', () => {
  it('writes nothing, not even the backup, and counts what a real run would migrate', async () => {
    const { dir: d, config: dConfig } = makeTestDb({ name: 'insights.db', prefix: 'pbi-migrate-dry-' });
    try {
      const config = dConfig;
      openStore(config.dbPath).close();
      const before = sha(config.dbPath);
      const s = MLPredictionService.open(config);
      const report = await s.migration.migrate(APP, { dryRun: true });
      expect(s.context.store.predictions.counts()).toEqual({ sets: 0, predictions: 0 });
      expect(s.context.store.migrations.listMigrationRuns()).toEqual([]);
      s.close();
      expect(sha(config.dbPath)).toBe(before);
      expect(fs.existsSync(config.backupDir)).toBe(false);
      expect(report.dryRun).toBe(true);
      expect(report.backup).toBeNull();
      expect(report.runId).toBeNull();
      expect(report.summary).toMatch(/^would migrate 1044 of 1056 records/);
      for (const src of report.sources)
        expect(src.records, src.source).toEqual(source(first, src.source).records);
      // Links to converted models cannot be made in a dry run (the versions are rolled back); it says so.
      const notes = source(report, 'data/model_predictions.db').notes.map((n) => n.reason);
      const linked = service.context.store.predictions.findSets({ limit: 1000 }).items.filter((x) => x.model);
      expect(linked).toHaveLength(13);
      expect(notes.filter((n) => /would be linked/.test(n))).toHaveLength(linked.length);
      expect(notes.filter((n) => /not among the migrated models/.test(n))).toEqual([
        expect.stringMatching(/ridge_19990101_000000/),
      ]);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('a hostile or unreadable file', () => {
  it('fails alone, naming the refused global, and writes nothing from it', async () => {
    const { dir: d, config: dConfig } = makeTestDb({ name: 'insights.db', prefix: 'pbi-migrate-hostile-' });
    try {
      const app = path.join(d, 'app');
      fs.cpSync(APP, app, { recursive: true });
      fs.copyFileSync(
        path.join(FIXTURES, 'hostile/os-system.joblib.gz'),
        path.join(app, 'data/prediction_history.joblib'),
      );
      fs.copyFileSync(
        path.join(FIXTURES, 'hostile/builtins-eval.p4.pkl'),
        path.join(app, 'models/ridge_20240115_103000.joblib'),
      );
      fs.writeFileSync(
        path.join(app, 'data/experiment_tracking/experiments.db'),
        'this is not a SQLite file at all',
      );
      const s = MLPredictionService.open(dConfig);
      const report = await s.migration.migrate(app);
      const history = source(report, 'data/prediction_history.joblib');
      expect(history.status).toBe('failed');
      expect(history.error?.code).toBe('UNSAFE_PICKLE');
      expect(history.error?.message).toMatch(/refused pickle global posix\.system/);
      const ridge = source(report, 'models/ridge_20240115_103000.joblib');
      expect(ridge.status).toBe('failed');
      expect(ridge.error?.message).toMatch(/refused pickle global builtins\.eval/);
      const exp = source(report, 'data/experiment_tracking/experiments.db');
      expect(exp.status).toBe('failed');
      expect(exp.error?.code).toBe('DATABASE');
      const store = s.context.store;
      // Nothing from the failed files …
      expect(store.migrations.legacyRecords('data/prediction_history.joblib').size).toBe(0);
      expect(store.migrations.listLegacyFeedback('feedback')).toEqual([]);
      expect(store.predictions.findSets({ source: 'weighted_ensemble', limit: 1 }).items).toEqual([]);
      expect(store.models.listModels().map((m) => m.name)).not.toContain('legacy-ridge');
      expect(store.runs.search({}).runs.filter((r) => r.kind !== 'train')).toEqual([]);
      // … while the other sources migrated (the ridge sets simply are not linked to a model).
      expect(source(report, 'data/model_predictions.db').status).toBe('migrated');
      expect(store.predictions.counts().predictions).toBe(157);
      expect(store.predictions.getSet('ridge_20230910_080300').model).toBeNull();
      expect(store.models.listModels().map((m) => m.name)).toContain('legacy-random_forest');
      expect(report.totals.failedSources).toBe(4);
      expect(report.summary).toMatch(/4 source\(s\) failed and wrote nothing/);
      expect(s.database.check().ok).toBe(true);
      s.close();
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('a folder with no legacy files, or no folder, is a clear error', async () => {
    const { dir: d, config: dConfig } = makeTestDb({ name: 'insights.db', prefix: 'pbi-migrate-empty-' });
    const s = MLPredictionService.open(dConfig);
    try {
      await expect(s.migration.migrate(path.join(d, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
      fs.mkdirSync(path.join(d, 'empty'));
      await expect(s.migration.migrate(path.join(d, 'empty'))).rejects.toThrow(
        /holds none of the legacy app's files/,
      );
      expect(fs.existsSync(path.join(d, 'backups'))).toBe(false);
    } finally {
      s.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('a legacy folder with its files at the root', () => {
  it('migrates exactly what the same files in data/ migrate', async () => {
    const { dir: d, config: dConfig } = makeTestDb({ name: 'insights.db', prefix: 'pbi-migrate-root-' });
    const legacy = path.join(d, 'legacy');
    fs.cpSync(path.join(APP, 'data'), legacy, { recursive: true });
    fs.cpSync(path.join(APP, 'models'), path.join(legacy, 'models'), { recursive: true });
    const s = MLPredictionService.open(dConfig);
    try {
      const report = await s.migration.migrate(legacy);
      expect(report.sources.map((x) => x.source)).toEqual(
        first.sources.map((x) => x.source.replace(/^data\//, '')),
      );
      expect(report.sources.map((x) => x.source)).toContain('prediction_history.joblib');
      report.sources.forEach((got, i) => {
        const want = first.sources[i] as SourceReport;
        const { source: _a, ...gotRest } = got;
        const { source: _b, ...wantRest } = want;
        // The same report but for the paths it names (an unreadable file's message says where it is).
        expect(gotRest, got.source).toEqual(JSON.parse(JSON.stringify(wantRest).replaceAll('data/', '')));
      });
      expect(report.totals).toEqual(first.totals);
      expect(report.missing).toEqual([]);
      expect(s.context.store.predictions.counts()).toEqual(countsAfterFirst);
      expect(s.database.check().ok).toBe(true);
      const again = await s.migration.migrate(legacy);
      expect(again.nothingNew).toBe(true);
    } finally {
      s.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('app-minimal (older schema, compressed history)', () => {
  it('migrates sets without model_artifact_path', async () => {
    const { dir: d, config: dConfig } = makeTestDb({ name: 'insights.db', prefix: 'pbi-migrate-min-' });
    const s = MLPredictionService.open(dConfig);
    try {
      const report = await s.migration.migrate(path.join(FIXTURES, 'app-minimal'));
      expect(report.totals.failedSources).toBe(0);
      const m = readModelPredictionsDb(
        openLegacySqlite(path.join(FIXTURES, 'app-minimal/data/model_predictions.db')),
      );
      expect(m.hasArtifactPathColumn).toBe(false);
      expect(source(report, 'data/model_predictions.db').details['hasModelArtifactPath']).toBe(false);
      expect(source(report, 'data/prediction_history.joblib').details['compression']).toBe('zlib');
      expect(source(report, 'data/prediction_history.joblib').records['predictions']?.migrated).toBe(12);
      expect(s.context.store.predictions.counts().predictions).toBe(12 + m.predictions.length);
      expect(report.missing).toContain('models/*.joblib');
      expect(s.database.check().ok).toBe(true);
    } finally {
      s.close();
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
