/**
 * `pbi migrate` as the real executable on the committed legacy fixtures: the JSON report, exit codes,
 * dry run, a second run, and the migrated models run by `pbi models predict`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileHash, ROOT } from '../support/child-process.js';
import { runPbi } from '../support/run-pbi.js';
import { makeTestDb } from '../support/test-db.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'legacy');

// A fresh folder and database per test: every test passes alone and in any order.
let dir: string;
let db: string;
let env: Record<string, string>;
beforeEach(() => {
  ({ dir, dbPath: db } = makeTestDb({ name: 'main.db', prefix: 'pbi-cli-migrate-' }));
  env = { PBI_BACKUP_DIR: path.join(dir, 'backups') };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pbi migrate', () => {
  it('--dry-run --json reports what would be migrated and leaves the database as it was', async () => {
    expect((await runPbi(['--db', db, 'init'], env)).code).toBe(0);
    const before = fileHash(db);
    const r = await runPbi(
      ['--db', db, '--json', 'migrate', path.join(FIXTURES, 'app-minimal'), '--dry-run'],
      env,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ dryRun: true, backup: null, runId: null, nothingNew: false });
    expect(report.summary).toMatch(/^would migrate/);
    expect(fileHash(db)).toBe(before);
    expect(fs.existsSync(path.join(dir, 'backups'))).toBe(false);
  });

  it('migrates, prints one JSON report, and a second run adds nothing and says so', async () => {
    expect((await runPbi(['--db', db, 'init'], env)).code).toBe(0);
    const app = path.join(FIXTURES, 'app-minimal');
    const r = await runPbi(['--db', db, '--json', 'migrate', app], env);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // The fixture's records, kind by kind: read, migrated, skipped (each skip named in the report).
    expect(report.totals).toEqual({
      read: 248,
      migrated: 244,
      alreadyMigrated: 0,
      skipped: 4,
      sources: 2,
      failedSources: 0,
    });
    const counts = Object.fromEntries(
      (report.sources as { records: Record<string, { read: number; migrated: number; skipped: number }> }[])
        .flatMap((s) => Object.entries(s.records))
        .map(([kind, c]) => [kind, [c.read, c.migrated, c.skipped]]),
    );
    expect(counts).toEqual({
      predictions: [12, 12, 0],
      accuracy: [0, 0, 0],
      feedback: [0, 0, 0],
      model_predictions: [160, 157, 3],
      prediction_sets: [35, 34, 1],
      // The accuracy row whose prediction is missing migrates unlinked, not skipped.
      prediction_accuracy: [41, 41, 0],
    });
    expect(report.backup.file.startsWith(path.join(dir, 'backups'))).toBe(true);
    expect(fs.existsSync(report.backup.file)).toBe(true);
    // Every migrated prediction is listed: 12 from the joblib history, 157 from the database.
    const predictions = await runPbi(['--db', db, '--json', 'predictions', 'list', '--limit', '1000'], env);
    expect(predictions.code).toBe(0);
    const listed = JSON.parse(predictions.stdout) as { items: { total: number }[]; hasMore: boolean };
    expect(listed.hasMore).toBe(false);
    expect(listed.items.reduce((a, s) => a + s.total, 0)).toBe(12 + 157);

    const again = await runPbi(['--db', db, 'migrate', app], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^nothing new added from .*: \d+ records were already migrated/);
    expect(again.stdout).toMatch(/How each legacy record kind was mapped:/);
    const check = await runPbi(['--db', db, '--json', 'db', 'check'], env);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).ok).toBe(true);
  });

  it('a failed source is named on stderr with exit 1, after the report of everything else', async () => {
    expect((await runPbi(['--db', db, 'init'], env)).code).toBe(0);
    const r = await runPbi(['--db', db, '--json', 'migrate', path.join(FIXTURES, 'app-basic')], env);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.totals.failedSources).toBe(1);
    expect(
      report.sources.find((s: { source: string }) => s.source.endsWith('broken_memory.json')).status,
    ).toBe('failed');
    const err = JSON.parse(r.stderr).error;
    expect(err.code).toBe('MALFORMED_FILE');
    expect(err.issues).toEqual([
      { where: 'data/ml_memory/broken_memory.json', reason: expect.stringMatching(/malformed JSON/) },
    ]);
  });

  it('runs a migrated model with pbi models predict on x0..xN rows', async () => {
    // app-basic holds the legacy ridge (one of its sources is broken on purpose: exit 1).
    expect((await runPbi(['--db', db, 'init'], env)).code).toBe(0);
    expect(
      (await runPbi(['--db', db, '--json', 'migrate', path.join(FIXTURES, 'app-basic')], env)).code,
    ).toBe(1);
    const x = (
      JSON.parse(fs.readFileSync(path.join(FIXTURES, 'reference', 'X.json'), 'utf8')) as { rows: number[][] }
    ).rows;
    const ref = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'reference', 'predictions.json'), 'utf8')) as {
      cases: { file: string; path: string[]; predictions: number[][] }[];
    };
    const csv = path.join(dir, 'x.csv');
    fs.writeFileSync(csv, [x[0]!.map((_, i) => `x${i}`).join(','), ...x.map((r) => r.join(','))].join('\n'));
    const r = await runPbi(['--db', db, '--json', 'models', 'predict', 'legacy-ridge', '--input', csv], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { source: string; predictions: number[][] };
    expect(out.source).toBe('migrated');
    const file = 'app-basic/models/ridge_20240115_103000.joblib';
    const white = ref.cases.find((c) => c.file === file && c.path[0] === 'white_pipeline')!;
    const pb = ref.cases.find((c) => c.file === file && c.path[0] === 'powerball_pipeline')!;
    out.predictions.forEach((row, i) => {
      expect(row.slice(0, 5).map((v, j) => Math.abs(v - white.predictions[i]![j]!))).toSatisfy(
        (d: number[]) => d.every((e) => e <= 1e-9),
      );
      expect(Math.abs(row[5]! - pb.predictions[i]![0]!)).toBeLessThanOrEqual(1e-9);
    });
  });

  it('a missing folder is a clear error with exit 1; a missing argument is a usage error', async () => {
    const r = await runPbi(['--db', db, 'migrate', path.join(dir, 'nope')], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/legacy folder .*nope does not exist/);
    expect((await runPbi(['--db', db, 'migrate'], env)).code).toBe(2);
  });
});
