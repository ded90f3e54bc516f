/**
 * What the dashboard's overview shows, composed from the draw history: the latest draw, the next draw
 * date with the true jackpot odds, the history's size and how it splits over the rule eras.
 */
import { missingDrawsNotice, missingScheduledDraws, nextScheduledDraw } from '../domain/calendar.js';
import { type IsoDate, isoDateOf } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, ERAS, type RuleEra } from '../domain/eras.js';
import type { Said } from '../domain/hints.js';
import { JACKPOT_ODDS } from '../domain/prizes.js';

export interface EraCount {
  readonly era: RuleEra;
  readonly draws: number;
}

export interface Overview {
  readonly latestDraw: Draw | null;
  /** The first scheduled draw whose draw time (10:59 pm US Eastern) has not passed. */
  readonly nextDrawDate: IsoDate;
  /** Scheduled draws whose time has passed but that are not stored, and what to do about them. */
  readonly missingDraws: number;
  readonly missingDrawsNotice: Said | null;
  /** The jackpot is 1 in this many per ticket (current era). */
  readonly jackpotOdds: number;
  readonly draws: number;
  readonly firstDate: IsoDate | null;
  readonly lastDate: IsoDate | null;
  readonly currentEra: RuleEra;
  /** Every era, oldest first, with how many stored draws fall in it. */
  readonly eras: readonly EraCount[];
  /** UTC date the figures were computed on. */
  readonly today: IsoDate;
}

/** What the overview needs of the stored history: counted by the store, not read row by row. */
export interface HistorySummary {
  readonly latest: Draw | null;
  readonly firstDate: IsoDate | null;
  /** Stored draws per era id. */
  readonly perEra: ReadonlyMap<string, number>;
}

/** The overview of the stored history at the moment `now`. */
export function drawOverview(history: HistorySummary, now: Date): Overview {
  const latest = history.latest;
  const missing = missingScheduledDraws(latest?.date ?? null, now);
  const eras = ERAS.map((era) => ({ era, draws: history.perEra.get(era.id) ?? 0 }));
  return {
    latestDraw: latest,
    nextDrawDate: nextScheduledDraw(now),
    missingDraws: missing.length,
    missingDrawsNotice: missingDrawsNotice(missing),
    jackpotOdds: JACKPOT_ODDS,
    draws: eras.reduce((n, e) => n + e.draws, 0),
    firstDate: history.firstDate,
    lastDate: latest?.date ?? null,
    currentEra: CURRENT_ERA,
    eras,
    today: isoDateOf(now),
  };
}
