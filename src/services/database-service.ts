/**
 * `pbi db`: consistent online backups (SQLite's backup API, so writers may keep working) with
 * rotation, and the integrity check (SQLite's own plus every repository's invariants).
 */
import fs from 'node:fs';
import path from 'node:path';
import { PbiError, ValidationError } from '../domain/errors.js';
import type { IntegrityReport } from '../store/integrity.js';
import { openStore } from '../store/store.js';
import type { ServiceContext } from './context.js';

export interface BackupReport {
  /** Absolute path of the backup written. */
  readonly file: string;
  readonly bytes: number;
  /** Draws in the backup (read back from it, which also proves it opens). */
  readonly draws: number;
  /** Older backups removed to keep the newest `keep` (only for the default folder). */
  readonly removed: readonly string[];
  readonly kept: number;
}

export interface DatabaseStatus {
  readonly database: string;
  readonly bytes: number;
  /** The write-ahead log not yet folded into the file. */
  readonly walBytes: number;
  readonly draws: number;
  readonly backupDir: string;
  /** How many backups the folder keeps (older ones are removed by the next backup). */
  readonly backupKeep: number;
  readonly backups: readonly { readonly file: string; readonly bytes: number; readonly createdAt: string }[];
}

export class DatabaseService {
  constructor(private readonly ctx: ServiceContext<'path' | 'backup' | 'check' | 'draws'>) {}

  /**
   * Writes a consistent copy of the database to `file`, or into the configured backup folder under
   * a timestamped name, keeping the newest `backupKeep` there.
   * @throws ValidationError when `file` exists or its folder does not; DatabaseError when the backup
   * cannot be written or does not pass an integrity check.
   */
  async backup(file?: string): Promise<BackupReport> {
    const rotate = file === undefined;
    const { backupDir, backupKeep } = this.ctx.config;
    const base = path.basename(this.ctx.store.path).replace(/\.[^.]*$/, '');
    let target: string;
    if (file === undefined) {
      fs.mkdirSync(backupDir, { recursive: true });
      const stamp = this.ctx.clock
        .now()
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.(\d+)Z$/, '$1Z');
      target = path.join(backupDir, `${base}-${stamp}.db`);
    } else {
      target = path.resolve(file);
      if (!fs.existsSync(path.dirname(target)))
        throw new ValidationError(
          `cannot write backup ${file}: folder ${path.dirname(target)} does not exist`,
          [{ where: 'FILE', reason: 'missing folder' }],
        );
    }
    if (fs.existsSync(target))
      throw new ValidationError(`backup ${target} already exists; choose another name or remove it first`, [
        { where: 'FILE', reason: 'file exists' },
      ]);
    if (target === this.ctx.store.path)
      throw new ValidationError('the backup cannot be the database itself', [
        { where: 'FILE', reason: 'same file' },
      ]);
    try {
      await this.ctx.store.backup(target);
    } catch (error) {
      fs.rmSync(target, { force: true });
      throw new PbiError('DATABASE', `backup to ${target} failed: ${(error as Error).message}`, [], {
        cause: error,
      });
    }
    const copy = openStore(target, { readonly: true });
    let draws: number;
    let check: IntegrityReport;
    try {
      draws = copy.draws.count();
      check = copy.check();
    } finally {
      copy.close();
    }
    if (!check.ok)
      throw new PbiError(
        'DATABASE',
        `backup ${target} failed its integrity check`,
        check.problems.map((p) => ({ where: target, reason: p })),
      );
    const removed = rotate ? prune(backupDir, base, backupKeep) : [];
    const kept = rotate ? listBackups(backupDir, base).length : 1;
    return { file: target, bytes: fs.statSync(target).size, draws, removed, kept };
  }

  /** The database file's size and the backups in the configured folder, newest first. */
  status(): DatabaseStatus {
    const file = this.ctx.store.path;
    const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
    const { backupDir, backupKeep } = this.ctx.config;
    const base = path.basename(file).replace(/\.[^.]*$/, '');
    const backups = fs.existsSync(backupDir)
      ? listBackups(backupDir, base)
          .reverse()
          .map((name) => {
            const stat = fs.statSync(path.join(backupDir, name));
            return {
              file: path.join(backupDir, name),
              bytes: stat.size,
              createdAt: stat.mtime.toISOString(),
            };
          })
      : [];
    return {
      database: file,
      bytes: size(file),
      walBytes: size(`${file}-wal`),
      draws: this.ctx.store.draws.count(),
      backupDir,
      backupKeep,
      backups,
    };
  }

  /** SQLite's integrity check, foreign keys and every registered invariant. */
  check(): IntegrityReport & { readonly database: string } {
    return { database: this.ctx.store.path, ...this.ctx.store.check() };
  }
}

function listBackups(dir: string, base: string): string[] {
  const pattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d{8}T\\d{6}\\d*Z\\.db$`);
  // Timestamped names sort in time order as text.
  return fs
    .readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort();
}

/** Deletes all but the newest `keep` backups of `base` in `dir`; returns the removed paths. */
function prune(dir: string, base: string, keep: number): string[] {
  const all = listBackups(dir, base);
  const remove = all.slice(0, Math.max(0, all.length - Math.max(1, keep)));
  for (const f of remove) fs.rmSync(path.join(dir, f), { force: true });
  return remove.map((f) => path.join(dir, f));
}
