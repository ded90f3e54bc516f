/**
 * The only module that imports better-sqlite3 (STYLE §3). It opens the file with the settings every
 * writer needs (WAL, busy timeout, foreign keys), applies the numbered migrations, and hands the rest
 * of the store a narrow `Connection` type.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError } from '../domain/errors.js';
import { MIGRATIONS } from './migrations/index.js';

export type SqlValue = string | number | bigint | Buffer | Uint8Array | null;

export interface Statement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
}

/** The subset of the driver the repositories use. */
export interface Connection {
  readonly path: string;
  prepare(sql: string): Statement;
  /**
   * Like `prepare`, but rows come back as arrays of column values in SELECT order: no object per
   * row, which halves the cost of wide, hot queries (a 100-row prediction page).
   */
  prepareRaw(sql: string): Statement;
  exec(sql: string): void;
  /** Runs `fn` in a `BEGIN IMMEDIATE` transaction, retrying while another process holds the lock. */
  write<T>(fn: () => T): T;
  /** Runs `fn` in a read transaction (a consistent snapshot). */
  read<T>(fn: () => T): T;
  pragma(source: string): unknown;
  /** Why this database cannot be written (read-only file, folder or file system), or null. */
  writeProblem(): string | null;
  /** Online backup through SQLite's backup API. */
  backup(destination: string): Promise<void>;
  close(): void;
}

export interface OpenOptions {
  readonly readonly?: boolean;
  /** Milliseconds a writer waits for a lock before retrying. */
  readonly busyTimeoutMs?: number;
}

const BUSY_CODES = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED']);

function isBusy(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && BUSY_CODES.has(String((error as { code?: unknown }).code))
  );
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Opens (creating if needed) a database and brings its schema up to date.
 * @throws DatabaseError when the folder is missing, the file is not writable or not a database, or
 * its schema is newer than this program.
 */
export function openConnection(file: string, options: OpenOptions = {}): Connection {
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  if (!fs.existsSync(dir))
    throw new DatabaseError(`cannot open database ${file}: folder ${dir} does not exist`);
  let db: Database.Database;
  try {
    db = new Database(resolved, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new DatabaseError(`cannot open database ${file}: ${describe(error)}`, { cause: error });
  }
  const connection = wrap(db, resolved);
  if (!options.readonly) {
    try {
      migrate(connection);
    } catch (error) {
      db.close();
      if (error instanceof DatabaseError) throw error;
      throw new DatabaseError(`cannot open database ${file}: ${describe(error)}`, { cause: error });
    }
  }
  return connection;
}

/** A read-only view of a foreign SQLite file (the legacy app's databases): fixed SELECTs only. */
export interface ReadOnlySqlite {
  /** Runs one statement and returns every row as a column → value object. */
  all(sql: string): readonly Record<string, unknown>[];
  close(): void;
}

/**
 * Opens someone else's SQLite file (a legacy `model_predictions.db`, `experiments.db`) strictly
 * read-only: no migrations, no WAL switch, `query_only` on and the schema untrusted, so nothing in
 * the file can make us write or run its views' side effects.
 * @throws DatabaseError when the file is missing or not a SQLite database.
 */
export function openLegacySqlite(file: string): ReadOnlySqlite {
  let db: Database.Database;
  try {
    db = new Database(path.resolve(file), { readonly: true, fileMustExist: true });
    db.pragma('query_only = ON');
    db.pragma('trusted_schema = OFF');
    // Reading the schema here surfaces "not a database" at open, not at the first query.
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  } catch (error) {
    throw new DatabaseError(`cannot read legacy database ${file}: ${describe(error)}`, { cause: error });
  }
  return {
    all(sql) {
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } catch (error) {
        throw new DatabaseError(`cannot read legacy database ${file}: ${describe(error)}`, { cause: error });
      }
    },
    close() {
      db.close();
    },
  };
}

function isReadOnly(error: unknown): boolean {
  const code = String((error as { code?: unknown } | null)?.code ?? '');
  return code.startsWith('SQLITE_READONLY');
}

/**
 * Why `file` cannot be written, or null: the file or its folder refuses writing (permissions, an
 * immutable attribute, a read-only mount). SQLite opens such a file without complaint and fails
 * at the first write, so callers that must not start writing (a backup first) ask beforehand.
 */
export function writeProblem(file: string): string | null {
  for (const [target, what] of [
    [file, 'the file'],
    [path.dirname(file), 'its folder'],
  ] as const) {
    try {
      if (fs.existsSync(target)) fs.accessSync(target, fs.constants.W_OK);
    } catch (error) {
      return `${what} is not writable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
    }
  }
  return null;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/not a database|malformed/i.test(message))
    return 'the file is not a valid SQLite database (corrupt or another format)';
  if (/readonly|read-only|unable to open/i.test(message))
    return `${message} (check that the file and its folder are writable)`;
  return message;
}

function wrap(db: Database.Database, file: string): Connection {
  const cache = new Map<string, Statement>();
  const rawCache = new Map<string, Statement>();
  const withRetries = <T>(run: () => T): T => {
    // busy_timeout covers most waits; a WAL snapshot conflict (SQLITE_BUSY_SNAPSHOT) returns at once,
    // so retry with a growing pause rather than surface a transient error to the caller.
    for (let attempt = 0; ; attempt++) {
      try {
        return run();
      } catch (error) {
        if (!isBusy(error) || attempt >= 50) throw error;
        sleepSync(Math.min(5 + attempt * 10, 200) * (0.5 + Math.random()));
      }
    }
  };
  return {
    path: file,
    prepare(sql) {
      let st = cache.get(sql);
      if (!st) {
        st = db.prepare(sql) as unknown as Statement;
        cache.set(sql, st);
      }
      return st;
    },
    prepareRaw(sql) {
      let st = rawCache.get(sql);
      if (!st) {
        st = db.prepare(sql).raw(true) as unknown as Statement;
        rawCache.set(sql, st);
      }
      return st;
    },
    exec(sql) {
      db.exec(sql);
    },
    write(fn) {
      if (db.inTransaction) return fn();
      try {
        return withRetries(() => db.transaction(fn).immediate());
      } catch (error) {
        if (!isReadOnly(error)) throw error;
        throw new DatabaseError(
          `cannot write to database ${file}: it is read-only (${writeProblem(file) ?? 'the file system refused the write'}); nothing was written`,
          { cause: error },
        );
      }
    },
    read(fn) {
      if (db.inTransaction) return fn();
      return withRetries(() => db.transaction(fn).deferred());
    },
    writeProblem: () => writeProblem(file),
    pragma(source) {
      return db.pragma(source);
    },
    async backup(destination) {
      await db.backup(destination);
      // The copy inherits WAL mode; switch it to a rollback journal so the backup is one
      // self-contained file that can be copied as is (and opening it read-only leaves no -wal/-shm).
      const copy = new Database(destination);
      try {
        copy.pragma('journal_mode = DELETE');
      } finally {
        copy.close();
      }
    },
    close() {
      cache.clear();
      rawCache.clear();
      db.close();
    },
  };
}

/** Applies every migration newer than the database's version, each in its own transaction. */
function migrate(connection: Connection): void {
  connection.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
  );
  const row = connection.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as {
    v: number | null;
  };
  const current = row.v ?? 0;
  const latest = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > latest) {
    throw new DatabaseError(
      `database ${connection.path} has schema version ${current}, newer than this program's ${latest}; upgrade Powerball Insights to open it`,
    );
  }
  for (const migration of [...MIGRATIONS].sort((a, b) => a.version - b.version)) {
    if (migration.version <= current) continue;
    connection.write(() => {
      connection.exec(migration.sql);
      connection
        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(migration.version, migration.name, new Date().toISOString());
    });
  }
}
