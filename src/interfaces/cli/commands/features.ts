/**
 * `pbi features export FILE` — the feature matrix training sees, as CSV; `pbi features list` — the
 * feature names and what the matrix of the stored history holds.
 */
import type { CommandModule } from '../cli-context.js';
import { table } from '../output.js';

/** Adds `pbi features` to the program. */
export const registerFeatures: CommandModule = (program, ctx) => {
  const features = program
    .command('features')
    .description('the feature matrix used by training and the ML strategy');

  features
    .command('export')
    .description('write the feature matrix (draw_date, every feature by name, the six targets) as CSV')
    .argument('<file>', 'CSV file to write')
    .action((file: string) => {
      const { out, service } = ctx();
      const report = service().features.exportCsv(file);
      out.result(report, () =>
        [
          `Wrote ${report.rows} rows × ${report.features} features + ${report.targets.length} targets to ${report.file}`,
          `Draws ${report.firstDate} to ${report.lastDate}; the first ${report.warmup} draws of the era are history only.`,
          `Feature set: ${report.featureSet}`,
        ].join('\n'),
      );
    });

  features
    .command('list')
    .description('list the feature names and the size of the matrix of the stored history')
    .action(() => {
      const { out, service } = ctx();
      const info = service().features.info();
      out.result(info, () => {
        const families = new Map<string, number>();
        for (const n of info.names) {
          const family = n.replace(/_\d+(_\d+)?$/, '').replace(/_w\d$/, '_w*');
          families.set(family, (families.get(family) ?? 0) + 1);
        }
        return (
          `${info.names.length} features (${info.featureSet}); ${info.rows} rows from ${info.eraDraws} draws ` +
          `of the era since ${info.era.from} (warm-up ${info.warmup}).\n\n` +
          table(
            ['family', 'columns'],
            [...families].map(([f, c]) => [f, c]),
          )
        );
      });
    });
};
