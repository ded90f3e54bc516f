/**
 * What every answer shares: the period checked against the calendar and turned into `analyze`
 * options (and the equivalent command), the numbers checked against the eras, the era and coverage
 * phrases, and number formatting.
 */
import type { IsoDate } from '../../domain/dates.js';
import { ERAS, FIRST_DRAW_DATE, type RuleEra } from '../../domain/eras.js';
import type { AnalysisReport, AnalyzeOptions, EraAnalysis } from '../analysis-service.js';
import { QuestionRefusedError } from './ask-errors.js';
import { suggestionsFor } from './ask-examples.js';
import type { AskKind, Period, Pool } from './ask-query.js';

/** One figure of an answer, beside the same figure expected by chance where one exists. */
export interface AskFigure {
  /** What it measures, e.g. "white count", "gap", "mean sum". */
  readonly name: string;
  readonly value: number | string | readonly number[] | readonly string[] | null;
  readonly chance: number | null;
  /** The era it covers (its first draw date); null for a figure over the whole period. */
  readonly era: IsoDate | null;
}

export interface AskCoverage {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly draws: number;
  readonly eras: readonly {
    readonly id: IsoDate;
    readonly from: IsoDate;
    readonly to: IsoDate;
    readonly draws: number;
    readonly whiteMax: number;
    readonly powerballMax: number;
  }[];
}

/** An answer computed by our code: the sentence, its figures, what they cover, how to reproduce. */
export interface AskResult {
  readonly sentence: string;
  readonly figures: readonly AskFigure[];
  readonly coverage: AskCoverage | null;
  /** The `pbi analyze …` command that prints the same figures; null when there is none (help). */
  readonly command: string | null;
}

export const INDEPENDENCE =
  'Draws are random and independent: these figures describe the past and do not change the odds of the next draw.';

/** 1234.5 → "1,234.5"; whole numbers without decimals. */
export function fmt(x: number, digits = 1): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${fmt(n, 0)} ${n === 1 ? word : many}`;
}

export function refuse(message: string, reason: string, kinds: readonly AskKind[], n: number | null): never {
  throw new QuestionRefusedError(message, reason, suggestionsFor(kinds, n), true);
}

/**
 * The period checked against the calendar: before the first year of Powerball, or after `today`, is
 * refused; an end past today is today. Returns the `analyze` options and their flags.
 * @throws QuestionRefusedError for a period with no possible draw.
 */
export function periodOptions(
  period: Period,
  today: IsoDate,
  kind: AskKind,
): { options: AnalyzeOptions; flags: string[] } {
  // Only the most-frequent-pairs answer reads combinations (pairs); the others skip their counting.
  const maxCombinationSize = 0;
  if (period.kind === 'era')
    return period.era === 'current'
      ? { options: { era: 'current', maxCombinationSize }, flags: [] }
      : { options: { era: 'all', maxCombinationSize }, flags: ['--era all'] };
  if (period.kind === 'last')
    return {
      options: { era: 'all', window: period.draws, maxCombinationSize },
      flags: ['--era all', `--window ${period.draws}`],
    };
  // The schema checked both are real calendar dates.
  const from = period.from as IsoDate | null;
  let to = period.to as IsoDate | null;
  const firstYear = `${FIRST_DRAW_DATE.slice(0, 4)}-01-01`;
  if (from !== null && from < firstYear)
    refuse(
      `${from} is before the first Powerball draw (${FIRST_DRAW_DATE}); ask "ever" or "since 1992" for the whole history`,
      'date before 1992',
      [kind],
      null,
    );
  if (to !== null && to < FIRST_DRAW_DATE)
    refuse(`${to} is before the first Powerball draw (${FIRST_DRAW_DATE})`, 'date before 1992', [kind], null);
  if (from !== null && from > today)
    refuse(
      `${from} is in the future (today is ${today}): there are no draws to count yet`,
      'date in the future',
      [kind],
      null,
    );
  if (from !== null && to !== null && from > to)
    refuse(`the period starts (${from}) after it ends (${to})`, 'period ends before it starts', [kind], null);
  if (to !== null && to > today) to = today;
  const options: AnalyzeOptions = {
    era: 'all',
    maxCombinationSize,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
  };
  return {
    options,
    flags: ['--era all', ...(from ? [`--from ${from}`] : []), ...(to ? [`--to ${to}`] : [])],
  };
}

/** `pbi analyze` with the period's flags and the answer's own. */
export function command(flags: readonly string[], extra: readonly string[] = []): string {
  return ['pbi analyze', ...flags, ...extra].join(' ');
}

const maxOf = (pool: 'white' | 'powerball') =>
  Math.max(...ERAS.map((e) => (pool === 'white' ? e.whiteMax : e.powerballMax)));

function rangesText(pool: 'white' | 'powerball'): string {
  const seen: string[] = [];
  for (const e of ERAS) {
    const max = pool === 'white' ? e.whiteMax : e.powerballMax;
    const last = seen.at(-1);
    if (!last?.startsWith(`1–${max} `)) seen.push(`1–${max} from ${e.from}`);
  }
  return seen.join(', ');
}

export const poolName = (pool: 'white' | 'powerball'): string =>
  pool === 'white' ? 'a white ball' : 'the Powerball';

/**
 * The pools to answer for `n`: a pool it was never valid in is refused when asked for alone, and
 * left out (with a note) when the question asked for either pool.
 * @throws QuestionRefusedError when `n` was never a valid number of the pool(s).
 */
export function poolsFor(
  n: number,
  pool: Pool,
  kind: AskKind,
): { pools: ('white' | 'powerball')[]; notes: string[] } {
  const asked: ('white' | 'powerball')[] = pool === 'any' ? ['white', 'powerball'] : [pool];
  const valid = asked.filter((p) => n <= maxOf(p));
  const notes = asked
    .filter((p) => n > maxOf(p))
    .map(
      (p) =>
        `${n} has never been a valid ${p === 'white' ? 'white ball' : 'Powerball'} (${p === 'white' ? 'whites' : 'Powerballs'} have run ${rangesText(p)})`,
    );
  if (valid.length === 0)
    refuse(
      pool === 'any'
        ? `${n} has never been a valid Powerball number: white balls have run at most 1–${maxOf('white')}, the Powerball at most 1–${maxOf('powerball')}`
        : `${notes[0]}, so it has never been drawn`,
      'number outside every era',
      [kind],
      null,
    );
  return { pools: valid, notes };
}

export function isValidIn(era: RuleEra, n: number, pool: 'white' | 'powerball'): boolean {
  return n <= (pool === 'white' ? era.whiteMax : era.powerballMax);
}

/** "the current era (since 2015-10-07; whites 1–69, Powerball 1–26)". */
export function eraName(era: RuleEra): string {
  const span =
    era.to === null ? `the current era (since ${era.from}` : `the era of ${era.from} to ${era.to} (`;
  return `${span}${era.to === null ? '; ' : ''}whites 1–${era.whiteMax}, Powerball 1–${era.powerballMax})`;
}

/** A short era label for lists: "2015-10-07 era". */
export const eraShort = (era: RuleEra): string => (era.to === null ? 'current era' : `${era.from} era`);

export function coverage(report: AnalysisReport): AskCoverage {
  const eras = report.eras;
  return {
    from: (eras[0] as EraAnalysis).from,
    to: (eras[eras.length - 1] as EraAnalysis).to,
    draws: eras.reduce((s, e) => s + e.draws, 0),
    eras: eras.map((e) => ({
      id: e.era.id,
      from: e.from,
      to: e.to,
      draws: e.draws,
      whiteMax: e.era.whiteMax,
      powerballMax: e.era.powerballMax,
    })),
  };
}

/** "in 664 draws from 2020-03-04 to 2026-08-05, all in the current era (…)" */
export function coverageText(report: AnalysisReport): string {
  const c = coverage(report);
  const head = `in ${plural(c.draws, 'draw')} from ${c.from} to ${c.to}`;
  return report.eras.length === 1
    ? `${head}, ${(report.eras[0] as EraAnalysis).era.to === null ? 'all in' : 'in'} ${eraName((report.eras[0] as EraAnalysis).era)}`
    : `${head}, across ${report.eras.length} rule eras counted separately`;
}
