/**
 * `pbi bench [--quick] [--strict] [--out FILE] [NAME ...]` — the benchmarks of DESIGN §7 beside
 * scikit-learn (when Debian's python3-sklearn is installed) or the legacy figures: one table, the
 * growth with size, and the results document (`--json` prints the document).
 */
import { PbiError } from '../../../domain/errors.js';
import { runBenchmarks } from '../../../services/bench-service.js';
import type { CommandModule } from '../cli-context.js';

/** Adds `pbi bench` to the program. */
export const registerBench: CommandModule = (program, ctx) => {
  program
    .command('bench')
    .description('run the benchmarks (DESIGN §7) beside scikit-learn or the legacy figures')
    .argument('[names...]', 'only benchmarks whose file name contains one of these words (draws, scaling, …)')
    .option('--quick', 'fewer iterations and sizes (a check that the benchmarks work, not a measurement)')
    .option('--strict', 'exit 1 when a median is over its budget')
    .option('--out <file>', 'where to write the results document (JSON)')
    .action(async (names: string[], opts: { quick?: boolean; strict?: boolean; out?: string }) => {
      const { out } = ctx();
      const report = await runBenchmarks({
        quick: opts.quick === true,
        strict: opts.strict === true,
        names,
        ...(opts.out === undefined ? {} : { out: opts.out }),
        onProgress: (line) => out.info(line),
      });
      out.result(report.document, () => `${report.text}\nresults written to ${report.resultsFile}`);
      if (report.exitCode !== 0) {
        const failed = report.document.failures.map((f) => `${f.file} (${f.reason})`);
        throw new PbiError(
          'INTERNAL',
          failed.length > 0
            ? `${failed.length} benchmark(s) failed: ${failed.join('; ')}`
            : 'a median is over its budget (--strict)',
        );
      }
    });
};
