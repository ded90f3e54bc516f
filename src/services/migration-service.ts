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
 * How each legacy record kind is mapped is in MAPPING below, and repeated in every report.
 *
 * Ledger keys are the file's path inside the legacy folder plus the record's own key (history list
 * index ranges, SQLite row ids and set ids, job and run ids), so a moved folder is still recognised.
 * The price: a second, different legacy installation migrated into the same database collides on
 * those keys; its colliding records are reported as changed since they were migrated, not written.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { IsoDate } from '../domain/dates.js';
import { eraOf, FIRST_DRAW_DATE } from '../domain/eras.js';
import { ConflictError, DatabaseError, PbiError, ValidationError, toPbiError } from '../domain/errors.js';
import { binomial } from '../domain/prizes.js';
import { ticketProblems } from '../domain/ticket.js';
import {
  convertModelArtifact,
  convertPredictionModels,
  isDict,
  normalizeTimestamp,
  readExperimentsDb,
  readJoblibBytes,
  readMlMemory,
  readModelPredictionsDb,
  readPredictionHistory,
  toJson,
  type LegacyExperimentRun,
  type LegacyHistory,
  type LegacyHistoryPrediction,
  type LegacyMetricPoint,
  type LegacyModelDb,
  type LegacyModelPair,
  type LegacyProblem,
  type LegacyExperiments,
  type LegacyMemoryRecord,
} from '../legacy/index.js';
import { serializeModel } from '../ml/models/index.js';
import type { FittedModel } from '../ml/regressor.js';
import { openLegacySqlite } from '../store/connection.js';
import type { LegacyAccuracyInput, LegacyAccuracyLink } from '../store/legacy-accuracy-repository.js';
import type { JsonObject, JsonValue } from '../store/json.js';
import type { LegacyFeedbackInput, LegacyRecord, LegacyRecordInput } from '../store/migration-types.js';
import type { ModelRef } from '../store/model-registry-types.js';
import type {
  StorePredictionsRequest,
  StorePredictionsResponse,
  TicketInput,
} from '../store/prediction-types.js';
import type { MetricPoint, ParamValue } from '../domain/run.js';
import type { ServiceContext } from './context.js';
import type { DatabaseService } from './database-service.js';
import {
  checkFigures,
  historyLinker,
  summaryLinker,
  type AccuracyCheck,
  type Numbers,
} from './legacy-accuracy-mapping.js';

/**
 * One legacy accuracy record with its ledger key; `build` links and checks it (only for records not
 * migrated before, so a second run over a large history does no linking work).
 */
interface AccuracyItem {
  readonly key: string;
  readonly label: string;
  readonly checksum: string;
  readonly build: () => { readonly input: LegacyAccuracyInput; readonly check: AccuracyCheck };
}

// ---------------------------------------------------------------------------------------------
// Report types

export interface MigrateOptions {
  /** Read and check everything, write nothing (no backup, no run record). */
  readonly dryRun?: boolean;
  /** Called with the source being migrated and the fraction of sources done. */
  readonly onProgress?: (label: string, fraction: number) => void;
}

/** How many records of one kind were read and what became of them (read = the other three summed). */
export interface RecordCounts {
  read: number;
  migrated: number;
  alreadyMigrated: number;
  skipped: number;
}

/** One record that was not migrated (or was migrated with a caveat), and why. */
export interface ReportedRecord {
  /** `predictions#12`, `model_predictions row 64`, a file name. */
  readonly record: string;
  readonly field?: string;
  readonly reason: string;
}

export type SourceStatus = 'migrated' | 'unchanged' | 'failed';

export interface SourceReport {
  /** Path relative to the legacy folder, e.g. `data/prediction_history.joblib`. */
  readonly source: string;
  readonly kind: SourceKind;
  /** `migrated`: new records written; `unchanged`: everything was already migrated; `failed`: nothing written. */
  readonly status: SourceStatus;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly bytes: number;
  /** sha256 of the source file as read. */
  readonly fileSha256: string | null;
  /**
   * sha256 of what this source has in the store: the sorted `key checksum` lines of every record
   * migrated from it (this run or before). Equal across runs when nothing changed.
   */
  readonly contentSha256: string | null;
  /** Per legacy record kind (`predictions`, `model_predictions`, `experiment_runs`, …). */
  readonly records: Readonly<Record<string, RecordCounts>>;
  /** Legacy record kind → what it became. */
  readonly mapping: Readonly<Record<string, string>>;
  /** Records not migrated, with reasons (at most MAX_LISTED; `skippedNotListed` counts the rest). */
  readonly skipped: readonly ReportedRecord[];
  readonly skippedNotListed: number;
  /** Records migrated with a caveat (a field unreadable, a probability replaced, a link not made). */
  readonly notes: readonly ReportedRecord[];
  readonly notesNotListed: number;
  /** Source-specific facts: sets created, models registered, the history's own metadata. */
  readonly details: JsonObject;
}

export interface MigrationReport {
  readonly legacyDir: string;
  readonly database: string;
  readonly dryRun: boolean;
  /** The stored migration run (null for a dry run). */
  readonly runId: number | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The backup written before anything else (null for a dry run). */
  readonly backup: { readonly file: string; readonly bytes: number } | null;
  readonly totals: RecordCounts & { readonly sources: number; readonly failedSources: number };
  /** True when the run added nothing (everything was already migrated, or nothing could be). */
  readonly nothingNew: boolean;
  readonly summary: string;
  /** Optional legacy sources that were not in the folder. */
  readonly missing: readonly string[];
  readonly sources: readonly SourceReport[];
  /** Every legacy record kind → what it becomes. */
  readonly mapping: Readonly<Record<string, string>>;
}

export type SourceKind =
  | 'model_artifact'
  | 'prediction_models'
  | 'prediction_history'
  | 'model_predictions_db'
  | 'experiments_db'
  | 'ml_memory';

/** How every legacy record kind is mapped (also the text of the reports). */
export const MAPPING: Readonly<Record<string, string>> = Object.freeze({
  'prediction_history.predictions':
    'prediction sets (consecutive entries of the same method for the same draw, at most 5 minutes apart, form one set; ' +
    'created at the legacy timestamp; target draw = the first draw (22:59 ET) after it; not current); every entry ' +
    'keeps its prediction_id, timestamp, sources, method, tool contributions and other keys in its legacy fields',
  'prediction_history.accuracy':
    'legacy accuracy records (kept as written, never turned into scores), linked to the prediction they followed when ' +
    'the entry names it or the history order and timestamps determine it, else unlinked; checked against the stored draw',
  'prediction_history.feedback':
    'legacy weight-feedback records (tool, adjustment, weights before/after, kept whole)',
  model_predictions:
    'predictions in sets, every column kept (id, model_name, prediction_id, created_at as written, version, is_active, ' +
    'features_used, hyperparameters, performance_metrics); an unparseable JSON cell is kept as text in legacy extra',
  prediction_sets:
    'prediction sets with their set id, created_at, total_predictions, training_duration, notes and model_artifact_path; ' +
    'target draw = the first draw after created_at; linked to the migrated model version when the artifact was migrated; ' +
    'current only when the legacy set was and no set of that model is current here',
  prediction_accuracy:
    "legacy accuracy summaries (the legacy's averages over one model's set, kept as written), linked to the set " +
    "prediction_set_id names, else to the model's set current at the draw when no newer set was evaluated instead, " +
    'else unlinked with the model and draw; checked against the stored draw and the linked tickets',
  model_artifacts:
    'converted native models registered as versions of legacy-<model_type> (source migrated, features x0..xN, ' +
    'outputs: the five whites then the Powerball), so `pbi models predict` runs them',
  prediction_models: 'the same, as versions of legacy-prediction_models',
  experiment_jobs:
    'an experiment "legacy <name> (<job id>)" with a search run holding the job config, status and times',
  experiment_runs:
    "trial runs under their job's search run: hyperparameters as params, summary metrics as summary.<name>, legacy fields as tags",
  metrics_timeseries: 'the metric history (key, step, value, timestamp) of their run',
  ml_memory:
    'a finished train run in experiment "legacy ml_memory" with the last training\'s metrics and the whole document as a tag',
  probability:
    'a legacy probability that is missing, not a number or outside [0, 1] is replaced by the true probability of the ' +
    'ticket under uniform draws (1 / 292,201,338 in the current era); the original is kept as original_probability',
});

const MAX_LISTED = 1000;
const MAX_MEMORY_BYTES = 64 * 1024 * 1024;
/** Legacy history entries further apart than this start a new set. */
const SET_GAP_MS = 5 * 60_000;
const MAX_SET_SIZE = 10_000;
const SET_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const SOURCE_RE = /^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/;
const KEY_RE = /^[A-Za-z0-9_.:/-]{1,100}$/;

// ---------------------------------------------------------------------------------------------
// Small pure helpers (exported ones are tested directly)

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function nthSunday(year: number, month: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - first) % 7) + 7 * (n - 1);
}

function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

const DAY_MS = 86_400_000;
/** DST bounds (UTC ms) per year: computed once per year seen, not once per legacy record. */
const dstBounds = new Map<number, readonly [number, number]>();

/** UTC offset of US Eastern time at an instant, in minutes (DST rules of 1987–2006 and since 2007). */
export function easternOffsetMinutes(ms: number): number {
  const y = new Date(ms).getUTCFullYear();
  let bounds = dstBounds.get(y);
  if (!bounds) {
    // DST starts at 02:00 EST (07:00 UTC) and ends at 02:00 EDT (06:00 UTC).
    bounds =
      y >= 2007
        ? [Date.UTC(y, 2, nthSunday(y, 2, 2), 7), Date.UTC(y, 10, nthSunday(y, 10, 1), 6)]
        : [Date.UTC(y, 3, nthSunday(y, 3, 1), 7), Date.UTC(y, 9, lastSunday(y, 9), 6)];
    dstBounds.set(y, bounds);
  }
  return ms >= bounds[0] && ms < bounds[1] ? -240 : -300;
}

const DRAW_MINUTE_ET = 22 * 60 + 59;
const FIRST_DRAW_DAY = Date.parse(`${FIRST_DRAW_DATE}T00:00:00Z`) / DAY_MS;
const MONDAY_DRAWS_DAY = Date.parse('2021-08-23T00:00:00Z') / DAY_MS;
/** Draw day of epoch day `d` (1970-01-01 was a Thursday): Wed, Sat; Mon too since 2021-08-23. */
function isDrawEpochDay(d: number): boolean {
  const w = (((d + 4) % 7) + 7) % 7;
  return d >= FIRST_DRAW_DAY && (w === 3 || w === 6 || (w === 1 && d >= MONDAY_DRAWS_DAY));
}
const targetCache = new Map<string, IsoDate>();

/**
 * The draw a legacy prediction made at `iso` (UTC) was for: the first draw (22:59 Eastern) after it.
 * Epoch-day arithmetic and a per-minute cache: a large history asks this once per record.
 * @throws RangeError for an unparseable timestamp (callers pass normalised ones).
 */
export function targetDrawDateFor(iso: string): IsoDate {
  const minuteKey = iso.slice(0, 16);
  const cached = iso.length >= 20 && iso.endsWith('Z') ? targetCache.get(minuteKey) : undefined;
  if (cached) return cached;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new RangeError(`not a timestamp: ${iso}`);
  const local = ms + easternOffsetMinutes(ms) * 60_000;
  let day = Math.floor(local / DAY_MS);
  const minute = Math.floor((local - day * DAY_MS) / 60_000);
  if (day < FIRST_DRAW_DAY) day = FIRST_DRAW_DAY;
  else if (!(isDrawEpochDay(day) && minute < DRAW_MINUTE_ET)) {
    day++;
    while (!isDrawEpochDay(day)) day++;
  }
  const target = new Date(day * DAY_MS).toISOString().slice(0, 10) as IsoDate;
  if (iso.length >= 20 && iso.endsWith('Z')) {
    if (targetCache.size > 100_000) targetCache.clear();
    targetCache.set(minuteKey, target);
  }
  return target;
}

/** The probability of one exact ticket under uniform draws in the era of `date`. */
export function uniformTicketProbability(date: IsoDate): number {
  const era = eraOf(date);
  return 1 / (binomial(era.whiteMax, 5) * era.powerballMax);
}

/** A legacy probability as stored here, and the original when it had to be replaced. */
export function migratedProbability(
  p: number | null,
  target: IsoDate,
): { readonly value: number; readonly original?: JsonValue } {
  if (p !== null && Number.isFinite(p) && p >= 0 && p <= 1) return { value: p };
  return { value: uniformTicketProbability(target), original: p === null || !Number.isFinite(p) ? null : p };
}

/** Why a legacy ticket made at `createdAt` is not valid for the draw it was for, or null when it is. */
function ticketReason(whites: readonly number[], powerball: number, createdAt: string | null): string | null {
  if (createdAt === null) return 'no readable created_at: the draw it was made for cannot be told';
  const target = targetDrawDateFor(createdAt);
  const issues = ticketProblems(whites, powerball, eraOf(target), 'ticket');
  return issues.length
    ? `not a valid ticket for the draw of ${target}: ${issues.map((i) => i.reason).join('; ')}`
    : null;
}

/** A JSON object without undefined members (the store rejects undefined). */
function clean(o: Record<string, JsonValue | undefined>): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

function sanitizeId(text: string, re: RegExp, max: number, fallback: string): string {
  let s = text.replace(/[^A-Za-z0-9_.:-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  s = s.slice(0, max);
  return re.test(s) ? s : fallback;
}

function sanitizeKey(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_.:/-]/g, '_').slice(0, 100);
  return KEY_RE.test(s) ? s : 'unnamed';
}

/** A JSON value as a run param (scalars as is, anything else as its JSON text). */
function paramValue(v: JsonValue): ParamValue {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

function flattenParams(v: JsonValue | null): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) out[sanitizeKey(k)] = paramValue(x);
  return out;
}

function isoOr(v: string | null | undefined, fallback: string): string {
  if (!v) return fallback;
  const t = normalizeTimestamp(v);
  return 'iso' in t ? t.iso : fallback;
}

// ---------------------------------------------------------------------------------------------
// Per-source bookkeeping

type LedgerState = 'new' | 'same' | 'changed' | 'duplicate';

class SourceAccumulator {
  readonly records = new Map<string, RecordCounts>();
  readonly skipped: ReportedRecord[] = [];
  skippedTotal = 0;
  readonly notes: ReportedRecord[] = [];
  notesTotal = 0;
  readonly ledger: LegacyRecordInput[] = [];
  /** `key checksum` of every record of this source that is in the store. */
  readonly content: string[] = [];
  readonly mapping: Record<string, string> = {};
  details: Record<string, JsonValue> = {};
  /** Progress within this source, 0..1 (large files report as they go). */
  progress: (fraction: number) => void = () => {};
  bytes = 0;
  fileSha256: string | null = null;
  existing = new Map<string, LegacyRecord>();
  private readonly seen = new Set<string>();

  constructor(
    readonly source: string,
    readonly kind: SourceKind,
    readonly runId: number | null,
  ) {}

  counts(kind: string): RecordCounts {
    let c = this.records.get(kind);
    if (!c) {
      c = { read: 0, migrated: 0, alreadyMigrated: 0, skipped: 0 };
      this.records.set(kind, c);
    }
    return c;
  }

  read(kind: string, n = 1): void {
    this.counts(kind).read += n;
  }

  skip(kind: string | null, record: string, reason: string, field?: string): void {
    if (kind !== null) this.counts(kind).skipped++;
    this.skippedTotal++;
    if (this.skipped.length < MAX_LISTED)
      this.skipped.push(field ? { record, field, reason } : { record, reason });
  }

  note(record: string, reason: string, field?: string): void {
    this.notesTotal++;
    if (this.notes.length < MAX_LISTED)
      this.notes.push(field ? { record, field, reason } : { record, reason });
  }

  /** Reader problems: skipped ones count as skipped records of `kindOf(problem)`, the rest are notes. */
  problems(problems: readonly LegacyProblem[], kindOf: (p: LegacyProblem) => string | null): void {
    for (const p of problems) {
      const record = `${p.source} ${p.record}`;
      if (p.skipped) this.skip(kindOf(p), record, p.reason, p.field);
      else this.note(record, p.reason, p.field);
    }
  }

  /** Is this record new, already migrated as is, or migrated before with other content? */
  state(kind: string, key: string, checksum: string, label: string): LedgerState {
    // A key seen twice in one file (a legacy table without its primary key): the first one wins.
    if (this.seen.has(key)) {
      this.skip(kind, label, `duplicate of an earlier record with the same key (${key})`);
      return 'duplicate';
    }
    this.seen.add(key);
    const known = this.existing.get(key);
    if (!known) return 'new';
    this.counts(kind).alreadyMigrated++;
    this.content.push(`${key} ${known.checksum}`);
    if (known.checksum === checksum) return 'same';
    this.note(
      label,
      `changed since it was migrated on ${known.migratedAt}; the migrated version (${known.targetId}) is kept`,
    );
    return 'changed';
  }

  /** Records `n` migrated records under one ledger key: counts them and queues the ledger entry. */
  migrated(kind: string, key: string, checksum: string, targetId: string, ledgerKind = kind, n = 1): void {
    this.counts(kind).migrated += n;
    this.ledger.push({
      source: this.source,
      legacyKey: key,
      kind: ledgerKind,
      targetId,
      checksum,
      ...(this.runId === null ? {} : { runId: this.runId }),
    });
    this.content.push(`${key} ${checksum}`);
  }

  get migratedTotal(): number {
    let n = 0;
    for (const c of this.records.values()) n += c.migrated;
    return n;
  }

  /**
   * Marks the start of the write phase; calling it again (the store retries a transaction that met
   * a busy database) first undoes what the previous attempt counted.
   */
  beginWrite(): void {
    if (this.snapshot === null) {
      this.snapshot = {
        records: new Map([...this.records].map(([k, c]) => [k, { ...c }])),
        skipped: this.skipped.length,
        skippedTotal: this.skippedTotal,
        notes: this.notes.length,
        notesTotal: this.notesTotal,
        details: { ...this.details },
      };
      return;
    }
    const s = this.snapshot;
    this.records.clear();
    for (const [k, c] of s.records) this.records.set(k, { ...c });
    this.skipped.length = s.skipped;
    this.skippedTotal = s.skippedTotal;
    this.notes.length = s.notes;
    this.notesTotal = s.notesTotal;
    this.details = { ...s.details };
    this.ledger.length = 0;
    this.content.length = 0;
    this.seen.clear();
  }

  private snapshot: {
    records: Map<string, RecordCounts>;
    skipped: number;
    skippedTotal: number;
    notes: number;
    notesTotal: number;
    details: Record<string, JsonValue>;
  } | null = null;

  /** After a failure nothing from the file is in the store: undo the migrated counts. */
  failed(): void {
    for (const c of this.records.values()) {
      c.migrated = 0;
      c.skipped = c.read - c.alreadyMigrated;
    }
    this.ledger.length = 0;
  }

  report(status: SourceStatus, error: PbiError | null): SourceReport {
    const records: Record<string, RecordCounts> = {};
    for (const [k, c] of this.records) records[k] = { ...c };
    return {
      source: this.source,
      kind: this.kind,
      status,
      error: error ? { code: error.code, message: error.message } : null,
      bytes: this.bytes,
      fileSha256: this.fileSha256,
      contentSha256:
        status === 'failed' && this.content.length === 0 ? null : sha256([...this.content].sort().join('\n')),
      records,
      mapping: { ...this.mapping },
      skipped: [...this.skipped],
      skippedNotListed: this.skippedTotal - this.skipped.length,
      notes: [...this.notes],
      notesNotListed: this.notesTotal - this.notes.length,
      details: clean(this.details),
    };
  }
}

/** Thrown inside a dry run's transaction to roll it back. */
class DryRunRollback extends Error {}

interface PlannedSource {
  readonly rel: string;
  readonly file: string;
  readonly kind: SourceKind;
}

/** The read half of a source: parse outside the transaction, then `write` inside it. */
type Prepared = () => void;

const OPTIONAL_SOURCES = [
  'models/*.joblib',
  'data/prediction_models.joblib',
  'data/prediction_history.joblib',
  'data/model_predictions.db',
  'data/experiment_tracking/experiments.db',
  'data/ml_memory/*.json',
];

// ---------------------------------------------------------------------------------------------

export class MigrationService {
  /** Artifacts converted in this run: in a dry run their versions are rolled back before sets could link them. */
  private convertedArtifacts = new Set<string>();

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
  runs(): unknown[] {
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
    const { plan, missing } = discover(root);
    if (plan.length === 0)
      throw new ValidationError(
        `${legacyDir} holds none of the legacy app's files (${OPTIONAL_SOURCES.join(', ')})`,
        [{ where: 'LEGACY_DIR', reason: 'no legacy files' }],
        'NOT_FOUND',
      );
    const startedAt = this.now();
    const store = this.ctx.store;

    let backup: MigrationReport['backup'] = null;
    let runId: number | null = null;
    if (!dryRun) {
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
      backup = { file: written.file, bytes: written.bytes };
      runId = store.migrations.startMigrationRun({ sourceDir: root, startedAt, dryRun: false }).id;
    }

    const sources: SourceReport[] = [];
    this.convertedArtifacts = new Set();
    plan.forEach((src, i) => {
      options.onProgress?.(`migrating ${src.rel}`, i / plan.length);
      sources.push(
        this.migrateSource(src, dryRun, runId, (f) =>
          options.onProgress?.(`migrating ${src.rel}`, (i + f) / plan.length),
        ),
      );
    });
    options.onProgress?.('migrated', 1);

    const totals = { read: 0, migrated: 0, alreadyMigrated: 0, skipped: 0 };
    for (const s of sources)
      for (const c of Object.values(s.records)) {
        totals.read += c.read;
        totals.migrated += c.migrated;
        totals.alreadyMigrated += c.alreadyMigrated;
        totals.skipped += c.skipped;
      }
    const failedSources = sources.filter((s) => s.status === 'failed').length;
    const nothingNew = totals.migrated === 0;
    const failed = failedSources ? `; ${failedSources} source(s) failed and wrote nothing` : '';
    const summary = nothingNew
      ? `nothing new${dryRun ? ' would be' : ''} added from ${root}: ${totals.alreadyMigrated} records were already migrated` +
        (totals.skipped ? `, ${totals.skipped} cannot be migrated` : '') +
        failed
      : `${dryRun ? 'would migrate' : 'migrated'} ${totals.migrated} of ${totals.read} records from ${sources.length} sources` +
        (totals.alreadyMigrated ? `, ${totals.alreadyMigrated} already migrated` : '') +
        (totals.skipped ? `, ${totals.skipped} skipped` : '') +
        failed;
    const finishedAt = this.now();
    const report: MigrationReport = {
      legacyDir: root,
      database: store.path,
      dryRun,
      runId,
      startedAt,
      finishedAt,
      backup,
      totals: { ...totals, sources: sources.length, failedSources },
      nothingNew,
      summary,
      missing,
      sources,
      mapping: MAPPING,
    };
    if (runId !== null)
      store.migrations.finishMigrationRun(runId, {
        finishedAt,
        // 'failed' only when no source could be migrated; the report says which sources failed.
        status: failedSources === sources.length ? 'failed' : 'completed',
        report: JSON.parse(JSON.stringify(report)) as JsonObject,
      });
    return report;
  }

  /** Migrates one source file in one transaction; any error leaves nothing of it behind. */
  private migrateSource(
    src: PlannedSource,
    dryRun: boolean,
    runId: number | null,
    progress: (fraction: number) => void,
  ): SourceReport {
    const acc = new SourceAccumulator(src.rel, src.kind, runId);
    acc.progress = progress;
    const store = this.ctx.store;
    try {
      const write = this.prepare(src, acc);
      acc.progress(0.5);
      const run = (): void => {
        acc.beginWrite();
        acc.existing = store.migrations.legacyRecords(src.rel);
        write();
        if (acc.ledger.length) store.migrations.recordLegacy(acc.ledger, this.now());
      };
      if (dryRun) {
        try {
          store.transaction(() => {
            run();
            throw new DryRunRollback();
          });
        } catch (error) {
          if (!(error instanceof DryRunRollback)) throw error;
        }
      } else store.transaction(run);
      return acc.report(acc.migratedTotal > 0 ? 'migrated' : 'unchanged', null);
    } catch (error) {
      const e = toPbiError(error);
      acc.failed();
      return acc.report('failed', e);
    }
  }

  private prepare(src: PlannedSource, acc: SourceAccumulator): Prepared {
    const size = fs.statSync(src.file).size;
    acc.bytes = size;
    if (src.kind === 'model_predictions_db' || src.kind === 'experiments_db') {
      acc.fileSha256 = sha256(fs.readFileSync(src.file));
      return src.kind === 'model_predictions_db'
        ? this.prepareModelDb(src, acc)
        : this.prepareExperiments(src, acc);
    }
    if (src.kind === 'ml_memory') {
      // A training memory is a small JSON document; anything huge is not one.
      if (size > MAX_MEMORY_BYTES)
        throw new PbiError(
          'TOO_LARGE',
          `${src.rel} is ${size} bytes, over the ${MAX_MEMORY_BYTES}-byte limit`,
        );
      const bytes = fs.readFileSync(src.file);
      acc.fileSha256 = sha256(bytes);
      return this.prepareMemory(src, bytes.toString('utf8'), acc);
    }
    // Joblib files: refuse absurd sizes before reading them into memory.
    const max = 512 * 1024 * 1024;
    if (size > max)
      throw new PbiError('UNSAFE_PICKLE', `${src.rel} is ${size} bytes, over the ${max}-byte limit`);
    const bytes = new Uint8Array(fs.readFileSync(src.file));
    acc.fileSha256 = sha256(bytes);
    const content = readJoblibBytes(bytes);
    acc.details.compression = content.compression;
    if (src.kind === 'prediction_history')
      return this.prepareHistory(readPredictionHistory(content.value), acc);
    const pair =
      src.kind === 'prediction_models'
        ? convertPredictionModels(content.value)
        : convertModelArtifact(content.value);
    const root = content.value;
    const keys: Record<string, JsonValue> = {};
    if (isDict(root))
      for (const [k, v] of root)
        if (typeof k === 'string' && !/pipeline$|^white_balls$|^powerball$/.test(k)) keys[k] = toJson(v);
    return this.prepareModel(src, pair, keys, acc);
  }

  // -------------------------------------------------------------------------------------------
  // Stores a set, choosing another id when the preferred one is taken (checked before any write).

  private storeSet(request: StorePredictionsRequest & { setId: string }): StorePredictionsResponse {
    const store = this.ctx.store;
    for (let attempt = 1; ; attempt++) {
      const setId = attempt === 1 ? request.setId : `${request.setId.slice(0, 110)}-legacy${attempt}`;
      try {
        return store.predictions.storePredictions({ ...request, setId });
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt > 20) throw error;
      }
    }
  }

  /** The migrated model version a legacy artifact path became, when it was migrated and still exists. */
  private modelFor(artifactPath: string | null): ModelRef | null {
    if (!artifactPath) return null;
    const base = artifactPath.split(/[\\/]/).pop() ?? '';
    const rec = this.ctx.store.migrations.findLegacyRecord(`models/${base}`, 'artifact');
    const m = rec ? /^(.+)@(\d+)$/.exec(rec.targetId.split(',')[0] ?? '') : null;
    if (!m) return null;
    try {
      const v = this.ctx.store.models.getVersion(m[1] as string, Number(m[2]));
      return { name: v.name, version: v.version };
    } catch {
      return null; // pruned since
    }
  }

  // -------------------------------------------------------------------------------------------
  // prediction_history.joblib

  private prepareHistory(h: LegacyHistory, acc: SourceAccumulator): Prepared {
    const kinds: Record<string, string> = {
      'prediction_history.predictions': 'predictions',
      'prediction_history.accuracy': 'accuracy',
      'prediction_history.feedback': 'feedback',
    };
    acc.read('predictions', h.counts.predictions);
    acc.read('accuracy', h.counts.accuracy);
    acc.read('feedback', h.counts.feedback);
    acc.problems(h.problems, (p) => kinds[p.source] ?? null);
    acc.mapping.predictions = MAPPING['prediction_history.predictions'] as string;
    acc.mapping.accuracy = MAPPING['prediction_history.accuracy'] as string;
    acc.mapping.feedback = MAPPING['prediction_history.feedback'] as string;
    acc.mapping.probability = MAPPING.probability as string;
    acc.details.meta = h.meta;
    const store = this.ctx.store;

    return () => {
      // ---- predictions → sets. The ledger has one entry per set, keyed by the range of history
      // indexes it covers (`predictions#12-16`); its checksum covers every entry in the range.
      const preds = h.predictions; // ascending index
      const posOf = new Map<number, number>();
      preds.forEach((p, i) => posOf.set(p.index, i));
      const rangeChecksum = (from: number, to: number): string => {
        const start = posOf.get(from) ?? 0;
        let end = start;
        while (end < preds.length && (preds[end] as LegacyHistoryPrediction).index <= to) end++;
        // One JSON text per range: a hash update per record costs more than the hashing itself.
        return sha256(JSON.stringify(preds.slice(start, end)));
      };
      const covered = new Map<number, string>();
      for (const key of acc.existing.keys()) {
        const m = /^predictions#(\d+)(?:-(\d+))?$/.exec(key);
        if (!m) continue;
        for (let i = Number(m[1]); i <= Number(m[2] ?? m[1]); i++) covered.set(i, key);
        const known = acc.existing.get(key) as LegacyRecord;
        acc.content.push(`${key} ${known.checksum}`);
        if (known.checksum !== rangeChecksum(Number(m[1]), Number(m[2] ?? m[1])))
          acc.note(
            key,
            `changed since it was migrated on ${known.migratedAt}; the migrated set (${known.targetId}) is kept`,
          );
      }
      interface Fresh {
        readonly p: LegacyHistoryPrediction;
        readonly at: string;
        readonly ms: number;
        readonly target: IsoDate;
      }
      const fresh: Fresh[] = [];
      for (const p of preds) {
        const key = `predictions#${p.index}`;
        const isCovered = covered.has(p.index);
        let reason: string | null = null;
        let field: string | undefined;
        let target: IsoDate | null = null;
        if (p.timestamp === null) {
          reason = 'no readable timestamp: the draw it was made for cannot be told';
          field = 'timestamp';
        } else {
          target = targetDrawDateFor(p.timestamp);
          const issues = ticketProblems(p.whites, p.powerball, eraOf(target), 'ticket');
          if (issues.length)
            reason = `not a valid ticket for the draw of ${target}: ${issues.map((i) => i.reason).join('; ')}`;
        }
        if (reason !== null) acc.skip('predictions', key, reason, field);
        else if (isCovered) acc.counts('predictions').alreadyMigrated++;
        else
          fresh.push({
            p,
            at: p.timestamp as string,
            ms: Date.parse(p.timestamp as string),
            target: target as IsoDate,
          });
      }
      const gapCovered = (from: number, to: number): boolean => {
        for (let i = from + 1; i < to; i++) if (covered.has(i)) return true;
        return false;
      };
      const groups: Fresh[][] = [];
      for (const f of fresh) {
        const g = groups[groups.length - 1];
        const last = g?.[g.length - 1];
        if (
          g &&
          last &&
          last.target === f.target &&
          last.p.method === f.p.method &&
          f.ms - last.ms >= 0 &&
          f.ms - last.ms <= SET_GAP_MS &&
          g.length < MAX_SET_SIZE &&
          !gapCovered(last.p.index, f.p.index)
        )
          g.push(f);
        else groups.push([f]);
      }
      const newIds = new Map<number, number>();
      let sets = 0;
      for (const [gi, g] of groups.entries()) {
        // Reading took about half the time; storing the sets is the other half.
        if (gi % 1000 === 0) acc.progress(0.5 + (0.5 * gi) / groups.length);
        const first = g[0] as Fresh;
        const lastOne = g[g.length - 1] as Fresh;
        const tickets: TicketInput[] = g.map(({ p, target }) => {
          const prob = migratedProbability(p.probability, target);
          if (prob.original !== undefined)
            acc.note(
              `predictions#${p.index}`,
              `probability ${String(prob.original)} replaced by the uniform ticket probability`,
              'probability',
            );
          const numeric: Record<string, number> = {};
          let allNumeric = true;
          for (const [tool, v] of Object.entries(p.toolContributions)) {
            if (typeof v === 'number' && Number.isFinite(v) && v >= 0) numeric[tool] = v;
            else {
              // A details dict: its weight is the contribution; the dict itself is kept in extra.
              allNumeric = false;
              const w = typeof v === 'object' && v !== null && !Array.isArray(v) ? v['weight'] : undefined;
              if (typeof w === 'number' && Number.isFinite(w) && w >= 0) numeric[tool] = w;
            }
          }
          return {
            whites: p.whites,
            powerball: p.powerball,
            probability: prob.value,
            ...(Object.keys(numeric).length ? { contributions: numeric } : {}),
            legacy: {
              ...(p.predictionId !== null ? { predictionId: p.predictionId } : {}),
              createdAt: p.timestamp as string,
              extra: clean({
                history_index: p.index,
                sources: [...p.sources],
                method: p.method,
                tool_contributions: allNumeric ? undefined : (p.toolContributions as JsonValue),
                original_probability: prob.original,
                ...p.extra,
              }),
            },
          };
        });
        const source = sanitizeId(first.p.method ?? 'legacy_history', SOURCE_RE, 100, 'legacy_history');
        const key =
          first.p.index === lastOne.p.index
            ? `predictions#${first.p.index}`
            : `predictions#${first.p.index}-${lastOne.p.index}`;
        let res: StorePredictionsResponse;
        try {
          res = this.storeSet({
            setId: `legacy-history-${String(first.p.index).padStart(6, '0')}`,
            source,
            targetDrawDate: first.target,
            createdAt: first.at,
            seed: null,
            weights: {},
            current: false,
            notes: `migrated from prediction_history.joblib entries #${first.p.index}–#${lastOne.p.index}`,
            legacy: { createdAt: first.at, extra: { history_indexes: g.map((f) => f.p.index) } },
            tickets,
          });
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error; // checked before any write
          for (const f of g)
            acc.skip('predictions', `predictions#${f.p.index}`, `rejected by the store: ${error.message}`);
          continue;
        }
        sets++;
        g.forEach((f, i) => newIds.set(f.p.index, res.predictionIds[i] as number));
        acc.migrated(
          'predictions',
          key,
          rangeChecksum(first.p.index, lastOne.p.index),
          res.setId,
          'prediction-set',
          g.length,
        );
      }
      acc.details.setsCreated = sets;

      // Predictions migrated by an earlier run: found through their set.
      const earlierSets = new Map<string, Map<number, number>>();
      const predictionIdOf = (index: number | null): number | null => {
        if (index === null) return null;
        const id = newIds.get(index);
        if (id !== undefined) return id;
        const key = covered.get(index);
        const setId = key === undefined ? undefined : acc.existing.get(key)?.targetId;
        if (setId === undefined) return null;
        let ids = earlierSets.get(setId);
        if (!ids) {
          ids = new Map();
          try {
            for (const t of store.predictions.getSet(setId).tickets) {
              const i = t.legacy?.extra?.['history_index'];
              if (typeof i === 'number') ids.set(i, t.id);
            }
          } catch {
            // the set was deleted since; the entry stays a legacy record
          }
          earlierSets.set(setId, ids);
        }
        return ids.get(index) ?? null;
      };
      // ---- accuracy → legacy accuracy records, linked to the prediction they followed when known
      const drawOf = (d: string | null): Numbers | null =>
        d === null || !/^\d{4}-\d{2}-\d{2}$/.test(d) ? null : store.draws.get(d as IsoDate);
      const numbersAt = new Map(h.predictions.map((p) => [p.index, p] as const));
      const linkEntry = historyLinker(h);
      this.storeAccuracy(
        acc,
        'accuracy',
        h.accuracy.map((a) => {
          const key = `accuracy#${a.index}`;
          return {
            key,
            label: key,
            checksum: sha256(JSON.stringify(a)),
            build: () => {
              const d = linkEntry(a);
              const predictionId = d.target === null ? null : predictionIdOf(d.target);
              const note =
                d.target !== null && predictionId === null
                  ? `followed prediction #${d.target}, which was not migrated; kept unlinked`
                  : d.note;
              const linked = predictionId === null ? null : numbersAt.get(d.target as number);
              const figures = { shape: 'ticket' as const, totalMatches: null, accuracyScore: a.score, ...a };
              return {
                check: checkFigures(figures, drawOf(a.drawDate), linked ? [linked] : null),
                input: {
                  origin: 'prediction_history.joblib',
                  legacyRecord: key,
                  shape: 'ticket',
                  modelName: null,
                  legacySetId: null,
                  drawDate: a.drawDate as IsoDate | null,
                  evaluatedAt: a.timestamp,
                  setId: null,
                  predictionId,
                  link: predictionId === null ? 'none' : d.link,
                  linkNote: note,
                  whiteMatches: a.whiteMatches,
                  powerballMatch: a.powerballMatch,
                  totalMatches: null,
                  accuracyScore: a.score ?? a.whiteAccuracy,
                  actualWhites: a.actualWhites,
                  actualPowerball: a.actualPowerball,
                  payload: a as unknown as JsonValue,
                },
              };
            },
          };
        }),
      );
      // ---- feedback → legacy weight feedback
      const feedbackInputs: LegacyFeedbackInput[] = [];
      const fbPending: { key: string; checksum: string }[] = [];
      for (const f of h.feedback) {
        const key = `feedback#${f.index}`;
        const checksum = sha256(JSON.stringify(f));
        if (acc.state('feedback', key, checksum, key) !== 'new') continue;
        feedbackInputs.push({
          kind: 'feedback',
          recordedAt: f.timestamp,
          drawDate: f.drawDate,
          predictionId: null,
          strategy: f.tool,
          payload: f as unknown as JsonValue,
        });
        fbPending.push({ key, checksum });
      }
      const ids = feedbackInputs.length ? store.migrations.storeLegacyFeedback(feedbackInputs) : [];
      fbPending.forEach((p, i) => acc.migrated('feedback', p.key, p.checksum, `legacy_feedback:${ids[i]}`));
    };
  }

  /**
   * Stores legacy accuracy records not migrated before, reporting each unlinked record and each
   * disagreement with the real draw as a note (never changing the legacy figures).
   */
  private storeAccuracy(acc: SourceAccumulator, kind: string, items: readonly AccuracyItem[]): void {
    const fresh = items
      .filter((it) => acc.state(kind, it.key, it.checksum, it.label) === 'new')
      .map((it) => ({ ...it, ...it.build() }));
    const ids = fresh.length ? this.ctx.store.legacyAccuracy.store(fresh.map((it) => it.input)) : [];
    const tally = { linked: 0, unlinked: 0, agrees: 0, disagrees: 0, unchecked: 0 };
    fresh.forEach((it, i) => {
      if (it.input.link === 'none') {
        tally.unlinked++;
        acc.note(
          it.label,
          `kept unlinked (model ${it.input.modelName ?? '(none)'}, draw ${it.input.drawDate ?? '(none)'}): ${it.input.linkNote ?? 'no link found'}`,
        );
      } else tally.linked++;
      if (it.check.status === 'agrees') tally.agrees++;
      else if (it.check.status === 'disagrees') {
        tally.disagrees++;
        acc.note(
          it.label,
          `disagrees with the stored draw of ${it.input.drawDate}: ${it.check.differences.join('; ')}; the legacy figures are kept as written`,
        );
      } else tally.unchecked++;
      acc.migrated(kind, it.key, it.checksum, `legacy_accuracy:${ids[i]}`, 'accuracy');
    });
    acc.details.accuracy = tally;
  }

  // -------------------------------------------------------------------------------------------
  // model_predictions.db

  private prepareModelDb(src: PlannedSource, acc: SourceAccumulator): Prepared {
    const db = openLegacySqlite(src.file);
    let m: LegacyModelDb;
    // Cells the reader could not parse, kept as text so nothing is lost.
    const rawCells = new Map<number, Record<string, JsonValue>>();
    try {
      m = readModelPredictionsDb(db);
      const fields = new Set(['features_used', 'hyperparameters', 'performance_metrics', 'created_at']);
      for (const p of m.problems) {
        const row = /^row (\d+)$/.exec(p.record);
        if (p.source !== 'model_predictions' || p.skipped || !row || !p.field || !fields.has(p.field))
          continue;
        const cell = db.all(
          `SELECT ${p.field} AS v FROM model_predictions WHERE rowid = ${Number(row[1])}`,
        )[0]?.['v'];
        const o = rawCells.get(Number(row[1])) ?? {};
        o[`${p.field}_raw`] = typeof cell === 'string' || typeof cell === 'number' ? cell : null;
        rawCells.set(Number(row[1]), o);
      }
    } finally {
      db.close();
    }
    for (const t of ['model_predictions', 'prediction_sets', 'prediction_accuracy'])
      acc.read(t, m.counts[t] ?? 0);
    acc.problems(m.problems, (p) => p.source);
    for (const t of ['model_predictions', 'prediction_sets', 'prediction_accuracy', 'probability'])
      acc.mapping[t] = MAPPING[t] as string;
    acc.details.hasModelArtifactPath = m.hasArtifactPathColumn;
    const store = this.ctx.store;

    return () => {
      const newIdByRow = new Map<number, number>();
      /** Legacy set group id → the stored set it became (this run or an earlier one). */
      const storeSetOf = new Map<string, string>();
      let sets = 0;
      const currentTaken = new Set<string>();
      for (const g of m.groups) {
        const setLabel = g.set ? `prediction_sets row ${g.set.rowId}` : `set ${g.setId}`;
        if (g.predictions.length === 0) {
          if (g.set)
            acc.skip(
              'prediction_sets',
              setLabel,
              'the set has no predictions (a set holds at least one ticket)',
            );
          continue;
        }
        const key = `prediction_sets:${g.setId}`;
        const checksum = sha256(JSON.stringify(g));
        const known = acc.existing.get(key);
        if (known) {
          storeSetOf.set(g.setId, known.targetId);
          if (g.set) acc.state('prediction_sets', key, checksum, setLabel);
          else acc.content.push(`${key} ${known.checksum}`);
          for (const p of g.predictions) {
            const pk = `model_predictions:row ${p.rowId}`;
            const pr = acc.existing.get(pk);
            if (pr) {
              acc.state(
                'model_predictions',
                pk,
                sha256(JSON.stringify(p)),
                `model_predictions row ${p.rowId}`,
              );
              newIdByRow.set(p.rowId, Number(pr.targetId));
            } else
              acc.skip(
                'model_predictions',
                `model_predictions row ${p.rowId}`,
                ticketReason(p.whites, p.powerball, g.createdAt) ??
                  `added to set ${g.setId} after the set was migrated`,
              );
          }
          continue;
        }
        const skipAll = (reason: string): void => {
          if (g.set) acc.skip('prediction_sets', setLabel, reason);
          for (const p of g.predictions)
            acc.skip('model_predictions', `model_predictions row ${p.rowId}`, reason);
        };
        if (g.createdAt === null) {
          skipAll('no readable created_at: the draw it was made for cannot be told');
          continue;
        }
        const target = targetDrawDateFor(g.createdAt);
        const kept: { p: (typeof g.predictions)[number]; ticket: TicketInput; checksum: string }[] = [];
        for (const p of g.predictions) {
          const label = `model_predictions row ${p.rowId}`;
          const invalid = ticketReason(p.whites, p.powerball, g.createdAt);
          if (invalid !== null) {
            acc.skip('model_predictions', label, invalid);
            continue;
          }
          const prob = migratedProbability(p.probability, target);
          if (prob.original !== undefined)
            acc.note(
              label,
              `probability ${String(prob.original)} replaced by the uniform ticket probability`,
              'probability',
            );
          kept.push({
            p,
            checksum: sha256(JSON.stringify(p)),
            ticket: {
              whites: p.whites,
              powerball: p.powerball,
              probability: prob.value,
              legacy: clean({
                id: p.rowId,
                modelName: p.modelName,
                predictionId: p.predictionId,
                createdAt: p.createdAtRaw === null ? undefined : String(p.createdAtRaw),
                version: p.version ?? undefined,
                isActive: p.isActive,
                featuresUsed: p.featuresUsed ?? undefined,
                hyperparameters: p.hyperparameters ?? undefined,
                performanceMetrics: p.performanceMetrics ?? undefined,
                extra: clean({
                  prediction_set_id: p.setId ?? '',
                  created_at_utc: p.createdAt ?? undefined,
                  original_probability: prob.original,
                  ...rawCells.get(p.rowId),
                }),
              }) as TicketInput['legacy'],
            },
          });
        }
        if (kept.length === 0) {
          if (g.set) acc.skip('prediction_sets', setLabel, 'none of its predictions could be migrated');
          continue;
        }
        const first = g.predictions[0] as (typeof g.predictions)[number];
        const source = sanitizeId(g.set?.modelName ?? first.modelName, SOURCE_RE, 100, 'legacy');
        const model = this.modelFor(g.set?.modelArtifactPath ?? null);
        const artifactBase = g.set?.modelArtifactPath?.split(/[\\/]/).pop() ?? '';
        if (g.set?.modelArtifactPath && !model && this.convertedArtifacts.has(artifactBase))
          acc.note(setLabel, `would be linked to the model converted from models/${artifactBase} (dry run)`);
        else if (g.set?.modelArtifactPath && !model)
          acc.note(
            setLabel,
            `model_artifact_path ${g.set.modelArtifactPath} is not among the migrated models; the path is kept`,
          );
        let current = false;
        if (g.set?.isCurrent && !currentTaken.has(source)) {
          current = store.predictions.currentSet(source) === null;
          if (!current)
            acc.note(
              setLabel,
              `was current in the legacy app, but a set of ${source} is already current here`,
            );
        }
        if (current) currentTaken.add(source);
        for (const n of g.notes) acc.note(setLabel, n);
        const s = g.set;
        let res: StorePredictionsResponse;
        try {
          res = this.storeSet({
            setId: sanitizeId(g.setId, SET_ID_RE, 128, `legacy-set-${g.set?.rowId ?? first.rowId}`),
            source,
            ...(model ? { model } : {}),
            targetDrawDate: target,
            createdAt: g.createdAt,
            seed: null,
            weights: {},
            current,
            ...(s?.trainingDuration !== null && s?.trainingDuration !== undefined && s.trainingDuration >= 0
              ? { trainingDurationMs: s.trainingDuration * 1000 }
              : {}),
            ...(s?.notes ? { notes: s.notes } : {}),
            legacy: clean({
              id: s?.rowId,
              totalPredictions: s?.totalPredictions ?? undefined,
              modelArtifactPath: s?.modelArtifactPath ?? undefined,
              createdAt: s ? (s.createdAtRaw === null ? undefined : String(s.createdAtRaw)) : undefined,
              extra: clean({
                set_id: g.legacySetId,
                is_current: s ? s.isCurrent : undefined,
                training_duration: s?.trainingDuration ?? undefined,
                model_name: s?.modelName,
                reader_notes: g.notes.length ? [...g.notes] : undefined,
              }),
            }) as StorePredictionsRequest['legacy'],
            tickets: kept.map((k) => k.ticket),
          });
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error; // checked before any write
          skipAll(`rejected by the store: ${error.message}`);
          continue;
        }
        sets++;
        storeSetOf.set(g.setId, res.setId);
        if (g.set) acc.migrated('prediction_sets', key, checksum, res.setId, 'prediction-set');
        else {
          // A set built from predictions alone: in the ledger so the next run knows it, not counted as a row.
          acc.ledger.push({
            source: acc.source,
            legacyKey: key,
            kind: 'prediction-set',
            targetId: res.setId,
            checksum,
            ...(acc.runId === null ? {} : { runId: acc.runId }),
          });
          acc.content.push(`${key} ${checksum}`);
        }
        kept.forEach((k, i) => {
          const id = res.predictionIds[i] as number;
          newIdByRow.set(k.p.rowId, id);
          acc.migrated(
            'model_predictions',
            `model_predictions:row ${k.p.rowId}`,
            k.checksum,
            String(id),
            'prediction',
          );
        });
      }
      acc.details.setsCreated = sets;

      // ---- prediction_accuracy → legacy accuracy records, linked to their set when known
      const predictionOfRow = new Map(m.predictions.map((p) => [p.predictionId, p.rowId] as const));
      const legacyRows = new Map(m.predictions.map((p) => [p.predictionId, p] as const));
      const linkRow = summaryLinker(m.groups, targetDrawDateFor);
      const setTickets = new Map<string, Numbers[]>();
      const ticketsOf = (setId: string): Numbers[] => {
        let tickets = setTickets.get(setId);
        if (!tickets) {
          try {
            tickets = store.predictions
              .getSet(setId)
              .tickets.map((t) => ({ whites: t.whites, powerball: t.powerball }));
          } catch {
            tickets = []; // the set is gone since it was migrated: nothing to check against
          }
          setTickets.set(setId, tickets);
        }
        return tickets;
      };
      this.storeAccuracy(
        acc,
        'prediction_accuracy',
        m.accuracy.map((a) => {
          const label = `prediction_accuracy row ${a.rowId}`;
          return {
            key: `prediction_accuracy:row ${a.rowId}`,
            label,
            checksum: sha256(JSON.stringify(a)),
            build: () => {
              let setId: string | null = null;
              let predictionId: number | null = null;
              let decision: { link: LegacyAccuracyLink; note: string | null };
              if (a.shape === 'summary') {
                const d = linkRow(a);
                setId = d.target === null ? null : (storeSetOf.get(d.target.setId) ?? null);
                decision =
                  d.target !== null && setId === null
                    ? { link: 'none', note: `its set ${d.target.setId} was not migrated` }
                    : d;
              } else {
                const row = a.predictionId === null ? undefined : predictionOfRow.get(a.predictionId);
                predictionId = row === undefined ? null : (newIdByRow.get(row) ?? null);
                decision =
                  predictionId !== null
                    ? { link: 'prediction_id', note: null }
                    : {
                        link: 'none',
                        note: `prediction ${a.predictionId ?? '(none)'} ${row === undefined ? 'is not in the legacy database' : 'was not migrated'}`,
                      };
              }
              const tickets =
                setId !== null
                  ? ticketsOf(setId)
                  : predictionId !== null
                    ? [legacyRows.get(a.predictionId as string) as Numbers]
                    : null;
              const draw = a.drawDate === null ? null : store.draws.get(a.drawDate as IsoDate);
              return {
                check: checkFigures(a, draw, tickets),
                input: {
                  origin: 'model_predictions.db',
                  legacyRecord: label,
                  shape: a.shape,
                  modelName: a.modelName,
                  legacySetId: a.setId,
                  drawDate: a.drawDate as IsoDate | null,
                  evaluatedAt: a.evaluatedAt,
                  setId,
                  predictionId,
                  link: decision.link,
                  linkNote: decision.note,
                  whiteMatches: a.whiteMatches,
                  powerballMatch: a.powerballMatch,
                  totalMatches: a.totalMatches,
                  accuracyScore: a.accuracyScore,
                  actualWhites: a.actualWhites,
                  actualPowerball: a.actualPowerball,
                  payload: a as unknown as JsonValue,
                },
              };
            },
          };
        }),
      );
    };
  }

  // -------------------------------------------------------------------------------------------
  // models/*.joblib and prediction_models.joblib

  private prepareModel(
    src: PlannedSource,
    pair: LegacyModelPair,
    artifactKeys: Record<string, JsonValue>,
    acc: SourceAccumulator,
  ): Prepared {
    const base = path.basename(src.rel);
    const kindKey = src.kind === 'prediction_models' ? 'prediction_models' : 'model_artifacts';
    acc.read(kindKey);
    acc.mapping[kindKey] = MAPPING[kindKey] as string;
    const name =
      src.kind === 'prediction_models'
        ? 'legacy-prediction_models'
        : `legacy-${
            (pair.modelType ?? base.replace(/(_\d{8}_\d{6})?\.joblib$/, ''))
              .replace(/[^A-Za-z0-9_.-]/g, '-')
              .replace(/^[^A-Za-z0-9]+/, '')
              .slice(0, 50) || 'model'
          }`;
    for (const p of pair.problems) acc.note(base, p);
    const parts: [string, FittedModel, string][] = pair.combined
      ? [[name, pair.combined, 'whites then Powerball']]
      : [
          ...(pair.white
            ? ([[`${name}-white`, pair.white, 'white balls']] as [string, FittedModel, string][])
            : []),
          ...(pair.powerball
            ? ([[`${name}-powerball`, pair.powerball, 'Powerball']] as [string, FittedModel, string][])
            : []),
        ];
    const trained = pair.trainedAt ? normalizeTimestamp(pair.trainedAt) : null;
    const store = this.ctx.store;

    return () => {
      const key = 'artifact';
      const checksum = acc.fileSha256 as string;
      if (acc.state(kindKey, key, checksum, base) !== 'new') return;
      if (parts.length === 0) {
        acc.skip(
          kindKey,
          base,
          `no model could be converted: ${pair.problems.join('; ') || 'nothing in the file'}`,
        );
        return;
      }
      const createdAt = trained && 'iso' in trained ? trained.iso : this.now();
      const targets: string[] = [];
      const registered: JsonValue[] = [];
      for (const [modelName, model, outputs] of parts) {
        const info = store.models.registerModelVersion({
          name: modelName,
          kind: model.kind,
          hyperparameters: clean({
            legacy_model_type: pair.modelType ?? undefined,
            sklearn_white: pair.sourceClasses.white ?? undefined,
            sklearn_powerball: pair.sourceClasses.powerball ?? undefined,
          }),
          featureNames: Array.from({ length: model.nFeatures }, (_, i) => `x${i}`),
          folds: [],
          trainingDurationMs: null,
          seed: null,
          artifact: serializeModel(model),
          source: 'migrated',
          createdAt,
          activate: true,
          notes: `converted from the legacy ${src.rel} (${outputs})`,
          extra: clean({
            legacy_file: src.rel,
            legacy_sha256: checksum,
            trained_at: pair.trainedAt ?? undefined,
            outputs,
            artifact_keys: artifactKeys,
            conversion_problems: pair.problems.length ? [...pair.problems] : undefined,
          }),
        });
        targets.push(`${info.name}@${info.version}`);
        registered.push({
          name: info.name,
          version: info.version,
          kind: info.kind,
          outputs: model.nOutputs,
          features: model.nFeatures,
        });
      }
      acc.details.registered = registered;
      if (src.kind === 'model_artifact') this.convertedArtifacts.add(base);
      acc.migrated(kindKey, key, checksum, targets.join(','), 'model-version');
    };
  }

  // -------------------------------------------------------------------------------------------
  // experiment_tracking/experiments.db

  private prepareExperiments(src: PlannedSource, acc: SourceAccumulator): Prepared {
    const db = openLegacySqlite(src.file);
    let e: LegacyExperiments;
    try {
      e = readExperimentsDb(db);
    } finally {
      db.close();
    }
    for (const t of ['experiment_jobs', 'experiment_runs', 'metrics_timeseries']) {
      acc.read(t, e.counts[t] ?? 0);
      acc.mapping[t] = MAPPING[t] as string;
    }
    acc.problems(e.problems, (p) => p.source);
    const store = this.ctx.store;
    const pointsByRun = new Map<string, LegacyMetricPoint[]>();
    for (const p of e.metrics) {
      const list = pointsByRun.get(p.runId) ?? [];
      list.push(p);
      pointsByRun.set(p.runId, list);
    }

    const status = (s: string | null): { status: 'finished' | 'failed'; error: string | null } =>
      s === 'completed' || s === 'finished' || s === 'success'
        ? { status: 'finished', error: null }
        : s === 'failed' || s === 'error'
          ? { status: 'failed', error: 'failed in the legacy app' }
          : {
              status: 'failed',
              error: `legacy status ${s ?? '(none)'}: it never finished in the legacy app`,
            };
    const span = (
      start: string,
      end: string | null,
      seconds: number | null,
    ): { endedAt: string; durationMs: number } => {
      const endedAt =
        end ?? (seconds !== null ? new Date(Date.parse(start) + seconds * 1000).toISOString() : start);
      const durationMs =
        seconds !== null && seconds >= 0
          ? seconds * 1000
          : Math.max(0, Date.parse(endedAt) - Date.parse(start));
      return { endedAt, durationMs };
    };

    return () => {
      const now = this.now();
      const parentByJob = new Map<string, number>();
      const experimentOf = new Map<string, string>();
      let runsCreated = 0;
      for (const job of e.jobs) {
        const experiment = `legacy ${job.name ?? 'job'} (${job.jobId})`.slice(0, 200);
        experimentOf.set(job.jobId, experiment);
        const key = `experiment_jobs:${job.jobId}`;
        const label = `experiment_jobs ${job.jobId}`;
        const checksum = sha256(JSON.stringify(job));
        const st = acc.state('experiment_jobs', key, checksum, label);
        if (st !== 'new') {
          const id = Number(acc.existing.get(key)?.targetId.replace(/^run:/, ''));
          if (Number.isInteger(id)) parentByJob.set(job.jobId, id);
          continue;
        }
        const firstRun = e.runs.find((r) => r.jobId === job.jobId)?.startedAt ?? null;
        const startedAt = job.startedAt ?? job.createdAt ?? firstRun ?? now;
        if (!job.startedAt && !job.createdAt)
          acc.note(
            label,
            `no start time; ${startedAt === now ? 'the migration time' : "its first run's"} is used`,
          );
        const s = status(job.status);
        const cfg = job.config;
        const models =
          cfg && typeof cfg === 'object' && !Array.isArray(cfg) && Array.isArray(cfg['models'])
            ? (cfg['models'] as JsonValue[]).filter((x): x is string => typeof x === 'string').join(',')
            : '';
        const id = store.runs.record({
          experiment,
          kind: 'search',
          modelName: models || 'legacy',
          params: flattenParams(cfg),
          tags: clean({
            legacy_job_id: job.jobId,
            legacy_name: job.name ?? undefined,
            legacy_status: job.status ?? undefined,
            legacy_description: job.description ?? undefined,
            legacy_config: cfg === null ? undefined : JSON.stringify(cfg),
            legacy_error_message: job.errorMessage ?? undefined,
            legacy_progress: job.progress === null ? undefined : String(job.progress),
            legacy_created_at: job.createdAt ?? undefined,
          }) as Record<string, string>,
          startedAt,
          status: s.status,
          error: s.status === 'failed' ? (job.errorMessage ?? s.error) : null,
          ...span(startedAt, job.completedAt, null),
          metrics: [],
        });
        runsCreated++;
        parentByJob.set(job.jobId, id);
        acc.migrated('experiment_jobs', key, checksum, `run:${id}`, 'experiment');
      }

      for (const run of e.runs) {
        const key = `experiment_runs:${run.runId}`;
        const label = `experiment_runs ${run.runId}`;
        const points = pointsByRun.get(run.runId) ?? [];
        const checksum = sha256(JSON.stringify({ run, points }));
        const st = acc.state('experiment_runs', key, checksum, label);
        if (st === 'duplicate') continue; // its points went with the first run of that id
        if (st !== 'new') {
          acc.counts('metrics_timeseries').alreadyMigrated += points.length;
          continue;
        }
        const id = this.recordTrial(run, points, parentByJob, experimentOf, status, span, now, acc, label);
        runsCreated++;
        acc.counts('metrics_timeseries').migrated += points.length;
        acc.migrated('experiment_runs', key, checksum, `run:${id}`, 'run');
      }
      acc.details.runsCreated = runsCreated;
    };
  }

  private recordTrial(
    run: LegacyExperimentRun,
    points: readonly LegacyMetricPoint[],
    parentByJob: ReadonlyMap<string, number>,
    experimentOf: ReadonlyMap<string, string>,
    status: (s: string | null) => { status: 'finished' | 'failed'; error: string | null },
    span: (
      start: string,
      end: string | null,
      seconds: number | null,
    ) => { endedAt: string; durationMs: number },
    now: string,
    acc: SourceAccumulator,
    label: string,
  ): number {
    const startedAt = run.startedAt ?? points.find((p) => p.timestamp)?.timestamp ?? now;
    if (!run.startedAt) acc.note(label, "no start time; its first metric's or the migration time is used");
    const metrics: MetricPoint[] = [];
    const renamed = new Set<string>();
    points.forEach((p, i) => {
      const k = sanitizeKey(p.name);
      if (k !== p.name) renamed.add(`${p.name} → ${k}`);
      metrics.push({ key: k, step: p.step ?? i, value: p.value, timestamp: p.timestamp ?? startedAt });
    });
    const m = run.metrics;
    if (m && typeof m === 'object' && !Array.isArray(m)) {
      for (const [name, v] of Object.entries(m)) {
        const k = sanitizeKey(`summary.${name}`);
        if (typeof v === 'number') metrics.push({ key: k, step: 0, value: v, timestamp: startedAt });
        else if (Array.isArray(v))
          v.forEach((x, i) => {
            if (typeof x === 'number') metrics.push({ key: k, step: i, value: x, timestamp: startedAt });
          });
      }
    }
    if (renamed.size) acc.note(label, `metric names made valid: ${[...renamed].join(', ')}`);
    const s = status(run.status);
    const parent = run.jobId !== null ? parentByJob.get(run.jobId) : undefined;
    return this.ctx.store.runs.record({
      experiment:
        (run.jobId !== null ? experimentOf.get(run.jobId) : undefined) ?? 'legacy experiments without a job',
      kind: 'trial',
      modelName: run.modelName ?? 'legacy',
      parentRunId: parent ?? null,
      params: flattenParams(run.hyperparameters),
      tags: clean({
        legacy_run_id: run.runId,
        legacy_job_id: run.jobId ?? undefined,
        legacy_run_number: run.runNumber === null ? undefined : String(run.runNumber),
        legacy_status: run.status ?? undefined,
        legacy_metrics: run.metrics === null ? undefined : JSON.stringify(run.metrics),
        legacy_artifact_path: run.artifactPath ?? undefined,
      }) as Record<string, string>,
      startedAt,
      status: s.status,
      error: s.error,
      ...span(startedAt, run.completedAt, run.durationSeconds),
      metrics,
    });
  }

  // -------------------------------------------------------------------------------------------
  // ml_memory/*.json

  private prepareMemory(src: PlannedSource, text: string, acc: SourceAccumulator): Prepared {
    const name = path.basename(src.rel);
    const mem = readMlMemory([{ name, text }]);
    acc.read('ml_memory');
    acc.mapping.ml_memory = MAPPING.ml_memory as string;
    const broken = mem.problems.find((p) => p.skipped);
    if (broken) throw new PbiError('MALFORMED_FILE', `${src.rel} is unreadable: ${broken.reason}`);
    acc.problems(mem.problems, () => 'ml_memory');
    const record = mem.records[0] as LegacyMemoryRecord;
    const store = this.ctx.store;
    return () => {
      const key = 'document';
      const checksum = sha256(JSON.stringify(record.document));
      if (acc.state('ml_memory', key, checksum, name) !== 'new') return;
      const startedAt = record.lastTrainedAt ?? this.now();
      if (!record.lastTrainedAt) acc.note(name, 'no last_training.timestamp; the migration time is used');
      const doc = record.document;
      const last = doc['last_training'];
      const lt = last && typeof last === 'object' && !Array.isArray(last) ? last : {};
      const metrics: MetricPoint[] = [];
      const lm = lt['metrics'];
      if (lm && typeof lm === 'object' && !Array.isArray(lm))
        for (const [k, v] of Object.entries(lm))
          if (typeof v === 'number')
            metrics.push({ key: sanitizeKey(k), step: 0, value: v, timestamp: startedAt });
      const hist = doc['history'];
      if (Array.isArray(hist))
        hist.forEach((entry, i) => {
          if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return;
          const ts =
            typeof entry['timestamp'] === 'string' ? isoOr(entry['timestamp'], startedAt) : startedAt;
          for (const [k, v] of Object.entries(entry))
            if (typeof v === 'number')
              metrics.push({ key: sanitizeKey(`history.${k}`), step: i, value: v, timestamp: ts });
        });
      const seconds = typeof lt['training_duration'] === 'number' ? lt['training_duration'] : 0;
      const id = store.runs.record({
        experiment: 'legacy ml_memory',
        kind: 'train',
        modelName: record.modelName,
        params: flattenParams((lt['hyperparameters'] as JsonValue | undefined) ?? null),
        tags: { legacy_file: src.rel, legacy_memory: JSON.stringify(doc) },
        startedAt,
        status: 'finished',
        endedAt: new Date(Date.parse(startedAt) + Math.max(0, seconds) * 1000).toISOString(),
        durationMs: Math.max(0, seconds) * 1000,
        metrics,
      });
      acc.details.runId = id;
      acc.migrated('ml_memory', key, checksum, `run:${id}`, 'training-memory');
    };
  }
}

/** The legacy files present in `root`, in migration order (models before the sets that name them). */
function discover(root: string): { plan: PlannedSource[]; missing: string[] } {
  const plan: PlannedSource[] = [];
  const missing: string[] = [];
  const file = (rel: string, kind: SourceKind): void => {
    const f = path.join(root, rel);
    if (fs.existsSync(f) && fs.statSync(f).isFile()) plan.push({ rel, file: f, kind });
    else missing.push(rel);
  };
  const folder = (rel: string, ext: string, kind: SourceKind): void => {
    const dir = path.join(root, rel);
    const names =
      fs.existsSync(dir) && fs.statSync(dir).isDirectory()
        ? fs
            .readdirSync(dir)
            .filter((n) => n.endsWith(ext) && fs.statSync(path.join(dir, n)).isFile())
            .sort()
        : [];
    if (names.length === 0) missing.push(`${rel}/*${ext}`);
    for (const n of names) plan.push({ rel: `${rel}/${n}`, file: path.join(dir, n), kind });
  };
  folder('models', '.joblib', 'model_artifact');
  file('data/prediction_models.joblib', 'prediction_models');
  file('data/prediction_history.joblib', 'prediction_history');
  file('data/model_predictions.db', 'model_predictions_db');
  file('data/experiment_tracking/experiments.db', 'experiments_db');
  folder('data/ml_memory', '.json', 'ml_memory');
  return { plan, missing };
}
