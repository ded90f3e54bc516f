/**
 * `pbi migrate LEGACY_DIR` (DESIGN §5): brings a legacy Python app folder into the store
 * without ever executing pickle code (the legacy readers are allowlist parsers).
 *
 * Shape of a run: back up the database (unless a dry run), then migrate each source file in its own
 * transaction — read and parse outside it, write its records and their ledger entries inside it —
 * so an unreadable or hostile file fails alone and leaves nothing behind, while one bad record is
 * only reported. The ledger (`legacy_records`: source + legacy key → what it became, with a
 * checksum) makes a second run add nothing. A dry run does every write inside a transaction that
 * is rolled back, so its counts are the real ones and the database is untouched.
 *
 * Which files are read is `discoverLegacyFolder` (legacy/folder.ts); how each legacy record kind is
 * mapped is MAPPING (mapping.ts), repeated in every report, and one mapper file per source does it.
 *
 * Ledger keys are the file's path inside the legacy folder plus the record's own key (history list
 * index ranges, SQLite row ids and set ids, job and run ids), so a moved folder is still recognised.
 * The price: a second, different legacy installation migrated into the same database collides on
 * those keys; its colliding records are reported as changed since they were migrated, not written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseError, PbiError, ValidationError, toPbiError } from '../../domain/errors.js';
import {
  convertModelArtifact,
  convertPredictionModels,
  discoverLegacyFolder,
  LEGACY_SOURCE_NAMES,
  readJoblibBytes,
  readPredictionHistory,
  type LegacySourceFile,
} from '../../legacy/index.js';
import type { JsonObject } from '../../domain/json.js';
import type { MigrationRun } from '../../store/migration-types.js';
import type { ServiceContext } from '../context.js';
import type { DatabaseService } from '../database-service.js';
import { prepareExperiments } from './experiments-mapper.js';
import { prepareHistory } from './history-mapper.js';
import { SourceAccumulator } from './ledger.js';
import { MAPPING } from './mapping.js';
import type { MappingRun, Prepared } from './mapping-run.js';
import { prepareMemory } from './memory-mapper.js';
import { prepareModelDb } from './model-db-mapper.js';
import { artifactKeys, prepareModel } from './model-mapper.js';
import { summarize, type MigrateOptions, type MigrationReport, type SourceReport } from './report.js';
import { sha256 } from './sanitize.js';

/** A training memory is a small JSON document; anything huge is not one. */
const MAX_MEMORY_BYTES = 64 * 1024 * 1024;
/** Joblib files: absurd sizes are refused before reading them into memory. */
const MAX_JOBLIB_BYTES = 512 * 1024 * 1024;

/** Thrown inside a dry run's transaction to roll it back. */
class DryRunRollback extends Error {}

export class MigrationService {
  constructor(
    private readonly ctx: ServiceContext<
      | 'draws'
      | 'legacyAccuracy'
      | 'migrations'
      | 'models'
      | 'path'
      | 'predictions'
      | 'runs'
      | 'transaction'
      | 'writeProblem'
    >,
    private readonly database: DatabaseService,
  ) {}

  /** Every legacy migration run (`pbi migrate`), oldest first, with its counts and report. */
  runs(): MigrationRun[] {
    return this.ctx.store.migrations.listMigrationRuns();
  }

  private now(): string {
    return this.ctx.clock.now().toISOString();
  }

  /**
   * Migrates a legacy app folder into the store and returns the validation report (also stored as
   * the migration run's report). A source that fails is reported with its error and leaves nothing
   * behind; the other sources still migrate.
   * @throws ValidationError when the folder does not exist or holds none of the legacy files;
   *   DatabaseError when the backup cannot be written.
   */
  async migrate(legacyDir: string, options: MigrateOptions = {}): Promise<MigrationReport> {
    const dryRun = options.dryRun === true;
    const root = path.resolve(legacyDir);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory())
      throw new ValidationError(
        `legacy folder ${legacyDir} does not exist or is not a folder`,
        [{ where: 'LEGACY_DIR', reason: 'no such folder' }],
        'NOT_FOUND',
      );
    const { plan, missing } = discoverLegacyFolder(root);
    if (plan.length === 0)
      throw new ValidationError(
        `${legacyDir} holds none of the legacy app's files (${LEGACY_SOURCE_NAMES.join(', ')}, in data/ or at its root)`,
        [{ where: 'LEGACY_DIR', reason: 'no legacy files' }],
        'NOT_FOUND',
      );
    const startedAt = this.now();
    const store = this.ctx.store;
    const { backup, runId } = dryRun ? { backup: null, runId: null } : await this.beginRun(root, startedAt);

    const run: MappingRun = { store, now: () => this.now(), convertedArtifacts: new Set() };
    const sources: SourceReport[] = [];
    plan.forEach((src, i) => {
      options.onProgress?.(`migrating ${src.rel}`, i / plan.length);
      sources.push(
        this.migrateSource(run, src, dryRun, runId, (f) =>
          options.onProgress?.(`migrating ${src.rel}`, (i + f) / plan.length),
        ),
      );
    });
    options.onProgress?.('migrated', 1);

    const finishedAt = this.now();
    const report: MigrationReport = {
      legacyDir: root,
      database: store.path,
      dryRun,
      runId,
      startedAt,
      finishedAt,
      backup,
      ...summarize(sources, root, dryRun),
      missing,
      sources,
      mapping: MAPPING,
    };
    if (runId !== null)
      store.migrations.finishMigrationRun(runId, {
        finishedAt,
        // 'failed' only when no source could be migrated; the report says which sources failed.
        status: report.totals.failedSources === sources.length ? 'failed' : 'completed',
        report: JSON.parse(JSON.stringify(report)) as JsonObject,
      });
    return report;
  }

  /** Backs the database up and starts the stored migration run. @throws DatabaseError when read-only. */
  private async beginRun(
    root: string,
    startedAt: string,
  ): Promise<{ backup: NonNullable<MigrationReport['backup']>; runId: number }> {
    const store = this.ctx.store;
    // Find out before writing the backup: a read-only database would fail after it.
    const readOnly = store.writeProblem();
    if (readOnly)
      throw new DatabaseError(
        `cannot migrate into database ${store.path}: it is read-only (${readOnly}); no backup was written`,
      );
    store.migrations.markInterruptedRuns(startedAt);
    fs.mkdirSync(this.ctx.config.backupDir, { recursive: true });
    const base = path.basename(store.path).replace(/\.[^.]*$/, '');
    const stamp = startedAt.replace(/[-:.]/g, '');
    const written = await this.database.backup(
      path.join(this.ctx.config.backupDir, `${base}-before-migrate-${stamp}.db`),
    );
    const runId = store.migrations.startMigrationRun({ sourceDir: root, startedAt, dryRun: false }).id;
    return { backup: { file: written.file, bytes: written.bytes }, runId };
  }

  /** Migrates one source file in one transaction; any error leaves nothing of it behind. */
  private migrateSource(
    run: MappingRun,
    src: LegacySourceFile,
    dryRun: boolean,
    runId: number | null,
    progress: (fraction: number) => void,
  ): SourceReport {
    const acc = new SourceAccumulator(src.rel, src.kind, runId);
    acc.progress = progress;
    const store = this.ctx.store;
    try {
      const write = prepare(run, src, acc);
      acc.progress(0.5);
      const attempt = (): void => {
        acc.beginWrite();
        acc.existing = store.migrations.legacyRecords(src.rel);
        write();
        if (acc.ledger.length) store.migrations.recordLegacy(acc.ledger, this.now());
      };
      if (dryRun) {
        try {
          store.transaction(() => {
            attempt();
            throw new DryRunRollback();
          });
        } catch (error) {
          if (!(error instanceof DryRunRollback)) throw error;
        }
      } else store.transaction(attempt);
      return acc.report(acc.migratedTotal > 0 ? 'migrated' : 'unchanged', null);
    } catch (error) {
      const e = toPbiError(error);
      acc.failed();
      return acc.report('failed', e);
    }
  }
}

/** Reads and parses one source file (outside any transaction) and hands it to its mapper. */
function prepare(run: MappingRun, src: LegacySourceFile, acc: SourceAccumulator): Prepared {
  const size = fs.statSync(src.file).size;
  acc.bytes = size;
  if (src.kind === 'model_predictions_db' || src.kind === 'experiments_db') {
    acc.fileSha256 = sha256(fs.readFileSync(src.file));
    return src.kind === 'model_predictions_db'
      ? prepareModelDb(run, src, acc)
      : prepareExperiments(run, src, acc);
  }
  if (src.kind === 'ml_memory') {
    if (size > MAX_MEMORY_BYTES)
      throw new PbiError('TOO_LARGE', `${src.rel} is ${size} bytes, over the ${MAX_MEMORY_BYTES}-byte limit`);
    const bytes = fs.readFileSync(src.file);
    acc.fileSha256 = sha256(bytes);
    return prepareMemory(run, src, bytes.toString('utf8'), acc);
  }
  if (size > MAX_JOBLIB_BYTES)
    throw new PbiError(
      'UNSAFE_PICKLE',
      `${src.rel} is ${size} bytes, over the ${MAX_JOBLIB_BYTES}-byte limit`,
    );
  const bytes = new Uint8Array(fs.readFileSync(src.file));
  acc.fileSha256 = sha256(bytes);
  const content = readJoblibBytes(bytes);
  acc.details.compression = content.compression;
  if (src.kind === 'prediction_history')
    return prepareHistory(run, readPredictionHistory(content.value), acc);
  const pair =
    src.kind === 'prediction_models'
      ? convertPredictionModels(content.value)
      : convertModelArtifact(content.value);
  return prepareModel(run, src, pair, artifactKeys(content.value), acc);
}
