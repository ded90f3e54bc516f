/**
 * Model registry use cases and `pbi models …` on a real database: what a user sees through the
 * service and the command line (in-process, same code path as `bin/pbi.js`).
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/interfaces/cli/program.js';
import type { AppConfig } from '../../src/services/context.js';
import { MLPredictionService } from '../../src/services/ml-prediction-service.js';
import { parseModelReference } from '../../src/services/model-service.js';
import { setRequest, versionRequest } from '../store/helpers.js';
import { makeTestDb } from '../support/test-db.js';

let dir: string;
let config: AppConfig;

beforeEach(() => {
  ({ dir, config } = makeTestDb({ name: 'x.db', prefix: 'pbi-models-', config: { backupKeep: 1 } }));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function seed(versions = 3): void {
  const service = MLPredictionService.open(config);
  for (let i = 0; i < versions; i++)
    service.context.store.models.registerModelVersion(
      versionRequest({
        createdAt: `2026-01-0${i + 1}T00:00:00Z`,
        folds: [
          {
            fold: 0,
            trainSize: 100,
            testSize: 20,
            metrics: { mae: 10 + i },
            baselines: { mean: { mae: 13 } },
          },
        ],
      }),
    );
  service.context.store.models.registerModelVersion(
    versionRequest({ name: 'forest', kind: 'random_forest' }),
  );
  service.close();
}

async function pbi(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    ['--db', config.dbPath, ...argv],
    { stdout: { write: (s) => void (stdout += s) }, stderr: { write: (s) => void (stderr += s) } },
    () => config,
  );
  return { code, stdout, stderr };
}

describe('parseModelReference', () => {
  it('reads NAME, NAME@active and NAME@VERSION, and names the flag in errors', () => {
    expect(parseModelReference('ridge')).toEqual({ name: 'ridge', version: 'active' });
    expect(parseModelReference('ridge@active')).toEqual({ name: 'ridge', version: 'active' });
    expect(parseModelReference('random_forest@12')).toEqual({ name: 'random_forest', version: 12 });
    for (const bad of ['ridge@0', 'ridge@x', '@3', 'rid ge', 'ridge@1.5'])
      expect(() => parseModelReference(bad, '--model')).toThrow(
        expect.objectContaining({
          code: 'INVALID_INPUT',
          issues: [expect.objectContaining({ where: '--model' })],
        }) as Error,
      );
    expect(() => parseModelReference('ridge', 'model', true)).toThrow(/needs a version/);
  });
});

describe('ModelService', () => {
  it('lists, shows, activates, prunes and reports performance', () => {
    seed();
    const service = MLPredictionService.open(config);
    try {
      expect(service.models.list().map((m) => [m.name, m.versions, m.activeVersion])).toEqual([
        ['forest', 1, 1],
        ['ridge', 3, 1],
      ]);
      const shown = service.models.show('ridge@2');
      expect(shown.kind === 'version' && shown.version.meanMetrics).toEqual({ mae: 11 });
      expect(service.models.activate('ridge@3').active).toBe(true);
      expect(service.models.load('ridge').version).toBe(3);
      expect(service.models.performance('ridge').versions.map((v) => v.meanMetrics.mae)).toEqual([
        10, 11, 12,
      ]);
      expect(service.models.prune({ keep: 1, model: 'ridge' }).deleted).toEqual([
        { name: 'ridge', version: 2 },
        { name: 'ridge', version: 1 },
      ]);
    } finally {
      service.close();
    }
  });
});

describe('pbi models', () => {
  it('list prints a table, and one JSON document with --json', async () => {
    seed();
    const text = await pbi('models', 'list');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/ridge\s+3\s+1\s+3\s+ridge\s+mae 10/);
    const json = await pbi('--json', 'models', 'list');
    expect(JSON.parse(json.stdout).models.map((m: { name: string }) => m.name)).toEqual(['forest', 'ridge']);
  });

  it('show NAME lists versions; show NAME@VERSION shows its folds and baselines', async () => {
    seed();
    const model = await pbi('models', 'show', 'ridge');
    expect(model.stdout).toMatch(/ridge: 3 version\(s\), active 1/);
    const version = await pbi('models', 'show', 'ridge@2');
    expect(version.stdout).toMatch(/ridge@2/);
    expect(version.stdout).toMatch(/fold\s+train\s+test\s+mae\s+mean \(baseline mae\)/);
    const json = JSON.parse((await pbi('--json', 'models', 'show', 'ridge@2')).stdout);
    expect(json).toMatchObject({
      name: 'ridge',
      version: 2,
      active: false,
      featureNames: ['sum_mean_10', 'gap_white_1'],
    });
    expect(json.artifact).toBeUndefined();
  });

  it('activate switches the active version; errors name the problem with exit 1', async () => {
    seed();
    const ok = await pbi('models', 'activate', 'ridge@3');
    expect(ok).toMatchObject({ code: 0, stdout: 'ridge@3 is now the active version of ridge.\n' });
    expect(JSON.parse((await pbi('--json', 'models', 'list')).stdout).models[1].activeVersion).toBe(3);
    const missing = await pbi('models', 'activate', 'ridge@9');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ridge has no version 9/);
    const noVersion = await pbi('--json', 'models', 'activate', 'ridge');
    expect(noVersion.code).toBe(1);
    expect(JSON.parse(noVersion.stderr).error).toMatchObject({
      code: 'INVALID_INPUT',
      issues: [{ where: 'model' }],
    });
  });

  it('prune keeps the active version and referenced versions unless --force', async () => {
    seed(4);
    const service = MLPredictionService.open(config);
    service.context.store.predictions.storePredictions(
      setRequest({ source: 'ml', model: { name: 'ridge', version: 2 } }),
    );
    service.close();
    const r = JSON.parse((await pbi('--json', 'models', 'prune', '--keep', '1', '--model', 'ridge')).stdout);
    expect(r.deleted).toEqual([{ name: 'ridge', version: 3 }]);
    expect(r.kept.map((k: { version: number }) => k.version)).toEqual([2, 1]);
    const forced = await pbi('models', 'prune', '--keep', '1', '--model', 'ridge', '--force');
    expect(forced.stdout).toMatch(/deleted ridge@2/);
    expect(forced.stdout).toMatch(/kept ridge@1: active version/);
    const bad = await pbi('models', 'prune', '--keep', '-1');
    expect(bad.code).toBe(2); // a refused flag value is a usage error
    expect(bad.stderr).toMatch(/--keep/);
    expect((await pbi('models', 'prune')).code).toBe(2);
  });
});
