/**
 * The one way tests get a database: a real SQLite file in its own temporary folder, removed by
 * `cleanup()`. A loaded database is copied from a template this test process builds once per kind
 * of content: importing the history takes about half a second on a busy machine, copying the file
 * a millisecond, so a file whose tests each want a fresh loaded database pays the import once.
 *
 * `makeTestService` and `makeTestContext` open the real service facade or a bare service context
 * on such a database, for the HTTP/service tests and the single-service tests.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig, Clock, ServiceContext } from '../../src/services/context.js';
import { MLPredictionService } from '../../src/services/ml-prediction-service.js';
import { openStore } from '../../src/store/store.js';
import { PINNED_HISTORY_DIR } from '../strategies/bundled-draws.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Two days after the last pinned draw (2026-08-05), so predictions target 2026-08-08. */
export const FIXED_NOW = new Date('2026-08-06T12:00:00Z');
export const fixedClock: Clock = { now: () => new Date(FIXED_NOW) };

/** A clock fixed at noon UTC of `day` (YYYY-MM-DD). */
export function clockAt(day: string): Clock {
  return { now: () => new Date(`${day}T12:00:00Z`) };
}

export interface TestDb {
  /** The temporary folder (the database, its backups and anything the test writes). */
  readonly dir: string;
  readonly dbPath: string;
  /** A configuration pointing at this database, the pinned history and an unreachable update URL. */
  readonly config: AppConfig;
  /** Removes the folder (close what you opened on it first). */
  cleanup(): void;
}

/** Fills a new database file; a template's content is built by one of these. */
export type DbBuilder = (config: AppConfig) => void;

export interface TestDbOptions {
  /**
   * What the file holds: nothing yet (default: no file, the code under test creates it),
   * `'bundled'` (the pinned history imported as `pbi init` does, at `FIXED_NOW`), or a named
   * template `{ key, build }` built once per process by `build` and copied.
   */
  readonly load?: 'bundled' | { readonly key: string; readonly build: DbBuilder };
  /** The clock of a `'bundled'` import (its import run is stamped with it); default `FIXED_NOW`. */
  readonly clock?: Clock;
  /** File name of the database inside the folder (default test.db). */
  readonly name?: string;
  /** Prefix of the temporary folder's name, to tell leftovers apart. */
  readonly prefix?: string;
  /** Overrides of the default configuration. */
  readonly config?: Partial<AppConfig>;
}

function configFor(dir: string, name: string, overrides: Partial<AppConfig> = {}): AppConfig {
  return Object.freeze({
    dbPath: path.join(dir, name),
    // The pinned copy (last draw 2026-08-05): tests state its numbers; data/powerball gets refreshed.
    bundledDataDir: PINNED_HISTORY_DIR,
    backupDir: path.join(dir, 'backups'),
    backupKeep: 3,
    updateUrl: 'http://127.0.0.1:9/unreachable.csv',
    httpTimeoutMs: 2000,
    ...overrides,
  });
}

/** The pinned history imported through the service at `clock`, as `pbi init` loads it. */
function loadBundled(clock: Clock): DbBuilder {
  return (config) => {
    const service = MLPredictionService.open(config, clock);
    try {
      service.draws.init();
    } finally {
      service.close();
    }
  };
}

let templateRoot: string | null = null;
const templates = new Map<string, string>();

/** The template file for `key`, built on first use in this process. */
function template(key: string, build: DbBuilder): string {
  const known = templates.get(key);
  if (known) return known;
  if (!templateRoot) {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-templates-'));
    templateRoot = root;
    process.once('exit', () => fs.rmSync(root, { recursive: true, force: true }));
  }
  const dir = path.join(templateRoot, String(templates.size));
  fs.mkdirSync(dir);
  const config = configFor(dir, 'template.db');
  build(config);
  // Closed connections leave no WAL behind; a copy of the one file is the whole database.
  if (fs.existsSync(`${config.dbPath}-wal`)) throw new Error(`template ${key} left a WAL file open`);
  templates.set(key, config.dbPath);
  return config.dbPath;
}

/** A new temporary folder with a database path in it, loaded as `options.load` says. */
export function makeTestDb(options: TestDbOptions = {}): TestDb {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix ?? 'pbi-test-'));
  const config = configFor(dir, options.name ?? 'test.db', options.config);
  const clock = options.clock ?? fixedClock;
  const load =
    options.load === 'bundled'
      ? { key: `bundled@${clock.now().toISOString()}`, build: loadBundled(clock) }
      : options.load;
  if (load) fs.copyFileSync(template(load.key, load.build), config.dbPath);
  return {
    dir,
    dbPath: config.dbPath,
    config,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TestService extends TestDb {
  readonly service: MLPredictionService;
}

/** The service facade on a new database; `load` (default true) loads the pinned history. */
export function makeTestService(
  options: { load?: boolean; clock?: Clock; config?: Partial<AppConfig> } = {},
): TestService {
  const clock = options.clock ?? fixedClock;
  const db = makeTestDb({
    load: (options.load ?? true) ? 'bundled' : undefined,
    clock,
    config: options.config,
  });
  const service = MLPredictionService.open(db.config, clock);
  return {
    ...db,
    service,
    cleanup() {
      service.close();
      db.cleanup();
    },
  };
}

export interface TestContext extends ServiceContext, TestDb {}

/** A service context (store, config, clock at noon of `today`) on a new, empty database. */
export function makeTestContext(options: { today?: string; config?: Partial<AppConfig> } = {}): TestContext {
  const db = makeTestDb({ config: options.config });
  const store = openStore(db.dbPath);
  return {
    ...db,
    config: db.config,
    store,
    clock: clockAt(options.today ?? '2026-08-06'),
    cleanup() {
      store.close();
      db.cleanup();
    },
  };
}

/** Writes `text` to a file in `dir` and returns its path. */
export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

export { PINNED_HISTORY_DIR } from '../strategies/bundled-draws.js';
