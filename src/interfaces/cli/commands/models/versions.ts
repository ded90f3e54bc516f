/**
 * `pbi models list | show NAME[@VERSION] | activate NAME@VERSION | prune --keep N`: the stored
 * model versions.
 */
import type { FoldMetrics } from '../../../../domain/fold-metrics.js';
import type {
  ModelService,
  ModelSummaryView as ModelSummary,
  ShowModelResult,
  VersionView as ModelVersionInfo,
} from '../../../../services/model-service.js';

type ModelDetails = Extract<ShowModelResult, { kind: 'model' }>['details'];
type PruneReport = ReturnType<ModelService['prune']>;
import { table } from '../../output.js';
import { intFlag } from '../../parse.js';
import type { SubcommandModule } from '../../cli-context.js';

const fmt = (x: number | null | undefined, digits = 4): string =>
  x === null || x === undefined ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(digits);

/** The metric shown in summaries: `mae` when there is one, else the first. */
function headline(metrics: Readonly<Record<string, number>>): string {
  const key = 'mae' in metrics ? 'mae' : Object.keys(metrics)[0];
  return key === undefined ? '-' : `${key} ${fmt(metrics[key])}`;
}

export function renderModelList(models: readonly ModelSummary[]): string {
  if (models.length === 0) return 'No models registered yet (train one with `pbi train`).';
  return table(
    ['model', 'versions', 'active', 'latest', 'kind', 'cv (active)', 'verdict (active)'],
    models.map((m) => [
      m.name,
      m.versions,
      m.activeVersion ?? '-',
      m.latestVersion ?? '-',
      m.activeKind ?? '-',
      headline(m.activeMeanMetrics),
      m.activeVerdict ? shortVerdict(m.activeVerdict) : 'no active version',
    ]),
  );
}

function shortVerdict(v: ModelVersionInfo['verdict']): string {
  if (v.cvMae === null || Object.keys(v.baselines).length === 0) return 'no verdict (no baselines)';
  return v.beatsBaselines ? 'beats the baselines' : 'does not beat the baselines';
}

function renderFolds(folds: readonly FoldMetrics[]): string {
  if (folds.length === 0) return 'No cross-validation folds recorded.';
  const metricNames = [...new Set(folds.flatMap((f) => Object.keys(f.metrics)))];
  const baselineNames = [...new Set(folds.flatMap((f) => Object.keys(f.baselines ?? {})))];
  const headers = [
    'fold',
    'train',
    'test',
    ...metricNames,
    ...baselineNames.map((b) => `${b} (baseline mae)`),
  ];
  return table(
    headers,
    folds.map((f) => [
      f.fold,
      f.trainSize ?? '-',
      f.testSize ?? '-',
      ...metricNames.map((k) => fmt(f.metrics[k])),
      ...baselineNames.map((b) => fmt(f.baselines?.[b]?.mae)),
    ]),
  );
}

/** A ridge version trained with alpha auto keeps its choice and curve in `extra.alphaSelection`. */
function alphaRows(stored: unknown): [string, string][] {
  const sel = stored as
    | { chosen?: unknown; innerFolds?: unknown; rows?: unknown; curve?: { alpha: number; mae: number }[] }
    | undefined;
  if (typeof sel?.chosen !== 'number' || !Array.isArray(sel.curve)) return [];
  const alpha = (a: number) => (a >= 1e4 ? a.toExponential(2) : String(Number(a.toPrecision(4))));
  return [
    [
      'alpha chosen',
      `${alpha(sel.chosen)} by ${String(sel.innerFolds)}-fold time-series CV on ${String(sel.rows)} rows (nested)`,
    ],
    ['alpha → CV MAE', sel.curve.map((c) => `${alpha(c.alpha)} ${c.mae.toFixed(2)}`).join(', ')],
  ];
}

export function renderVersion(v: ModelVersionInfo): string {
  const rows: [string, string][] = [
    ['model', `${v.name}@${v.version}${v.active ? ' (active)' : ''}`],
    ['kind', v.kind],
    ['source', v.source],
    ['created', v.createdAt],
    ['seed', v.seed === null ? '-' : String(v.seed)],
    ['training time', v.trainingDurationMs === null ? '-' : `${fmt(v.trainingDurationMs, 1)} ms`],
    ['artifact', `${v.artifactBytes} bytes`],
    ['hyperparameters', JSON.stringify(v.hyperparameters)],
    [
      'features',
      `${v.featureNames.length}: ${v.featureNames.slice(0, 12).join(', ')}${v.featureNames.length > 12 ? ', …' : ''}`,
    ],
  ];
  if (v.trainingData)
    rows.push([
      'trained on',
      `${v.trainingData.rows} rows${v.trainingData.firstDate ? ` ${v.trainingData.firstDate} to ${v.trainingData.lastDate ?? '?'}` : ''}`,
    ]);
  rows.push(...alphaRows(v.extra?.alphaSelection));
  rows.push(['verdict', v.verdict.text]);
  if (v.notes) rows.push(['notes', v.notes]);
  return `${table(['', ''], rows)}\n\n${renderFolds(v.folds)}`;
}

export function renderModelDetails(d: ModelDetails): string {
  const head = `${d.model.name}: ${d.model.versions} version(s), active ${d.model.activeVersion ?? '-'}`;
  return `${head}\n${table(
    ['version', 'active', 'kind', 'source', 'created', 'cv mean', 'verdict', 'seed'],
    d.versions.map((v) => [
      v.version,
      v.active ? 'yes' : '',
      v.kind,
      v.source,
      v.createdAt,
      headline(v.meanMetrics),
      shortVerdict(v.verdict),
      v.seed ?? '-',
    ]),
  )}`;
}

export function renderPrune(r: PruneReport): string {
  const lines = [`Deleted ${r.deleted.length} version(s).`];
  for (const d of r.deleted) lines.push(`  deleted ${d.name}@${d.version}`);
  for (const k of r.kept) lines.push(`  kept ${k.name}@${k.version}: ${k.reason}`);
  return lines.join('\n');
}

/** Adds its subcommands to `pbi models`. */
export const registerModelVersions: SubcommandModule = (models, ctx) => {
  models
    .command('list')
    .description('every registered model with its active version and cross-validated error')
    .action(() => {
      const { out, service } = ctx();
      const list = service().models.list();
      out.result({ models: list }, () => renderModelList(list));
    });

  models
    .command('show')
    .description('a model and its versions, or one version (NAME@VERSION) with its folds')
    .argument('<model>', 'NAME or NAME@VERSION')
    .action((reference: string) => {
      const { out, service } = ctx();
      const result = service().models.show(reference);
      if (result.kind === 'version') out.result(result.version, () => renderVersion(result.version));
      else out.result(result.details, () => renderModelDetails(result.details));
    });

  models
    .command('activate')
    .description('make NAME@VERSION the active version (the one predictions use)')
    .argument('<model>', 'NAME@VERSION')
    .action((reference: string) => {
      const { out, service } = ctx();
      const v = service().models.activate(reference);
      out.result(v, () => `${v.name}@${v.version} is now the active version of ${v.name}.`);
    });

  models
    .command('prune')
    .description(
      'delete old versions, keeping the newest N; never the active one, nor ones predictions refer to unless --force',
    )
    .requiredOption('--keep <n>', 'versions to keep per model', intFlag('--keep', 0))
    .option('--model <name>', 'only this model')
    .option('--force', 'also delete versions that stored predictions or aliases refer to')
    .action((flags: { keep: number; model?: string; force?: boolean }) => {
      const { out, service } = ctx();
      const report = service().models.prune({
        keep: flags.keep,
        ...(flags.model === undefined ? {} : { model: flags.model }),
        force: flags.force === true,
      });
      out.result(report, () => renderPrune(report));
    });
};
