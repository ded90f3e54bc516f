import type {
  Experiment,
  Run,
  RunComparison,
  RunPage,
  RunRegistration,
} from '../../../http/contract/experiments.js';
import { api } from '../api.js';
import { chart } from '../charts.js';
import { jobForm, type JobView, recentJobs, runJob } from '../jobs-panel.js';
import { focusResult } from '../scope.js';
import { errorBox, field, fmt, h, load, section, table } from '../ui.js';
import { setParams, type ViewState, viewHash, viewState } from '../url-state.js';
import { renderRun, runLink, showValue as show } from './experiment-run.js';

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
  const out = h('div', { 'aria-live': 'polite' });
  return jobForm({
    title: 'Run a search',
    intro:
      'Each trial is a tracked run, cross-validated walk-forward like training; the ranking appears in the runs below.',
    label: 'Run a hyperparameter search',
    submit: 'Search',
    progress: 'Search progress',
    fields: [
      field('Model', model),
      field('Search', search),
      field('Search space', space, 'KEY=V1,V2,… separated by ;'),
      field('Trials', trials, 'random search'),
    ],
    out,
    after: [out],
    start: () =>
      api.post<Job>('/tune', {
        model: model.value,
        search: search.value,
        trials: Number(trials.value),
        params: parseSpace(space.value),
      }),
    show: (done) => {
      const note = h('p', { role: 'status', 'data-testid': 'search-done' }, 'Search finished.');
      out.replaceChildren(note, searchResult(done as JobView<TuneResult>));
      focusResult(note);
      onDone();
    },
  });
}

export async function renderExperiments(root: HTMLElement, view: ViewState = viewState()): Promise<void> {
  if (view.path[0] === 'run' && view.path[1]) return renderRun(root, view.path[1]);
  const controls = h('div', {});
  const body = h('div', {});
  root.replaceChildren(
    searchForm(() => void showFilters(controls, body)),
    section(
      'Recent searches',
      recentJobs<TuneResult>('tune', { one: 'search', many: 'searches' }, (job, out) =>
        out.replaceChildren(searchResult(job)),
      ),
    ),
    controls,
    body,
  );
  await showFilters(controls, body);
}

interface TuneResult {
  experiment: string;
  searchRunId: number;
  trials: { runId: number; rank: number | null; mae: number | null; params: Record<string, unknown> }[];
  best: { runId: number; mae: number | null; params: Record<string, unknown> } | null;
}

function searchResult(job: JobView<TuneResult>): HTMLElement {
  const r = job.result;
  if (!r) return h('p', {}, 'The search left no result.');
  return h(
    'div',
    { 'data-testid': 'search-result' },
    h(
      'p',
      {},
      `Search of experiment ${r.experiment} (`,
      runLink({ id: r.searchRunId }),
      `): ${r.trials.length} trials. `,
      r.best
        ? h(
            'span',
            {},
            'Best: ',
            runLink({ id: r.best.runId }),
            ` with MAE ${show(r.best.mae)} at ${Object.entries(r.best.params)
              .map(([k, v]) => `${k}=${show(v)}`)
              .join(', ')}.`,
          )
        : 'No trial finished.',
    ),
  );
}

async function showFilters(controls: HTMLElement, body: HTMLElement): Promise<void> {
  await load(controls, async () => {
    const { experiments } = await api.get<{ experiments: Experiment[] }>('/experiments');
    const p = viewState().params;
    const experiment = h(
      'select',
      { name: 'experiment' },
      h('option', { value: '' }, 'all experiments'),
      ...experiments.map((e) =>
        h(
          'option',
          { value: e.name, selected: p.get('experiment') === e.name },
          `${e.name} (${e.runCount} runs)`,
        ),
      ),
    );
    const model = h(
      'select',
      { name: 'model' },
      ...['', 'ridge', 'random_forest', 'gradient_boosting', 'lasso'].map((m) =>
        h('option', { value: m, selected: (p.get('model') ?? '') === m }, m === '' ? 'all models' : m),
      ),
    );
    const refresh = () => {
      setParams({ experiment: experiment.value, model: model.value });
      void showRuns(body, experiment.value, model.value);
    };
    experiment.addEventListener('change', refresh);
    model.addEventListener('change', refresh);
    controls.replaceChildren(
      h('div', { class: 'controls' }, field('Show experiment', experiment), field('Show model', model)),
    );
    void showRuns(body, experiment.value, model.value);
  });
}

/** `-mae` → descending by the metric mae; `param:alpha` → ascending by a parameter. */
function sortRuns(runs: readonly Run[], sort: string): Run[] {
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  const value = (r: Run): unknown =>
    key.startsWith('param:') ? r.params[key.slice(6)] : key === 'id' ? r.id : r.metrics[key];
  return [...runs].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === y) return b.id - a.id;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return desc ? -c : c;
  });
}

/** The runs table, sorted as the URL says, with sort buttons on the parameter and metric columns. */
function runsTable(
  tableBox: HTMLElement,
  runs: readonly Run[],
  o: {
    readonly paramKeys: readonly string[];
    readonly shownMetrics: readonly string[];
    readonly chosen: Set<number>;
    readonly compareButton: HTMLButtonElement;
    readonly redraw: () => void;
  },
): void {
  const { paramKeys, shownMetrics, chosen, compareButton } = o;
  const sort = viewState().params.get('sort') ?? '';
  const sorted = sort ? sortRuns(runs, sort) : runs;
  const head = (label: string, key: string) => {
    const state = sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : null;
    return h(
      'button',
      {
        type: 'button',
        class: 'sort-button',
        'aria-label': `Sort by ${label}${state === 'ascending' ? ', now ascending' : state === 'descending' ? ', now descending' : ''}`,
        onclick: () => {
          setParams({ sort: state === 'ascending' ? `-${key}` : key });
          o.redraw();
          (tableBox.querySelector(`[data-sort="${key}"]`) as HTMLElement | null)?.focus();
        },
        'data-sort': key,
      },
      `${label}${state === 'ascending' ? ' ▲' : state === 'descending' ? ' ▼' : ''}`,
    );
  };
  tableBox.replaceChildren(
    table(
      `${runs.length} runs, ${sort ? `sorted by ${sort.replace(/^-/, '').replace('param:', '')}` : 'newest first'}`,
      [
        {
          head: 'Compare',
          cell: (r: Run) =>
            h('input', {
              type: 'checkbox',
              checked: chosen.has(r.id),
              'aria-label': `Compare run ${r.id}`,
              onchange: (e: Event) => {
                if ((e.target as HTMLInputElement).checked) chosen.add(r.id);
                else chosen.delete(r.id);
                compareButton.disabled = chosen.size < 2;
              },
            }),
        },
        { head: 'Run', cell: (r) => runLink(r) },
        { head: 'Experiment', cell: (r) => r.experiment },
        { head: 'Kind', cell: (r) => r.kind },
        {
          head: 'Model',
          cell: (r) => (r.modelVersion ? `${r.modelName} v${r.modelVersion}` : r.modelName),
        },
        { head: 'Status', cell: (r) => r.status },
        ...paramKeys.slice(0, 4).map((k) => ({
          head: k,
          headNode: head(k, `param:${k}`),
          numeric: true,
          cell: (r: Run) => show(r.params[k]),
        })),
        ...shownMetrics.map((k) => ({
          head: k,
          headNode: head(k, k),
          numeric: true,
          cell: (r: Run) => show(r.metrics[k]),
        })),
      ],
      sorted,
    ),
  );
}

async function showRuns(body: HTMLElement, experiment: string, model: string): Promise<void> {
  await load(body, async () => {
    const { runs } = await api.get<RunPage>('/runs', { experiment, model, limit: 500 });
    if (runs.length === 0) {
      body.replaceChildren(
        section(
          'Runs',
          h('p', {}, 'No run is recorded yet. Train a model on the Models page, or run a search above.'),
        ),
      );
      return;
    }
    const metricKeys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
    const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))]
      .filter((k) => runs.some((r) => typeof r.params[k] === 'number'))
      .sort();
    const mainMetric = metricKeys.includes('mae') ? 'mae' : (metricKeys[0] ?? '');
    const shownMetrics = [
      mainMetric,
      ...metricKeys.filter((k) => k !== mainMetric && /^baseline_.*_mae$/.test(k)),
    ]
      .filter((k) => k !== '')
      .slice(0, 3);
    const chosen = new Set<number>(
      (viewState().params.get('compare') ?? '')
        .split(',')
        .filter((x) => /^\d+$/.test(x))
        .map(Number),
    );
    const compareOut = h('div', {});
    const compareButton = h('button', { type: 'button', disabled: chosen.size < 2 }, 'Compare selected runs');
    const compare = async () => {
      try {
        setParams({ compare: [...chosen].join(',') });
        const c = await api.get<RunComparison>('/runs/compare', { ids: [...chosen].join(',') });
        compareOut.replaceChildren(comparison(c));
      } catch (error) {
        compareOut.replaceChildren(errorBox(error));
      }
      focusResult(compareOut.firstElementChild as HTMLElement);
    };
    compareButton.addEventListener('click', () => void compare());
    const tableBox = h('div', {});
    const drawTable = (): void =>
      runsTable(tableBox, runs, { paramKeys, shownMetrics, chosen, compareButton, redraw: drawTable });
    drawTable();
    const plot = metricPlot(runs, paramKeys, metricKeys, mainMetric);
    body.replaceChildren(h('div', {}, section('Runs', tableBox, compareButton, compareOut), plot));
    if (chosen.size >= 2) void compare();
  });
}

function metricPlot(
  runs: readonly Run[],
  paramKeys: string[],
  metricKeys: string[],
  mainMetric: string,
): HTMLElement | null {
  if (paramKeys.length === 0 || metricKeys.length === 0) return null;
  const p = viewState().params;
  const plot = h('div', {});
  const param = h(
    'select',
    { name: 'param' },
    ...paramKeys.map((k) => h('option', { value: k, selected: p.get('x') === k }, k)),
  );
  const metric = h(
    'select',
    { name: 'metric' },
    ...metricKeys.map((k) => h('option', { value: k, selected: k === (p.get('y') ?? mainMetric) }, k)),
  );
  const drawPlot = () => {
    const points = runs
      .map((r) => ({ x: r.params[param.value], y: r.metrics[metric.value] }))
      .filter((q): q is { x: number; y: number } => typeof q.x === 'number' && typeof q.y === 'number')
      .sort((a, b) => a.x - b.x);
    // Searched on a log grid (alpha, learning rate): every value positive and spanning decades.
    const xs = points.map((q) => q.x);
    const log = xs.length > 1 && Math.min(...xs) > 0 && Math.max(...xs) / Math.min(...xs) >= 100;
    plot.replaceChildren(
      points.length < 2
        ? h('p', { class: 'muted' }, 'Fewer than two runs have both values.')
        : chart({
            title: `${metric.value} against ${param.value}`,
            description: `${points.length} runs; the lowest ${metric.value} (${fmt(Math.min(...points.map((q) => q.y)), 4)}) was at ${param.value} = ${show(points.reduce((b, q) => (q.y < b.y ? q : b)).x)}.${log ? ' The parameter axis is logarithmic.' : ''}`,
            x: xs,
            xLog: log,
            xLabel: `${param.value}${log ? ' (log scale)' : ''}`,
            yLabel: metric.value,
            series: [{ label: metric.value, values: points.map((q) => q.y), kind: 'points' }],
            height: 240,
          }),
    );
  };
  const change = () => {
    setParams({ x: param.value, y: metric.value });
    drawPlot();
  };
  param.addEventListener('change', change);
  metric.addEventListener('change', change);
  drawPlot();
  return section(
    'Metric against a parameter',
    h('div', { class: 'controls' }, field('Parameter', param), field('Metric', metric)),
    plot,
  );
}

/** The run with the lowest MAE among those compared (null when none has one). */
function bestRun(c: RunComparison): Run | null {
  const mae = c.metrics.mae;
  if (!mae) return null;
  let best: Run | null = null;
  let low = Infinity;
  c.runs.forEach((r, i) => {
    const v = mae[i];
    if (typeof v === 'number' && v < low) {
      low = v;
      best = r;
    }
  });
  return best;
}

function comparison(c: RunComparison): HTMLElement {
  const best = bestRun(c);
  const rows = [
    ...Object.entries(c.params).map(([k, v]) => ({
      kind: 'parameter',
      key: k,
      values: v,
      differs: c.differingParams.includes(k),
    })),
    ...Object.entries(c.metrics).map(([k, v]) => ({
      kind: 'metric',
      key: k,
      values: v as unknown[],
      differs: false,
    })),
  ];
  const out = h('div', {});
  const register = best ? registerBest(best, out) : null;
  return h(
    'div',
    { 'data-testid': 'comparison' },
    table(
      `Runs ${c.runs.map((r) => r.id).join(', ')} side by side${best ? ` (best MAE: run ${best.id})` : ''}`,
      [
        {
          head: '',
          cell: (r: (typeof rows)[number]) => (r.differs ? h('strong', {}, `${r.key} (differs)`) : r.key),
        },
        { head: 'Kind', cell: (r) => r.kind },
        ...c.runs.map((run, i) => ({
          head: `Run ${run.id}${run === best ? ' ★ best' : ''}`,
          numeric: true,
          cell: (r: (typeof rows)[number]) => show(r.values[i]),
        })),
      ],
      rows,
    ),
    register,
    out,
  );
}

/**
 * The best run as a new version: the very model it trained when it kept one (same bytes, so what was
 * compared is what gets registered), else a fresh training with its parameters (a search trial is
 * only cross-validated), and the button says which.
 */
function registerBest(best: Run, out: HTMLElement): HTMLElement {
  const kept = best.modelVersion !== null;
  const button = h(
    'button',
    { type: 'button' },
    kept
      ? `Register best: run ${best.id}'s ${best.modelName} model as a new version`
      : `Register best: train ${best.modelName} with run ${best.id}'s parameters`,
  );
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const m = kept ? await registerRunModel(best) : await trainWithRunParams(best, out);
      const how = kept ? `from run ${best.id}'s own model` : `with the parameters of run ${best.id}`;
      const note = h(
        'p',
        { role: 'status', 'data-testid': 'registered' },
        m
          ? `Registered ${m.name} v${m.version} ${how}${m.active ? ', now active' : ', inactive (it does not beat the baselines and the active version)'}. `
          : `Registered a new version ${how}. `,
        h('a', { href: viewHash('models') }, 'See it on the Models page'),
        '.',
      );
      out.replaceChildren(note);
      focusResult(note);
    } catch (error) {
      out.replaceChildren(errorBox(error));
      focusResult(out.firstElementChild as HTMLElement);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

interface RegisteredVersion {
  readonly name: string;
  readonly version: number;
  readonly active: boolean;
}

async function registerRunModel(run: Run): Promise<RegisteredVersion> {
  const r = await api.post<RunRegistration>(`/runs/${run.id}/register`, {});
  return { name: r.version.name, version: r.version.version, active: r.version.active };
}

async function trainWithRunParams(run: Run, out: HTMLElement): Promise<RegisteredVersion | undefined> {
  const params = Object.fromEntries(Object.entries(run.params).filter(([, v]) => v !== null));
  const done = await runJob(out, 'Training progress', () =>
    api.post<JobView<{ models: RegisteredVersion[] }>>('/train', { model: run.modelName, params }),
  );
  if (done.status !== 'succeeded') throw new Error(done.error?.message ?? done.status);
  return done.result?.models[0];
}
