/**
 * The trends of `pbi analyze`: each number's rate in the last K weeks, months or years against
 * the K before, anchored at the newest analysed draw.
 */
import { fromEpochDay } from '../domain/dates.js';
import { FieldError } from '../domain/errors.js';
import { type AnalyzeOptions, type TrendEntry, type TrendPeriod, type Trends } from './analysis-service.js';

/** How many periods form each side of the trend comparison when not given. */
export const DEFAULT_TREND_PERIODS: Readonly<Record<TrendPeriod, number>> = {
  weekly: 8,
  monthly: 6,
  yearly: 1,
};

function inc(a: Int32Array, i: number): void {
  a[i] = (a[i] as number) + 1;
}

/** The epoch day `periods` weeks/months/years before `day` (months clamp to the month's last day). */
function periodsBefore(day: number, period: TrendPeriod, periods: number): number {
  if (period === 'weekly') return day - 7 * periods;
  const d = new Date(day * 86_400_000);
  const months = period === 'monthly' ? periods : 12 * periods;
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() - months;
  const lastOfMonth = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Math.round(Date.UTC(y, m, Math.min(d.getUTCDate(), lastOfMonth)) / 86_400_000);
}

export function trendStats(
  whites: Uint8Array,
  pbs: Uint8Array,
  days: Int32Array,
  W: number,
  P: number,
  options: AnalyzeOptions,
  top: number,
): Trends {
  const period = options.period ?? 'monthly';
  const periods = options.periods ?? DEFAULT_TREND_PERIODS[period];
  if (!Number.isInteger(periods) || periods < 1)
    throw new FieldError(
      (n) => `${n('periods')} must be a whole number ≥ 1, got ${periods}`,
      [{ where: 'periods', reason: 'expected a whole number ≥ 1' }],
    );
  const n = days.length;
  const end = days[n - 1] as number;
  const mid = periodsBefore(end, period, periods);
  const start = periodsBefore(mid, period, periods);
  const recentW = new Int32Array(W + 1);
  const prevW = new Int32Array(W + 1);
  const recentP = new Int32Array(P + 1);
  const prevP = new Int32Array(P + 1);
  let recentDraws = 0;
  let prevDraws = 0;
  for (let i = 0; i < n; i++) {
    const day = days[i] as number;
    if (day <= start) continue;
    const recent = day > mid;
    if (recent) recentDraws++;
    else prevDraws++;
    const w = recent ? recentW : prevW;
    for (let j = 0; j < 5; j++) inc(w, whites[i * 5 + j] as number);
    inc(recent ? recentP : prevP, pbs[i] as number);
  }
  const entries = (r: Int32Array, p: Int32Array, size: number): TrendEntry[] => {
    const out: TrendEntry[] = [];
    for (let x = 1; x <= size; x++) {
      const rc = r[x] as number;
      const pc = p[x] as number;
      out.push({
        number: x,
        recent: rc,
        previous: pc,
        change: (recentDraws > 0 ? rc / recentDraws : 0) - (prevDraws > 0 ? pc / prevDraws : 0),
      });
    }
    return out;
  };
  const split = (list: TrendEntry[], k: number) => {
    if (recentDraws === 0 || prevDraws === 0) return { rising: [], falling: [] };
    const rising = [...list]
      .sort((a, b) => b.change - a.change || a.number - b.number)
      .filter((e) => e.change > 0);
    const falling = [...list]
      .sort((a, b) => a.change - b.change || a.number - b.number)
      .filter((e) => e.change < 0);
    return { rising: rising.slice(0, k), falling: falling.slice(0, k) };
  };
  return {
    period,
    periods,
    recent: { from: fromEpochDay(mid + 1), to: fromEpochDay(end), draws: recentDraws },
    previous: { from: fromEpochDay(start + 1), to: fromEpochDay(mid), draws: prevDraws },
    whites: split(entries(recentW, prevW, W), top),
    powerball: split(entries(recentP, prevP, P), Math.min(top, 3)),
    note:
      prevDraws === 0
        ? 'the previous window holds no draws of this era (it starts before the era or the window)'
        : null,
  };
}
