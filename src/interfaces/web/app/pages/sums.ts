/**
 * Sums: the distribution of the five whites' sum with and without the Powerball against chance,
 * where any sum sits (its percentile), the average per year, and the odd/even and high/low splits.
 */
import type { SumsView } from '../../../http/contract/analysis.js';
import { renderAnalysisPage } from '../analysis-page.js';
import { api } from '../api.js';
import { chanceBars, chart, COLORS } from '../charts.js';
import { scopeQuery } from '../scope.js';
import { field, fmt, fmtDate, h, section } from '../ui.js';
import { setParams, viewState } from '../url-state.js';

type Split = SumsView['oddEven'];

export async function renderSums(root: HTMLElement): Promise<void> {
  const p = viewState().params;
  const withPb = h('input', { type: 'checkbox', name: 'withPowerball', checked: p.get('pb') === '1' });
  const sum = h('input', {
    name: 'sum',
    type: 'number',
    min: 0,
    max: 1000,
    value: p.get('sum') ?? '',
    inputmode: 'numeric',
  });
  let latest: SumsView | null = null;
  const position = h('div', { 'data-testid': 'sum-position' });
  const distribution = h('div', {});
  const redraw = () => {
    if (latest) distribution.replaceChildren(histogram(latest, withPb.checked));
  };
  withPb.addEventListener('change', () => {
    setParams({ pb: withPb.checked ? 1 : null });
    redraw();
  });
  await renderAnalysisPage(root, {
    dates: true,
    controls: (refresh) =>
      h(
        'form',
        {
          class: 'row controls',
          'aria-label': 'Where does my sum sit',
          onsubmit: (e: Event) => {
            e.preventDefault();
            setParams({ sum: sum.value });
            refresh();
          },
        },
        field('My sum', sum, 'the five whites added up, e.g. 150'),
        h('button', { type: 'submit' }, 'Where does it sit?'),
      ),
    show: async (scope, out) => {
      const v = await api.get<SumsView>('/analysis/sums', { ...scopeQuery(scope), sum: sum.value });
      latest = v;
      position.replaceChildren(...positionText(v));
      redraw();
      out.replaceChildren(
        section(
          'Where does my sum sit',
          h('p', {}, `${v.draws} draws from ${fmtDate(v.from)} to ${fmtDate(v.to)}.`),
          position,
        ),
        section(
          'Distribution of the sum',
          h('div', { class: 'field check' }, h('label', {}, withPb, 'Add the Powerball to the sum')),
          distribution,
        ),
        section('Average sum per year', byYear(v)),
        section(
          'Odd and even, high and low',
          h(
            'div',
            { class: 'grid' },
            split(v.oddEven, 'Odd whites in a draw'),
            split(v.highLow, 'High whites in a draw'),
          ),
        ),
      );
      if (v.whites.position) position.setAttribute('data-result', '');
      else position.removeAttribute('data-result');
    },
  });
}

function positionText(v: SumsView): HTMLParagraphElement[] {
  const pos = v.whites.position;
  if (!pos) return [h('p', {}, 'Type a sum above to see what share of draws had a smaller one.')];
  const pb = v.withPowerball.position;
  return [
    h(
      'p',
      { class: 'big-answer' },
      pos.possible
        ? `A sum of ${pos.sum} sits at the ${ordinal(pos.percentile)} percentile: ${pos.below} draws had a smaller sum, ${pos.equal} the same and ${pos.above} a larger one. Chance puts it at the ${ordinal(pos.expectedPercentile)} percentile.`
        : `Five different white balls of this era cannot add up to ${pos.sum}.`,
    ),
    pb
      ? h(
          'p',
          {},
          `Counting the Powerball too, ${pb.sum} sits at the ${ordinal(pb.percentile)} percentile (chance: ${ordinal(pb.expectedPercentile)}).`,
        )
      : null,
  ].filter((x) => x !== null);
}

function ordinal(p: number): string {
  const n = Math.round(p);
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${s}`;
}

function histogram(v: SumsView, withPb: boolean): HTMLElement {
  const bins = withPb ? v.withPowerball.histogram : v.whites.histogram;
  const mean = withPb ? v.withPowerball.mean : v.whites.mean;
  const expected = withPb ? v.withPowerball.expectedMean : v.whites.expectedMean;
  const what = withPb ? 'the five whites plus the Powerball' : 'the five white balls';
  return chart({
    title: `Sum of ${what}: draws per range of 10`,
    description: `The mean sum is ${fmt(mean, 1)} against ${fmt(expected, 1)} expected by chance; the dashed line is the count chance expects in each range.`,
    x: bins.map((b) => b.from),
    xLabel: 'Sum (from, ranges of 10)',
    yLabel: 'Draws (count)',
    series: chanceBars(
      'Draws',
      bins.map((b) => b.count),
      bins.map((b) => b.expected),
      { color: COLORS.series[2] },
    ),
  });
}

function byYear(v: SumsView): HTMLElement {
  if (v.byYear.length < 2)
    return h('p', {}, 'The chosen dates cover a single year; widen them to compare years.');
  return chart({
    title: 'Average sum of the five white balls per year',
    description: `From ${fmt(Math.min(...v.byYear.map((y) => y.mean)), 1)} to ${fmt(Math.max(...v.byYear.map((y) => y.mean)), 1)}; chance expects ${fmt(v.whites.expectedMean, 1)} every year, and years with few draws wander further from it.`,
    x: v.byYear.map((y) => y.year),
    xLabel: 'Year',
    yLabel: 'Average sum',
    series: chanceBars(
      'Average sum',
      v.byYear.map((y) => y.mean),
      v.byYear.map((y) => y.expected),
      { color: COLORS.series[0], kind: 'line' },
    ),
    height: 220,
  });
}

function split(s: Split, title: string): HTMLElement {
  return chart({
    title: `${title}: ${s.label}`,
    description: `Draws with 0 to 5 ${s.label}; the most common is ${[...s.distribution].sort((a, b) => b.count - a.count)[0]?.k ?? 0}, as chance expects the middle counts to be.`,
    x: s.distribution.map((d) => d.k),
    xLabel: `Number of ${s.label}`,
    yLabel: 'Draws (count)',
    series: chanceBars(
      'Draws',
      s.distribution.map((d) => d.count),
      s.distribution.map((d) => d.expected),
      { color: COLORS.bar },
    ),
    height: 200,
  });
}
