/**
 * The one store (DESIGN §4): a single SQLite file behind one typed object. Every part of the product
 * persists through it; each area is a repository holding the shared connection.
 */
import { openConnection, type OpenOptions } from './connection.js';
import { AliasRepository } from './alias-repository.js';
import { DrawRepository } from './draw-repository.js';
import { checkIntegrity, type IntegrityReport } from './integrity.js';
import { RunRepository } from './run-repository.js';

export interface Store {
  /** Absolute path of the database file. */
  readonly path: string;
  readonly draws: DrawRepository;
  /** Experiments and tracked runs (issue 8). */
  readonly runs: RunRepository;
  /** Model aliases and their history (issue 8). */
  readonly aliases: AliasRepository;
  /** SQLite's integrity check plus every repository's invariants. */
  check(): IntegrityReport;
  /** A consistent online copy of the database (SQLite backup API). */
  backup(destination: string): Promise<void>;
  close(): void;
}

/**
 * Opens the store, creating the file and applying migrations as needed.
 * @throws DatabaseError when the file cannot be opened or is from a newer schema.
 */
export function openStore(file: string, options: OpenOptions = {}): Store {
  const db = openConnection(file, options);
  return {
    path: db.path,
    draws: new DrawRepository(db),
    runs: new RunRepository(db),
    aliases: new AliasRepository(db),
    check: () => checkIntegrity(db),
    backup: (destination) => db.backup(destination),
    close: () => db.close(),
  };
}
