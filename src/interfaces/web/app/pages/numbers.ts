import { api } from '../api.js';
import { chart, heatMap } from '../charts.js';
import { fmt, fmtDate, fmtInt, h, load, section, table } from '../ui.js';

interface NumberStats {
  number: number;
  count: number;
  expected: number;
  z: number;
  lastSeen: string | null;
  gap: number;
  longestGap: number;
}
interface PoolStats {
  size: number;
  perDraw: number;
  expectedCount: number;
  expectedGap: number;
  numbers: NumberStats[];
  hot: NumberStats[];
  cold: NumberStats[];
  overdue: NumberStats[];
  chiSquare: { statistic: number; df: number; pValue: number; note: string };
}
interface EraAnalysis {
  era: { id: string; from: string; to: string | null; whiteMax: number; powerballMax: number };
  draws: number;
  from: string;
  to: string;
  whites: PoolStats;
  powerball: PoolStats;
  sums: {
    mean: number;
    sd: number;
    expectedMean: number;
    expectedSd: number;
    histogram: { from: number; to: number; count: number; expected: number }[];
  };
  weekdays: { weekday: string; observed: number; expected: number }[];
  missingDraws: number;
}
interface AnalysisReport {
  eras: EraAnalysis[];
  disclaimer: string;
}
interface Pairs {
  size: number;
  draws: number;
  counts: number[];
  expected: number;
}

export async function renderNumbers(root: HTMLElement): Promise<void> {
  const controls = h('div', { class: 'controls' });
  const body = h('div', {});
  root.replaceChildren(controls, body);
  await load(body, async () => {
    const report = await api.get<AnalysisReport>('/analyze', { era: 'all', top: 10 });
    const eras = report.eras;
    const select = h(
      'select',
      { id: 'era-select' },
      ...eras
        .map((e, i) =>
          h(
            'option',
            { value: String(i), selected: i === eras.length - 1 },
            `${e.era.from} – ${e.era.to ?? 'today'} (1–${e.era.whiteMax} / PB 1–${e.era.powerballMax}, ${fmtInt(e.draws)} draws)`,
          ),
        )
        .reverse(),
    );
    const show = () => void renderEra(body, eras[Number(select.value)] as EraAnalysis, report.disclaimer);
    select.addEventListener('change', show);
    controls.replaceChildren(
      h('div', { class: 'field' }, h('label', { for: 'era-select' }, 'Rule era'), select),
    );
    show();
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
    yLabel: 'Times drawn',
    band: { label: '95% chance band', low: b.low, high: b.high },
    series: [
      { label: 'Times drawn', values: pool.numbers.map((n) => n.count), color },
      { label: 'Expected', values: pool.numbers.map((n) => n.expected), kind: 'dashed', color: '#222' },
    ],
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
    section(
      'Powerball frequency',
      frequencyChart(`Powerball 1–${a.powerball.size}: times drawn`, a.powerball, a.draws, '#c8102e'),
    ),
    section(
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
        series: [
          { label: 'Draws since seen', values: a.whites.numbers.map((n) => n.gap), color: '#5d4037' },
          {
            label: 'Mean gap by chance',
            values: a.whites.numbers.map(() => a.whites.expectedGap),
            kind: 'dashed',
            color: '#222',
          },
        ],
        height: 220,
      }),
      h(
        'div',
        { class: 'grid' },
        overdueTable('Longest-absent white balls', a.whites),
        overdueTable('Longest-absent Powerballs', a.powerball),
      ),
    ),
    section(
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
        series: [
          { label: 'Draws', values: a.sums.histogram.map((b) => b.count), color: '#2e7d32' },
          {
            label: 'Expected',
            values: a.sums.histogram.map((b) => b.expected),
            kind: 'dashed',
            color: '#222',
          },
        ],
      }),
    ),
    section('Pairs of white balls', pairs),
    section(
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
    ),
  );
  void load(pairs, async () => {
    const p = await api.get<Pairs>('/analyze/pairs', { era: a.era.id });
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
        size: p.size,
        values: p.counts,
        expected: p.expected,
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
  });
}
