/**
 * Trends: counts per week, month or year of chosen numbers (with the count chance expects in each
 * period), and the numbers trending up and down with how unusual the change is under chance.
 */
import type { TrendsView } from '../../../http/contract/analysis.js';
import { renderAnalysisPage } from '../analysis-page.js';
import { api } from '../api.js';
import { chart, COLORS } from '../charts.js';
import { scopeQuery } from '../scope.js';
import { field, fmt, fmtDate, h, section, table } from '../ui.js';
import { setParams, viewState } from '../url-state.js';

type Entry = TrendsView['comparison']['rising'][number];

const GROUPS = { week: 'Week', month: 'Month', year: 'Year' } as const;

export async function renderTrends(root: HTMLElement): Promise<void> {
  const p = viewState().params;
  const group = h(
    'select',
    { name: 'group' },
    ...Object.entries(GROUPS).map(([v, label]) =>
      h('option', { value: v, selected: (p.get('group') ?? 'month') === v }, label),
    ),
  );
  const pool = h(
    'select',
    { name: 'pool' },
    h('option', { value: 'whites', selected: p.get('pool') !== 'powerball' }, 'White balls'),
    h('option', { value: 'powerball', selected: p.get('pool') === 'powerball' }, 'Powerball'),
  );
  const numbers = h('input', {
    name: 'numbers',
    type: 'text',
    inputmode: 'numeric',
    value: p.get('numbers') ?? '7, 21',
    size: 16,
    spellcheck: 'false',
  });
  await renderAnalysisPage(root, {
    dates: true,
    controls: (refresh) =>
      h(
        'form',
        {
          class: 'row controls',
          'aria-label': 'What to count',
          onsubmit: (e: Event) => {
            e.preventDefault();
            setParams({ group: group.value, pool: pool.value, numbers: cleanNumbers(numbers.value) });
            refresh();
          },
        },
        field('Group by', group),
        field('Pool', pool),
        field('Numbers', numbers, 'up to eight, separated by commas'),
        h('button', { type: 'submit' }, 'Show'),
      ),
    show: async (scope, out) => {
      const chosen = cleanNumbers(numbers.value);
      const v = await api.get<TrendsView>('/analysis/trends', {
        ...scopeQuery(scope),
        group: group.value,
        pool: pool.value,
        numbers: chosen,
      });
      out.replaceChildren(...trendsResult(v));
    },
  });
}

/** "7, 21 ,x" → "7,21" (the API names a bad number itself). */
function cleanNumbers(text: string): string {
  return text
    .split(/[,\s]+/)
    .filter((t) => t !== '')
    .slice(0, 8)
    .join(',');
}

function trendsResult(v: TrendsView): HTMLElement[] {
  const unit = GROUPS[v.group].toLowerCase();
  const poolName = v.pool === 'whites' ? 'white ball' : 'Powerball';
  const counts =
    v.numbers.length === 0
      ? section(
          `Counts per ${unit}`,
          h('p', {}, 'Type one or more numbers above and press Show to draw their counts per period.'),
        )
      : section(
          `Counts per ${unit}`,
          h(
            'p',
            {},
            `${v.draws} draws from ${fmtDate(v.from)} to ${fmtDate(v.to)}. By chance a ${poolName} is drawn in ${fmt(v.chancePerDraw * 100, 1)}% of draws; the dashed line is what chance expects in each ${unit}.`,
          ),
          chart({
            title: `Times drawn per ${unit}: ${v.numbers.join(', ')}`,
            description: `${v.periods.length} ${unit}s. Over the whole span, ${v.numbers
              .map((n, i) => `${n} was drawn ${v.periods.reduce((s, p) => s + (p.counts[i] ?? 0), 0)} times`)
              .join(', ')}; chance expects ${fmt(v.draws * v.chancePerDraw, 1)} each.`,
            x: v.periods.map((_, i) => i),
            xFormat: (i) => periodLabel(v.periods[i]?.start ?? '', v.group),
            xLabel: GROUPS[v.group],
            yLabel: 'Times drawn (count)',
            series: [
              ...v.numbers.map((n, i) => ({
                label: `Number ${n}`,
                values: v.periods.map((p) => p.counts[i] ?? 0),
                kind: 'line' as const,
                color: COLORS.series[i % COLORS.series.length],
              })),
              {
                label: 'Expected by chance',
                values: v.periods.map((p) => p.draws * v.chancePerDraw),
                kind: 'dashed' as const,
                color: COLORS.expected,
              },
            ],
          }),
        );
  const c = v.comparison;
  const columns = [
    { head: 'Number', numeric: true, cell: (e: Entry) => e.number },
    { head: `Last ${c.periods} ${unit}s`, numeric: true, cell: (e: Entry) => e.recent },
    { head: `${c.periods} ${unit}s before`, numeric: true, cell: (e: Entry) => e.previous },
    { head: 'Change per 100 draws', numeric: true, cell: (e: Entry) => fmt(e.change * 100, 2) },
    { head: 'Against chance', cell: (e: Entry) => chanceWords(e.z) },
  ];
  return [
    counts,
    section(
      'Trending up and down',
      h(
        'p',
        {},
        `The last ${c.periods} ${unit}s (${fmtDate(c.recent.from)} – ${fmtDate(c.recent.to)}, ${c.recent.draws} draws) against the ${c.periods} before (${c.previous.draws} draws). "Against chance" says how many standard deviations of pure luck the change is: about 1 in 20 numbers goes beyond 2 by chance alone.`,
      ),
      c.note ? h('p', { class: 'note' }, c.note) : null,
      c.rising.length === 0 && c.falling.length === 0
        ? h(
            'p',
            {},
            'Not enough draws in both windows to compare. Widen the dates or choose a shorter period.',
          )
        : h(
            'div',
            { class: 'grid' },
            table(`${v.pool === 'whites' ? 'White balls' : 'Powerballs'} trending up`, columns, c.rising),
            table(`${v.pool === 'whites' ? 'White balls' : 'Powerballs'} trending down`, columns, c.falling),
          ),
    ),
  ];
}

function periodLabel(start: string, group: TrendsView['group']): string {
  if (group === 'year') return start.slice(0, 4);
  if (group === 'month') return start.slice(0, 7);
  return start;
}

function chanceWords(z: number): string {
  const a = Math.abs(z);
  const sd = `${z >= 0 ? '+' : '−'}${fmt(a, 1)} sd`;
  return a < 2 ? `${sd}, within chance` : `${sd}, unusual (1 in 20 numbers by luck)`;
}
