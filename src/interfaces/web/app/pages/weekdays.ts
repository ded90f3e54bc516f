/**
 * Day of week: draws per weekday against the schedule, and each number's frequency per draw
 * weekday as a heat map of the ratio to chance, with the counts one key press away.
 */
import type { WeekdaysView } from '../../../http/contract/analysis.js';
import { renderChoicePage } from '../analysis-page.js';
import { api } from '../api.js';
import { chanceBars, chart, COLORS } from '../charts.js';
import { heatMap } from '../heat-map.js';
import { scopeQuery } from '../scope.js';
import { fmt, fmtDate, h, section, table } from '../ui.js';

export async function renderWeekdays(root: HTMLElement): Promise<void> {
  const numbers = h('div', {});
  await renderChoicePage<WeekdaysView>(root, {
    choice: {
      label: 'Pool',
      param: 'pool',
      options: [
        ['whites', 'White balls'],
        ['powerball', 'Powerball'],
      ],
    },
    fetch: (scope) => api.get<WeekdaysView>('/analysis/weekdays', scopeQuery(scope)),
    redraw: (v, pool) => numbers.replaceChildren(...perNumber(v, pool === 'powerball')),
    fill: (v, out) =>
      out.replaceChildren(
        section(
          'Draws per weekday',
          h(
            'p',
            {},
            `${v.draws} draws from ${fmtDate(v.from)} to ${fmtDate(v.to)}, against the draws the calendar scheduled (Mondays only since 2021-08-23).`,
          ),
          chart({
            title: 'Draws per weekday, stored and scheduled',
            description: v.schedule
              .map((w) => `${w.weekday}: ${w.observed} of ${w.expected} scheduled`)
              .join('; '),
            x: v.schedule.map((_, i) => i),
            xFormat: (i) => v.schedule[i]?.weekday ?? '',
            xLabel: 'Weekday',
            yLabel: 'Draws (count)',
            series: chanceBars(
              'Draws stored',
              v.schedule.map((w) => w.observed),
              v.schedule.map((w) => w.expected),
              { color: COLORS.bar, expectedLabel: 'Draws scheduled' },
            ),
            height: 220,
          }),
        ),
        section('Each number per weekday', numbers),
      ),
  });
}

function perNumber(v: WeekdaysView, powerball: boolean): HTMLElement[] {
  const chance = powerball ? v.powerballChance : v.whiteChance;
  const size = powerball ? v.era.powerballMax : v.era.whiteMax;
  const numbers = Array.from({ length: size }, (_, i) => i + 1);
  const count = (d: WeekdaysView['days'][number], n: number) =>
    (powerball ? d.powerball : d.whites)[n - 1] ?? 0;
  const name = powerball ? 'Powerball' : 'White ball';
  return [
    h(
      'p',
      {},
      `Each cell is a number on one draw weekday: the colour is its count over what chance expects on that day (${fmt(chance * 100, 1)}% of the day's draws), so days with more draws compare fairly.`,
    ),
    heatMap({
      title: `${name}s per draw weekday, against chance`,
      description: `Rows are weekdays, columns the numbers 1–${size}; darker means drawn more often than chance expects on that day.`,
      rows: v.days.map((d) => d.weekday),
      columns: numbers,
      rowAxis: 'Weekday',
      columnAxis: 'Number',
      values: v.days.flatMap((d) => numbers.map((n) => count(d, n) / Math.max(1e-9, d.draws * chance))),
      describe: (weekday, n, ratio) => {
        const d = v.days.find((x) => x.weekday === weekday);
        const c = d ? count(d, Number(n)) : 0;
        return `${name} ${n} on ${weekday}s: drawn ${c} times in ${d?.draws ?? 0} draws; chance expects ${fmt((d?.draws ?? 0) * chance, 1)} (${fmt(ratio, 2)}×).`;
      },
    }),
    h(
      'details',
      {},
      h('summary', {}, 'Show the counts as a table'),
      table(
        `${name}s: times drawn per weekday (expected by chance in brackets)`,
        [
          { head: 'Number', numeric: true, cell: (n: number) => n },
          ...v.days.map((d) => ({
            head: d.weekday,
            numeric: true,
            cell: (n: number) => `${count(d, n)} (${fmt(d.draws * chance, 1)})`,
          })),
        ],
        numbers,
      ),
    ),
  ];
}
