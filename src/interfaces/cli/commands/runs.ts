/**
 * `pbi runs list|show|compare|experiments` — tracked runs of training and tuning, in MLflow's shape.
 */
import type { MetricFilter, Run } from '../../../domain/run.js';
import {
  parseMetricFilter,
  type RunComparison,
  type RunDetails,
} from '../../../services/experiment-service.js';
import { table } from '../output.js';
import { choiceFlag, intFlag } from '../parse.js';
import type { CommandModule } from '../cli-context.js';

const collectFilter = (value: string, previous: MetricFilter[]): MetricFilter[] => [
  ...previous,
  parseMetricFilter(value, '--where'),
];
const runId = intFlag('RUN', 1);

function fmtValue(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'number')
    return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toPrecision(5);
  return String(v);
}

function headline(run: Run, metric: string): string {
  return fmtValue(run.metrics[metric]);
}

export function renderRunList(runs: readonly Run[], metric: string, nextOffset: number | null): string {
  if (runs.length === 0) return 'No runs match (train with `pbi train` or search with `pbi tune`).';
  const rows = runs.map((r) => [
    r.id,
    r.experiment,
    r.kind,
    r.modelName,
    r.status,
    headline(r, metric),
    r.modelVersion ?? '-',
    r.durationMs === null ? '-' : (r.durationMs / 1000).toFixed(1),
    r.startedAt.slice(0, 19).replace('T', ' '),
    Object.entries(r.params)
      .filter(([k]) => k !== 'space')
      .map(([k, v]) => `${k}=${fmtValue(v)}`)
      .join(' ')
      .slice(0, 80),
  ]);
  return (
    table(
      ['run', 'experiment', 'kind', 'model', 'status', metric, 'version', 's', 'started (UTC)', 'params'],
      rows,
    ) + (nextOffset === null ? '' : `\n… more: --offset ${nextOffset}`)
  );
}

export function renderRunDetails(d: RunDetails): string {
  const r = d.run;
  const lines = [
    `Run ${r.id} (${r.kind}) of experiment "${r.experiment}"${r.parentRunId ? `, child of run ${r.parentRunId}` : ''}`,
    `model ${r.modelName}, status ${r.status}${r.error ? `: ${r.error}` : ''}`,
    `started ${r.startedAt}, ended ${r.endedAt ?? '-'}, ${r.durationMs === null ? '-' : `${(r.durationMs / 1000).toFixed(2)} s`}`,
    `seed ${r.seed ?? '-'}, ${r.nDraws ?? '-'} draws, data sha256 ${r.dataDigest ?? '-'}`,
    `model version produced: ${r.modelVersion ?? '-'}; ${r.features.length} features`,
  ];
  if (Object.keys(r.tags).length)
    lines.push(
      `tags: ${Object.entries(r.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
  lines.push(
    '',
    table(
      ['param', 'value'],
      Object.entries(r.params).map(([k, v]) => [k, fmtValue(v)]),
    ),
  );
  lines.push(
    '',
    table(
      ['metric', 'value'],
      Object.entries(r.metrics)
        .filter(([k]) => !k.startsWith('fold_'))
        .map(([k, v]) => [k, fmtValue(v)]),
    ),
  );
  const folds = d.history.filter((p) => p.key.startsWith('fold_'));
  if (folds.length) {
    const keys = [...new Set(folds.map((p) => p.key))];
    const steps = [...new Set(folds.map((p) => p.step))].sort((a, b) => a - b);
    const shown = keys.filter(
      (k) => k === 'fold_mae' || k.startsWith('fold_mae_') || /^fold_baseline_[a-z_]+_mae$/.test(k),
    );
    lines.push(
      '',
      table(
        ['fold', ...shown.map((k) => k.slice(5))],
        steps.map((s) => [
          s,
          ...shown.map((k) => fmtValue(folds.find((p) => p.key === k && p.step === s)?.value)),
        ]),
      ),
    );
  }
  if (d.children.length) {
    lines.push('', `${d.children.length} child run(s), best mae first:`);
    lines.push(renderRunList(d.children.slice(0, 20), 'mae', null));
  }
  return lines.join('\n');
}

export function renderComparison(c: RunComparison): string {
  const headers = ['', ...c.runs.map((r) => `run ${r.id}`)];
  const rows: (string | number)[][] = [
    ['experiment', ...c.runs.map((r) => r.experiment)],
    ['model', ...c.runs.map((r) => r.modelName)],
    ['status', ...c.runs.map((r) => r.status)],
    ['data', ...c.runs.map((r) => (r.dataDigest ?? '-').slice(0, 12))],
  ];
  for (const [k, vs] of Object.entries(c.params))
    if (k !== 'space') rows.push([`${c.differingParams.includes(k) ? '* ' : ''}${k}`, ...vs.map(fmtValue)]);
  for (const [k, vs] of Object.entries(c.metrics))
    if (!k.startsWith('fold_')) rows.push([k, ...vs.map(fmtValue)]);
  return table(headers, rows) + (c.differingParams.length ? '\n* params that differ' : '');
}

/** Adds `pbi runs` to the program. */
export const registerRuns: CommandModule = (program, ctx) => {
  const runs = program.command('runs').description('tracked runs of training and tuning (experiments)');

  runs
    .command('list')
    .description('runs, newest first, or ordered by a metric')
    .option('--experiment <name>', 'only this experiment')
    .option('--model <name>', 'only this model')
    .option(
      '--status <status>',
      'running, finished or failed',
      choiceFlag('--status', ['running', 'finished', 'failed'] as const),
    )
    .option(
      '--kind <kind>',
      'train, trial or search',
      choiceFlag('--kind', ['train', 'trial', 'search'] as const),
    )
    .option('--where <filter>', 'metric threshold, e.g. "mae<8.5" (repeatable)', collectFilter, [])
    .option('--order-by <metric>', 'order by a metric, ascending; "-metric" for descending')
    .option('--limit <n>', 'page size (default 50)', intFlag('--limit', 1, 10_000))
    .option('--offset <n>', 'skip this many', intFlag('--offset', 0))
    .action(
      (opts: {
        experiment?: string;
        model?: string;
        status?: 'running' | 'finished' | 'failed';
        kind?: 'train' | 'trial' | 'search';
        where: MetricFilter[];
        orderBy?: string;
        limit?: number;
        offset?: number;
      }) => {
        const { out, service } = ctx();
        const page = service().experiments.listRuns({
          ...opts,
          limit: opts.limit ?? 50,
        });
        const metric = opts.orderBy?.replace(/^-/, '') ?? 'mae';
        out.result(page, () => renderRunList(page.runs, metric, page.nextOffset));
      },
    );

  runs
    .command('show')
    .description('one run: params, metrics with their per-fold history, tags, data digest, child runs')
    .argument('<run>', 'run id', runId)
    .action((id: number) => {
      const { out, service } = ctx();
      const details = service().experiments.showRun(id);
      out.result(details, () => renderRunDetails(details));
    });

  runs
    .command('compare')
    .description('params and metrics of several runs side by side')
    .argument('<runs...>', 'two or more run ids')
    .action((ids: string[]) => {
      const { out, service } = ctx();
      const comparison = service().experiments.compareRuns(ids.map((s) => runId(s)));
      out.result(comparison, () => renderComparison(comparison));
    });

  runs
    .command('experiments')
    .description('every experiment with its number of runs')
    .action(() => {
      const { out, service } = ctx();
      const list = service().experiments.experiments();
      out.result(list, () =>
        list.length === 0
          ? 'No experiments yet.'
          : table(
              ['experiment', 'runs', 'created (UTC)'],
              list.map((e) => [e.name, e.runCount, e.createdAt]),
            ),
      );
    });
};
