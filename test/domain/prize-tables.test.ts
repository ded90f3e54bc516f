/**
 * Each prize period against its source (data/powerball/PRIZES.md): the amounts as the source states
 * them, prizes reported for real draws, and the source's odds recomputed from the era's ranges.
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.js';
import { createDraw, type Draw } from '../../src/domain/draw.js';
import { eraOf } from '../../src/domain/eras.js';
import { PbiError } from '../../src/domain/errors.js';
import { expectedWinnings, playOutcome, playPrice, powerPlayAmount } from '../../src/domain/played-ticket.js';
import { PRIZE_PERIODS, prizePeriodOf } from '../../src/domain/prize-tables.js';
import { PRIZE_TIERS, type PrizeTier, tierProbability } from '../../src/domain/prizes.js';

const TIERS: PrizeTier[] = ['5+PB', '5', '4+PB', '4', '3+PB', '3', '2+PB', '1+PB', 'PB'];
const table = (values: (number | null)[]) => Object.fromEntries(TIERS.map((t, i) => [t, values[i]]));
const period = (date: string) => prizePeriodOf(date as IsoDate);
const draw = (date: string, whites: number[], powerball: number, multiplier: number | null, dp?: number[]) =>
  createDraw(
    {
      date: date as IsoDate,
      whites,
      powerball,
      multiplier,
      ...(dp ? { doublePlay: { whites: dp.slice(0, 5), powerball: dp[5] as number } } : {}),
    },
    null,
  );
const play = (whites: number[], powerball: number, powerPlay = false, doublePlay = false) => ({
  whites: whites as unknown as Draw['whites'],
  powerball,
  powerPlay,
  doublePlay,
});
/** 1 in N as a source prints it, from the exact probability. */
const oneIn = (tier: PrizeTier, date: string) =>
  1 /
  tierProbability(
    PRIZE_TIERS.find((t) => t.tier === tier)!,
    eraOf(date as IsoDate),
  );

describe('2009-01-07 → 2012-01-14 ($1; Colorado Lottery 2008, Minnesota Lottery 2012)', () => {
  const p = period('2010-06-12');
  it('base prizes: Match 5 $200,000, Powerball alone $3, the others as after 2012', () => {
    expect(p.prizes).toEqual(table([null, 200_000, 10_000, 100, 100, 7, 7, 4, 3]));
    expect(p.price).toBe(1);
    expect(playPrice(p, true, false)).toBe(2);
  });
  it('the draw of 2009-02-14 (x5): 4+PB with Power Play $50,000, Match 5 with Power Play $1 million', () => {
    const d = draw('2009-02-14', [2, 8, 9, 33, 45], 5, 5);
    expect(playOutcome(play([2, 8, 9, 33, 50], 5, true), d).main.amount).toBe(50_000);
    expect(playOutcome(play([2, 8, 9, 33, 45], 5, false), d).main.amount).toBeNull(); // jackpot
    expect(playOutcome(play([2, 8, 9, 33, 45], 6, false), d).main.amount).toBe(200_000);
    expect(playOutcome(play([2, 8, 9, 33, 45], 6, true), d).main.amount).toBe(1_000_000);
  });
  it('Match 5 with Power Play is at least 5x whatever is drawn (2x here), 10x in a promotion', () => {
    expect(powerPlayAmount(p, '5', 2)).toBe(1_000_000);
    expect(powerPlayAmount(p, '5', 10)).toBe(2_000_000);
    expect(powerPlayAmount(p, '3', 2)).toBe(14);
  });
  it('jackpot odds 1 in 195,249,054 (lotteryuniverse 2008)', () => {
    expect(Math.round(oneIn('5+PB', '2010-06-12'))).toBe(195_249_054);
  });
});

describe('2012-01-18 → 2014-01-18 ($2; Idaho Lottery chart, fixed Power Play prizes)', () => {
  const p = period('2013-05-18');
  it('base and Power Play set prizes as the Idaho chart lists them', () => {
    expect(p.prizes).toEqual(table([null, 1_000_000, 10_000, 100, 100, 7, 7, 4, 4]));
    expect(p.powerPlay).toMatchObject({
      kind: 'fixed',
      price: 1,
      prizes: table([null, 2_000_000, 40_000, 200, 200, 14, 14, 12, 12]),
    });
    expect(playPrice(p, true, false)).toBe(3);
  });
  it('no multiplier is drawn: a Power Play Powerball-alone win pays $12 with an empty multiplier', () => {
    const d = draw('2013-05-18', [10, 13, 14, 22, 52], 11, null);
    const o = playOutcome(play([1, 2, 3, 4, 5], 11, true), d);
    expect(o.main).toMatchObject({ tier: 'PB', baseAmount: 4, amount: 12, powerPlay: 'fixed' });
  });
  it('odds as the Idaho chart prints them', () => {
    const chart: [PrizeTier, number][] = [
      ['5+PB', 175_223_510],
      ['5', 5_153_633],
      ['4+PB', 648_976],
      ['4', 19_088],
      ['3+PB', 12_245],
      ['3', 360],
      ['2+PB', 706],
      ['1+PB', 111],
      ['PB', 55],
    ];
    for (const [tier, odds] of chart) expect(Math.round(oneIn(tier, '2013-05-18')), tier).toBe(odds);
  });
});

describe('2014-01-22 → 2015-10-03 (multiplier back: Lottery Post 2014, theLotter 2013)', () => {
  const p = period('2014-01-22');
  it('2x–5x on every fixed prize, Match 5 with Power Play $2 million whatever is drawn', () => {
    expect(p.prizes).toEqual(table([null, 1_000_000, 10_000, 100, 100, 7, 7, 4, 4]));
    expect([2, 3, 4, 5].map((m) => powerPlayAmount(p, '4+PB', m))).toEqual([20_000, 30_000, 40_000, 50_000]);
    expect([2, 3, 4, 5].map((m) => powerPlayAmount(p, '5', m))).toEqual([2e6, 2e6, 2e6, 2e6]);
  });
  it('10x did not exist then: a stored 10 is not applied (base prize, multiplier unknown)', () => {
    // Draw validation refuses a 10 before 2015-01-18; from then on it accepts one, but this prize
    // period's chart had no 10x, so the play gets the base prize.
    expect(() => draw('2014-06-28', [1, 2, 3, 4, 5], 6, 10)).toThrow(/multiplier 10 is not possible/);
    const d = draw('2015-02-28', [1, 2, 3, 4, 5], 6, 10);
    const o = playOutcome(play([1, 2, 3, 40, 50], 6, true), d);
    expect(o.main).toMatchObject({ tier: '3+PB', amount: 100, powerPlay: 'multiplier-unknown' });
  });
});

describe('2015-10-07 on (powerball.com prize chart, DESIGN §2)', () => {
  const p = period('2017-03-01');
  it('base prizes and the Power Play chart with 10x', () => {
    expect(p.prizes).toEqual(table([null, 1_000_000, 50_000, 100, 100, 7, 7, 4, 4]));
    const chart = {
      2: [2e6, 100_000, 200, 200, 14, 14, 8, 8],
      10: [2e6, 500_000, 1000, 1000, 70, 70, 40, 40],
    };
    for (const [m, amounts] of Object.entries(chart))
      expect(
        TIERS.slice(1).map((t) => powerPlayAmount(p, t, Number(m))),
        `x${m}`,
      ).toEqual(amounts);
  });
  it('odds: jackpot 1 in 292,201,338, Match 5 1 in 11,688,054, any prize 1 in 24.87', () => {
    expect(Math.round(oneIn('5+PB', '2017-03-01'))).toBe(292_201_338);
    expect(Math.round(oneIn('5', '2017-03-01'))).toBe(11_688_054);
    const any = PRIZE_TIERS.reduce((s, t) => s + tierProbability(t, eraOf('2017-03-01' as IsoDate)), 0);
    expect((1 / any).toFixed(2)).toBe('24.87');
  });
  it('Double Play from 2021-08-23: $1, its own table, Power Play does not apply to it', () => {
    expect(period('2021-08-21').doublePlay).toBeNull();
    const dp = period('2021-08-23').doublePlay;
    expect(dp?.price).toBe(1);
    expect(dp?.prizes).toEqual(table([null, 500_000, 50_000, 500, 500, 20, 20, 10, 7]));
    const d = draw('2026-06-03', [14, 16, 38, 55, 64], 12, 3, [26, 28, 31, 56, 64, 13]);
    const o = playOutcome(play([1, 2, 3, 4, 5], 13, true, true), d);
    expect(o.main.tier).toBeNull();
    expect(o.doublePlay).toMatchObject({ tier: 'PB', amount: 7 });
    expect(o.won).toBe(7);
    expect(playPrice(period('2026-06-03'), true, true)).toBe(4);
  });
  it('a Double Play play on a draw without stored Double Play numbers is pending, not a loss', () => {
    const o = playOutcome(play([1, 2, 3, 4, 5], 13, false, true), draw('2026-06-01', [1, 2, 3, 4, 6], 9, 2));
    expect(o.doublePlay).toBeNull();
    expect(o.doublePlayPending).toBe(true);
  });
});

describe('periods', () => {
  it('follow each other without overlap and cover every draw from 2009-01-07', () => {
    for (let i = 1; i < PRIZE_PERIODS.length; i++) {
      const prev = PRIZE_PERIODS[i - 1]!;
      expect(prev.to! < PRIZE_PERIODS[i]!.from).toBe(true);
    }
    expect(PRIZE_PERIODS.at(-1)!.to).toBeNull();
  });
  it('refuse draws before 2009-01-07: no sourced table', () => {
    expect(() => period('2008-12-31')).toThrow(PbiError);
    expect(() => period('2008-12-31')).toThrow(/no sourced prize table/);
  });
  it('expected winnings of a $2 play in 2015 are about 32 cents without Power Play (jackpot excluded)', () => {
    const d = draw('2017-03-01', [10, 16, 32, 42, 60], 5, 2);
    const plain = expectedWinnings(play([1, 2, 3, 4, 5], 1), d);
    expect(plain).toBeCloseTo(0.3203, 3);
    // x2 doubles every fixed prize but Match 5, which goes from $1M to $2M: exactly double.
    expect(expectedWinnings(play([1, 2, 3, 4, 5], 1, true), d)).toBeCloseTo(2 * plain, 9);
  });
});
