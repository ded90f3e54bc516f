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
  /** The optional language model of `pbi ask` (absent = off): $PBI_ASK_URL, _MODEL, _API_KEY, _TIMEOUT_MS. */
  readonly askModel?: AskModelSettings;
}

/** An OpenAI-compatible chat-completions endpoint that translates questions into queries. */
export interface AskModelSettings {
  readonly url: string;
  /** Required to use it; null when only the URL was given (`pbi ask` then says so). */
  readonly model: string | null;
  readonly apiKey: string | null;
  readonly timeoutMs: number;
}

/**
 * The context a service is built with. `Parts` names the store's repositories the service touches,
 * so its constructor says what it reads and writes (e.g. `ServiceContext<'draws' | 'tickets'>`);
 * the composition root passes the whole store, the type narrows what the service can reach.
 */
export interface ServiceContext<Parts extends keyof Store = keyof Store> {
  readonly config: AppConfig;
  readonly store: Pick<Store, Parts>;
  readonly clock: Clock;
}
