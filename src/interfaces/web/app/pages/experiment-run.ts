/**
 * One tracked run (`#/experiments/run/<id>`), as MLflow shows a run: its parameters, tags, data
 * digest, the metric of every fold as a chart, and the trials of a search.
 */
import type { MetricPoint, Run, RunDetails } from '../../../http/contract/experiments.js';
import { api } from '../api.js';
import { chart } from '../charts.js';
import { fmt, h, load, section, table } from '../ui.js';
import { viewHash } from '../url-state.js';

export const showValue = (v: unknown): string =>
  v === null || v === undefined ? '–' : typeof v === 'number' ? fmt(v, 4) : String(v);

export function runLink(r: Pick<Run, 'id'>): HTMLElement {
  return h('a', { href: viewHash('experiments', ['run', String(r.id)]) }, `Run ${r.id}`);
}

export async function renderRun(root: HTMLElement, id: string): Promise<void> {
  const body = h('div', {});
  root.replaceChildren(h('p', {}, h('a', { href: viewHash('experiments') }, '← All runs')), body);
  await load(body, async () => {
    const d = await api.get<RunDetails>(`/runs/${encodeURIComponent(id)}`);
    const r = d.run;
    const kv = (caption: string, entries: [string, unknown][]) =>
      entries.length === 0
        ? h('p', { class: 'muted' }, `No ${caption.toLowerCase()}.`)
        : table(
            caption,
            [
              { head: 'Name', cell: (e: [string, unknown]) => e[0] },
              { head: 'Value', cell: (e) => showValue(e[1]) },
            ],
            entries,
          );
    body.replaceChildren(
      section(
        `Run ${r.id}: ${r.modelName} (${r.kind})`,
        h(
          'ul',
          { class: 'summary-figures' },
          h('li', {}, h('strong', {}, r.experiment), 'experiment'),
          h('li', {}, h('strong', {}, r.status), 'status'),
          h(
            'li',
            {},
            h('strong', {}, r.modelVersion === null ? '–' : `v${r.modelVersion}`),
            'version registered',
          ),
          h(
            'li',
            {},
            h('strong', {}, r.durationMs === null ? '–' : `${fmt(r.durationMs / 1000, 1)} s`),
            'duration',
          ),
          h('li', {}, h('strong', {}, r.nDraws ?? '–'), 'draws seen'),
        ),
        h(
          'p',
          {},
          'Data digest (sha256 of the draws it saw): ',
          h('code', { 'data-testid': 'data-digest' }, r.dataDigest ?? '–'),
        ),
        r.error ? h('p', { class: 'error' }, r.error) : null,
        r.parentRunId !== null ? h('p', {}, 'Part of ', runLink({ id: r.parentRunId }), '.') : null,
      ),
      h(
        'div',
        { class: 'grid' },
        section('Parameters', kv('Parameters', Object.entries(r.params))),
        section('Tags', kv('Tags', Object.entries(r.tags))),
      ),
      section('Metrics', kv('Metrics (last value)', Object.entries(r.metrics)), ...foldCharts(d.history)),
      d.children.length > 0
        ? section(
            'Trials',
            table(
              `${d.children.length} trials, best MAE first`,
              [
                { head: 'Run', cell: (c: Run) => runLink(c) },
                {
                  head: 'Parameters',
                  cell: (c) =>
                    Object.entries(c.params)
                      .map(([k, v]) => `${k}=${showValue(v)}`)
                      .join(', '),
                },
                { head: 'MAE', numeric: true, cell: (c) => showValue(c.metrics.mae) },
                { head: 'Status', cell: (c) => c.status },
              ],
              d.children,
            ),
          )
        : '',
    );
  });
}

/** One chart per metric recorded at several steps (the folds of cross-validation). */
function foldCharts(history: readonly MetricPoint[]): HTMLElement[] {
  const byKey = new Map<string, MetricPoint[]>();
  for (const p of history) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p]);
  const stepped = [...byKey].filter(([, ps]) => ps.length > 1);
  if (stepped.length === 0) return [h('p', { class: 'muted' }, 'No metric was recorded per fold.')];
  // The fold MAE and the baselines' on one chart when present; the rest one each.
  const mae = stepped
    .filter(([k]) => /mae$/.test(k))
    // The run's own error first, then the baselines it is judged against.
    .sort(([a], [b]) => Number(/baseline/.test(a)) - Number(/baseline/.test(b)) || a.localeCompare(b));
  const others = stepped.filter(([k]) => !/mae$/.test(k));
  const draw = (title: string, keys: [string, MetricPoint[]][], yLabel: string) => {
    const steps = [...new Set(keys.flatMap(([, ps]) => ps.map((p) => p.step)))].sort((a, b) => a - b);
    return chart({
      title,
      description: keys
        .map(([k, ps]) => `${k}: mean ${fmt(ps.reduce((s, p) => s + (p.value ?? 0), 0) / ps.length, 4)}`)
        .join('; '),
      x: steps,
      xLabel: 'Fold',
      yLabel,
      series: keys.map(([k, ps]) => ({
        label: k,
        values: steps.map((s) => ps.find((p) => p.step === s)?.value ?? null),
        kind: /baseline/.test(k) ? ('dashed' as const) : ('line' as const),
      })),
      height: 220,
    });
  };
  return [
    mae.length > 0 ? draw('Mean absolute error per fold', mae, 'MAE (numbers)') : null,
    ...others.slice(0, 6).map(([k, ps]) => draw(`${k} per fold`, [[k, ps]], k)),
  ].filter((x): x is HTMLElement => x !== null);
}
