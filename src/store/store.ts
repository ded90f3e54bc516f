/**
 * The one store (DESIGN §4): a single SQLite file behind one typed object. Every part of the product
 * persists through it; each area is a repository holding the shared connection.
 */
import { openConnection, type OpenOptions } from './connection.js';
import { AliasRepository } from './alias-repository.js';
import { DrawRepository } from './draw-repository.js';
import { checkIntegrity, type IntegrityReport } from './integrity.js';
import { RunRepository } from './run-repository.js';
import type { ModelRegistry } from './model-registry-types.js';
import { ModelRepository } from './model-repository.js';
import type { PredictionStore } from './prediction-types.js';
import { PredictionRepository, type RandomSuffix } from './prediction-repository.js';
import type { ScoreStore, WeightStore } from './evaluation-types.js';
import { ScoreRepository } from './score-repository.js';
import { WeightRepository } from './weight-repository.js';
import type { MigrationLedger } from './migration-types.js';
import { MigrationRepository } from './migration-repository.js';
import { TicketRepository } from './ticket-repository.js';
import { LegacyAccuracyRepository } from './legacy-accuracy-repository.js';

export interface Store {
  /** Absolute path of the database file. */
  readonly path: string;
  /** Why the database cannot be written (read-only file or folder), or null when it can. */
  writeProblem(): string | null;
  readonly draws: DrawRepository;
  /** Experiments and tracked runs. */
  readonly runs: RunRepository;
  /** Model aliases and their history. */
  readonly aliases: AliasRepository;
  /** Model registry: models → versions with artifacts. */
  readonly models: ModelRegistry;
  /** Prediction sets and predictions. */
  readonly predictions: PredictionStore;
  /** Scores of predictions against draws. */
  readonly scores: ScoreStore;
  /** Strategy weight history. */
  readonly weights: WeightStore;
  /** Legacy migration runs and the legacy key ledger. */
  readonly migrations: MigrationLedger;
  /** Played tickets, their plays and results. */
  readonly tickets: TicketRepository;
  /** Legacy accuracy records, kept as the legacy wrote them and linked where that is known. */
  readonly legacyAccuracy: LegacyAccuracyRepository;
  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE): every store call inside it commits or rolls
   * back together (e.g. a migrated set and its ledger entry).
   */
  transaction<T>(fn: () => T): T;
  /** SQLite's integrity check plus every repository's invariants. */
  check(): IntegrityReport;
  /** True when no table holds a row besides the schema's own bookkeeping (a just-created file). */
  isEmpty(): boolean;
  /** A consistent online copy of the database (SQLite backup API). */
  backup(destination: string): Promise<void>;
  close(): void;
}

/**
 * Opens the store, creating the file and applying migrations as needed.
 * @throws DatabaseError when the file cannot be opened or is from a newer schema.
 */
export function openStore(
  file: string,
  options: OpenOptions & { readonly setIdSuffix?: RandomSuffix } = {},
): Store {
  const db = openConnection(file, options);
  return {
    path: db.path,
    writeProblem: () => db.writeProblem(),
    draws: new DrawRepository(db),
    runs: new RunRepository(db),
    aliases: new AliasRepository(db),
    models: new ModelRepository(db),
    predictions: new PredictionRepository(db, options.setIdSuffix),
    scores: new ScoreRepository(db),
    weights: new WeightRepository(db),
    migrations: new MigrationRepository(db),
    tickets: new TicketRepository(db),
    legacyAccuracy: new LegacyAccuracyRepository(db),
    transaction: (fn) => db.write(fn),
    check: () => checkIntegrity(db),
    isEmpty: () => {
      const tables = db
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'",
        )
        .all() as { name: string }[];
      // Table names come from sqlite_master itself, quoted as identifiers.
      return tables.every(
        ({ name }) =>
          (
            db.prepare(`SELECT EXISTS (SELECT 1 FROM "${name.replaceAll('"', '""')}") AS x`).get() as {
              x: number;
            }
          ).x === 0,
      );
    },
    backup: (destination) => db.backup(destination),
    close: () => db.close(),
  };
}
