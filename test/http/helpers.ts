/**
 * Test support: a real service on a temporary SQLite file, optionally loaded with the bundled history.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig, Clock } from '../../src/services/context.js';
import { MLPredictionService } from '../../src/services/ml-prediction-service.js';
import { PINNED_HISTORY_DIR } from '../strategies/bundled-draws.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Two days after the last bundled draw (2026-08-05), so predictions target 2026-08-08. */
export const FIXED_NOW = new Date('2026-08-06T12:00:00Z');
export const fixedClock: Clock = { now: () => new Date(FIXED_NOW) };

export interface TempService {
  readonly service: MLPredictionService;
  readonly dir: string;
  readonly config: AppConfig;
  cleanup(): void;
}

/** Opens a service on a new temporary database; `load` loads the bundled history first. */
export function tempService(options: { load?: boolean; clock?: Clock } = {}): TempService {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-http-'));
  const config: AppConfig = Object.freeze({
    dbPath: path.join(dir, 'test.db'),
    // The pinned copy (last draw 2026-08-05): tests state its numbers; data/powerball gets refreshed.
    bundledDataDir: PINNED_HISTORY_DIR,
    backupDir: path.join(dir, 'backups'),
    backupKeep: 3,
    updateUrl: 'http://127.0.0.1:9/unreachable.csv',
    httpTimeoutMs: 2000,
  });
  const service = MLPredictionService.open(config, options.clock ?? fixedClock);
  if (options.load ?? true) service.draws.init();
  return {
    service,
    dir,
    config,
    cleanup() {
      service.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
