/**
 * US Eastern time (New York) by arithmetic instead of the platform's time zone data: the legacy
 * migration asks it once per record of a history that can hold 100,000, where `Intl` would cost
 * far more. Daylight saving rules of 1987–2006 and since 2007 (checked against the time zone data
 * in the tests); earlier instants get the 1987 rules, which moves no draw date: the first draw was
 * in 1992.
 */

const DAY_MS = 86_400_000;

/** Day of the month of the n-th Sunday of `month` (0-based) in `year`. */
function nthSunday(year: number, month: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - first) % 7) + 7 * (n - 1);
}

function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/** DST bounds (UTC ms) per year: computed once per year seen, not once per call. */
const dstBounds = new Map<number, readonly [number, number]>();

/** UTC offset of US Eastern time at an instant (ms since the epoch), in minutes: -240 or -300. */
export function easternOffsetMinutes(ms: number): number {
  const y = new Date(ms).getUTCFullYear();
  let bounds = dstBounds.get(y);
  if (!bounds) {
    // DST starts at 02:00 EST (07:00 UTC) and ends at 02:00 EDT (06:00 UTC).
    bounds =
      y >= 2007
        ? [Date.UTC(y, 2, nthSunday(y, 2, 2), 7), Date.UTC(y, 10, nthSunday(y, 10, 1), 6)]
        : [Date.UTC(y, 3, nthSunday(y, 3, 1), 7), Date.UTC(y, 9, lastSunday(y, 9), 6)];
    dstBounds.set(y, bounds);
  }
  return ms >= bounds[0] && ms < bounds[1] ? -240 : -300;
}

/** The US Eastern calendar day (days since 1970-01-01) and minutes after local midnight of an instant. */
export function easternDayAndMinute(ms: number): { readonly day: number; readonly minute: number } {
  const local = ms + easternOffsetMinutes(ms) * 60_000;
  const day = Math.floor(local / DAY_MS);
  return { day, minute: Math.floor((local - day * DAY_MS) / 60_000) };
}
