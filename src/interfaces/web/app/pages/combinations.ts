/**
 * Combinations: how often sets of 2 to 5 numbers (optionally with the Powerball) were drawn
 * together, the top 25 as a chart against the count chance expects, with totals and, for each
 * count, how many combinations luck alone would bring that high.
 */
import type { CombinationsView } from '../../../http/contract/analysis.js';
import { renderAnalysisPage } from '../analysis-page.js';
import { api } from '../api.js';
import { chanceBars, chart, COLORS } from '../charts.js';
import { scopeQuery } from '../scope.js';
import { field, fmt, fmtDate, fmtInt, h, section, table } from '../ui.js';
import { setParams, viewState } from '../url-state.js';

type Entry = CombinationsView['top'][number];

const label = (e: Entry) => `${e.whites.join('-')}${e.powerball !== null ? ` + PB ${e.powerball}` : ''}`;

export async function renderCombinations(root: HTMLElement): Promise<void> {
  const p = viewState().params;
  const size = h(
    'select',
    { name: 'size' },
    ...[2, 3, 4, 5].map((n) =>
      h('option', { value: n, selected: String(n) === (p.get('size') ?? '2') }, `${n} numbers`),
    ),
  );
  const withPb = h('input', { type: 'checkbox', name: 'withPowerball', checked: p.get('pb') === '1' });
  const minCount = h('input', {
    name: 'minCount',
    type: 'number',
    min: 2,
    max: 1000,
    value: p.get('min') ?? '2',
    inputmode: 'numeric',
  });
  await renderAnalysisPage(root, {
    dates: true,
    controls: (refresh) =>
      h(
        'form',
        {
          class: 'row controls',
          'aria-label': 'Which combinations',
          onsubmit: (e: Event) => {
            e.preventDefault();
            setParams({ size: size.value, pb: withPb.checked ? 1 : null, min: minCount.value });
            refresh();
          },
        },
        field('Size', size, 'the Powerball counts as one number'),
        h('div', { class: 'field check' }, h('label', {}, withPb, 'Include the Powerball')),
        field('Seen at least', minCount, 'times'),
        h('button', { type: 'submit' }, 'Show'),
      ),
    show: async (scope, out) => {
      const v = await api.get<CombinationsView>('/analysis/combinations', {
        ...scopeQuery(scope),
        size: size.value,
        withPowerball: withPb.checked,
        minCount: minCount.value,
        top: 25,
      });
      out.replaceChildren(...result(v));
    },
  });
}

function result(v: CombinationsView): HTMLElement[] {
  const what = `combinations of ${v.withPowerball ? `${v.size - 1} whites and the Powerball` : `${v.size} white balls`}`;
  const totals = h(
    'ul',
    { class: 'summary-figures' },
    h('li', {}, h('strong', {}, fmtInt(v.draws)), 'draws'),
    h('li', {}, h('strong', {}, fmtInt(v.occurrences)), `${what} drawn`),
    h('li', {}, h('strong', {}, fmtInt(v.distinct)), 'different ones seen'),
    h('li', {}, h('strong', {}, fmtInt(v.possible)), 'possible'),
    h('li', {}, h('strong', {}, fmt(v.expected, 3)), 'times each, expected by chance'),
  );
  const top = v.top;
  return [
    section('Totals', h('p', {}, `${v.draws} draws from ${fmtDate(v.from)} to ${fmtDate(v.to)}.`), totals),
    section(
      `The most frequent ${what}`,
      top.length === 0
        ? h(
            'p',
            {},
            `No combination was drawn ${v.minCount} times or more. Lower "Seen at least" or choose fewer numbers.`,
          )
        : h(
            'div',
            {},
            chart({
              title: `The ${top.length} most frequent ${what}, seen at least ${v.minCount} times`,
              description: `The most frequent, ${label(top[0] as Entry)}, was drawn ${(top[0] as Entry).count} times; chance expects ${fmt(v.expected, 2)} for any one, and with ${fmtInt(v.possible)} possible combinations about ${fmt((top[0] as Entry).byChance, 1)} would reach that count by luck alone.`,
              x: top.map((_, i) => i + 1),
              xFormat: (i) => (top[i - 1] ? label(top[i - 1] as Entry) : ''),
              xLabel: 'Combination (most frequent first)',
              yLabel: 'Times drawn (count)',
              series: chanceBars(
                'Times drawn',
                top.map((e) => e.count),
                top.map(() => v.expected),
                { color: COLORS.bar },
              ),
            }),
            table(
              `Counts against chance (each expected ${fmt(v.expected, 3)} times)`,
              [
                { head: 'Combination', cell: (e: Entry) => label(e) },
                { head: 'Times drawn', numeric: true, cell: (e) => e.count },
                { head: 'Times the chance count', numeric: true, cell: (e) => `${fmt(e.ratio, 1)}×` },
                {
                  head: 'Combinations this frequent by luck alone',
                  numeric: true,
                  cell: (e) => fmt(e.byChance, e.byChance < 10 ? 2 : 0),
                },
              ],
              top,
            ),
          ),
    ),
  ];
}
