import { api } from '../api.js';
import { chart } from '../charts.js';
import { errorBox, field, fmt, h, load, progressBar, section, table } from '../ui.js';

interface Run {
  id: number;
  experiment: string;
  parentRunId: number | null;
  kind: string;
  modelName: string;
  status: string;
  startedAt: string;
  durationMs: number | null;
  modelVersion: number | null;
  params: Record<string, unknown>;
  metrics: Record<string, number | null>;
}
interface Comparison {
  runs: Run[];
  params: Record<string, unknown[]>;
  metrics: Record<string, (number | null)[]>;
  differingParams: string[];
}

const show = (v: unknown) =>
  v === null || v === undefined ? '–' : typeof v === 'number' ? fmt(v, 4) : String(v);

interface Job {
  id: string;
  status: string;
  progress: { fraction: number; message: string };
  result: { experiment?: string; trials?: unknown[] } | null;
  error: { message: string } | null;
}

/** `alpha=0.1,1,10` lines → `{ alpha: [0.1, 1, 10] }` (numbers where they parse, else text). */
function parseSpace(text: string): Record<string, (number | string | boolean | null)[]> {
  const out: Record<string, (number | string | boolean | null)[]> = {};
  for (const line of text.split(/\n|;/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$/.exec(line);
    if (!m) continue;
    out[m[1] as string] = (m[2] as string).split(',').map((v) => {
      const t = v.trim();
      if (t === 'null') return null;
      if (t === 'true' || t === 'false') return t === 'true';
      // Decimal only, as on the command line: the API refuses `0x10` for a numeric parameter.
      return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? Number(t) : t;
    });
  }
  return out;
}

function searchForm(onDone: () => void): HTMLElement {
  const model = h(
    'select',
    { name: 'model' },
    ...['ridge', 'random_forest', 'gradient_boosting', 'lasso'].map((m) => h('option', { value: m }, m)),
  );
  const search = h(
    'select',
    { name: 'search' },
    h('option', { value: 'grid' }, 'grid'),
    h('option', { value: 'random' }, 'random'),
  );
  const space = h('input', {
    name: 'space',
    type: 'text',
    value: 'alpha=0.1,1,10',
    size: 30,
    spellcheck: 'false',
  });
  const trials = h('input', {
    name: 'trials',
    type: 'number',
    min: 1,
    max: 500,
    value: 10,
    inputmode: 'numeric',
  });
  const button = h('button', { type: 'submit' }, 'Search');
  const out = h('div', { 'aria-live': 'polite' });
  return section(
    'Run a search',
    h(
      'p',
      { class: 'muted' },
      'Each trial is a tracked run, cross-validated walk-forward like training; the ranking appears in the runs below.',
    ),
    h(
      'form',
      {
        class: 'row',
        'aria-label': 'Run a hyperparameter search',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          button.disabled = true;
          const bar = progressBar('Search progress');
          out.replaceChildren(bar.el);
          try {
            const job = await api.post<Job>('/tune', {
              model: model.value,
              search: search.value,
              trials: Number(trials.value),
              params: parseSpace(space.value),
            });
            bar.cancellable(() => api.cancelJob(job.id));
            const done = await api.followJob<Job>(job.id, (j) =>
              bar.set(j.progress.fraction, j.progress.message),
            );
            if (done.status === 'failed' || done.status === 'cancelled')
              out.replaceChildren(errorBox(new Error(done.error?.message ?? 'failed')));
            else {
              out.replaceChildren(
                h('p', { role: 'status', 'data-testid': 'search-done' }, 'Search finished.'),
              );
              onDone();
            }
          } catch (error) {
            out.replaceChildren(errorBox(error));
          } finally {
            button.disabled = false;
          }
        },
      },
      field('Model', model),
      field('Search', search),
      field('Search space', space, 'KEY=V1,V2,… separated by ;'),
      field('Trials', trials, 'random search'),
      button,
    ),
    out,
  );
}

export async function renderExperiments(root: HTMLElement): Promise<void> {
  const controls = h('div', {});
  const body = h('div', {});
  root.replaceChildren(
    searchForm(() => void showFilters(controls, body)),
    controls,
    body,
  );
  await showFilters(controls, body);
}

async function showFilters(controls: HTMLElement, body: HTMLElement): Promise<void> {
  await load(controls, async () => {
    const { experiments } = await api.get<{ experiments: { name: string; runCount: number }[] }>(
      '/experiments',
    );
    const experiment = h(
      'select',
      { name: 'experiment' },
      h('option', { value: '' }, 'all experiments'),
      ...experiments.map((e) => h('option', { value: e.name }, `${e.name} (${e.runCount} runs)`)),
    );
    const model = h(
      'select',
      { name: 'model' },
      ...['', 'ridge', 'random_forest', 'gradient_boosting', 'lasso'].map((m) =>
        h('option', { value: m }, m === '' ? 'all models' : m),
      ),
    );
    const refresh = () => void showRuns(body, experiment.value, model.value);
    experiment.addEventListener('change', refresh);
    model.addEventListener('change', refresh);
    controls.replaceChildren(
      h('div', { class: 'controls' }, field('Show experiment', experiment), field('Show model', model)),
    );
    refresh();
  });
}

async function showRuns(body: HTMLElement, experiment: string, model: string): Promise<void> {
  await load(body, async () => {
    const { runs } = await api.get<{ runs: Run[] }>('/runs', { experiment, model, limit: 500 });
    if (runs.length === 0) {
      body.replaceChildren(
        section('Runs', h('p', {}, 'No run is recorded yet: train a model or run `pbi tune`.')),
      );
      return;
    }
    const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
    const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))]
      .filter((k) => runs.some((r) => typeof r.params[k] === 'number'))
      .sort();
    const chosen = new Set<number>();
    const compareOut = h('div', { 'aria-live': 'polite' });
    const compareButton = h('button', { type: 'button', disabled: true }, 'Compare selected runs');
    compareButton.addEventListener('click', async () => {
      try {
        const c = await api.get<Comparison>('/runs/compare', { ids: [...chosen].join(',') });
        compareOut.replaceChildren(comparison(c));
      } catch (error) {
        compareOut.replaceChildren(errorBox(error));
      }
    });
    const mainMetric = metricKeys.includes('mae') ? 'mae' : (metricKeys[0] ?? '');
    const plot = h('div', {});
    const param = h('select', { name: 'param' }, ...paramKeys.map((k) => h('option', { value: k }, k)));
    const metric = h(
      'select',
      { name: 'metric' },
      ...metricKeys.map((k) => h('option', { value: k, selected: k === mainMetric }, k)),
    );
    const drawPlot = () => {
      const points = runs
        .map((r) => ({ x: r.params[param.value], y: r.metrics[metric.value] }))
        .filter((p): p is { x: number; y: number } => typeof p.x === 'number' && typeof p.y === 'number')
        .sort((a, b) => a.x - b.x);
      plot.replaceChildren(
        points.length < 2
          ? h('p', { class: 'muted' }, 'Fewer than two runs have both values.')
          : chart({
              title: `${metric.value} against ${param.value}`,
              description: `${points.length} runs; the lowest ${metric.value} (${fmt(Math.min(...points.map((p) => p.y)), 4)}) was at ${param.value} = ${show(points.reduce((b, p) => (p.y < b.y ? p : b)).x)}.`,
              x: points.map((p) => p.x),
              xLabel: param.value,
              yLabel: metric.value,
              series: [{ label: metric.value, values: points.map((p) => p.y), kind: 'points' }],
              height: 240,
            }),
      );
    };
    param.addEventListener('change', drawPlot);
    metric.addEventListener('change', drawPlot);
    body.replaceChildren(
      h(
        'div',
        {},
        section(
          'Runs',
          table(
            `${runs.length} runs, newest first`,
            [
              {
                head: 'Compare',
                cell: (r: Run) =>
                  h('input', {
                    type: 'checkbox',
                    'aria-label': `Compare run ${r.id}`,
                    onchange: (e: Event) => {
                      if ((e.target as HTMLInputElement).checked) chosen.add(r.id);
                      else chosen.delete(r.id);
                      compareButton.disabled = chosen.size < 2;
                    },
                  }),
              },
              { head: 'Run', numeric: true, cell: (r) => r.id },
              { head: 'Experiment', cell: (r) => r.experiment },
              { head: 'Kind', cell: (r) => r.kind },
              {
                head: 'Model',
                cell: (r) => (r.modelVersion ? `${r.modelName} v${r.modelVersion}` : r.modelName),
              },
              { head: 'Status', cell: (r) => r.status },
              { head: 'Started', cell: (r) => r.startedAt.slice(0, 19).replace('T', ' ') },
              { head: mainMetric || 'metric', numeric: true, cell: (r) => show(r.metrics[mainMetric]) },
            ],
            runs,
          ),
          compareButton,
          compareOut,
        ),
        paramKeys.length > 0 && metricKeys.length > 0
          ? section(
              'Metric against a parameter',
              h('div', { class: 'controls' }, field('Parameter', param), field('Metric', metric)),
              plot,
            )
          : null,
      ),
    );
    if (paramKeys.length > 0 && metricKeys.length > 0) drawPlot();
  });
}

function comparison(c: Comparison): HTMLElement {
  const rows = [
    ...Object.entries(c.params).map(([k, v]) => ({
      kind: 'parameter',
      key: k,
      values: v,
      differs: c.differingParams.includes(k),
    })),
    ...Object.entries(c.metrics).map(([k, v]) => ({ kind: 'metric', key: k, values: v, differs: false })),
  ];
  return table(
    `Runs ${c.runs.map((r) => r.id).join(', ')} side by side`,
    [
      {
        head: '',
        cell: (r: (typeof rows)[number]) => (r.differs ? h('strong', {}, `${r.key} (differs)`) : r.key),
      },
      { head: 'Kind', cell: (r) => r.kind },
      ...c.runs.map((run, i) => ({
        head: `Run ${run.id}`,
        numeric: true,
        cell: (r: (typeof rows)[number]) => show(r.values[i]),
      })),
    ],
    rows,
  );
}
