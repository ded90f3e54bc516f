import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from '../cli-context.js';
import { inCliWords } from '../hints.js';
import { table } from '../output.js';

/** Adds `pbi init` to the program. */
export const registerInit: CommandModule = (program, ctx) => {
  program
    .command('init')
    .description('create or upgrade the database; load the bundled draw history when it has no draws')
    .action(() => {
      const { out, service, config } = ctx();
      // Run from any folder, init makes the database's folder (data/ by default) rather than refuse.
      fs.mkdirSync(path.dirname(config.dbPath), { recursive: true });
      const report = inCliWords(service().draws.init());
      out.result(report, () => {
        const s = report.summary;
        const fmt = (xs: readonly { number: number; count: number }[]) =>
          xs.map((x) => `${x.number} (${x.count})`).join(', ');
        const loaded = report.loadedBundled
          ? `Loaded ${report.loadedBundled.inserted} draws from the bundled history.\n`
          : 'The database already held draws; nothing loaded.\n';
        return (
          `Database: ${report.database}\n${loaded}\n` +
          table(
            ['', ''],
            [
              ['draws', s.draws],
              ['date range', `${s.firstDate ?? '-'} to ${s.lastDate ?? '-'}`],
              [
                'current era',
                `since ${s.currentEra.from}: whites 1-${s.currentEra.whiteMax}, Powerball 1-${s.currentEra.powerballMax} (${s.currentEraDraws} draws)`,
              ],
              ['hottest whites', fmt(s.hottestWhites)],
              ['coldest whites', fmt(s.coldestWhites)],
              ['hottest Powerballs', fmt(s.hottestPowerballs)],
              ['coldest Powerballs', fmt(s.coldestPowerballs)],
              ['next draw', `${s.nextDrawDate} (10:59 pm US Eastern)`],
            ],
          ) +
          (s.missingDrawsNotice ? `\nNote: ${s.missingDrawsNotice}.` : '') +
          '\nDraws are random and independent: past frequencies do not change the odds of the next draw.'
        );
      });
    });
};
