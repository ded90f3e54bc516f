/**
 * What every service needs, resolved once at the entry point (STYLE §9) and passed down frozen.
 */
import type { Store } from '../store/store.js';

/** Injected time source (STYLE §10): tests fix it, production reads the system clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface AppConfig {
  /** Path of the SQLite database file. */
  readonly dbPath: string;
  /** Folder of the bundled real draw history (draws.csv, PROVENANCE.md). */
  readonly bundledDataDir: string;
  /** Folder where `pbi db backup` keeps backups, and how many it keeps. */
  readonly backupDir: string;
  readonly backupKeep: number;
  /** Official NY open-data export used by `pbi draws update`. */
  readonly updateUrl: string;
  /** Milliseconds before a download is abandoned. */
  readonly httpTimeoutMs: number;
  /** Jobs (training, tuning, backtests) `pbi serve` runs at once ($PBI_MAX_JOBS); the rest queue. */
  readonly maxConcurrentJobs?: number;
  /** Token `pbi serve` requires on mutating endpoints ($PBI_TOKEN; `--token` overrides). */
  readonly serveToken?: string;
}

export interface ServiceContext {
  readonly config: AppConfig;
  readonly store: Store;
  readonly clock: Clock;
}
