/**
 * Powerball prize tables by period, kept as data with where each figure comes from (the sources are
 * listed in data/powerball/PRIZES.md with what each one says). A period starts at the first draw
 * under a rule change of the price, the prize amounts, Power Play or Double Play.
 *
 * Only periods whose every figure could be sourced are here: from the 2009-01-07 game change on.
 * Before that the base prizes of the $1 eras could not be confirmed from an official statement, so
 * tickets for those draws are refused (see `prizePeriodOf`) rather than priced with guessed amounts.
 */
import type { IsoDate } from './dates.js';
import { ValidationError } from './errors.js';
import type { PrizeTier } from './prizes.js';

/** Dollars per tier; null for a prize whose amount is not fixed (the pari-mutuel jackpot). */
export type PrizeAmounts = Readonly<Record<PrizeTier, number | null>>;

export type PowerPlayRule =
  /** Set replacement prizes, no multiplier drawn (2012-01-18 → 2014-01-18). */
  | { readonly kind: 'fixed'; readonly price: number; readonly prizes: PrizeAmounts }
  /**
   * The multiplier drawn for the draw multiplies every fixed prize, except Match 5: either a fixed
   * Power Play Match-5 prize, or the base Match-5 prize times at least `match5MinMultiplier`.
   */
  | {
      readonly kind: 'multiplier';
      readonly price: number;
      /** The multipliers that could be drawn in the period (10 only where it existed). */
      readonly multipliers: readonly number[];
      readonly match5Fixed: number | null;
      readonly match5MinMultiplier: number | null;
    };

export interface DoublePlayRule {
  readonly price: number;
  /** The top prize is $10 million, shared when several tickets win it: null here, like the jackpot. */
  readonly prizes: PrizeAmounts;
  readonly topPrizeNote: string;
}

export interface PrizePeriod {
  /** The period's first draw date, also its id. */
  readonly from: IsoDate;
  /** The last calendar day of the period, null for the current one. */
  readonly to: IsoDate | null;
  /** Dollars per play without add-ons. */
  readonly price: number;
  readonly prizes: PrizeAmounts;
  readonly powerPlay: PowerPlayRule;
  readonly doublePlay: DoublePlayRule | null;
  /**
   * Periods sharing a group were sold as one game: a multi-draw ticket may run across them (the
   * 2021-08-23 Double Play launch changed nothing for tickets without it). Other boundaries stopped
   * multi-draw sales at the last draw before the change.
   */
  readonly saleGroup: string;
  /** Keys of data/powerball/PRIZES.md sources for each figure of the period. */
  readonly sources: readonly string[];
}

const BASE_2009: PrizeAmounts = {
  '5+PB': null,
  '5': 200_000,
  '4+PB': 10_000,
  '4': 100,
  '3+PB': 100,
  '3': 7,
  '2+PB': 7,
  '1+PB': 4,
  PB: 3,
};
const BASE_2012: PrizeAmounts = { ...BASE_2009, '5': 1_000_000, PB: 4 };
const BASE_2015: PrizeAmounts = { ...BASE_2012, '4+PB': 50_000 };
const POWER_PLAY_2012: PrizeAmounts = {
  '5+PB': null,
  '5': 2_000_000,
  '4+PB': 40_000,
  '4': 200,
  '3+PB': 200,
  '3': 14,
  '2+PB': 14,
  '1+PB': 12,
  PB: 12,
};
const DOUBLE_PLAY_2021: PrizeAmounts = {
  '5+PB': null,
  '5': 500_000,
  '4+PB': 50_000,
  '4': 500,
  '3+PB': 500,
  '3': 20,
  '2+PB': 20,
  '1+PB': 10,
  PB: 7,
};

const d = (s: string) => s as IsoDate;

/** Oldest first; each period ends the day before the next begins. */
export const PRIZE_PERIODS: readonly PrizePeriod[] = Object.freeze([
  {
    from: d('2009-01-07'),
    to: d('2012-01-14'),
    price: 1,
    prizes: BASE_2009,
    powerPlay: {
      kind: 'multiplier',
      price: 1,
      // 10x only in the yearly promotions (the data holds one, 2010-06-12).
      multipliers: [2, 3, 4, 5, 10],
      match5Fixed: null,
      match5MinMultiplier: 5,
    },
    doublePlay: null,
    saleGroup: '2009',
    sources: ['colorado-2008', 'lotteryuniverse-2008', 'minnesota-2012', 'results-2009-02-14'],
  },
  {
    from: d('2012-01-18'),
    to: d('2014-01-18'),
    price: 2,
    prizes: BASE_2012,
    powerPlay: { kind: 'fixed', price: 1, prizes: POWER_PLAY_2012 },
    doublePlay: null,
    saleGroup: '2012',
    sources: ['idaho-2012', 'minnesota-2012', 'louisiana-2012', 'thelotter-2013'],
  },
  {
    from: d('2014-01-22'),
    to: d('2015-10-06'),
    price: 2,
    prizes: BASE_2012,
    powerPlay: {
      kind: 'multiplier',
      price: 1,
      multipliers: [2, 3, 4, 5],
      match5Fixed: 2_000_000,
      match5MinMultiplier: null,
    },
    doublePlay: null,
    saleGroup: '2014',
    sources: ['lotterypost-2014', 'thelotter-2013'],
  },
  {
    from: d('2015-10-07'),
    to: d('2021-08-22'),
    price: 2,
    prizes: BASE_2015,
    powerPlay: {
      kind: 'multiplier',
      price: 1,
      multipliers: [2, 3, 4, 5, 10],
      match5Fixed: 2_000_000,
      match5MinMultiplier: null,
    },
    doublePlay: null,
    saleGroup: '2015',
    sources: ['powerball-prize-chart', 'design-2'],
  },
  {
    from: d('2021-08-23'),
    to: null,
    price: 2,
    prizes: BASE_2015,
    powerPlay: {
      kind: 'multiplier',
      price: 1,
      multipliers: [2, 3, 4, 5, 10],
      match5Fixed: 2_000_000,
      match5MinMultiplier: null,
    },
    doublePlay: {
      price: 1,
      prizes: DOUBLE_PLAY_2021,
      topPrizeNote: 'Double Play top prize: $10 million, shared among its winners',
    },
    saleGroup: '2015',
    sources: ['powerball-prize-chart', 'double-play-chart'],
  },
]);

/** The first draw date with a sourced prize table. */
export const FIRST_PRIZED_DRAW = (PRIZE_PERIODS[0] as PrizePeriod).from;

/**
 * The prize period of a draw date.
 * @throws ValidationError (INVALID_DRAW_DATE) before 2009-01-07 or in the 2012-01-15..17 gap: no
 * sourced prize table, so no ticket is accepted for such a draw.
 */
export function prizePeriodOf(date: IsoDate, where = 'date'): PrizePeriod {
  for (let i = PRIZE_PERIODS.length - 1; i >= 0; i--) {
    const p = PRIZE_PERIODS[i] as PrizePeriod;
    if (date >= p.from) {
      if (p.to !== null && date > p.to) break;
      return p;
    }
  }
  throw new ValidationError(
    `no sourced prize table for the draw of ${date}: tickets are accepted for draws from ${FIRST_PRIZED_DRAW} on (the earlier $1 eras' prize amounts could not be confirmed from an official source, see data/powerball/PRIZES.md)`,
    [{ where, reason: `no prize table before ${FIRST_PRIZED_DRAW}` }],
    'INVALID_DRAW_DATE',
  );
}
