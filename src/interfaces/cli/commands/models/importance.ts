/**
 * `pbi models importance NAME[@VERSION] [--repeats N] [--seed S] [--top N]` — feature importance:
 * impurity-based for tree models, permutation on the last walk-forward fold for any trained model.
 */
import type { ImportanceReport } from '../../../../services/experiment-service.js';
import { table } from '../../output.js';
import { intFlag } from '../../parse.js';
import type { SubcommandModule } from '../../cli-context.js';
import { MAX_SEED } from '../../../../domain/limits.js';

export function renderImportance(r: ImportanceReport, top: number): string {
  const parts = [`${r.model} version ${r.version} (${r.kind}), ${r.features} features`];
  if (r.impurity) {
    parts.push(
      '',
      'Impurity-based (mean decrease in impurity, sums to 1):',
      table(
        ['#', 'feature', 'importance'],
        r.impurity.slice(0, top).map((s, i) => [i + 1, s.feature, s.importance.toFixed(4)]),
      ),
    );
  } else parts.push('', `Impurity-based: ${r.impurityNote ?? 'not available'}`);
  if (r.permutation) {
    const p = r.permutation;
    parts.push(
      '',
      `Permutation (fold ${p.fold + 1}: refit on ${p.trainSize} rows, scored on the next ${p.testSize}; ` +
        `MAE ${p.baselineMae.toFixed(3)}; increase of MAE when shuffled, ${p.repeats} repeats):`,
      table(
        ['#', 'feature', 'mae increase', '± std'],
        p.scores.slice(0, top).map((s, i) => [i + 1, s.feature, s.importance.toFixed(4), s.std.toFixed(4)]),
      ),
    );
  } else parts.push('', `Permutation: ${r.permutationNote ?? 'not available'}`);
  return parts.join('\n');
}

/** Adds its subcommands to `pbi models`. */
export const registerModelImportance: SubcommandModule = (models, ctx) => {
  models
    .command('importance')
    .description('feature importance: impurity-based (trees) and permutation on the last CV fold (any model)')
    .argument('<model>', 'NAME or NAME@VERSION (default: the active version)')
    .option('--repeats <n>', 'shuffles per feature (default 5)', intFlag('--repeats', 1, 100))
    .option(
      '--seed <s>',
      'seed of the shuffles and the refit (default: the version’s seed)',
      intFlag('--seed', 0, MAX_SEED),
    )
    .option('--top <n>', 'rows to print (default 20; --json has all)', intFlag('--top', 1))
    .action((reference: string, opts: { repeats?: number; seed?: number; top?: number }) => {
      const { out, service } = ctx();
      const report = service().experiments.importance(reference, {
        ...(opts.repeats === undefined ? {} : { repeats: opts.repeats }),
        ...(opts.seed === undefined ? {} : { seed: opts.seed }),
      });
      out.result(report, () => renderImportance(report, opts.top ?? 20));
    });
};
