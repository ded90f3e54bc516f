/**
 * Numbers: each number's frequency in one rule era against the band chance allows, gaps, sums,
 * pairs (a heat map with numbered axes) and weekdays — and beside it the whole history pooled,
 * each number against the chance it had in the eras where it could be drawn.
 */
import type {
  AnalysisReport,
  EraAnalysis,
  NumberStats,
  PairMatrix,
  PooledView,
  PoolStats,
} from '../../../http/contract/analysis.js';
import { renderAnalysisPage } from '../analysis-page.js';
import { api } from '../api.js';
import { chanceBars, chart, COLORS } from '../charts.js';
import { heatMap } from '../heat-map.js';
import { knownEras } from '../scope.js';
import { fmt, fmtDate, fmtInt, h, load, section, table } from '../ui.js';

export async function renderNumbers(root: HTMLElement): Promise<void> {
  await renderAnalysisPage(root, {
    dates: false,
    show: async (scope, out) => {
      const { eras } = await knownEras();
      const span = eras.find((e) => e.era.id === scope.era);
      const report = await api.get<AnalysisReport>('/analyze', {
        era: 'all',
        top: 10,
        from: span?.era.from,
        to: span?.era.to ?? undefined,
      });
      const era = report.eras.find((e) => e.era.id === scope.era) ?? (report.eras.at(-1) as EraAnalysis);
      renderEra(out, era, report.disclaimer);
    },
  });
}

function band(pool: PoolStats, draws: number): { low: number[]; high: number[] } {
  const p = pool.perDraw / pool.size;
  const sd = Math.sqrt(draws * p * (1 - p));
  const e = pool.expectedCount;
  return {
    low: pool.numbers.map(() => Math.max(0, e - 1.96 * sd)),
    high: pool.numbers.map(() => e + 1.96 * sd),
  };
}

function frequencyChart(title: string, pool: PoolStats, draws: number, color: string): HTMLElement {
  const b = band(pool, draws);
  const outside = pool.numbers.filter((n) => n.count < (b.low[0] ?? 0) || n.count > (b.high[0] ?? 0)).length;
  return chart({
    title,
    description:
      `${outside} of ${pool.size} numbers fall outside the 95% band expected by chance ` +
      `(about ${fmt(pool.size * 0.05, 1)} would by luck alone). Chi-square p = ${fmt(pool.chiSquare.pValue, 3)}.`,
    x: pool.numbers.map((n) => n.number),
    xLabel: 'Number',
    yLabel: 'Times drawn (count)',
    band: { label: '95% chance band', low: b.low, high: b.high },
    series: chanceBars(
      'Times drawn',
      pool.numbers.map((n) => n.count),
      pool.numbers.map((n) => n.expected),
      { color, expectedLabel: 'Expected' },
    ),
  });
}

function overdueTable(caption: string, pool: PoolStats): HTMLElement {
  return table(
    caption,
    [
      { head: 'Number', numeric: true, cell: (n: NumberStats) => n.number },
      { head: 'Draws since seen', numeric: true, cell: (n) => n.gap },
      { head: 'Longest gap', numeric: true, cell: (n) => n.longestGap },
      { head: 'Last seen', cell: (n) => fmtDate(n.lastSeen) },
    ],
    pool.overdue,
  );
}

function renderEra(body: HTMLElement, a: EraAnalysis, disclaimer: string): void {
  const pairs = h('div', {});
  const pooled = section('The whole history, pooled', h('div', {}));
  void load(pooled.lastElementChild as HTMLElement, async () => {
    const v = await api.get<PooledView>('/analysis/pooled');
    (pooled.lastElementChild as HTMLElement).replaceChildren(...pooledView(v));
  });
  body.replaceChildren(
    h('p', { class: 'note' }, disclaimer),
    section(
      'White ball frequency',
      h(
        'p',
        {},
        `${fmtInt(a.draws)} draws from ${fmtDate(a.from)} to ${fmtDate(a.to)}. ${a.whites.chiSquare.note}.`,
      ),
      frequencyChart(`White balls 1–${a.whites.size}: times drawn`, a.whites, a.draws, '#1f5fa8'),
    ),
    pooled,
    section(
      'Powerball frequency',
      frequencyChart(`Powerball 1–${a.powerball.size}: times drawn`, a.powerball, a.draws, '#c8102e'),
    ),
    gapsSection(a),
    sumsSection(a),
    section('Pairs of white balls', pairs),
    weekdaysSection(a),
  );
  void load(pairs, () => showPairs(pairs, a.era.id));
}

/** Current gaps against the mean gap chance gives, and the longest-absent numbers. */
function gapsSection(a: EraAnalysis): HTMLElement {
  return section(
    'Gaps and overdue numbers',
    h(
      'p',
      { class: 'muted' },
      `By chance a white ball reappears every ${fmt(a.whites.expectedGap, 1)} draws on average and a Powerball every ${fmt(a.powerball.expectedGap, 1)}; a long gap does not make a number due.`,
    ),
    chart({
      title: 'Draws since each white ball was last drawn',
      description: `The longest current gap is ${a.whites.overdue[0]?.gap ?? 0} draws (number ${a.whites.overdue[0]?.number ?? '–'}); the average gap expected by chance is ${fmt(a.whites.expectedGap, 1)}.`,
      x: a.whites.numbers.map((n) => n.number),
      xLabel: 'Number',
      yLabel: 'Draws since seen',
      series: chanceBars(
        'Draws since seen',
        a.whites.numbers.map((n) => n.gap),
        a.whites.numbers.map(() => a.whites.expectedGap),
        { color: '#5d4037', expectedLabel: 'Mean gap by chance' },
      ),
      height: 220,
    }),
    h(
      'div',
      { class: 'grid' },
      overdueTable('Longest-absent white balls', a.whites),
      overdueTable('Longest-absent Powerballs', a.powerball),
    ),
  );
}

/** The sum of the five whites against its exact distribution by chance. */
function sumsSection(a: EraAnalysis): HTMLElement {
  return section(
    'Sum of the five whites',
    h(
      'p',
      {},
      `Mean ${fmt(a.sums.mean, 1)} (chance: ${fmt(a.sums.expectedMean, 1)}), standard deviation ${fmt(a.sums.sd, 1)} (chance: ${fmt(a.sums.expectedSd, 1)}).`,
    ),
    chart({
      title: 'Distribution of the sum of the five white balls',
      description: `Observed counts per range of 10 against the exact counts expected by chance; the mean sum is ${fmt(a.sums.mean, 1)} against ${fmt(a.sums.expectedMean, 1)} expected.`,
      x: a.sums.histogram.map((b) => b.from),
      xLabel: 'Sum (from)',
      yLabel: 'Draws',
      series: chanceBars(
        'Draws',
        a.sums.histogram.map((b) => b.count),
        a.sums.histogram.map((b) => b.expected),
        { color: '#2e7d32', expectedLabel: 'Expected' },
      ),
    }),
  );
}

/** Draws stored per weekday against those the calendar scheduled. */
function weekdaysSection(a: EraAnalysis): HTMLElement {
  return section(
    'Draws per weekday',
    h(
      'p',
      { class: 'muted' },
      'Against the draws the calendar scheduled in the same span (Mondays only since 2021-08-23).',
    ),
    table(
      'Draws per weekday, observed and scheduled',
      [
        { head: 'Weekday', cell: (w: EraAnalysis['weekdays'][number]) => w.weekday },
        { head: 'Draws stored', numeric: true, cell: (w) => fmtInt(w.observed) },
        { head: 'Draws scheduled', numeric: true, cell: (w) => fmtInt(w.expected) },
      ],
      a.weekdays,
    ),
    a.missingDraws > 0
      ? h('p', {}, `${fmtInt(a.missingDraws)} scheduled draws are missing from the stored history.`)
      : null,
  );
}

/** The pairs heat map of one era, with its 15 most frequent pairs as a table. */
async function showPairs(pairs: HTMLElement, era: string): Promise<void> {
  const p = await api.get<PairMatrix>('/analyze/pairs', { era });
  let best = { a: 0, b: 0, count: -1 };
  for (let i = 0; i < p.size; i++)
    for (let j = i + 1; j < p.size; j++) {
      const c = p.counts[i * p.size + j] ?? 0;
      if (c > best.count) best = { a: i + 1, b: j + 1, count: c };
    }
  const top: { a: number; b: number; count: number }[] = [];
  for (let i = 0; i < p.size; i++)
    for (let j = i + 1; j < p.size; j++)
      top.push({ a: i + 1, b: j + 1, count: p.counts[i * p.size + j] ?? 0 });
  top.sort((x, y) => y.count - x.count || x.a - y.a || x.b - y.b);
  pairs.replaceChildren(
    heatMap({
      title: 'How often each pair of white balls was drawn together',
      description: `Each cell is a pair; darker means drawn together more often. By chance each pair appears about ${fmt(p.expected, 1)} times; the most frequent pair, ${best.a} and ${best.b}, appeared ${best.count} times.`,
      rows: Array.from({ length: p.size }, (_, i) => i + 1),
      columns: Array.from({ length: p.size }, (_, i) => i + 1),
      rowAxis: 'White ball',
      columnAxis: 'Drawn with white ball',
      values: p.counts.map((c, i) => (Math.floor(i / p.size) === i % p.size ? null : c)),
      describe: (x, y, c) =>
        `${x} with ${y}: drawn together ${c} times (chance expects ${fmt(p.expected, 1)}).`,
    }),
    h(
      'details',
      {},
      h('summary', {}, 'Show the 15 most frequent pairs as a table'),
      table(
        `The 15 most frequent pairs (chance expects ${fmt(p.expected, 1)} each)`,
        [
          { head: 'Pair', cell: (x: { a: number; b: number; count: number }) => `${x.a} and ${x.b}` },
          { head: 'Times together', numeric: true, cell: (x) => x.count },
        ],
        top.slice(0, 15),
      ),
    ),
  );
}

/** Every draw of every era at once, each number against what chance gave it where it existed. */
function pooledView(v: PooledView): HTMLElement[] {
  const mostAbove = [...v.whites].sort((a, b) => b.count - b.expected - (a.count - a.expected))[0];
  return [
    h(
      'p',
      {},
      `${fmtInt(v.draws)} draws of ${v.eras} rule eras, from ${fmtDate(v.from)} to ${fmtDate(v.to)}. A number's expected count adds what chance gave it in each era where it could be drawn, so numbers added later are not "cold" for the draws before they existed.`,
    ),
    chart({
      title: 'White balls, all history: times drawn',
      description: `The dashed line is each number's count expected by chance; the furthest above it is ${mostAbove?.number ?? '–'} (${mostAbove?.count ?? 0} against ${fmt(mostAbove?.expected ?? 0, 1)}).`,
      x: v.whites.map((n) => n.number),
      xLabel: 'Number',
      yLabel: 'Times drawn (count)',
      series: chanceBars(
        'Times drawn',
        v.whites.map((n) => n.count),
        v.whites.map((n) => n.expected),
        { color: COLORS.series[3] },
      ),
    }),
    chart({
      title: 'Powerball, all history: times drawn',
      description: `Powerball ranges changed from 1–45 to 1–26 over the eras; high numbers could only be drawn in the early eras, and the dashed line accounts for it.`,
      x: v.powerball.map((n) => n.number),
      xLabel: 'Powerball',
      yLabel: 'Times drawn (count)',
      series: chanceBars(
        'Times drawn',
        v.powerball.map((n) => n.count),
        v.powerball.map((n) => n.expected),
        { color: COLORS.barAlt },
      ),
      height: 220,
    }),
  ];
}
