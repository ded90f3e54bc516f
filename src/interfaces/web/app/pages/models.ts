import { api } from '../api.js';
import { chart, COLORS } from '../charts.js';
import { errorBox, field, fmt, fmtInt, h, load, progressBar, section, table } from '../ui.js';

interface ModelSummary {
  name: string;
  versions: number;
  latestVersion: number | null;
  activeVersion: number | null;
  activeKind: string | null;
  activeMeanMetrics: Record<string, number>;
  activeVerdict: Verdict | null;
}
/** A version against the naive baselines (the activation rule's evidence). */
interface Verdict {
  beatsBaselines: boolean;
  cvMae: number | null;
  baselines: Record<string, number>;
  text: string;
}
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
interface Fold {
  fold: number;
  trainSize?: number;
  testSize?: number;
  metrics: Record<string, number>;
  baselines?: Record<string, Record<string, number>>;
}
interface Performance {
  name: string;
  versions: {
    version: number;
    active: boolean;
    kind: string;
    createdAt: string;
    trainingDurationMs: number | null;
    folds: Fold[];
    meanMetrics: Record<string, number>;
    meanBaselines: Record<string, Record<string, number>>;
    verdict: Verdict;
  }[];
}
interface FeatureScore {
  feature: string;
  importance: number;
  std: number;
}
interface ImportanceReport {
  model: string;
  version: number;
  impurity: FeatureScore[] | null;
  impurityNote: string | null;
  permutation: { fold: number; baselineMae: number; repeats: number; scores: FeatureScore[] } | null;
  permutationNote: string | null;
}
interface Job {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: { fraction: number; message: string };
  result:
    | ({
        models: {
          name: string;
          version: number;
          active: boolean;
          activation: string;
          cv: { mae: number };
          alphaSelection?: { alpha: number } | null;
        }[];
      } & ImportanceReport)
    | null;
  error: { code: string; message: string; issues: { where: string; reason: string }[] } | null;
}

const BASELINE_LABELS: Record<string, string> = {
  mean: 'baseline: training mean',
  order_statistics: 'baseline: random-draw order statistics',
};
const baselineLabel = (b: string) => BASELINE_LABELS[b] ?? `baseline: ${b.replace(/_/g, ' ')}`;

export async function renderModels(root: HTMLElement): Promise<void> {
  const registry = h('div', {});
  const detail = h('div', {});
  root.replaceChildren(
    trainForm(() => void showRegistry(registry, detail)),
    registry,
    detail,
  );
  await showRegistry(registry, detail);
}

function trainForm(onTrained: () => void): HTMLElement {
  const model = h(
    'select',
    { name: 'model' },
    ...['all', 'ridge', 'random_forest', 'gradient_boosting', 'lasso'].map((m) =>
      h('option', { value: m }, m.replace('_', ' ')),
    ),
  );
  const folds = h('input', {
    name: 'folds',
    type: 'number',
    min: 2,
    max: 20,
    value: 5,
    required: true,
    inputmode: 'numeric',
  });
  const seed = h('input', {
    name: 'seed',
    type: 'number',
    min: 0,
    value: 42,
    required: true,
    inputmode: 'numeric',
  });
  const button = h('button', { type: 'submit' }, 'Train');
  const status = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    {
      class: 'row',
      'aria-label': 'Train a new version',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        button.disabled = true;
        const bar = progressBar('Training progress');
        status.replaceChildren(bar.el);
        try {
          const job = await api.post<Job>('/train', {
            model: model.value,
            folds: Number(folds.value),
            seed: Number(seed.value),
          });
          bar.cancellable(() => api.cancelJob(job.id));
          const done = await api.followJob<Job>(job.id, (j) =>
            bar.set(j.progress.fraction, j.progress.message),
          );
          if ((done.status === 'failed' || done.status === 'cancelled') && done.error) {
            status.replaceChildren(errorBox(new Error(done.error.message)));
          } else {
            const models = done.result?.models ?? [];
            status.replaceChildren(
              h(
                'p',
                { role: 'status', 'data-testid': 'train-result' },
                'Registered ',
                models
                  .map(
                    (m) =>
                      `${m.name} v${m.version} (CV MAE ${fmt(m.cv.mae, 3)}${
                        m.alphaSelection
                          ? `, alpha ${m.alphaSelection.alpha} chosen by nested time-series CV`
                          : ''
                      }): ${m.activation}`,
                  )
                  .join('; '),
                '.',
              ),
            );
            onTrained();
          }
        } catch (error) {
          status.replaceChildren(errorBox(error));
        } finally {
          button.disabled = false;
        }
      },
    },
    field('Model', model),
    field('Folds', folds, 'walk-forward splits'),
    field('Seed', seed),
    button,
  );
  return section(
    'Train a new version',
    h(
      'p',
      { class: 'muted' },
      'Cross-validates on the current era (walk-forward, never the future), fits on all rows and registers a new version. It becomes active only when its CV MAE beats both naive baselines and the active version.',
    ),
    form,
    status,
  );
}

async function showRegistry(registry: HTMLElement, detail: HTMLElement): Promise<void> {
  await load(registry, async () => {
    const { models } = await api.get<{ models: ModelSummary[] }>('/models');
    if (models.length === 0) {
      registry.replaceChildren(
        section('Registry', h('p', {}, 'No model is registered yet: train one above.')),
      );
      detail.replaceChildren();
      return;
    }
    const select = (name: string) => void showModel(detail, name, () => void showRegistry(registry, detail));
    registry.replaceChildren(
      section(
        'Registry',
        table(
          'Registered models',
          [
            {
              head: 'Model',
              cell: (m: ModelSummary) =>
                h('button', { type: 'button', class: 'secondary', onclick: () => select(m.name) }, m.name),
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
    select((models[0] as ModelSummary).name);
  });
}

async function showModel(detail: HTMLElement, name: string, refresh: () => void): Promise<void> {
  await load(detail, async () => {
    const perf = await api.get<Performance>(`/models/${encodeURIComponent(name)}/performance`);
    const versions = [...perf.versions].sort((a, b) => b.version - a.version);
    const shown = versions.find((v) => v.active) ?? versions[0];
    const baselineNames = [...new Set(versions.flatMap((v) => Object.keys(v.meanBaselines)))];
    const activateStatus = h('div', { 'aria-live': 'polite' });
    detail.replaceChildren(
      h(
        'div',
        {},
        section(
          `${name}: versions`,
          activateStatus,
          table(
            `Versions of ${name}`,
            [
              { head: 'Version', numeric: true, cell: (v: Performance['versions'][number]) => v.version },
              { head: 'Status', cell: (v) => (v.active ? h('span', { class: 'tag active' }, 'active') : '') },
              { head: 'Trained', cell: (v) => v.createdAt.slice(0, 19).replace('T', ' ') },
              { head: 'CV MAE', numeric: true, cell: (v) => fmt(v.meanMetrics.mae ?? NaN, 3) },
              { head: 'Verdict', cell: (v) => verdictCell(v.verdict) },
              ...baselineNames.map((b) => ({
                head: baselineLabel(b).replace('baseline: ', 'Baseline '),
                numeric: true,
                cell: (v: Performance['versions'][number]) => fmt(v.meanBaselines[b]?.mae ?? NaN, 3),
              })),
              {
                head: 'Fit time',
                numeric: true,
                cell: (v) =>
                  v.trainingDurationMs === null ? '–' : `${fmtInt(Math.round(v.trainingDurationMs))} ms`,
              },
              {
                head: 'Action',
                cell: (v) =>
                  v.active
                    ? ''
                    : h(
                        'button',
                        {
                          type: 'button',
                          'aria-label': `Activate ${name} version ${v.version}`,
                          onclick: async () => {
                            try {
                              await api.post(
                                `/models/${encodeURIComponent(`${name}@${v.version}`)}/activate`,
                              );
                              refresh();
                            } catch (error) {
                              activateStatus.replaceChildren(errorBox(error));
                            }
                          },
                        },
                        'Activate',
                      ),
              },
            ],
            versions,
          ),
        ),
        shown
          ? section(
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
                    x: [...versions].reverse().map((v) => v.version),
                    xLabel: 'Version',
                    yLabel: 'MAE',
                    series: [
                      {
                        label: 'CV MAE',
                        values: [...versions].reverse().map((v) => v.meanMetrics.mae ?? null),
                        color: COLORS.bar,
                        kind: 'points',
                      },
                      ...baselineNames.map((b, i) => ({
                        label: baselineLabel(b),
                        values: [...versions].reverse().map((v) => v.meanBaselines[b]?.mae ?? null),
                        color: i === 0 ? '#8e24aa' : '#ef6c00',
                        kind: 'dashed' as const,
                      })),
                    ],
                    height: 200,
                  })
                : null,
            )
          : null,
        shown ? importanceSection(name, shown.version) : null,
      ),
    );
  });
}

/** Feature importance of one version, computed on demand (it refits the model on the last fold). */
function importanceSection(name: string, version: number): HTMLElement {
  const out = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button' }, `Compute feature importance of ${name} v${version}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    const bar = progressBar('Feature importance progress');
    out.replaceChildren(bar.el);
    try {
      const job = await api.post<Job>(`/models/${encodeURIComponent(`${name}@${version}`)}/importance`, {
        repeats: 3,
      });
      bar.cancellable(() => api.cancelJob(job.id));
      const done = await api.followJob<Job>(job.id, (j) => bar.set(j.progress.fraction, j.progress.message));
      if (done.status === 'failed' || done.status === 'cancelled' || !done.result)
        out.replaceChildren(errorBox(new Error(done.error?.message ?? 'failed')));
      else out.replaceChildren(importanceTables(done.result));
    } catch (error) {
      out.replaceChildren(errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  return section(
    `${name} v${version}: feature importance`,
    h(
      'p',
      { class: 'muted' },
      'Permutation importance: how much the error on the last walk-forward fold grows when one feature is shuffled. Impurity importance for tree models.',
    ),
    button,
    out,
  );
}

function scoreTable(caption: string, scores: readonly FeatureScore[]): HTMLElement {
  const top = scores.slice(0, 20);
  const max = Math.max(1e-12, ...top.map((s) => Math.abs(s.importance)));
  return table(
    caption,
    [
      { head: 'Feature', cell: (s: FeatureScore) => h('code', {}, s.feature) },
      {
        head: 'Importance',
        numeric: true,
        cell: (s) => `${fmt(s.importance, 5)}${s.std > 0 ? ` ± ${fmt(s.std, 5)}` : ''}`,
      },
      {
        head: 'Relative',
        cell: (s) =>
          h(
            'span',
            { class: 'contrib', 'aria-hidden': 'true' },
            h('span', { style: `width:${(Math.max(0, s.importance) / max) * 100}%;background:#1f5fa8` }),
          ),
      },
    ],
    top,
  );
}

function importanceTables(r: ImportanceReport): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'importance-result' },
    r.permutation
      ? scoreTable(
          `The 20 most important features by permutation (MAE ${fmt(r.permutation.baselineMae, 3)} before shuffling)`,
          r.permutation.scores,
        )
      : h('p', {}, `No permutation importance: ${r.permutationNote ?? 'not available'}.`),
    r.impurity
      ? scoreTable('The 20 most important features by impurity', r.impurity)
      : h('p', { class: 'muted' }, r.impurityNote ?? ''),
  );
}
