/**
 * `pbi analyze`: statistics of the history per rule era, whites and Powerball as separate pools.
 */
import type {
  AnalysisEraMode,
  AnalysisReport,
  EraAnalysis,
  NumberStats,
  PoolStats,
  TrendEntry,
  TrendPeriod,
} from '../../../services/analysis-service.js';
import { type IsoDate, parseIsoDate } from '../../../domain/dates.js';
import { ValidationError } from '../../../domain/errors.js';
import { table } from '../output.js';
import { choiceFlag, intFlag } from '../parse.js';
import type { CommandModule } from '../cli-context.js';

interface AnalyzeFlags {
  window?: number;
  from?: IsoDate;
  to?: IsoDate;
  numbers?: number[];
  pb?: number;
  era: AnalysisEraMode;
  sum?: number;
  withPowerball?: boolean;
  period: TrendPeriod;
  periods?: number;
  top: number;
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

function list(xs: readonly NumberStats[], what: (x: NumberStats) => string): string {
  return xs.map((x) => `${x.number} (${what(x)})`).join(', ');
}

function trendList(xs: readonly TrendEntry[]): string {
  return xs.length === 0 ? '-' : xs.map((x) => `${x.number} (${x.previous}→${x.recent})`).join(', ');
}

function renderPool(title: string, p: PoolStats): string {
  const c = p.chiSquare;
  return [
    `${title} 1-${p.size}: expected count ${f1(p.expectedCount)} each, mean gap ${f1(p.expectedGap)} draws`,
    table(
      ['number', 'count', 'expected', 'z', 'gap', 'longest gap', 'last seen'],
      p.numbers.map((x) => [
        x.number,
        x.count,
        f1(x.expected),
        f2(x.z),
        x.gap,
        x.longestGap,
        x.lastSeen ?? 'never',
      ]),
    ),
    `hot:     ${list(p.hot, (x) => `${x.count}`)}`,
    `cold:    ${list(p.cold, (x) => `${x.count}`)}`,
    `overdue: ${list(p.overdue, (x) => `${x.gap} draws`)}`,
    `chi-square uniformity: statistic ${f2(c.statistic)}, df ${c.df}, p-value ${c.pValue.toPrecision(3)} (${c.note})`,
  ].join('\n');
}

/** `--numbers 12,34`: white balls, comma-separated. @throws ValidationError naming the flag. */
function numberList(value: string): number[] {
  const parts = value.split(',').map((x) => x.trim());
  if (parts.some((x) => !/^\d{1,2}$/.test(x)))
    throw new ValidationError(`--numbers must be white balls separated by commas, got "${value}"`, [
      { where: '--numbers', reason: 'expected numbers like 12,34' },
    ]);
  return parts.map(Number);
}

function renderSelection(e: EraAnalysis): string {
  const s = e.selection;
  if (!s) return '';
  const what = `${s.whites.length > 0 ? `whites ${s.whites.join(' ')}` : ''}${s.whites.length > 0 && s.powerball !== null ? ' with ' : ''}${s.powerball !== null ? `Powerball ${s.powerball}` : ''}`;
  if (!s.possible)
    return `Selection ${what}: impossible in this era (whites 1-${e.era.whiteMax}, Powerball 1-${e.era.powerballMax})`;
  return [
    `Selection ${what}: in ${s.count} of ${e.draws} draws (expected ${f2(s.expected)}); last ${s.lastSeen ?? 'never'}, ${s.gap} draws ago; longest gap ${s.longestGap}`,
    table(
      ['weekday', 'draws', 'with it', 'expected'],
      s.weekdays.map((w) => [w.weekday, w.draws, w.count, f2(w.expected)]),
    ),
  ].join('\n');
}

function renderEra(e: EraAnalysis): string {
  const s = e.sums;
  const pos = s.position;
  const parts = [
    `== Era from ${e.era.from}${e.era.to ? ` to ${e.era.to}` : ' (current)'}: whites 1-${e.era.whiteMax}, Powerball 1-${e.era.powerballMax}; ${e.draws} draws analysed, ${e.from} to ${e.to}`,
    renderPool('White balls', e.whites),
    renderPool('Powerball', e.powerball),
    `Sum of whites: mean ${f1(s.mean)} (chance ${f1(s.expectedMean)}), sd ${f1(s.sd)} (chance ${f1(s.expectedSd)}), min ${s.min}, max ${s.max}`,
    `  percentiles: ${Object.entries(s.percentiles)
      .map(([k, v]) => `${k} ${f1(v)}`)
      .join(', ')}`,
  ];
  if (pos)
    parts.push(
      pos.possible
        ? `  sum ${pos.sum}: ${pos.below} draws below, ${pos.equal} equal, ${pos.above} above (by chance ${f1(pos.expectedBelow)}, ${f1(pos.expectedEqual)}, ${f1(pos.expectedAbove)}); percentile ${f1(pos.percentile)} (by chance ${f1(pos.expectedPercentile)})`
        : `  sum ${pos.sum} is impossible in this era (five distinct whites add up to 15–${5 * e.era.whiteMax - 10})`,
    );
  parts.push(
    table(
      ['k', ...e.oddEven.distribution.map((d) => String(d.k))],
      [
        [e.oddEven.label, ...e.oddEven.distribution.map((d) => `${d.count}/${f1(d.expected)}`)],
        [e.highLow.label, ...e.highLow.distribution.map((d) => `${d.count}/${f1(d.expected)}`)],
      ],
    ) + '  (observed/expected)',
    `Odd Powerballs: ${e.powerballOdd.count} (expected ${f1(e.powerballOdd.expected)})`,
    `Draws with consecutive whites: ${e.consecutive.count} (expected ${f1(e.consecutive.expected)})`,
    renderSelection(e),
    [
      'Most frequent combinations (seen at least twice):',
      ...e.combinations.map(
        (c) =>
          `  size ${c.size}: ${c.top.length === 0 ? 'none repeated' : c.top.map((t) => `[${t.whites.join(' ')}${t.powerball === null ? '' : ` PB ${t.powerball}`}]×${t.count}`).join(', ')}; any one expected ${c.expected.toPrecision(2)} times; ${c.distinct} distinct of ${c.possible}`,
      ),
    ].join('\n'),
    [
      `Trends (${e.trends.period}, last ${e.trends.periods} vs the ${e.trends.periods} before: ${e.trends.recent.draws} draws ${e.trends.recent.from}–${e.trends.recent.to} vs ${e.trends.previous.draws} draws ${e.trends.previous.from}–${e.trends.previous.to})${e.trends.note ? `: ${e.trends.note}` : ''}`,
      `  whites rising:  ${trendList(e.trends.whites.rising)}`,
      `  whites falling: ${trendList(e.trends.whites.falling)}`,
      `  PB rising:      ${trendList(e.trends.powerball.rising)}`,
      `  PB falling:     ${trendList(e.trends.powerball.falling)}`,
    ].join('\n'),
    table(
      ['weekday', 'draws', 'scheduled'],
      e.weekdays.map((w) => [w.weekday, w.observed, w.expected]),
    ),
    `Prize odds per ticket: ${e.prizeOdds.map((o) => `${o.tier} 1 in ${o.oneIn.toLocaleString('en-US')}`).join(', ')}`,
    e.missingDraws > 0 ? `${e.missingDraws} scheduled draw date(s) in this span have no stored draw.` : '',
  );
  return parts.filter((p) => p !== '').join('\n\n');
}

/** The text form of an analysis report. */
export function renderAnalysis(r: AnalysisReport): string {
  return [...r.eras.map(renderEra), r.disclaimer].join('\n\n');
}

/** Adds `pbi analyze` to the program. */
export const registerAnalyze: CommandModule = (program, ctx) => {
  program
    .command('analyze')
    .description('frequencies, gaps, chi-square, sums, splits, combinations, trends and weekdays, per era')
    .option('--window <n>', 'only the newest N draws', intFlag('--window', 1))
    .option('--from <date>', 'only draws on or after YYYY-MM-DD', (v: string) => parseIsoDate(v, '--from'))
    .option('--to <date>', 'only draws on or before YYYY-MM-DD', (v: string) => parseIsoDate(v, '--to'))
    .option(
      '--numbers <list>',
      'draws holding all these whites (e.g. 12,34): count, gap, weekdays',
      numberList,
    )
    .option('--pb <n>', 'draws with this Powerball (with --numbers: together)', intFlag('--pb', 1, 99))
    .option(
      '--era <era>',
      'current | all (each era analysed separately)',
      choiceFlag('--era', ['current', 'all'] as const),
      'current',
    )
    .option('--sum <s>', 'where a sum of the five whites sits in the distribution', intFlag('--sum', 0, 1000))
    .option('--with-powerball', 'count combinations of whites together with the Powerball')
    .option(
      '--period <period>',
      'trend periods: weekly | monthly | yearly',
      choiceFlag('--period', ['weekly', 'monthly', 'yearly'] as const),
      'monthly',
    )
    .option(
      '--periods <k>',
      'trends compare the last K periods with the K before',
      intFlag('--periods', 1, 1000),
    )
    .option(
      '--top <n>',
      'length of the hot/cold/overdue/trend/combination lists',
      intFlag('--top', 1, 100),
      5,
    )
    .action((flags: AnalyzeFlags) => {
      const { out, service } = ctx();
      const report = service().analysis.analyze({
        era: flags.era,
        period: flags.period,
        top: flags.top,
        withPowerball: flags.withPowerball === true,
        ...(flags.window === undefined ? {} : { window: flags.window }),
        ...(flags.from === undefined ? {} : { from: flags.from }),
        ...(flags.to === undefined ? {} : { to: flags.to }),
        ...(flags.numbers === undefined && flags.pb === undefined
          ? {}
          : { selection: { whites: flags.numbers ?? [], powerball: flags.pb ?? null } }),
        ...(flags.sum === undefined ? {} : { sum: flags.sum }),
        ...(flags.periods === undefined ? {} : { periods: flags.periods }),
      });
      out.result(report, () => renderAnalysis(report));
    });
};
