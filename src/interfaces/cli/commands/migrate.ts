/**
 * `pbi migrate LEGACY_DIR [--dry-run]`: the legacy Python app folder into the store (DESIGN §5).
 * The validation report goes to stdout (one JSON document with --json); when a source file failed,
 * the report is still printed and the command then exits 1 naming the failed sources.
 */
import { PbiError } from '../../../domain/errors.js';
import type { MigrationReport, SourceReport } from '../../../services/migration/index.js';
import { table } from '../output.js';
import type { CommandModule } from '../cli-context.js';

const LISTED = 20;

function counts(s: SourceReport): { read: number; migrated: number; already: number; skipped: number } {
  const t = { read: 0, migrated: 0, already: 0, skipped: 0 };
  for (const c of Object.values(s.records)) {
    t.read += c.read;
    t.migrated += c.migrated;
    t.already += c.alreadyMigrated;
    t.skipped += c.skipped;
  }
  return t;
}

/** The report as text: one row per source, then what was skipped and why, then the mapping. */
export function renderMigrationReport(r: MigrationReport): string {
  const lines: string[] = [];
  lines.push(`${r.dryRun ? 'Dry run (nothing written): ' : ''}${r.summary}.`);
  if (r.backup) lines.push(`Backup written first: ${r.backup.file}`);
  lines.push('');
  lines.push(
    table(
      ['source', 'status', 'read', 'migrated', 'already', 'skipped', 'sha256'],
      r.sources.map((s) => {
        const c = counts(s);
        return [s.source, s.status, c.read, c.migrated, c.already, c.skipped, s.fileSha256?.slice(0, 12)];
      }),
    ),
  );
  for (const s of r.sources) {
    if (s.error) lines.push('', `${s.source}: FAILED (${s.error.code}) ${s.error.message}`);
    const kinds = Object.entries(s.records)
      .map(([k, c]) => `${k} ${c.migrated}/${c.read}`)
      .join(', ');
    // Accuracy records migrated by this run: how many were linked and how they compare with the draws.
    const tally = s.details['accuracy'] as Record<string, number> | undefined;
    const a = tally && (tally['linked'] ?? 0) + (tally['unlinked'] ?? 0) > 0 ? tally : undefined;
    if (s.skipped.length || s.notes.length || a) lines.push('', `${s.source} (${kinds}):`);
    for (const x of s.skipped.slice(0, LISTED))
      lines.push(`  skipped ${x.record}${x.field ? ` [${x.field}]` : ''}: ${x.reason}`);
    const more = s.skipped.length - LISTED + s.skippedNotListed;
    if (more > 0) lines.push(`  … and ${more} more skipped (see --json)`);
    if (a)
      lines.push(
        `  accuracy records: ${a['linked']} linked, ${a['unlinked']} kept unlinked; against the stored draws ` +
          `${a['agrees']} agree, ${a['disagrees']} disagree (legacy figures kept), ${a['unchecked']} not checkable`,
      );
    if (s.notes.length) lines.push(`  ${s.notes.length + s.notesNotListed} note(s), see --json`);
  }
  if (r.missing.length) lines.push('', `Not in the folder (optional): ${r.missing.join(', ')}`);
  lines.push('', 'How each legacy record kind was mapped:');
  for (const [k, v] of Object.entries(r.mapping)) lines.push(`  ${k}: ${v}`);
  return lines.join('\n');
}

/** Adds `pbi migrate` to the program. */
export const registerMigrate: CommandModule = (program, ctx) => {
  program
    .command('migrate')
    .description(
      'migrate a legacy app folder (joblib files, model_predictions.db, model artifacts, experiments, ml_memory) into the database; backs it up first; safe to run again',
    )
    .argument('<legacy_dir>', 'the legacy app folder (holding data/ and models/)')
    .option('--dry-run', 'read and check everything, write nothing (not even the backup)')
    .action(async (dir: string, opts: { dryRun?: boolean }) => {
      const { out, service } = ctx();
      const report = await service().migration.migrate(dir, {
        dryRun: opts.dryRun === true,
        onProgress: (label, fraction) => out.progress(label, fraction),
      });
      out.done();
      out.result(report, () => renderMigrationReport(report));
      const failed = report.sources.filter((s) => s.status === 'failed');
      // A source read in full whose every record was skipped migrated nothing: that is a failure too.
      const allSkipped = report.sources.filter((s) => {
        const c = counts(s);
        return s.status !== 'failed' && c.read > 0 && c.skipped === c.read;
      });
      if (!failed.length && allSkipped.length)
        throw new PbiError(
          'MALFORMED_FILE',
          `every record of ${allSkipped.map((s) => s.source).join(', ')} was skipped; nothing ${report.dryRun ? 'would be' : 'was'} migrated from ${allSkipped.length === 1 ? 'it' : 'them'}`,
          allSkipped.map((s) => ({
            where: s.source,
            reason: `${counts(s).read} of ${counts(s).read} records skipped`,
          })),
        );
      if (failed.length)
        throw new PbiError(
          failed.every((s) => s.error?.code === 'UNSAFE_PICKLE') ? 'UNSAFE_PICKLE' : 'MALFORMED_FILE',
          `${failed.length} of ${report.sources.length} legacy source(s) failed and wrote nothing; the others ${report.dryRun ? 'would be' : 'were'} migrated`,
          failed.map((s) => ({ where: s.source, reason: s.error?.message ?? 'failed' })),
        );
    });
};
