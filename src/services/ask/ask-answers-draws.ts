/**
 * Answers about whole draws — sums, numbers together, weekdays, patterns, trends, prize odds and
 * the history itself — each figure read from `analyzeDraws` (the code of `pbi analyze`), era by era,
 * beside its chance value.
 */
import type { IsoDate } from '../../domain/dates.js';
import type { Draw } from '../../domain/draw.js';
import { CURRENT_ERA, ERAS } from '../../domain/eras.js';
import { PRIZE_TIERS } from '../../domain/prizes.js';
import { type AnalysisReport, analyzeDraws, type EraAnalysis } from '../analysis-service.js';
import { prizeOdds, type SelectionStats } from '../analysis-selection.js';
import { exampleQuestions } from './ask-examples.js';
import {
  type AskFigure,
  type AskResult,
  command,
  coverage,
  coverageText,
  eraName,
  eraShort,
  fmt,
  periodOptions,
  plural,
  refuse,
} from './ask-format.js';
import type { AskQuery, PatternName } from './ask-query.js';

type Of<K extends AskQuery['kind']> = Extract<AskQuery, { kind: K }>;

const per = (report: AnalysisReport, e: EraAnalysis) =>
  report.eras.length > 1 ? `${eraShort(e.era)}: ` : '';

/** Mean, median or range of the sum of the five whites, beside its distribution by chance. */
export function answerSum(draws: readonly Draw[], q: Of<'sum'>, today: IsoDate): AskResult {
  const { options, flags } = periodOptions(q.period, today, 'sum');
  const report = analyzeDraws(draws, options);
  const figures: AskFigure[] = [];
  const parts = report.eras.map((e) => {
    const s = e.sums;
    if (q.stat === 'mean') {
      figures.push({ name: 'mean sum', value: s.mean, chance: s.expectedMean, era: e.era.id });
      return `${per(report, e)}mean ${fmt(s.mean, 2)} (by chance ${fmt(s.expectedMean, 2)}, standard deviation ${fmt(s.sd)} against ${fmt(s.expectedSd)})`;
    }
    if (q.stat === 'median') {
      // The sum of 5 distinct whites of 1..W is symmetric about its mean, so its median is the mean.
      figures.push({ name: 'median sum', value: s.percentiles.p50, chance: s.expectedMean, era: e.era.id });
      return `${per(report, e)}median ${fmt(s.percentiles.p50, 1)} (by chance ${fmt(s.expectedMean, 1)})`;
    }
    const lo = 15;
    const hi = 5 * e.era.whiteMax - 10;
    figures.push({ name: 'lowest sum', value: s.min, chance: lo, era: e.era.id });
    figures.push({ name: 'highest sum', value: s.max, chance: hi, era: e.era.id });
    return `${per(report, e)}from ${s.min} to ${s.max} (possible: ${lo} to ${hi}; middle 90% by chance would be near ${fmt(s.expectedMean - 1.645 * s.expectedSd, 0)}–${fmt(s.expectedMean + 1.645 * s.expectedSd, 0)})`;
  });
  return {
    sentence: `The sum of the five white balls ${coverageText(report)}: ${parts.join('; ')}.`,
    figures,
    coverage: coverage(report),
    command: command(flags),
  };
}

function selectionText(s: SelectionStats): string {
  const whites = s.whites.length > 0 ? s.whites.join(' and ') : '';
  return `${whites}${whites && s.powerball !== null ? ' with ' : ''}${s.powerball !== null ? `Powerball ${s.powerball}` : ''}`;
}

/** How often whites (and a Powerball) were in one draw; with no numbers, the most frequent pairs. */
export function answerTogether(draws: readonly Draw[], q: Of<'together'>, today: IsoDate): AskResult {
  const { options, flags } = periodOptions(q.period, today, 'together');
  const maxW = Math.max(...ERAS.map((e) => e.whiteMax));
  const maxP = Math.max(...ERAS.map((e) => e.powerballMax));
  const bad = q.whites.find((x) => x > maxW);
  if (bad !== undefined)
    refuse(
      `${bad} has never been a valid white ball (at most 1–${maxW})`,
      'number outside every era',
      ['together'],
      null,
    );
  if (q.powerball !== null && q.powerball > maxP)
    refuse(
      `${q.powerball} has never been a valid Powerball (at most 1–${maxP})`,
      'number outside every era',
      ['together'],
      null,
    );
  if (q.whites.length === 0 && q.powerball === null) {
    const report = analyzeDraws(draws, { ...options, top: 5, maxCombinationSize: 2 });
    const figures: AskFigure[] = [];
    const parts = report.eras.map((e) => {
      const pairs = e.combinations.find((c) => c.size === 2 && !c.withPowerball);
      const top = pairs?.top ?? [];
      figures.push({
        name: 'most frequent pairs',
        value: top.map((t) => t.whites.join('-')),
        chance: null,
        era: e.era.id,
      });
      figures.push({
        name: 'pair counts',
        value: top.map((t) => t.count),
        chance: pairs?.expected ?? null,
        era: e.era.id,
      });
      return `${per(report, e)}${top.length ? top.map((t) => `${t.whites.join(' & ')} (${t.count})`).join(', ') : 'no pair repeated'}, any one pair expected ${fmt(pairs?.expected ?? 0, 2)} times by chance`;
    });
    return {
      sentence: `The white-ball pairs drawn together most often ${coverageText(report)}: ${parts.join('; ')}.`,
      figures,
      coverage: coverage(report),
      command: command(flags, ['--top 5']),
    };
  }
  const report = analyzeDraws(draws, { ...options, selection: { whites: q.whites, powerball: q.powerball } });
  const figures: AskFigure[] = [];
  let count = 0;
  let expected = 0;
  const impossible: string[] = [];
  let last: { date: IsoDate; era: IsoDate } | null = null;
  for (const e of report.eras) {
    const s = e.selection as SelectionStats;
    if (!s.possible) impossible.push(eraShort(e.era));
    count += s.count;
    expected += s.expected;
    if (s.lastSeen) last = { date: s.lastSeen, era: e.era.id };
    figures.push({ name: 'draws together', value: s.count, chance: s.expected, era: e.era.id });
  }
  if (report.eras.length > 1)
    figures.push({ name: 'draws together', value: count, chance: expected, era: null });
  figures.push({ name: 'last together', value: last?.date ?? null, chance: null, era: last?.era ?? null });
  const what = selectionText(report.eras[0]?.selection as SelectionStats);
  const flagsOut = [
    ...(q.whites.length ? [`--numbers ${q.whites.join(',')}`] : []),
    ...(q.powerball !== null ? [`--pb ${q.powerball}`] : []),
  ];
  return {
    sentence: `${what} were drawn together ${plural(count, 'time')}, ${coverageText(report)}, against ${fmt(expected, 2)} expected by chance${last ? `; last on ${last.date}` : ''}${impossible.length ? ` (impossible in the ${impossible.join(', ')}: a number was out of range)` : ''}.`,
    figures,
    coverage: coverage(report),
    command: command(flags, flagsOut),
  };
}

/** Draws per weekday: all of them against the calendar, or those with a number against chance. */
export function answerWeekday(draws: readonly Draw[], q: Of<'weekday'>, today: IsoDate): AskResult {
  const { options, flags } = periodOptions(q.period, today, 'weekday');
  if (q.number === null) {
    const report = analyzeDraws(draws, options);
    const figures: AskFigure[] = [];
    const parts = report.eras.map((e) => {
      for (const w of e.weekdays)
        figures.push({ name: `${w.weekday} draws`, value: w.observed, chance: w.expected, era: e.era.id });
      return `${per(report, e)}${e.weekdays.map((w) => `${w.weekday} ${fmt(w.observed, 0)} (scheduled ${fmt(w.expected, 0)})`).join(', ')}`;
    });
    return {
      sentence: `Draws per weekday ${coverageText(report)}: ${parts.join('; ')}. Draws are on Wednesdays and Saturdays, and Mondays since 2021-08-23.`,
      figures,
      coverage: coverage(report),
      command: command(flags),
    };
  }
  const asWhite = q.pool !== 'powerball' && q.number <= Math.max(...ERAS.map((e) => e.whiteMax));
  const selection = asWhite ? { whites: [q.number], powerball: null } : { whites: [], powerball: q.number };
  if (!asWhite && q.number > Math.max(...ERAS.map((e) => e.powerballMax)))
    refuse(
      `${q.number} has never been a valid ${q.pool === 'powerball' ? 'Powerball' : 'ball'} number`,
      'number outside every era',
      ['weekday'],
      null,
    );
  const report = analyzeDraws(draws, { ...options, selection });
  const figures: AskFigure[] = [];
  const parts = report.eras.map((e) => {
    const s = e.selection as SelectionStats;
    if (!s.possible) return `${per(report, e)}impossible in that era`;
    for (const w of s.weekdays)
      figures.push({
        name: `${w.weekday} draws with ${q.number}`,
        value: w.count,
        chance: w.expected,
        era: e.era.id,
      });
    const best = [...s.weekdays].sort((a, b) => b.count - a.count)[0];
    return `${per(report, e)}most on ${best?.weekday ?? '–'}; ${s.weekdays.map((w) => `${w.weekday} ${w.count} of ${fmt(w.draws, 0)} draws (expected ${fmt(w.expected)})`).join(', ')}`;
  });
  return {
    sentence: `Draws with ${q.number} as ${asWhite ? 'a white ball' : 'the Powerball'} by weekday ${coverageText(report)}: ${parts.join('; ')}. The weekday with more draws has more of every number: compare each count with its expectation.`,
    figures,
    coverage: coverage(report),
    command: command(flags, [asWhite ? `--numbers ${q.number}` : `--pb ${q.number}`]),
  };
}

const PATTERN_TEXT: Record<PatternName, string> = {
  'all-odd': 'all five white balls odd',
  'all-even': 'all five white balls even',
  'all-high': 'all five white balls in the upper half',
  'all-low': 'all five white balls in the lower half',
  consecutive: 'at least two consecutive white balls',
  'sum-above': 'a white-ball sum above',
  'sum-below': 'a white-ball sum below',
  'sum-equal': 'a white-ball sum of',
};

/** Draws with a pattern, against the count expected by chance. */
export function answerPattern(draws: readonly Draw[], q: Of<'pattern'>, today: IsoDate): AskResult {
  const { options, flags } = periodOptions(q.period, today, 'pattern');
  const isSum = q.pattern.startsWith('sum-');
  if (isSum && q.value === null) refuse('which sum? e.g. "a sum above 200"', 'no sum', ['pattern'], null);
  const report = analyzeDraws(draws, isSum ? { ...options, sum: q.value as number } : options);
  const figures: AskFigure[] = [];
  let count = 0;
  let expected = 0;
  for (const e of report.eras) {
    const [c, x] = patternCount(e, q.pattern);
    count += c;
    expected += x;
    figures.push({ name: q.pattern, value: c, chance: x, era: e.era.id });
  }
  if (report.eras.length > 1) figures.push({ name: q.pattern, value: count, chance: expected, era: null });
  const what = `${PATTERN_TEXT[q.pattern]}${isSum ? ` ${q.value}` : ''}`;
  return {
    sentence: `${plural(count, 'draw')} had ${what}, ${coverageText(report)}, against ${fmt(expected)} expected by chance.`,
    figures,
    coverage: coverage(report),
    command: command(flags, isSum ? [`--sum ${q.value}`] : []),
  };
}

function patternCount(e: EraAnalysis, pattern: PatternName): [number, number] {
  const k = (split: EraAnalysis['oddEven'], at: number) => {
    const row = split.distribution[at] as { count: number; expected: number };
    return [row.count, row.expected] as [number, number];
  };
  const pos = e.sums.position;
  switch (pattern) {
    case 'all-odd':
      return k(e.oddEven, 5);
    case 'all-even':
      return k(e.oddEven, 0);
    case 'all-high':
      return k(e.highLow, 5);
    case 'all-low':
      return k(e.highLow, 0);
    case 'consecutive':
      return [e.consecutive.count, e.consecutive.expected];
    case 'sum-above':
      return pos ? [pos.above, pos.expectedAbove] : [0, 0];
    case 'sum-below':
      return pos ? [pos.below, pos.expectedBelow] : [0, 0];
    case 'sum-equal':
      return pos ? [pos.equal, pos.expectedEqual] : [0, 0];
  }
}

/** Odds of a prize tier for one ticket in the current era. */
export function answerOdds(q: Of<'odds'>): AskResult {
  const odds = prizeOdds(CURRENT_ERA);
  const era = eraName(CURRENT_ERA);
  if (q.tier === 'any') {
    const p = odds.reduce((s, o) => s + o.probability, 0);
    return {
      sentence: `The odds of winning any prize with one ticket are 1 in ${fmt(1 / p, 2)} in ${era}; the jackpot alone is 1 in ${fmt((odds[0] as { oneIn: number }).oneIn, 0)}.`,
      figures: [{ name: 'any prize probability', value: p, chance: p, era: CURRENT_ERA.id }],
      coverage: null,
      command: command([]),
    };
  }
  const o = odds.find((x) => x.tier === q.tier) as (typeof odds)[number];
  const info = PRIZE_TIERS.find((t) => t.tier === q.tier) as (typeof PRIZE_TIERS)[number];
  const matches = `${info.whiteMatches} white ball${info.whiteMatches === 1 ? '' : 's'}${info.powerballMatch ? `${info.whiteMatches ? ' and' : ''} the Powerball` : ' without the Powerball'}`;
  return {
    sentence: `The odds of matching ${info.whiteMatches === 0 ? 'only the Powerball' : matches} (${o.tier}) with one ticket are 1 in ${fmt(o.oneIn, 0)} in ${era}; the prize is ${info.amount === null ? 'the jackpot' : `$${fmt(info.amount, 0)}`}.`,
    figures: [
      { name: `${o.tier} probability`, value: o.probability, chance: o.probability, era: CURRENT_ERA.id },
      { name: `${o.tier} one in`, value: o.oneIn, chance: null, era: CURRENT_ERA.id },
    ],
    coverage: null,
    command: command([]),
  };
}

/** Numbers rising and falling: the last K periods against the K before (current era). */
export function answerTrend(draws: readonly Draw[], q: Of<'trend'>): AskResult {
  const report = analyzeDraws(draws, {
    era: 'current',
    period: q.unit,
    periods: q.units,
    top: 5,
    maxCombinationSize: 0,
  });
  const e = report.eras[0] as EraAnalysis;
  const t = e.trends;
  const figures: AskFigure[] = [];
  const parts: string[] = [];
  for (const [p, lists, pool] of [
    ['white', t.whites, e.whites],
    ['powerball', t.powerball, e.powerball],
  ] as const) {
    if (q.pool !== 'any' && q.pool !== p) continue;
    const rate = pool.perDraw / pool.size;
    figures.push({
      name: `rising ${p}s`,
      value: lists.rising.map((x) => x.number),
      chance: null,
      era: e.era.id,
    });
    figures.push({
      name: `falling ${p}s`,
      value: lists.falling.map((x) => x.number),
      chance: null,
      era: e.era.id,
    });
    figures.push({
      name: `${p} expected per window`,
      value: t.recent.draws * rate,
      chance: t.recent.draws * rate,
      era: e.era.id,
    });
    const sd = Math.sqrt(t.recent.draws * rate * (1 - rate));
    parts.push(
      `${p === 'white' ? 'white balls' : 'Powerballs'} rising ${lists.rising.map((x) => `${x.number} (${x.previous}→${x.recent})`).join(', ') || '–'}, falling ${lists.falling.map((x) => `${x.number} (${x.previous}→${x.recent})`).join(', ') || '–'}; by chance each is drawn ${fmt(t.recent.draws * rate)} ± ${fmt(sd)} times per window`,
    );
  }
  return {
    sentence: `Trends, the last ${plural(q.units, q.unit.replace('ly', ''))} (${t.recent.draws} draws, ${t.recent.from} to ${t.recent.to}) against the ${q.units === 1 ? 'one' : q.units} before (${t.previous.draws} draws) in ${eraName(e.era)}: ${parts.join('; ')}. Swings this size are what chance produces; they do not carry into the next draw.${t.note ? ` ${t.note}.` : ''}`,
    figures,
    coverage: coverage(report),
    command: command([], [`--period ${q.unit}`, `--periods ${q.units}`]),
  };
}

/** What the history holds: draws, dates and eras. */
export function answerSummary(draws: readonly Draw[]): AskResult {
  const report = analyzeDraws(draws, { era: 'all', maxCombinationSize: 0 });
  const figures: AskFigure[] = report.eras.map((e) => ({
    name: 'draws',
    value: e.draws,
    chance: null,
    era: e.era.id,
  }));
  const c = coverage(report);
  figures.push({ name: 'draws', value: c.draws, chance: null, era: null });
  const missing = report.eras.reduce((s, e) => s + e.missingDraws, 0);
  return {
    sentence: `The history holds ${plural(c.draws, 'draw')} from ${c.from} to ${c.to} in ${report.eras.length} rule eras (${report.eras.map((e) => `${eraShort(e.era)} ${fmt(e.draws, 0)}, whites 1–${e.era.whiteMax}, Powerball 1–${e.era.powerballMax}`).join('; ')})${missing ? `; ${missing} scheduled draw dates have no stored draw` : ''}. Ask how often a number was drawn, when it was last drawn, the most frequent numbers, sums, pairs, weekdays, gaps, patterns, trends or prize odds.`,
    figures,
    coverage: c,
    command: command(['--era all']),
  };
}

export function answerHelp(): AskResult {
  return {
    sentence: `Ask about the draw history in plain English, for example: ${exampleQuestions()
      .map((q) => `"${q}"`)
      .join(
        ' ',
      )} Periods: "since March 2020", "in 2019", "between 2016 and 2018", "last 100 draws", "in the past 6 months", "this era", "ever". Every figure comes from pbi analyze, per rule era, beside what chance would give.`,
    figures: [],
    coverage: null,
    command: null,
  };
}
