/**
 * Gaps: how many draws (and days) pass between two appearances of a number — the histogram
 * against the geometric distribution chance gives, each number's mean, median and longest gap,
 * and the same for the Powerball.
 */
import type { GapsView } from '../../../http/contract/analysis.js';
import { renderChoicePage } from '../analysis-page.js';
import { api } from '../api.js';
import { chanceBars, chart, COLORS } from '../charts.js';
import { scopeQuery } from '../scope.js';
import { fmt, fmtDate, h, section, table } from '../ui.js';

type Pool = GapsView['whites'];
type GapNumber = Pool['numbers'][number];

export async function renderGaps(root: HTMLElement): Promise<void> {
  const hists = { whites: h('div', {}), powerball: h('div', {}) };
  await renderChoicePage<GapsView>(root, {
    choice: {
      label: 'Measure gaps in',
      param: 'unit',
      options: [
        ['draws', 'draws'],
        ['days', 'days'],
      ],
    },
    fetch: (scope) => api.get<GapsView>('/analysis/gaps', scopeQuery(scope)),
    redraw: (v, unit) => {
      hists.whites.replaceChildren(histogram(v.whites, unit));
      hists.powerball.replaceChildren(histogram(v.powerball, unit));
    },
    fill: (v, out) =>
      out.replaceChildren(
        h(
          'p',
          {},
          `${v.draws} draws from ${fmtDate(v.from)} to ${fmtDate(v.to)}. A long gap does not make a number due: every draw is independent.`,
        ),
        section('White ball gaps', hists.whites, perNumber(v.whites)),
        section('Powerball gaps', hists.powerball, perNumber(v.powerball)),
      ),
  });
}

function histogram(p: Pool, unit: string): HTMLElement {
  const name = p.pool === 'whites' ? 'white ball' : 'Powerball';
  if (unit === 'days')
    return chart({
      title: `Days between two appearances of a ${name}`,
      description: `Each bar is a week of gaps (0–6 days, 7–13, …); the last holds the longer ones. Draws fall on fixed weekdays, so day gaps come in steps.`,
      x: p.inDays.map((b) => b.from),
      xLabel: 'Gap (days, from)',
      yLabel: 'Gaps (count)',
      series: [{ label: 'Gaps', values: p.inDays.map((b) => b.count), color: COLORS.series[6] }],
    });
  const total = p.inDraws.reduce((s, b) => s + b.count, 0);
  return chart({
    title: `Draws between two appearances of a ${name}`,
    description: `${total} gaps; chance gives a mean of ${fmt(p.expectedMean, 1)} draws and the dashed line is the count it expects for each length (the last bar holds the longer ones).`,
    x: p.inDraws.map((b) => b.from),
    xLabel: 'Gap (draws, from)',
    yLabel: 'Gaps (count)',
    series: chanceBars(
      'Gaps',
      p.inDraws.map((b) => b.count),
      p.inDraws.map((b) => b.expected),
      { color: COLORS.series[6] },
    ),
  });
}

function perNumber(p: Pool): HTMLElement {
  const name = p.pool === 'whites' ? 'White ball' : 'Powerball';
  const longest = [...p.numbers].sort((a, b) => (b.max ?? 0) - (a.max ?? 0))[0];
  return h(
    'div',
    {},
    chart({
      title: `${name}s: mean gap per number`,
      description: `Chance gives every number a mean gap of ${fmt(p.expectedMean, 1)} draws; the longest gap seen was ${longest?.max ?? '–'} draws (number ${longest?.number ?? '–'}).`,
      x: p.numbers.map((n) => n.number),
      xLabel: 'Number',
      yLabel: 'Mean gap (draws)',
      series: chanceBars(
        'Mean gap',
        p.numbers.map((n) => n.mean),
        p.numbers.map(() => p.expectedMean),
        { color: COLORS.bar, expectedLabel: 'Mean gap by chance' },
      ),
      height: 220,
    }),
    h(
      'details',
      {},
      h('summary', {}, `Show every ${name.toLowerCase()}'s gaps as a table`),
      table(
        `${name}s: gaps in draws (chance: mean ${fmt(p.expectedMean, 1)})`,
        [
          { head: 'Number', numeric: true, cell: (n: GapNumber) => n.number },
          { head: 'Gaps', numeric: true, cell: (n) => n.gaps },
          { head: 'Mean', numeric: true, cell: (n) => (n.mean === null ? '–' : fmt(n.mean, 1)) },
          { head: 'Median', numeric: true, cell: (n) => (n.median === null ? '–' : fmt(n.median, 1)) },
          { head: 'Longest', numeric: true, cell: (n) => n.max ?? '–' },
          { head: 'Draws since last seen', numeric: true, cell: (n) => n.current },
        ],
        p.numbers,
      ),
    ),
  );
}
