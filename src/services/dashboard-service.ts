/**
 * What the dashboard's overview shows, composed from the draw history: the latest draw, the next draw
 * date with the true jackpot odds, the history's size and how it splits over the rule eras.
 */
import { nextDrawDate } from '../domain/calendar.js';
import { type IsoDate, isoDateOf } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, ERAS, eraOf, type RuleEra } from '../domain/eras.js';
import { JACKPOT_ODDS } from '../domain/prizes.js';
import type { ServiceContext } from './context.js';

export interface EraCount {
  readonly era: RuleEra;
  readonly draws: number;
}

export interface Overview {
  readonly latestDraw: Draw | null;
  /** The first draw date after both today and the latest stored draw. */
  readonly nextDrawDate: IsoDate;
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

export class DashboardService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The overview page's figures. */
  overview(): Overview {
    const draws = this.ctx.store.draws.list();
    const today = isoDateOf(this.ctx.clock.now());
    const counts = new Map<string, number>();
    for (const d of draws) {
      const id = eraOf(d.date).id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const latest = draws[draws.length - 1] ?? null;
    const after = latest !== null && latest.date > today ? latest.date : today;
    return {
      latestDraw: latest,
      nextDrawDate: nextDrawDate(after),
      jackpotOdds: JACKPOT_ODDS,
      draws: draws.length,
      firstDate: draws[0]?.date ?? null,
      lastDate: latest?.date ?? null,
      currentEra: CURRENT_ERA,
      eras: ERAS.map((era) => ({ era, draws: counts.get(era.id) ?? 0 })),
      today,
    };
  }
}
