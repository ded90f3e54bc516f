/**
 * A real service context on a temporary SQLite file, with a fixed clock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig, Clock, ServiceContext } from '../../../src/services/context.js';
import { openStore } from '../../../src/store/store.js';
import { PINNED_HISTORY_DIR } from '../../strategies/bundled-draws.js';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
/** The pinned copy of data/powerball (last draw 2026-08-05): tests state its numbers. */
export const BUNDLED_DIR = PINNED_HISTORY_DIR;

export interface TempContext extends ServiceContext {
  readonly dir: string;
  cleanup(): void;
}

/** Opens a fresh database in a temp folder; `today` fixes the clock (default 2026-08-06 12:00 UTC). */
export function tempContext(options: { today?: string; config?: Partial<AppConfig> } = {}): TempContext {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-draws-'));
  const dbPath = path.join(dir, 'test.db');
  const clock: Clock = { now: () => new Date(`${options.today ?? '2026-08-06'}T12:00:00Z`) };
  const config: AppConfig = Object.freeze({
    dbPath,
    bundledDataDir: BUNDLED_DIR,
    backupDir: path.join(dir, 'backups'),
    backupKeep: 3,
    updateUrl: 'http://127.0.0.1:9/never-used',
    httpTimeoutMs: 2000,
    ...options.config,
  });
  const store = openStore(dbPath);
  return {
    config,
    store,
    clock,
    dir,
    cleanup() {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes `text` to a file in `dir` and returns its path. */
export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
