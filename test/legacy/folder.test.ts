/**
 * Which legacy files a folder holds: the one discovery `pbi migrate` uses, for the legacy app's
 * layout (`data/` and `models/`) and for the same files at the folder's root.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverLegacyFolder, LEGACY_SOURCE_NAMES } from '../../src/legacy/index.js';
import { FIXTURES } from './helpers.js';

const temp: string[] = [];
afterAll(() => {
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pbi-legacy-'));
  temp.push(dir);
  return dir;
}

const listed = (dir: string) =>
  discoverLegacyFolder(dir).plan.map((f) => [f.rel, f.kind, path.relative(dir, f.file)]);

const APP_BASIC_AT_ROOT = [
  ['models/gradient_boosting_20240117_180005.joblib', 'model_artifact'],
  ['models/random_forest_20240116_091500.joblib', 'model_artifact'],
  ['models/ridge_20240115_103000.joblib', 'model_artifact'],
  ['prediction_models.joblib', 'prediction_models'],
  ['prediction_history.joblib', 'prediction_history'],
  ['model_predictions.db', 'model_predictions_db'],
  ['experiment_tracking/experiments.db', 'experiments_db'],
  ['ml_memory/broken_memory.json', 'ml_memory'],
  ['ml_memory/gradient_boosting_memory.json', 'ml_memory'],
  ['ml_memory/random_forest_memory.json', 'ml_memory'],
  ['ml_memory/ridge_memory.json', 'ml_memory'],
] as const;

describe('discovering the files of a legacy folder', () => {
  it('finds every source of the legacy layout, models first, each file once and sorted', () => {
    const dir = `${FIXTURES}/app-basic`;
    const expected = APP_BASIC_AT_ROOT.map(([rel, kind]) => {
      const inData = kind !== 'model_artifact' ? `data/${rel}` : rel;
      return [inData, kind, inData];
    });
    expect(listed(dir)).toEqual(expected);
    expect(discoverLegacyFolder(dir).missing).toEqual([]);
  });

  it('finds the same files at the folder root (a copy of data/ beside models/)', () => {
    const dir = tempDir();
    cpSync(`${FIXTURES}/app-basic/data`, dir, { recursive: true });
    cpSync(`${FIXTURES}/app-basic/models`, path.join(dir, 'models'), { recursive: true });
    expect(listed(dir)).toEqual(APP_BASIC_AT_ROOT.map(([rel, kind]) => [rel, kind, rel]));
    expect(discoverLegacyFolder(dir).missing).toEqual([]);
  });

  it('prefers data/ when a file is in both places, and mixes the layouts per source', () => {
    const dir = tempDir();
    cpSync(`${FIXTURES}/app-minimal/data`, path.join(dir, 'data'), { recursive: true });
    cpSync(
      `${FIXTURES}/app-minimal/data/prediction_history.joblib`,
      path.join(dir, 'prediction_history.joblib'),
    );
    cpSync(`${FIXTURES}/app-basic/data/ml_memory`, path.join(dir, 'ml_memory'), { recursive: true });
    const rels = discoverLegacyFolder(dir).plan.map((f) => f.rel);
    expect(rels).toEqual([
      'data/prediction_history.joblib',
      'data/model_predictions.db',
      'ml_memory/broken_memory.json',
      'ml_memory/gradient_boosting_memory.json',
      'ml_memory/random_forest_memory.json',
      'ml_memory/ridge_memory.json',
    ]);
  });

  it('names each missing source by its usual place, and ignores folders and other files with legacy names', () => {
    const dir = tempDir();
    cpSync(`${FIXTURES}/app-minimal`, dir, { recursive: true });
    mkdirSync(path.join(dir, 'data/prediction_models.joblib'), { recursive: true }); // a folder, not the file
    mkdirSync(path.join(dir, 'models/ridge.joblib'), { recursive: true });
    writeFileSync(path.join(dir, 'models/notes.txt'), 'not a model');
    mkdirSync(path.join(dir, 'data/ml_memory'));
    writeFileSync(path.join(dir, 'data/ml_memory/readme.md'), 'no memory here');
    const { plan, missing } = discoverLegacyFolder(dir);
    expect(plan.map((f) => f.rel)).toEqual(['data/prediction_history.joblib', 'data/model_predictions.db']);
    expect(missing).toEqual([
      'models/*.joblib',
      'data/prediction_models.joblib',
      'data/experiment_tracking/experiments.db',
      'data/ml_memory/*.json',
    ]);
    expect(LEGACY_SOURCE_NAMES).toEqual([
      'models/*.joblib',
      'data/prediction_models.joblib',
      'data/prediction_history.joblib',
      'data/model_predictions.db',
      'data/experiment_tracking/experiments.db',
      'data/ml_memory/*.json',
    ]);
  });

  it('an empty folder holds nothing', () => {
    const dir = tempDir();
    expect(discoverLegacyFolder(dir)).toEqual({ plan: [], missing: LEGACY_SOURCE_NAMES });
  });
});
