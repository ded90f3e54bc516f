/**
 * The dashboard's analysis pages: the figures the original app showed per page (trends per period,
 * combinations against chance, the pooled all-history frequencies), computed from the draw history
 * per rule era, whites and Powerball apart (DESIGN §8). Each view takes a scope (an era, optionally
 * a date range inside it) and reads `analyzeDraws` where that already holds the figure, so the
 * dashboard and `pbi analyze` agree.
 */
import { checkDateRange, fromEpochDay, type IsoDate, toEpochDay } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, ERAS, eraOf, type RuleEra } from '../domain/eras.js';
import { FieldError, InsufficientDataError, ValidationError } from '../domain/errors.js';
import type { ComboEntry } from './analysis-combinations.js';
import { analyzeDraws, type EraAnalysis, type TrendEntry } from './analysis-service.js';

/** Which draws a view reads: one era (its first date; the current era by default), optionally a range in it. */
export interface ViewScope {
  readonly era?: string;
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

export interface Scoped {
  readonly era: RuleEra;
  readonly draws: readonly Draw[];
}

/**
 * The draws of the scope, oldest first.
 * @throws ValidationError for an unknown era or from after to; InsufficientDataError when none remain.
 */
export function scopeDraws(all: readonly Draw[], scope: ViewScope): Scoped {
  const era = scope.era === undefined ? CURRENT_ERA : ERAS.find((e) => e.id === scope.era);
  if (!era)
    throw new FieldError(
      () => `no rule era starts on ${scope.era}`,
      [{ where: 'era', reason: `expected one of ${ERAS.map((e) => e.id).join(', ')}` }],
    );
  checkDateRange(scope.from, scope.to);
  const draws = all.filter(
    (d) =>
      eraOf(d.date) === era &&
      (scope.from === undefined || d.date >= scope.from) &&
      (scope.to === undefined || d.date <= scope.to),
  );
  if (draws.length === 0)
    throw new InsufficientDataError(
      `no stored draws in the era from ${era.from}${scope.from || scope.to ? ` between ${scope.from ?? era.from} and ${scope.to ?? 'today'}` : ''}`,
    );
  return { era, draws };
}

/** The single era analysis of scoped draws (pairs and larger combinations only when asked). */
function analyzeScoped(s: Scoped, options: Parameters<typeof analyzeDraws>[1] = {}): EraAnalysis {
  return analyzeDraws(s.draws, { maxCombinationSize: 0, ...options, era: 'all' }).eras[0] as EraAnalysis;
}

export type Grouping = 'week' | 'month' | 'year';
export type Pool = 'whites' | 'powerball';

/** The first day of the week (Monday), month or year holding `date`. */
export function periodStart(date: IsoDate, group: Grouping): IsoDate {
  if (group === 'year') return `${date.slice(0, 4)}-01-01` as IsoDate;
  if (group === 'month') return `${date.slice(0, 7)}-01` as IsoDate;
  const day = toEpochDay(date);
  const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
  return fromEpochDay(day - weekday);
}

export interface TrendChangeEntry extends TrendEntry {
  /** The change in units of its standard deviation under chance (both windows' binomial noise). */
  readonly z: number;
}

export interface TrendsView {
  readonly era: RuleEra;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly draws: number;
  readonly group: Grouping;
  readonly pool: Pool;
  readonly numbers: readonly number[];
  /** Chance of one chosen number per draw (5/whiteMax or 1/powerballMax). */
  readonly chancePerDraw: number;
  /** One row per period holding a draw, oldest first; `counts[i]` is for `numbers[i]`. */
  readonly periods: readonly {
    readonly start: IsoDate;
    readonly draws: number;
    readonly counts: readonly number[];
  }[];
  /** The last K periods against the K before (as `pbi analyze --period`). */
  readonly comparison: {
    readonly periods: number;
    readonly recent: { readonly from: IsoDate; readonly to: IsoDate; readonly draws: number };
    readonly previous: { readonly from: IsoDate; readonly to: IsoDate; readonly draws: number };
    readonly rising: readonly TrendChangeEntry[];
    readonly falling: readonly TrendChangeEntry[];
    readonly note: string | null;
  };
}

const TREND_PERIOD = { week: 'weekly', month: 'monthly', year: 'yearly' } as const;

/**
 * Counts per period of chosen numbers, and the numbers trending up and down.
 * @throws ValidationError for a number outside the pool's range.
 */
export function trendsView(
  all: readonly Draw[],
  scope: ViewScope & {
    readonly group: Grouping;
    readonly pool: Pool;
    readonly numbers: readonly number[];
    readonly periods?: number;
    readonly top?: number;
  },
): TrendsView {
  const s = scopeDraws(all, scope);
  const size = scope.pool === 'whites' ? s.era.whiteMax : s.era.powerballMax;
  const bad = scope.numbers.filter((n) => !Number.isInteger(n) || n < 1 || n > size);
  if (bad.length > 0)
    throw new ValidationError(`${bad.join(', ')} cannot be drawn in this era (1–${size})`, [
      { where: 'query.numbers', reason: `expected numbers 1–${size}` },
    ]);
  const periods: { start: IsoDate; draws: number; counts: number[] }[] = [];
  for (const d of s.draws) {
    const start = periodStart(d.date, scope.group);
    let row = periods[periods.length - 1];
    if (row?.start !== start) periods.push((row = { start, draws: 0, counts: scope.numbers.map(() => 0) }));
    row.draws++;
    const drawn = scope.pool === 'whites' ? d.whites : [d.powerball];
    scope.numbers.forEach((n, i) => {
      if (drawn.includes(n)) row.counts[i] = (row.counts[i] as number) + 1;
    });
  }
  const top = scope.top ?? 10;
  const a = analyzeScoped(s, {
    period: TREND_PERIOD[scope.group],
    ...(scope.periods !== undefined && { periods: scope.periods }),
    top,
  });
  const t = a.trends;
  const p = scope.pool === 'whites' ? 5 / s.era.whiteMax : 1 / s.era.powerballMax;
  const nr = t.recent.draws;
  const np = t.previous.draws;
  const sd = nr > 0 && np > 0 ? Math.sqrt(p * (1 - p) * (1 / nr + 1 / np)) : 0;
  const withZ = (e: TrendEntry): TrendChangeEntry => ({ ...e, z: sd > 0 ? e.change / sd : 0 });
  const lists = scope.pool === 'whites' ? t.whites : t.powerball;
  return {
    era: s.era,
    from: (s.draws[0] as Draw).date,
    to: (s.draws[s.draws.length - 1] as Draw).date,
    draws: s.draws.length,
    group: scope.group,
    pool: scope.pool,
    numbers: [...scope.numbers],
    chancePerDraw: p,
    periods,
    comparison: {
      periods: t.periods,
      recent: t.recent,
      previous: t.previous,
      rising: lists.rising.map(withZ),
      falling: lists.falling.map(withZ),
      note: t.note,
    },
  };
}

/** P(X ≥ c) for X ~ Poisson(λ). */
export function poissonTail(c: number, lambda: number): number {
  if (c <= 0) return 1;
  let term = Math.exp(-lambda);
  let below = term;
  for (let k = 1; k < c; k++) {
    term *= lambda / k;
    below += term;
  }
  return Math.max(0, 1 - below);
}

export interface CombinationEntryView extends ComboEntry {
  /** Count over the count one combination is expected to have by chance. */
  readonly ratio: number;
  /** How many of the possible combinations chance alone would bring to this count or more. */
  readonly byChance: number;
}

export interface CombinationsView {
  readonly era: RuleEra;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly draws: number;
  /** Numbers in a combination, the Powerball counted as one when included. */
  readonly size: number;
  readonly withPowerball: boolean;
  readonly minCount: number;
  /** Combinations that can be drawn in the era, and how many of them were seen. */
  readonly possible: number;
  readonly distinct: number;
  /** Combinations of this size in all analysed draws together (each draw holds C(5, k)). */
  readonly occurrences: number;
  /** Count of any one combination expected by chance. */
  readonly expected: number;
  /** The most frequent, at least `minCount` times (never below 2), most first. */
  readonly top: readonly CombinationEntryView[];
}

const C5 = [1, 5, 10, 10, 5, 1];

/**
 * How often combinations of `size` numbers were drawn together.
 * @throws ValidationError for a size outside 2–5.
 */
export function combinationsView(
  all: readonly Draw[],
  scope: ViewScope & {
    readonly size: number;
    readonly withPowerball: boolean;
    readonly minCount: number;
    readonly top: number;
  },
): CombinationsView {
  if (!Number.isInteger(scope.size) || scope.size < 2 || scope.size > 5)
    throw new ValidationError(`a combination has 2 to 5 numbers, got ${scope.size}`, [
      { where: 'query.size', reason: 'expected 2–5' },
    ]);
  const s = scopeDraws(all, scope);
  const a = analyzeScoped(s, {
    maxCombinationSize: scope.size,
    withPowerball: scope.withPowerball,
    // Ties at the cut-off are decided by number order, so ask for enough to filter afterwards.
    top: Math.max(scope.top * 4, 100),
  });
  const combo = a.combinations.find((c) => c.size === scope.size);
  if (!combo) throw new InsufficientDataError(`no combinations of ${scope.size} numbers counted`);
  const min = Math.max(2, scope.minCount);
  return {
    era: s.era,
    from: a.from,
    to: a.to,
    draws: a.draws,
    size: scope.size,
    withPowerball: scope.withPowerball,
    minCount: min,
    possible: combo.possible,
    distinct: combo.distinct,
    occurrences: a.draws * (C5[combo.whites] as number),
    expected: combo.expected,
    top: combo.top
      .filter((e) => e.count >= min)
      .slice(0, scope.top)
      .map((e) => ({
        ...e,
        ratio: combo.expected > 0 ? e.count / combo.expected : 0,
        byChance: combo.possible * poissonTail(e.count, combo.expected),
      })),
  };
}

export interface PooledNumber {
  readonly number: number;
  readonly count: number;
  /** Draws in which it could be drawn (eras whose range holds it). */
  readonly eligibleDraws: number;
  /** Σ over eras of draws × chance per draw in that era. */
  readonly expected: number;
}

export interface PooledView {
  readonly draws: number;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly eras: number;
  readonly whites: readonly PooledNumber[];
  readonly powerball: readonly PooledNumber[];
}

/**
 * Every stored draw at once: counts per number over the whole history, each against what chance
 * gives it in the eras where it could be drawn (a number added in 2015 is not "cold" for having
 * missed the draws before it existed).
 * @throws InsufficientDataError without draws.
 */
export function pooledView(all: readonly Draw[]): PooledView {
  if (all.length === 0) throw new InsufficientDataError('no stored draws to analyse');
  const maxW = Math.max(...ERAS.map((e) => e.whiteMax));
  const maxP = Math.max(...ERAS.map((e) => e.powerballMax));
  const cw = new Array<number>(maxW + 1).fill(0);
  const cp = new Array<number>(maxP + 1).fill(0);
  const perEra = new Map<RuleEra, number>();
  for (const d of all) {
    for (const w of d.whites) cw[w] = (cw[w] as number) + 1;
    cp[d.powerball] = (cp[d.powerball] as number) + 1;
    const era = eraOf(d.date);
    perEra.set(era, (perEra.get(era) ?? 0) + 1);
  }
  const pool = (counts: number[], max: number, whites: boolean): PooledNumber[] =>
    Array.from({ length: max }, (_, i) => {
      const n = i + 1;
      let eligible = 0;
      let expected = 0;
      for (const [era, draws] of perEra) {
        const size = whites ? era.whiteMax : era.powerballMax;
        if (n > size) continue;
        eligible += draws;
        expected += draws * (whites ? 5 / size : 1 / size);
      }
      return { number: n, count: counts[n] as number, eligibleDraws: eligible, expected };
    });
  return {
    draws: all.length,
    from: (all[0] as Draw).date,
    to: (all[all.length - 1] as Draw).date,
    eras: perEra.size,
    whites: pool(cw, maxW, true),
    powerball: pool(cp, maxP, false),
  };
}

export interface EraSpan {
  readonly era: RuleEra;
  readonly draws: number;
  readonly from: IsoDate | null;
  readonly to: IsoDate | null;
}

/** Every era, oldest first, with its stored draws (the era pickers of the analysis pages). */
export function eraSpans(all: readonly Draw[]): EraSpan[] {
  return ERAS.map((era) => {
    const mine = all.filter((d) => eraOf(d.date) === era);
    return {
      era,
      draws: mine.length,
      from: mine[0]?.date ?? null,
      to: mine[mine.length - 1]?.date ?? null,
    };
  });
}
