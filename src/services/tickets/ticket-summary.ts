/**
 * What the played tickets cost and won: by month and year, the expected return of what was played
 * beside the actual one, the best win, and the running totals the dashboard charts.
 */
import type { IsoDate } from '../../domain/dates.js';
import type { Draw } from '../../domain/draw.js';
import { expectedWinnings } from '../../domain/played-ticket.js';
import type { PlayRow } from '../../domain/ticket-plays.js';

/** Plays and money over some plays: all of them, or those of one month or year. */
export interface MoneyTotals {
  readonly plays: number;
  /** Plays already checked against their draw's numbers. */
  readonly checkedPlays: number;
  /** Dollars paid for the plays (drawn or not). */
  readonly spent: number;
  readonly won: number;
  readonly net: number;
}

export interface MoneyRow extends MoneyTotals {
  /** `YYYY-MM` or `YYYY`: the draws of that month or year. */
  readonly period: string;
}

export interface BestWin {
  readonly ticketId: number;
  readonly drawDate: IsoDate;
  /** e.g. `4+PB` (Double Play tiers as `DP 3+PB`). */
  readonly tier: string;
  /** Dollars; null for the jackpot or the Double Play top prize. */
  readonly amount: number | null;
  readonly label: string;
}

export interface TicketSummary extends MoneyTotals {
  readonly tickets: number;
  readonly upcomingPlays: number;
  readonly byMonth: readonly MoneyRow[];
  readonly byYear: readonly MoneyRow[];
  /**
   * Over the checked plays: what they cost, the fixed prizes they won (no jackpot), and what the
   * odds make expected of those prizes.
   */
  readonly checked: {
    readonly spent: number;
    readonly won: number;
    readonly expectedWon: number;
    readonly expectedNet: number;
    readonly actualNet: number;
  };
  readonly expectedNote: string;
  readonly jackpots: number;
  /** Dollars of jackpot shares the owner gave (already in `won`). */
  readonly jackpotAmountsGiven: number;
  readonly doublePlayTopPrizes: number;
  /** Power Play plays whose draw has no multiplier stored: counted at the base prize. */
  readonly multiplierUnknown: number;
  /** Double Play plays whose draw has no Double Play numbers stored yet: not counted. */
  readonly doublePlayPending: number;
  readonly best: BestWin | null;
  /** One sentence: the difference between actual and expected is luck. */
  readonly luck: string;
  /** Running totals by draw date over every play (for the chart). */
  readonly cumulative: readonly { date: IsoDate; spent: number; won: number }[];
}

const money = (n: number): string =>
  `${n < 0 ? '-' : ''}$${Math.abs(n).toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: n % 1 === 0 ? 0 : 2 })}`;

/** Dollars a checked play won: its fixed prizes, plus the jackpot share when the owner gave it. */
const wonBy = (p: PlayRow): number => (p.result?.won ?? 0) + (p.jackpotAmount ?? 0);

function group(plays: readonly PlayRow[], key: (p: PlayRow) => string): MoneyRow[] {
  const rows = new Map<string, { plays: number; checkedPlays: number; spent: number; won: number }>();
  for (const p of plays) {
    const k = key(p);
    const r = rows.get(k) ?? { plays: 0, checkedPlays: 0, spent: 0, won: 0 };
    r.plays++;
    r.spent += p.price;
    if (p.result) {
      r.checkedPlays++;
      r.won += wonBy(p);
    }
    rows.set(k, r);
  }
  return [...rows.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([period, r]) => ({ period, ...r, net: r.won - r.spent }));
}

function bestWin(plays: readonly PlayRow[]): BestWin | null {
  let best: BestWin | null = null;
  let bestValue = 0;
  const consider = (p: PlayRow, tier: string, amount: number | null, label: string) => {
    const value = amount === null ? Number.POSITIVE_INFINITY : amount;
    if (value > bestValue) {
      bestValue = value;
      best = { ticketId: p.ticketId, drawDate: p.drawDate, tier, amount, label };
    }
  };
  for (const p of plays) {
    const r = p.result;
    if (!r) continue;
    const amount = r.amount ?? p.jackpotAmount;
    if (r.tier) consider(p, r.tier, amount, amount === null ? 'jackpot' : money(amount));
    if (r.doublePlay?.tier)
      consider(
        p,
        `DP ${r.doublePlay.tier}`,
        r.doublePlay.amount,
        r.doublePlay.amount === null ? 'Double Play top prize' : money(r.doublePlay.amount),
      );
  }
  return best;
}

/** Summarizes every play; `draws` holds the stored draws of the checked plays. */
export function summarizePlays(
  tickets: number,
  plays: readonly PlayRow[],
  draws: ReadonlyMap<string, Draw>,
): TicketSummary {
  const checked = plays.filter((p) => p.result !== null);
  const spent = plays.reduce((s, p) => s + p.price, 0);
  const won = checked.reduce((s, p) => s + wonBy(p), 0);
  const checkedSpent = checked.reduce((s, p) => s + p.price, 0);
  let expectedWon = 0;
  // The expectation depends on the draw and the add-ons only, not on the numbers played.
  const cache = new Map<string, number>();
  for (const p of checked) {
    const draw = draws.get(p.drawDate);
    if (!draw) continue;
    const key = `${p.drawDate}|${p.powerPlay}|${p.doublePlay}`;
    let e = cache.get(key);
    if (e === undefined) {
      e = expectedWinnings(p, draw);
      cache.set(key, e);
    }
    expectedWon += e;
  }
  const cumulative: { date: IsoDate; spent: number; won: number }[] = [];
  let s = 0;
  let w = 0;
  for (const p of plays) {
    s += p.price;
    w += wonBy(p);
    const last = cumulative[cumulative.length - 1];
    if (last && last.date === p.drawDate)
      cumulative[cumulative.length - 1] = { date: p.drawDate, spent: s, won: w };
    else cumulative.push({ date: p.drawDate, spent: s, won: w });
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  // Like for like: the expected return has no jackpot, so neither has the amount it is compared with.
  const fixedWon = checked.reduce((s, p) => s + (p.result?.won ?? 0), 0);
  const diff = fixedWon - expectedWon;
  const luck =
    checked.length === 0
      ? 'No play has been drawn yet; what you win will be luck, since every ticket has the same odds.'
      : `Your ${checked.length} drawn play(s) won ${money(fixedWon)} in fixed prizes where the odds make ${money(round(expectedWon))} expected; the difference (${money(round(diff))}) is luck, since no choice of numbers changes the odds.`;
  return {
    tickets,
    plays: plays.length,
    checkedPlays: checked.length,
    upcomingPlays: plays.length - checked.length,
    spent,
    won,
    net: won - spent,
    byMonth: group(plays, (p) => p.drawDate.slice(0, 7)),
    byYear: group(plays, (p) => p.drawDate.slice(0, 4)),
    checked: {
      spent: checkedSpent,
      won: fixedWon,
      expectedWon: round(expectedWon),
      expectedNet: round(expectedWon - checkedSpent),
      actualNet: fixedWon - checkedSpent,
    },
    expectedNote:
      'Expected winnings use the exact odds of each draw’s era and its prize table, with the Power Play multiplier drawn that night; the jackpot and the Double Play top prize are excluded (their amounts are not fixed), from the expected and from the actual fixed prizes it is compared with.',
    jackpots: checked.filter((p) => p.result?.tier === '5+PB').length,
    jackpotAmountsGiven: checked.reduce((s, p) => s + (p.jackpotAmount ?? 0), 0),
    doublePlayTopPrizes: checked.filter((p) => p.result?.doublePlay?.tier === '5+PB').length,
    multiplierUnknown: checked.filter((p) => p.result?.powerPlay === 'multiplier-unknown').length,
    doublePlayPending: checked.filter((p) => p.result?.doublePlayPending).length,
    best: bestWin(checked),
    luck,
    cumulative,
  };
}
