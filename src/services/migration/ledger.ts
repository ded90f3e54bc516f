/**
 * The bookkeeping of one source file during a run: its records' counts by legacy kind, the
 * records skipped or noted with reasons, and its ledger entries (`legacy_records`: source + legacy
 * key → what it became, with a checksum), which make a second run add nothing.
 */
import type { PbiError } from '../../domain/errors.js';
import type { LegacyProblem } from '../../legacy/index.js';
import type { JsonValue } from '../../domain/json.js';
import type { LegacyRecord, LegacyRecordInput } from '../../store/migration-types.js';
import type { RecordCounts, ReportedRecord, SourceKind, SourceReport, SourceStatus } from './report.js';
import { clean, sha256 } from './sanitize.js';

/** How many skipped records and notes a report lists; the rest are only counted. */
const MAX_LISTED = 1000;

/** Whether a record is new, already migrated as is, migrated before with other content, or repeated in the file. */
export type LedgerState = 'new' | 'same' | 'changed' | 'duplicate';

/** Counts, reasons and ledger entries of one source during a run (one per source file). */
export class SourceAccumulator {
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
    this.remember(key, checksum, targetId, ledgerKind);
  }

  /** Queues a ledger entry without counting a record (what the next run must know, but is no legacy row). */
  remember(key: string, checksum: string, targetId: string, ledgerKind: string): void {
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
