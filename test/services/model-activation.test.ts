/**
 * Models earn their place: a new version is active only when its CV MAE beats both naive baselines
 * and the active version's (`--activate` forces it); the registry shows each version's verdict; the
 * ml strategy uses no model that fails the baselines and the weighted mix says so.
 */
import { inCliWords } from '../../src/interfaces/cli/hints.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { FoldMetrics } from '../../src/domain/fold-metrics.js';
import type { ModelVersionInfo } from '../../src/store/model-registry-types.js';
import { activationDecision, modelVerdict } from '../../src/services/model-verdict.js';
import { createTestDb, type TestDb } from './prediction-fixtures.js';

let db: TestDb;
afterEach(() => db?.cleanup());

const fold = (mae: number, trainingMean: number, orderStats: number): FoldMetrics => ({
  fold: 0,
  metrics: { mae },
  baselines: { training_mean: { mae: trainingMean }, order_statistics: { mae: orderStats } },
});
const version = (name: string, v: number, mae: number) =>
  ({ name, version: v, folds: [fold(mae, 8.47, 9.1)] }) as unknown as ModelVersionInfo;

describe('the activation rule', () => {
  it('activates only a version that beats both baselines and the active one', () => {
    const good = modelVerdict({ folds: [fold(8.2, 8.47, 9.1)] });
    expect(good.beatsBaselines).toBe(true);
    expect(activationDecision(good, null, false).activate).toBe(true);
    expect(activationDecision(good, version('ridge', 2, 8.3), false)).toMatchObject({ activate: true });
    const worse = activationDecision(good, version('ridge', 2, 8.1), false);
    expect(worse.activate).toBe(false);
    expect(inCliWords(worse).reason).toMatch(
      /does not beat the active ridge@2 \(8\.10\); --activate forces it/,
    );
    const bad = modelVerdict({ folds: [fold(64.9, 8.47, 9.1)] });
    expect(bad.text).toBe(
      'does not beat the naive baselines: CV MAE 64.90 vs training_mean 8.47, order_statistics 9.10',
    );
    expect(activationDecision(bad, null, false).activate).toBe(false);
    expect(activationDecision(bad, null, true)).toMatchObject({ activate: true });
    // Between the baselines is not good enough: both must be beaten.
    expect(modelVerdict({ folds: [fold(8.8, 8.47, 9.1)] }).beatsBaselines).toBe(false);
  });
});

describe('pbi train and the registry', () => {
  it('registers the legacy ridge (alpha = 1) inactive, says why, and ml has no model', async () => {
    db = createTestDb();
    const r = await db.pbi('train', '--model', 'ridge', '--param', 'alpha=1', '--folds', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /ridge@1 registered inactive: it does not beat the naive baselines: CV MAE \d+\.\d\d vs training_mean \d\.\d\d/,
    );
    const list = JSON.parse((await db.pbi('--json', 'models', 'list')).stdout);
    expect(list.models[0]).toMatchObject({ name: 'ridge', activeVersion: null, activeVerdict: null });
    const shown = JSON.parse((await db.pbi('--json', 'models', 'show', 'ridge')).stdout);
    expect(shown.versions[0].verdict.beatsBaselines).toBe(false);
    expect((await db.pbi('models', 'show', 'ridge')).stdout).toMatch(/does not beat the baselines/);
    const s = db.open();
    const p = s.predictor.generate({ seed: 1 });
    expect(p.weights).not.toHaveProperty('ml');
    expect(p.notes.join('\n')).toMatch(/ml left out .*; the other weights were renormalized to sum to 1/);
    s.close();
    // Forced: active, but the ml strategy still refuses a model that fails the baselines, and says why.
    const forced = await db.pbi(
      'train',
      '--model',
      'ridge',
      '--param',
      'alpha=1',
      '--folds',
      '3',
      '--activate',
    );
    expect(forced.stdout).toMatch(
      /ridge@2 activated by --activate although it does not beat the naive baselines/,
    );
    const s2 = db.open();
    expect(s2.predictor.catalog.mlAvailability().available).toBe(false);
    expect(s2.predictor.catalog.mlAvailability().notes.join('\n')).toMatch(
      /ridge@2 skipped: it does not beat the naive baselines/,
    );
    s2.close();
  });

  it('refuses to activate a missing version with exit 1 and changes nothing', async () => {
    db = createTestDb();
    await db.pbi('train', '--model', 'ridge', '--param', 'alpha=1', '--folds', '3');
    const r = await db.pbi('models', 'activate', 'ridge@9');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ridge@9|version 9/);
    const list = JSON.parse((await db.pbi('--json', 'models', 'list')).stdout);
    expect(list.models[0]).toMatchObject({ versions: 1, activeVersion: null });
  });
});
