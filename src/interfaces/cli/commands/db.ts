/**
 * `pbi db backup | check`: consistent online backups and the integrity check.
 */
import { PbiError } from '../../../domain/errors.js';
import type { CommandModule } from '../cli-context.js';

/** Adds `pbi db` to the program. */
export const registerDb: CommandModule = (program, ctx) => {
  const db = program.command('db').description('database backups and integrity');

  db.command('backup')
    .description(
      'consistent online backup (SQLite backup API); without FILE, into the backups folder keeping the newest N',
    )
    .argument('[file]', 'where to write the backup')
    .action(async (file: string | undefined) => {
      const { out, service } = ctx();
      const report = await service().database.backup(file);
      out.result(report, () =>
        [
          `Backed up ${report.draws} draws to ${report.file} (${report.bytes} bytes).`,
          ...report.removed.map((f) => `Removed old backup ${f}`),
        ].join('\n'),
      );
    });

  db.command('check')
    .description("SQLite's integrity check plus the store's invariants; exit 1 when anything is wrong")
    .action(() => {
      const { out, service } = ctx();
      const report = service().database.check();
      if (!report.ok)
        throw new PbiError(
          'DATABASE',
          `database ${report.database} failed its check: ${report.problems.length} problem(s)`,
          report.problems.map((p) => ({ where: report.database, reason: p })),
        );
      out.result(report, () =>
        [
          `${report.database}: ok (integrity check and invariants pass)`,
          ...(report.notes ?? []).map((n) => `note: ${n}`),
        ].join('\n'),
      );
    });
};
