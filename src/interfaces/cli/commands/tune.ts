/**
 * `pbi tune --model NAME --search grid|random [--trials N] [--space FILE | --param KEY=V1,V2 ...]
 * [--experiment NAME] [--seed S] [--folds N] [--workers N] [--register-best]` — hyperparameter
 * search; every trial is a tracked run (see `pbi runs`).
 */
import type { TuneReport } from '../../../services/experiment-service.js';
import { inCliWords } from '../hints.js';
import { table } from '../output.js';
import { collectParam, inFlagTerms, type ParamFlags } from '../param-flags.js';
import { choiceFlag, intFlag } from '../parse.js';
import type { CommandModule } from '../cli-context.js';
import { MAX_SEED } from '../../../domain/limits.js';

const fmt = (x: number | null, digits = 3): string => (x === null ? '-' : x.toFixed(digits));

function renderParams(p: Readonly<Record<string, unknown>>): string {
  return Object.entries(p)
    .map(([k, v]) => `${k}=${v === null ? 'null' : String(v)}`)
    .join(' ');
}

export function renderTuneReport(r: TuneReport): string {
  const head =
    `${r.search} search of ${r.model}: ${r.trials.length} trial(s), ${r.folds}-fold walk-forward CV on ${r.rows} rows ` +
    `(seed ${r.seed}, ${r.threads} thread${r.threads === 1 ? '' : 's'}, ${(r.durationMs / 1000).toFixed(1)} s)\n` +
    `Experiment "${r.experiment}", search run ${r.searchRunId}; data sha256 ${r.dataDigest.slice(0, 12)}…\n`;
  const rows = r.trials.map((t) => [
    t.rank ?? '-',
    t.runId,
    t.status === 'failed' ? `failed: ${(t.error ?? '').slice(0, 60)}` : fmt(t.mae),
    fmt(t.maeStd),
    fmt(t.baselineMae),
    (t.durationMs / 1000).toFixed(1),
    renderParams(t.params),
  ]);
  const body = table(['rank', 'run', 'mae', '± std', 'baseline', 's', 'params'], rows);
  let tail = '';
  if (r.best) {
    const gain = r.best.baselineMae !== null && r.best.mae !== null ? r.best.baselineMae - r.best.mae : null;
    tail +=
      `\nBest: run ${r.best.runId}, mae ${fmt(r.best.mae)} vs ${fmt(r.best.baselineMae)} for the training-mean baseline` +
      (gain !== null && gain <= 0 ? ' (no better than the baseline: draws are random).' : '.');
  } else tail += '\nEvery trial failed; see the errors above.';
  if (r.failed > 0 && r.best) tail += `\n${r.failed} trial(s) failed and were recorded as failed runs.`;
  if (r.registered)
    tail +=
      `\nRegistered ${r.registered.name} version ${r.registered.version}: ${r.registered.activation}` +
      (r.registered.active
        ? '.'
        : ` (or \`pbi models activate ${r.registered.name}@${r.registered.version}\`).`);
  return head + '\n' + body + tail;
}

/** The tuning request's fields as this command's flags, for its error messages. */
const TUNE_FLAGS = {
  model: '--model',
  search: '--search',
  trials: '--trials',
  spaceFile: '--space',
  folds: '--folds',
  seed: '--seed',
  workers: '--workers',
};

/** Adds `pbi tune` to the program. */
export const registerTune: CommandModule = (program, ctx) => {
  program
    .command('tune')
    .description('hyperparameter search (grid or random) with walk-forward CV; every trial is a tracked run')
    .requiredOption('--model <name>', 'ridge, random_forest, gradient_boosting or lasso')
    .requiredOption('--search <kind>', 'grid or random', choiceFlag('--search', ['grid', 'random'] as const))
    .option(
      '--trials <n>',
      'trial budget (random: trials drawn, default 20; grid: largest grid allowed, default 200)',
      intFlag('--trials', 1, 10_000),
    )
    .option(
      '--space <file>',
      'JSON search space: {"key": [v1, v2], "key2": {"int": [lo, hi]}, "key3": {"float": [lo, hi], "log": true}}',
    )
    .option(
      '--param <key=v1,v2>',
      'a parameter and its values (repeatable); the space is exactly these keys',
      collectParam,
      {} as ParamFlags,
    )
    .option('--experiment <name>', 'experiment the runs belong to (default tune-MODEL)')
    .option(
      '--seed <s>',
      'seed of the random search and of every fit (default 42)',
      intFlag('--seed', 0, MAX_SEED),
    )
    .option('--folds <n>', 'walk-forward CV folds (default 5)', intFlag('--folds', 2, 20))
    .option('--workers <n>', 'worker threads (default: up to 2)', intFlag('--workers', 1, 64))
    .option('--register-best', 'register the best trial, refit on every row, as a new version (not active)')
    .action(
      async (opts: {
        model: string;
        search: 'grid' | 'random';
        trials?: number;
        space?: string;
        param: ParamFlags;
        experiment?: string;
        seed?: number;
        folds?: number;
        workers?: number;
        registerBest?: boolean;
      }) => {
        const { out, service } = ctx();
        let report: TuneReport;
        try {
          report = await service().experiments.tune({
            model: opts.model,
            search: opts.search,
            ...(opts.trials === undefined ? {} : { trials: opts.trials }),
            ...(opts.space === undefined ? {} : { spaceFile: opts.space }),
            params: opts.param,
            ...(opts.experiment === undefined ? {} : { experiment: opts.experiment }),
            ...(opts.seed === undefined ? {} : { seed: opts.seed }),
            ...(opts.folds === undefined ? {} : { folds: opts.folds }),
            ...(opts.workers === undefined ? {} : { workers: opts.workers }),
            registerBest: opts.registerBest === true,
            onProgress: (done, total, t) =>
              out.progress(
                `tuning ${opts.model}: ${done}/${total} (last ${t.status === 'failed' ? 'failed' : fmt(t.mae)})`.padEnd(
                  44,
                ),
                done / total,
              ),
          });
        } catch (error) {
          throw inFlagTerms(error, TUNE_FLAGS);
        } finally {
          out.done();
        }
        out.result(report, () => renderTuneReport(inCliWords(report)));
      },
    );
};
