import type { Job } from '../../../http/contract/jobs.js';
import type { ModelSummary, Performance, TrainReport, Verdict } from '../../../http/contract/models.js';
import { api } from '../api.js';
import { chart, COLORS } from '../charts.js';
import { errorBox, fmt, fmtInt, h, load, section, table } from '../ui.js';
import { viewHash, viewState } from '../url-state.js';
import { followTrain, trainForm, trainResult } from './models-train.js';
import { importanceSection, showVersionDetails } from './models-version.js';
import '../data-pages.css';

type PerfVersion = Performance['versions'][number];

const verdictCell = (v: Verdict | null) =>
  v === null
    ? '–'
    : h(
        'span',
        { class: v.beatsBaselines ? 'tag active' : 'tag', title: v.text },
        v.beatsBaselines
          ? 'beats the baselines'
          : Object.keys(v.baselines).length
            ? 'does not beat the baselines'
            : 'no verdict',
      );

const BASELINE_LABELS: Record<string, string> = {
  mean: 'baseline: training mean',
  order_statistics: 'baseline: random-draw order statistics',
};
const baselineLabel = (b: string) => BASELINE_LABELS[b] ?? `baseline: ${b.replace(/_/g, ' ')}`;

/** `#/models/<name>/<version>`: the model and version shown below the registry. */
export async function renderModels(root: HTMLElement): Promise<void> {
  const [name, version] = viewState().path;
  const registry = h('div', {});
  const detail = h('div', {});
  const status = h('div', { 'aria-live': 'polite' });
  const recent = h('div', {});
  const jobs = await api.get<{ jobs: Job[] }>('/jobs').then(
    (r) => r.jobs,
    () => [] as Job[],
  );
  const refresh = () => void showRegistry(registry, detail, jobs, null, null);
  root.replaceChildren(trainForm(status, refresh), recent, registry, detail);
  showRecentJobs(recent, jobs);
  // A training started earlier (before the user left the page) is followed again.
  const running = jobs.find((j) => j.kind === 'train' && (j.status === 'running' || j.status === 'queued'));
  if (running)
    void followTrain(status, running.id, refresh).catch((e: unknown) => status.replaceChildren(errorBox(e)));
  await showRegistry(registry, detail, jobs, name ?? null, version === undefined ? null : Number(version));
}

/** The server's recent training and importance jobs: what finished while the user was away. */
function showRecentJobs(el: HTMLElement, jobs: readonly Job[]): void {
  const mine = jobs.filter((j) => j.kind === 'train' || j.kind === 'importance').slice(0, 5);
  if (mine.length === 0) return;
  el.replaceChildren(
    section(
      'Recent jobs',
      table(
        'Training and importance jobs on the server, newest first',
        [
          { head: 'Started', cell: (j: Job) => j.createdAt.slice(0, 19).replace('T', ' ') },
          { head: 'Work', cell: (j) => (j.kind === 'train' ? 'training' : 'feature importance') },
          {
            head: 'Status',
            cell: (j) =>
              j.status === 'running' ? `running, ${Math.round(j.progress.fraction * 100)}%` : j.status,
          },
          {
            head: 'Result',
            cell: (j) =>
              j.status === 'succeeded' && j.kind === 'train'
                ? (trainResult(j.result as TrainReport, j.hints).textContent ?? '')
                : j.status === 'succeeded'
                  ? `computed for ${(j.params as { model?: string } | null)?.model ?? '?'} (shown with that version)`
                  : (j.error?.message ?? j.progress.message),
          },
        ],
        mine,
      ),
    ),
  );
}

async function showRegistry(
  registry: HTMLElement,
  detail: HTMLElement,
  jobs: readonly Job[],
  wanted: string | null,
  wantedVersion: number | null,
): Promise<void> {
  await load(registry, async () => {
    const { models } = await api.get<{ models: ModelSummary[] }>('/models');
    if (models.length === 0) {
      registry.replaceChildren(
        section('Registry', h('p', {}, 'No model is registered yet: train one above.')),
      );
      detail.replaceChildren();
      return;
    }
    const reload = () => void showRegistry(registry, detail, jobs, null, null);
    const select = (name: string, version: number | null = null) =>
      void showModel(detail, name, version, jobs, reload);
    registry.replaceChildren(
      section(
        'Registry',
        table(
          'Registered models',
          [
            {
              head: 'Model',
              cell: (m: ModelSummary) =>
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'secondary',
                    onclick: () => {
                      history.replaceState(history.state, '', viewHash('models', [m.name]));
                      select(m.name);
                    },
                  },
                  m.name,
                ),
            },
            { head: 'Active version', numeric: true, cell: (m) => m.activeVersion ?? '–' },
            { head: 'Versions', numeric: true, cell: (m) => m.versions },
            { head: 'Kind', cell: (m) => m.activeKind ?? '–' },
            {
              head: 'CV MAE (active)',
              numeric: true,
              cell: (m) => (m.activeMeanMetrics.mae === undefined ? '–' : fmt(m.activeMeanMetrics.mae, 3)),
            },
            { head: 'Verdict (active)', cell: (m) => verdictCell(m.activeVerdict) },
          ],
          models,
        ),
      ),
    );
    const chosen = models.find((m) => m.name === wanted) ?? (models[0] as ModelSummary);
    select(chosen.name, chosen.name === wanted ? wantedVersion : null);
  });
}

async function showModel(
  detail: HTMLElement,
  name: string,
  wantedVersion: number | null,
  jobs: readonly Job[],
  refresh: () => void,
): Promise<void> {
  await load(detail, async () => {
    const perf = await api.get<Performance>(`/models/${encodeURIComponent(name)}/performance`);
    const versions = [...perf.versions].sort((a, b) => b.version - a.version);
    const shown =
      versions.find((v) => v.version === wantedVersion) ?? versions.find((v) => v.active) ?? versions[0];
    const details = h('div', {});
    const baselineNames = [...new Set(versions.flatMap((v) => Object.keys(v.meanBaselines)))];
    detail.replaceChildren(
      h(
        'div',
        {},
        versionsSection(name, versions, shown, baselineNames, refresh),
        shown ? errorCharts(name, shown, versions, baselineNames) : null,
        details,
        shown ? importanceSection(name, shown.version, jobs) : null,
      ),
    );
    if (shown) await showVersionDetails(details, name, shown.version);
  });
}

/** The table of a model's versions, newest first, each with its verdict and an Activate button. */
function versionsSection(
  name: string,
  versions: readonly PerfVersion[],
  shown: PerfVersion | undefined,
  baselineNames: readonly string[],
  refresh: () => void,
): HTMLElement {
  const activateStatus = h('div', { 'aria-live': 'polite' });
  const activate = (v: PerfVersion) =>
    h(
      'button',
      {
        type: 'button',
        'aria-label': `Activate ${name} version ${v.version}`,
        onclick: async () => {
          try {
            await api.post(`/models/${encodeURIComponent(`${name}@${v.version}`)}/activate`);
            refresh();
          } catch (error) {
            activateStatus.replaceChildren(errorBox(error));
          }
        },
      },
      'Activate',
    );
  return section(
    `${name}: versions`,
    activateStatus,
    table(
      `Versions of ${name}`,
      [
        {
          head: 'Version',
          numeric: true,
          cell: (v: PerfVersion) =>
            h(
              'a',
              {
                href: viewHash('models', [name, String(v.version)]),
                'aria-label': `Details of ${name} version ${v.version}`,
                'aria-current': v === shown ? 'true' : null,
              },
              `v${v.version}`,
            ),
        },
        { head: 'Status', cell: (v) => (v.active ? h('span', { class: 'tag active' }, 'active') : '') },
        { head: 'Trained', cell: (v) => v.createdAt.slice(0, 19).replace('T', ' ') },
        { head: 'CV MAE', numeric: true, cell: (v) => fmt(v.meanMetrics.mae ?? NaN, 3) },
        { head: 'Verdict', cell: (v) => verdictCell(v.verdict) },
        ...baselineNames.map((b) => ({
          head: baselineLabel(b).replace('baseline: ', 'Baseline '),
          numeric: true,
          cell: (v: PerfVersion) => fmt(v.meanBaselines[b]?.mae ?? NaN, 3),
        })),
        {
          head: 'Fit time',
          numeric: true,
          cell: (v) =>
            v.trainingDurationMs === null ? '–' : `${fmtInt(Math.round(v.trainingDurationMs))} ms`,
        },
        { head: 'Action', cell: (v) => (v.active ? '' : activate(v)) },
      ],
      versions,
    ),
  );
}

/** The shown version's error per fold against the baselines, and every version's mean error. */
function errorCharts(
  name: string,
  shown: PerfVersion,
  versions: readonly PerfVersion[],
  baselineNames: readonly string[],
): HTMLElement {
  const oldestFirst = [...versions].reverse();
  return section(
    `${name} v${shown.version}: error per fold`,
    h(
      'p',
      { class: 'muted' },
      'Mean absolute error of the six predicted numbers on each walk-forward test fold, against two naive baselines. A model that learned nothing sits on the baselines.',
    ),
    chart({
      title: `${name} v${shown.version}: MAE per fold against the naive baselines`,
      description: `Mean MAE ${fmt(shown.meanMetrics.mae ?? NaN, 3)}; ${baselineNames
        .map((b) => `${baselineLabel(b)} ${fmt(shown.meanBaselines[b]?.mae ?? NaN, 3)}`)
        .join('; ')}.`,
      x: shown.folds.map((f) => f.fold + 1),
      xLabel: 'Fold',
      yLabel: 'MAE',
      series: [
        {
          label: `${name} v${shown.version}`,
          values: shown.folds.map((f) => f.metrics.mae ?? null),
          color: COLORS.bar,
        },
        ...baselineNames.map((b, i) => ({
          label: baselineLabel(b),
          values: shown.folds.map((f) => f.baselines?.[b]?.mae ?? null),
          color: i === 0 ? '#8e24aa' : '#ef6c00',
          kind: 'line' as const,
        })),
      ],
    }),
    versions.length > 1
      ? chart({
          title: `${name}: mean CV MAE by version`,
          description: `Across ${versions.length} versions; the best mean MAE is ${fmt(Math.min(...versions.map((v) => v.meanMetrics.mae ?? Infinity)), 3)}.`,
          x: oldestFirst.map((v) => v.version),
          xLabel: 'Version',
          yLabel: 'MAE',
          series: [
            {
              label: 'CV MAE',
              values: oldestFirst.map((v) => v.meanMetrics.mae ?? null),
              color: COLORS.bar,
              kind: 'points',
            },
            ...baselineNames.map((b, i) => ({
              label: baselineLabel(b),
              values: oldestFirst.map((v) => v.meanBaselines[b]?.mae ?? null),
              color: i === 0 ? '#8e24aa' : '#ef6c00',
              kind: 'dashed' as const,
            })),
          ],
          height: 200,
        })
      : null,
  );
}
