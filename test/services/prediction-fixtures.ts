/**
 * Shared setup for the prediction, evaluation and backtest tests: a real SQLite database in a temp
 * folder holding the bundled real history (optionally cut at a date), a fixed clock, and a real
 * ridge model trained on the feature pipeline and registered in the store.
 */
import fs from 'node:fs';
import type { IsoDate } from '../../src/domain/dates.js';
import type { Draw } from '../../src/domain/draw.js';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import { buildFeatureMatrix } from '../../src/ml/features/index.js';
import { serializeModel } from '../../src/ml/models/index.js';
import { RidgeRegressor } from '../../src/ml/ridge.js';
import { runCli } from '../../src/interfaces/cli/program.js';
import type { AppConfig, Clock } from '../../src/services/context.js';
import { MLPredictionService } from '../../src/services/ml-prediction-service.js';
import { openStore } from '../../src/store/store.js';
import { loadBundledDraws } from '../strategies/bundled-draws.js';
import { makeTestDb } from '../support/test-db.js';

export interface TestDb {
  readonly dir: string;
  readonly config: AppConfig;
  /** A service over the database with a clock fixed at `now`. */
  open(now?: string): MLPredictionService;
  /** Runs `pbi --db <db> …` in-process (the code path of bin/pbi.js). */
  pbi(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  cleanup(): void;
}

/** A temp database holding the bundled draws up to `through` (inclusive; all by default). */
export function createTestDb(through?: string, withDraws = true): TestDb {
  // Built once per test file and copied: each test gets its own database at the cost of a copy.
  const { dir, config } = makeTestDb({
    name: 'x.db',
    prefix: 'pbi-predict-',
    config: { backupKeep: 1, httpTimeoutMs: 1000 },
    load: {
      key: withDraws ? `draws through ${through ?? 'the end'}` : 'no draws',
      build: (template) => {
        const store = openStore(template.dbPath);
        if (withDraws) {
          const draws = loadBundledDraws().filter((d) => through === undefined || d.date <= through);
          store.draws.apply({
            insert: draws,
            update: [],
            source: 'draws.csv',
            at: '2026-08-06T00:00:00.000Z',
          });
        }
        store.close();
      },
    },
  });
  return {
    dir,
    config,
    open(now = '2026-08-06T12:00:00Z') {
      const clock: Clock = { now: () => new Date(now) };
      return new MLPredictionService({ config, store: openStore(config.dbPath), clock });
    },
    async pbi(...argv) {
      let stdout = '';
      let stderr = '';
      const code = await runCli(
        ['--db', config.dbPath, ...argv],
        { stdout: { write: (s) => void (stdout += s) }, stderr: { write: (s) => void (stderr += s) } },
        () => config,
      );
      return { code, stdout, stderr };
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Trains a real ridge model on the feature rows of draws up to `through` and registers it (active),
 * with per-output CV-like MAE metrics measured on the following `holdout` draws.
 */
export function registerRidge(
  service: MLPredictionService,
  through: string,
  alpha = 1,
): { name: string; version: number } {
  const all = loadBundledDraws().filter((d: Draw) => d.date >= CURRENT_ERA.from);
  const m = buildFeatureMatrix(all);
  const rows = m.dates.filter((d) => d <= through).length;
  const x = { rows, cols: m.x.cols, data: m.x.data.subarray(0, rows * m.x.cols) };
  const y = { rows, cols: 6, data: m.y.data.subarray(0, rows * 6) };
  const model = new RidgeRegressor({ alpha }).fit(x, y, { seed: 1 });
  const metrics: Record<string, number> = { mae: 8 };
  ['w1', 'w2', 'w3', 'w4', 'w5', 'pb'].forEach(
    (k, i) => (metrics[`mae_${k}`] = [6, 8, 9, 8, 6, 6.5][i] as number),
  );
  const info = service.context.store.models.registerModelVersion({
    name: 'ridge',
    kind: 'ridge',
    hyperparameters: { alpha, fitIntercept: true },
    featureNames: [...m.names],
    folds: [{ fold: 0, trainSize: rows - 50, testSize: 50, metrics }],
    trainingDurationMs: 12,
    seed: 1,
    artifact: serializeModel(model),
    createdAt: '2026-08-06T00:00:00Z',
    activate: true,
    trainingData: { rows, firstDate: m.dates[0] as IsoDate, lastDate: m.dates[rows - 1] as IsoDate },
  });
  return { name: info.name, version: info.version };
}
