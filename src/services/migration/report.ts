/**
 * What `pbi migrate` reports: per source file, its records by legacy kind and what became of them,
 * with every record not migrated (or migrated with a caveat) and why; and the totals of a run.
 */
import type { LegacyFileKind } from '../../legacy/index.js';
import type { JsonObject } from '../../domain/json.js';

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

/** What a legacy source file holds. */
export type SourceKind = LegacyFileKind;

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

/** The totals over the sources of a run, and the sentence that says them. */
export function summarize(
  sources: readonly SourceReport[],
  root: string,
  dryRun: boolean,
): Pick<MigrationReport, 'totals' | 'nothingNew' | 'summary'> {
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
  return { totals: { ...totals, sources: sources.length, failedSources }, nothingNew, summary };
}
