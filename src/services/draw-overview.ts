/**
 * What the dashboard's overview shows, composed from the draw history: the latest draw, the next draw
 * date with the true jackpot odds, the history's size and how it splits over the rule eras.
 */
import { missingDrawsNotice, missingScheduledDraws, nextScheduledDraw } from '../domain/calendar.js';
import { type IsoDate, isoDateOf } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, ERAS, eraOf, type RuleEra } from '../domain/eras.js';
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
  readonly missingDrawsNotice: string | null;
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

/** The overview of `draws` (every stored draw, oldest first) at the moment `now`. */
export function drawOverview(draws: readonly Draw[], now: Date): Overview {
  const counts = new Map<string, number>();
  for (const d of draws) {
    const id = eraOf(d.date).id;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const latest = draws[draws.length - 1] ?? null;
  const missing = missingScheduledDraws(latest?.date ?? null, now);
  return {
    latestDraw: latest,
    nextDrawDate: nextScheduledDraw(now),
    missingDraws: missing.length,
    missingDrawsNotice: missingDrawsNotice(missing),
    jackpotOdds: JACKPOT_ODDS,
    draws: draws.length,
    firstDate: draws[0]?.date ?? null,
    lastDate: latest?.date ?? null,
    currentEra: CURRENT_ERA,
    eras: ERAS.map((era) => ({ era, draws: counts.get(era.id) ?? 0 })),
    today: isoDateOf(now),
  };
}
