/**
 * Answers about single numbers — how often, when last, most and least frequent, overdue — each
 * figure read from `analyzeDraws` (the code of `pbi analyze`), era by era, beside its chance value.
 */
import type { IsoDate } from '../../domain/dates.js';
import type { Draw } from '../../domain/draw.js';
import { type AnalysisReport, analyzeDraws, type NumberStats, type PoolStats } from '../analysis-service.js';
import { gapSurvival } from '../analysis-stats.js';
import {
  type AskFigure,
  type AskResult,
  command,
  coverage,
  coverageText,
  eraName,
  eraShort,
  fmt,
  isValidIn,
  periodOptions,
  plural,
  poolName,
  poolsFor,
  refuse,
} from './ask-format.js';
import type { AskQuery } from './ask-query.js';

type Of<K extends AskQuery['kind']> = Extract<AskQuery, { kind: K }>;
type OnePool = 'white' | 'powerball';

const poolOf = (e: AnalysisReport['eras'][number], p: OnePool): PoolStats =>
  p === 'white' ? e.whites : e.powerball;

/** How often a number was drawn, per pool and era, against the count expected by chance. */
export function answerCount(draws: readonly Draw[], q: Of<'count'>, today: IsoDate): AskResult {
  const { pools, notes } = poolsFor(q.number, q.pool, 'count');
  const { options, flags } = periodOptions(q.period, today, 'count');
  const report = analyzeDraws(draws, options);
  const figures: AskFigure[] = [];
  const clauses: string[] = [];
  for (const p of pools) {
    let count = 0;
    let expected = 0;
    const impossible: string[] = [];
    for (const e of report.eras) {
      if (!isValidIn(e.era, q.number, p)) {
        impossible.push(eraShort(e.era));
        figures.push({ name: `${p} count`, value: 0, chance: 0, era: e.era.id });
        continue;
      }
      const x = poolOf(e, p).numbers[q.number - 1] as NumberStats;
      count += x.count;
      expected += x.expected;
      figures.push({ name: `${p} count`, value: x.count, chance: x.expected, era: e.era.id });
    }
    if (report.eras.length > 1)
      figures.push({ name: `${p} count`, value: count, chance: expected, era: null });
    const cannot =
      impossible.length > 0
        ? ` (it could not be drawn as ${poolName(p)} in the ${impossible.join(', ')})`
        : '';
    clauses.push(
      `as ${poolName(p)} ${plural(count, 'time')} against ${fmt(expected)} expected by chance${cannot}`,
    );
  }
  const perEra =
    report.eras.length > 1
      ? ` Per era: ${report.eras.map((e) => `${eraShort(e.era)}, ${fmt(e.draws, 0)} draws: ${pools.map((p) => `${isValidIn(e.era, q.number, p) ? (poolOf(e, p).numbers[q.number - 1] as NumberStats).count : 'impossible'} as ${poolName(p)}`).join(', ')}`).join('; ')}.`
      : '';
  return {
    sentence: `${q.number} was drawn ${clauses.join(', and ')}, ${coverageText(report)}.${perEra}${notes.length ? ` ${notes.join('; ')}.` : ''}`,
    figures,
    coverage: coverage(report),
    command: command(flags),
  };
}

/** When a number was last drawn and how many draws ago, with the mean gap by chance. */
export function answerLast(draws: readonly Draw[], q: Of<'last'>, today: IsoDate): AskResult {
  const { pools, notes } = poolsFor(q.number, q.pool, 'last');
  const { options, flags } = periodOptions(q.period, today, 'last');
  const report = analyzeDraws(draws, options);
  const figures: AskFigure[] = [];
  const clauses: string[] = [];
  const newest = report.eras[report.eras.length - 1] as AnalysisReport['eras'][number];
  for (const p of pools) {
    // Newest era first; draws of the later eras add to the gap counted inside the era.
    let later = 0;
    let found: { date: IsoDate; ago: number; era: IsoDate } | null = null;
    for (let i = report.eras.length - 1; i >= 0 && !found; i--) {
      const e = report.eras[i] as AnalysisReport['eras'][number];
      const x = isValidIn(e.era, q.number, p) ? (poolOf(e, p).numbers[q.number - 1] as NumberStats) : null;
      if (x?.lastSeen) found = { date: x.lastSeen, ago: x.gap + later, era: e.era.id };
      later += e.draws;
    }
    const meanGap = isValidIn(newest.era, q.number, p) ? poolOf(newest, p).expectedGap : null;
    figures.push({
      name: `${p} last drawn`,
      value: found?.date ?? null,
      chance: null,
      era: found?.era ?? null,
    });
    figures.push({ name: `${p} draws ago`, value: found ? found.ago : null, chance: meanGap, era: null });
    clauses.push(
      found
        ? `as ${poolName(p)} on ${found.date}, ${plural(found.ago, 'draw')} ago${meanGap !== null ? ` (by chance once every ${fmt(meanGap)} draws on average)` : ` (it cannot be drawn as ${poolName(p)} in ${eraName(newest.era)})`}`
        : `never as ${poolName(p)}`,
    );
  }
  return {
    sentence: `${q.number} was last drawn ${clauses.join('; and ')}, looking ${coverageText(report)}.${notes.length ? ` ${notes.join('; ')}.` : ''}`,
    figures,
    coverage: coverage(report),
    command: command(flags),
  };
}

/** The same order as `analyze`'s hot and cold lists: by count, ties by the smaller number. */
export function ranked(pool: PoolStats, order: 'most' | 'least', top: number): NumberStats[] {
  const sign = order === 'most' ? -1 : 1;
  return [...pool.numbers].sort((a, b) => sign * (a.count - b.count) || a.number - b.number).slice(0, top);
}

/** The most or least frequent numbers of each era in the period. */
export function answerRank(draws: readonly Draw[], q: Of<'rank'>, today: IsoDate): AskResult {
  const { options, flags } = periodOptions(q.period, today, 'rank');
  const report = analyzeDraws(draws, { ...options, top: q.top });
  const pools: OnePool[] = q.pool === 'any' ? ['white', 'powerball'] : [q.pool];
  const figures: AskFigure[] = [];
  const parts: string[] = [];
  for (const e of report.eras)
    for (const p of pools) {
      const pool = poolOf(e, p);
      const list = ranked(pool, q.order, q.top);
      figures.push({
        name: `${q.order} frequent ${p}s`,
        value: list.map((x) => x.number),
        chance: null,
        era: e.era.id,
      });
      figures.push({
        name: `${q.order} frequent ${p} counts`,
        value: list.map((x) => x.count),
        chance: pool.expectedCount,
        era: e.era.id,
      });
      parts.push(
        `${p === 'white' ? 'white balls' : 'Powerballs'}${report.eras.length > 1 ? ` (${eraShort(e.era)})` : ''}: ${list.map((x) => `${x.number} (${x.count})`).join(', ')}, each expected ${fmt(pool.expectedCount)} times by chance`,
      );
    }
  return {
    sentence: `The ${q.order} frequent numbers ${coverageText(report)} — ${parts.join('; ')}. Ties go to the smaller number.`,
    figures,
    coverage: coverage(report),
    command: command(flags, [`--top ${q.top}`]),
  };
}

/** A number's current gap against the gap distribution by chance, or the longest current gaps. */
export function answerOverdue(draws: readonly Draw[], q: Of<'overdue'>, today: IsoDate): AskResult {
  const { options, flags } = periodOptions(q.period, today, 'overdue');
  const report = analyzeDraws(draws, options);
  const e = report.eras[report.eras.length - 1] as AnalysisReport['eras'][number];
  const span =
    report.eras.length > 1 ? ` (gaps are counted in the newest era of the period, ${eraName(e.era)})` : '';
  const figures: AskFigure[] = [];
  const parts: string[] = [];
  if (q.number === null) {
    for (const p of q.pool === 'any' ? (['white', 'powerball'] as const) : [q.pool]) {
      const pool = poolOf(e, p);
      const list = [...pool.numbers].sort((a, b) => b.gap - a.gap || a.number - b.number).slice(0, 5);
      figures.push({
        name: `longest ${p} gaps`,
        value: list.map((x) => x.number),
        chance: null,
        era: e.era.id,
      });
      figures.push({
        name: `${p} gap lengths`,
        value: list.map((x) => x.gap),
        chance: pool.expectedGap,
        era: e.era.id,
      });
      parts.push(
        `${p === 'white' ? 'white balls' : 'Powerballs'} ${list.map((x) => `${x.number} (${x.gap})`).join(', ')}, against a mean gap of ${fmt(pool.expectedGap)} draws by chance`,
      );
    }
    return {
      sentence: `The longest current gaps ${coverageText(report)}${span}: ${parts.join('; ')}. A long gap does not make a number due: every draw is independent.`,
      figures,
      coverage: coverage(report),
      command: command(flags),
    };
  }
  const { pools, notes } = poolsFor(q.number, q.pool, 'overdue');
  for (const p of pools) {
    if (!isValidIn(e.era, q.number, p)) {
      notes.push(`${q.number} cannot be drawn as ${poolName(p)} in ${eraName(e.era)}`);
      continue;
    }
    const pool = poolOf(e, p);
    const x = pool.numbers[q.number - 1] as NumberStats;
    const prob = pool.perDraw / pool.size;
    const tail = gapSurvival(prob, x.gap);
    figures.push({ name: `${p} gap`, value: x.gap, chance: pool.expectedGap, era: e.era.id });
    figures.push({ name: `${p} chance of a gap this long`, value: tail, chance: null, era: e.era.id });
    figures.push({ name: `${p} longest gap`, value: x.longestGap, chance: null, era: e.era.id });
    figures.push({ name: `${p} next-draw chance`, value: prob, chance: prob, era: e.era.id });
    parts.push(
      `as ${poolName(p)} its current gap is ${plural(x.gap, 'draw')} (${x.lastSeen ? `last on ${x.lastSeen}` : 'never drawn in the period'}; longest ${fmt(x.longestGap, 0)}), against a mean gap of ${fmt(pool.expectedGap)} draws by chance; a gap at least this long happens with probability ${fmt(tail * 100)}%, and its chance in the next draw is still ${pool.perDraw} in ${pool.size}`,
    );
  }
  return {
    ...(parts.length === 0 ? refuse(`${notes.join('; ')}`, 'number outside the era', ['overdue'], null) : {}),
    sentence: `No number is ever overdue: draws are independent. For ${q.number}, ${coverageText(report)}${span}: ${parts.join('; ')}.${notes.length ? ` ${notes.join('; ')}.` : ''}`,
    figures,
    coverage: coverage(report),
    command: command(flags),
  };
}
