/**
 * The legacy migration's ledger: runs and their reports, legacy key → new id (so a second run adds
 * nothing), and legacy accuracy/feedback entries kept whole.
 */
import os from 'node:os';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { RequestChecker } from './request-validation.js';
import type { Connection } from './connection.js';
import type { JsonObject, JsonValue } from '../domain/json.js';
import { jsonProblems, parseJsonColumn } from './json.js';
import type {
  FinishMigrationRunRequest,
  LegacyFeedback,
  LegacyFeedbackInput,
  LegacyFeedbackKind,
  LegacyRecord,
  LegacyRecordInput,
  MigrationLedger,
  MigrationRun,
  MigrationRunStatus,
  StartMigrationRunRequest,
} from './migration-types.js';

interface RunRow {
  id: number;
  source_dir: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  dry_run: number;
  report: string | null;
}

interface RecordRow {
  source: string;
  legacy_key: string;
  kind: string;
  target_id: string;
  checksum: string;
  run_id: number | null;
  migrated_at: string;
}

interface FeedbackRow {
  id: number;
  kind: string;
  recorded_at: string | null;
  draw_date: string | null;
  prediction_id: number | null;
  strategy: string | null;
  payload: string;
}

const toRun = (r: RunRow): MigrationRun => ({
  id: r.id,
  sourceDir: r.source_dir,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  status: r.status as MigrationRunStatus,
  dryRun: r.dry_run === 1,
  report: parseJsonColumn<JsonObject>(r.report),
});

const toRecord = (r: RecordRow): LegacyRecord => ({
  source: r.source,
  legacyKey: r.legacy_key,
  kind: r.kind,
  targetId: r.target_id,
  checksum: r.checksum,
  ...(r.run_id === null ? {} : { runId: r.run_id }),
  migratedAt: r.migrated_at,
});

const toFeedback = (r: FeedbackRow): LegacyFeedback => ({
  id: r.id,
  kind: r.kind as LegacyFeedbackKind,
  recordedAt: r.recorded_at,
  drawDate: r.draw_date,
  predictionId: r.prediction_id,
  strategy: r.strategy,
  payload: JSON.parse(r.payload) as JsonValue,
});

export class MigrationRepository implements MigrationLedger {
  constructor(private readonly db: Connection) {}

  startMigrationRun(request: StartMigrationRunRequest): MigrationRun {
    const c = new RequestChecker();
    const dir = c.text(request.sourceDir, 'sourceDir', 4096);
    const at = c.timestamp(request.startedAt, 'startedAt');
    const dry = c.boolean(request.dryRun, 'dryRun');
    c.throwIfAny('migration run');
    return this.db.write(() => {
      const { lastInsertRowid } = this.db
        .prepare(
          "INSERT INTO migration_runs (source_dir, started_at, status, dry_run, report) VALUES (?, ?, 'running', ?, ?)",
        )
        // Who runs it, so a later process can tell a run whose process died from one still going.
        .run(dir, at, dry ? 1 : 0, JSON.stringify({ owner: { pid: process.pid, host: os.hostname() } }));
      return this.run(Number(lastInsertRowid));
    });
  }

  finishMigrationRun(runId: number, request: FinishMigrationRunRequest): MigrationRun {
    const c = new RequestChecker();
    const at = c.timestamp(request.finishedAt, 'finishedAt');
    if (request.status !== 'completed' && request.status !== 'failed')
      c.add('status', `expected completed or failed, got ${String(request.status)}`);
    if (c.object(request.report, 'report')) c.addAll(jsonProblems(request.report, 'report'));
    c.throwIfAny('migration run');
    return this.db.write(() => {
      const res = this.db
        .prepare('UPDATE migration_runs SET finished_at = ?, status = ?, report = ? WHERE id = ?')
        .run(at, request.status, JSON.stringify(request.report), runId);
      if (res.changes === 0) throw new NotFoundError(`no migration run ${runId}`);
      return this.run(runId);
    });
  }

  /**
   * Marks `running` runs whose process is gone (killed mid-way) as failed with `interrupted: true`
   * in their report, so none stays running forever. A run of a live process (this one, or another
   * on this host) is left alone; a run from another host cannot be checked and is left alone too.
   * @returns the ids marked.
   */
  markInterruptedRuns(at: string): number[] {
    const rows = this.db.prepare("SELECT id, report FROM migration_runs WHERE status = 'running'").all() as {
      id: number;
      report: string | null;
    }[];
    const dead = rows.filter((r) => {
      const owner = (JSON.parse(r.report ?? '{}') as { owner?: { pid?: number; host?: string } }).owner;
      if (!owner || typeof owner.pid !== 'number') return true;
      if (owner.host !== os.hostname() || owner.pid === process.pid) return false;
      return !processAlive(owner.pid);
    });
    if (dead.length === 0) return [];
    this.db.write(() => {
      const update = this.db.prepare(
        "UPDATE migration_runs SET status = 'failed', finished_at = ?, report = ? WHERE id = ? AND status = 'running'",
      );
      for (const r of dead)
        update.run(
          at,
          JSON.stringify({
            interrupted: true,
            reason: 'the migration process stopped before it finished (killed or crashed)',
            ...(JSON.parse(r.report ?? '{}') as object),
          }),
          r.id,
        );
    });
    return dead.map((r) => r.id);
  }

  listMigrationRuns(): MigrationRun[] {
    return (this.db.prepare('SELECT * FROM migration_runs ORDER BY id DESC').all() as RunRow[]).map(toRun);
  }

  findLegacyRecord(source: string, legacyKey: string): LegacyRecord | null {
    const row = this.db
      .prepare('SELECT * FROM legacy_records WHERE source = ? AND legacy_key = ?')
      .get(source, legacyKey) as RecordRow | undefined;
    return row ? toRecord(row) : null;
  }

  legacyRecords(source: string): Map<string, LegacyRecord> {
    const rows = this.db.prepare('SELECT * FROM legacy_records WHERE source = ?').all(source) as RecordRow[];
    return new Map(rows.map((r) => [r.legacy_key, toRecord(r)]));
  }

  recordLegacy(records: readonly LegacyRecordInput[], migratedAt: string): void {
    const c = new RequestChecker();
    const at = c.timestamp(migratedAt, 'migratedAt');
    records.forEach((r, i) => {
      const w = `records[${i}]`;
      c.text(r.source, `${w}.source`, 500);
      c.text(r.legacyKey, `${w}.legacyKey`, 2000);
      c.text(r.kind, `${w}.kind`, 100);
      c.text(r.targetId, `${w}.targetId`, 500);
      c.text(r.checksum, `${w}.checksum`, 200);
      if (r.runId !== undefined) c.integer(r.runId, `${w}.runId`, 1);
    });
    c.throwIfAny('legacy records');
    const find = this.db.prepare('SELECT target_id FROM legacy_records WHERE source = ? AND legacy_key = ?');
    const insert = this.db.prepare(
      `INSERT INTO legacy_records (source, legacy_key, kind, target_id, checksum, run_id, migrated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, legacy_key) DO NOTHING`,
    );
    this.db.write(() => {
      records.forEach((r, i) => {
        const existing = find.get(r.source, r.legacyKey) as { target_id: string } | undefined;
        if (existing && existing.target_id !== r.targetId)
          throw new ConflictError(
            `legacy record ${r.source}:${r.legacyKey} was already migrated to ${existing.target_id}`,
            [{ where: `records[${i}].legacyKey`, reason: `already migrated to ${existing.target_id}` }],
          );
        insert.run(r.source, r.legacyKey, r.kind, r.targetId, r.checksum, r.runId ?? null, at);
      });
    });
  }

  storeLegacyFeedback(records: readonly LegacyFeedbackInput[]): number[] {
    const c = new RequestChecker();
    records.forEach((r, i) => {
      const w = `records[${i}]`;
      if (r.kind !== 'accuracy' && r.kind !== 'feedback') c.add(`${w}.kind`, 'expected accuracy or feedback');
      c.optionalText(r.recordedAt, `${w}.recordedAt`, 100);
      c.optionalText(r.drawDate, `${w}.drawDate`, 100);
      if (r.predictionId !== null) c.integer(r.predictionId, `${w}.predictionId`, 1);
      c.optionalText(r.strategy, `${w}.strategy`, 200);
      c.addAll(jsonProblems(r.payload, `${w}.payload`));
    });
    c.throwIfAny('legacy feedback');
    const insert = this.db.prepare(
      `INSERT INTO legacy_feedback (kind, recorded_at, draw_date, prediction_id, strategy, payload)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const exists = this.db.prepare('SELECT 1 FROM predictions WHERE id = ?');
    return this.db.write(() =>
      records.map((r, i) => {
        if (r.predictionId !== null && !exists.get(r.predictionId))
          throw new ValidationError(
            `legacy feedback rejected, nothing stored: no prediction ${r.predictionId}`,
            [{ where: `records[${i}].predictionId`, reason: 'no such prediction' }],
            'NOT_FOUND',
          );
        return Number(
          insert.run(r.kind, r.recordedAt, r.drawDate, r.predictionId, r.strategy, JSON.stringify(r.payload))
            .lastInsertRowid,
        );
      }),
    );
  }

  listLegacyFeedback(kind?: LegacyFeedbackKind): LegacyFeedback[] {
    const rows = (
      kind === undefined
        ? this.db.prepare('SELECT * FROM legacy_feedback ORDER BY id').all()
        : this.db.prepare('SELECT * FROM legacy_feedback WHERE kind = ? ORDER BY id').all(kind)
    ) as FeedbackRow[];
    return rows.map(toFeedback);
  }

  private run(id: number): MigrationRun {
    const row = this.db.prepare('SELECT * FROM migration_runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw new NotFoundError(`no migration run ${id}`);
    return toRun(row);
  }
}

/** True when a process with this id exists (signal 0 checks without sending anything). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
