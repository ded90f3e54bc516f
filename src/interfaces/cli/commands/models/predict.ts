/**
 * `pbi models predict NAME[@VERSION] --input FILE`: runs a stored model (trained here or migrated)
 * on a CSV of feature rows and prints its raw outputs.
 */
import { parseModelReference } from '../../../../services/model-service.js';
import { table } from '../../output.js';
import type { SubcommandModule } from '../../cli-context.js';

const MAX_TEXT_ROWS = 200;

/** Adds its subcommands to `pbi models`. */
export const registerModelPredict: SubcommandModule = (models, ctx) => {
  models
    .command('predict')
    .description(
      "run a stored model on a CSV of feature rows (header = the model's feature names, or x0..xN for legacy models; an exported feature matrix works as is)",
    )
    .argument('<model>', 'NAME or NAME@VERSION (default: the active version)')
    .requiredOption('--input <file>', 'CSV of feature rows')
    .action((reference: string, flags: { input: string }) => {
      const { out, service } = ctx();
      const ref = parseModelReference(reference, 'NAME[@VERSION]');
      const report = service().models.predictFile(ref, flags.input);
      out.result(report, () => {
        const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(4));
        const shown = report.predictions.slice(0, MAX_TEXT_ROWS);
        const head = report.dates ? ['draw_date', ...report.outputs] : ['row', ...report.outputs];
        const lines = [
          `${report.model}@${report.version} (${report.kind}, ${report.source}) on ${report.rows} row(s) of ${report.input}`,
          '',
          table(
            head,
            shown.map((p, i) => [report.dates?.[i] ?? i + 1, ...p.map(fmt)]),
          ),
        ];
        if (report.rows > shown.length)
          lines.push(`… ${report.rows - shown.length} more row(s); use --json for all of them.`);
        if (report.ignoredColumns.length)
          lines.push(`Ignored ${report.ignoredColumns.length} column(s) the model does not use.`);
        return lines.join('\n');
      });
    });
};
