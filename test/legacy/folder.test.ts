import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLegacyFolder, type LegacySqlOpener } from '../../src/legacy/index.js';
import { openConnection } from '../../src/store/connection.js';
import { FIXTURES, fixture } from './helpers.js';

const open: LegacySqlOpener = (file) => {
  const c = openConnection(file, { readonly: true });
  return { all: (sql) => c.prepare(sql).all() as Record<string, unknown>[], close: () => c.close() };
};

const temp: string[] = [];
afterAll(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

describe('reading a whole legacy folder', () => {
  it('reads every source of app-basic, with checksums', () => {
    const f = readLegacyFolder(`${FIXTURES}/app-basic`, open);
    const status = Object.fromEntries(f.files.map((x) => [x.path, x.status]));
    expect(status).toMatchObject({
      'data/prediction_history.joblib': 'read',
      'data/prediction_models.joblib': 'read',
      'data/model_predictions.db': 'read',
      'data/experiment_tracking/experiments.db': 'read',
      'data/ml_memory/ridge_memory.json': 'read',
      'models/ridge_20240115_103000.joblib': 'read',
    });
    expect(f.files.every((x) => x.status !== 'read' || /^[0-9a-f]{64}$/.test(x.sha256 ?? ''))).toBe(true);
    expect(f.history?.predictions.length).toBeGreaterThan(400);
    expect(f.predictionModels?.combined).not.toBeNull();
    expect(f.artifacts.map((a) => a.models.modelType)).toEqual([
      'gradient_boosting',
      'random_forest',
      'ridge',
    ]);
    expect(f.modelDb?.groups.length).toBeGreaterThan(30);
    expect(f.experiments?.runs).toHaveLength(20);
    expect(f.memory?.records).toHaveLength(3);
    expect(Object.fromEntries(f.artifactPaths)).toEqual({
      'models/ridge_20240115_103000.joblib': 'models/ridge_20240115_103000.joblib',
      'models/random_forest_20240116_091500.joblib': 'models/random_forest_20240116_091500.joblib',
      '/home/legacy/powerball/models/gradient_boosting_20240117_180005.joblib':
        'models/gradient_boosting_20240117_180005.joblib',
      '/home/legacy/powerball/models/ridge_19990101_000000.joblib': null,
    });
  });

  it('notes missing sources and isolates a hostile or broken file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pbi-legacy-'));
    temp.push(dir);
    cpSync(`${FIXTURES}/app-minimal`, dir, { recursive: true });
    writeFileSync(path.join(dir, 'data/prediction_models.joblib'), fixture('hostile/os-system.joblib.gz'));
    writeFileSync(path.join(dir, 'data/model_predictions.db'), 'not a database at all');
    const f = readLegacyFolder(dir, open);
    const byPath = new Map(f.files.map((x) => [x.path, x]));
    expect(byPath.get('data/prediction_history.joblib')?.status).toBe('read');
    expect(f.history?.predictions.length).toBe(12);
    const hostile = byPath.get('data/prediction_models.joblib');
    expect(hostile?.status).toBe('failed');
    expect(hostile?.error).toMatchObject({ code: 'UNSAFE_PICKLE', reason: 'refused-global' });
    expect(hostile?.error?.message).toMatch(/posix\.system/);
    expect(f.predictionModels).toBeNull();
    expect(byPath.get('data/model_predictions.db')?.status).toBe('failed');
    expect(byPath.get('data/model_predictions.db')?.error?.code).toBe('DATABASE');
    expect(byPath.get('data/experiment_tracking/experiments.db')?.status).toBe('missing');
    expect(f.artifacts).toEqual([]);
  });

  it('refuses a folder that does not exist', () => {
    expect(() => readLegacyFolder('/nonexistent/legacy', open)).toThrow(/does not exist/);
  });
});
