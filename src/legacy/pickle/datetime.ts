/**
 * The `datetime` module's classes rebuilt as data: Python's own pickled state (packed bytes for
 * date and datetime) or constructor arguments, with the field checks Python applies on load, so
 * consumers may trust every date they get.
 */
import { encode, smallInt, type Build, type ReconstructContext } from './reconstruct-context.js';
import {
  isRecord,
  type PickleValue,
  type PyDate,
  type PyDateTime,
  type PyTimeDelta,
  type PyTimeZone,
} from './values.js';

function dateBytes(c: ReconstructContext, v: PickleValue | undefined, n: number): Uint8Array | null {
  if (v instanceof Uint8Array) {
    if (v.length !== n) c.fail('malformed', `datetime state of ${v.length} bytes, expected ${n}`);
    return v;
  }
  if (typeof v === 'string' && v.length === n) return encode(c, v, 'latin-1'); // Python 2 pickles
  return null;
}

/** Python refuses out-of-range datetime fields on load; so do we (consumers may trust them). */
function checkDate(
  c: ReconstructContext,
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  us: number,
): void {
  const dim = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][mo - 1];
  if (
    y < 1 ||
    y > 9999 ||
    dim === undefined ||
    d < 1 ||
    d > dim ||
    h > 23 ||
    mi > 59 ||
    s > 59 ||
    us > 999_999 ||
    h < 0 ||
    mi < 0 ||
    s < 0 ||
    us < 0
  ) {
    c.fail('malformed', `datetime field out of range (${y}-${mo}-${d} ${h}:${mi}:${s}.${us})`);
  }
}

export const buildTimedelta: Build = (c: ReconstructContext, [d, s, us]): PyTimeDelta => ({
  kind: 'timedelta',
  days: d === undefined ? 0 : smallInt(c, d),
  seconds: s === undefined ? 0 : smallInt(c, s),
  microseconds: us === undefined ? 0 : smallInt(c, us),
});

export const buildTimezone: Build = (c: ReconstructContext, [delta, name]): PyTimeZone => {
  if (!isRecord(delta) || delta.kind !== 'timedelta') c.fail('malformed', 'timezone without a timedelta');
  const offsetSeconds = delta.days * 86400 + delta.seconds + delta.microseconds / 1e6;
  // Python: "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)".
  if (!(Math.abs(offsetSeconds) < 86400)) c.fail('malformed', 'timezone offset outside ±24 hours');
  return { kind: 'timezone', offsetSeconds, name: typeof name === 'string' ? name : null };
};

export const buildDate: Build = (c: ReconstructContext, [a0, a1, a2]): PyDate => {
  const raw = dateBytes(c, a0, 4);
  const date: PyDate = raw
    ? {
        kind: 'date',
        year: (raw[0] as number) * 256 + (raw[1] as number),
        month: raw[2] as number,
        day: raw[3] as number,
      }
    : { kind: 'date', year: smallInt(c, a0), month: smallInt(c, a1), day: smallInt(c, a2) };
  checkDate(c, date.year, date.month, date.day, 0, 0, 0, 0);
  return date;
};

/** datetime(packed bytes[, tz]) as pickled by Python, or datetime(y, mo, d[, h, mi, s, us, tz]). */
export const buildDateTime: Build = (c: ReconstructContext, args): PyDateTime => {
  const [a0, a1] = args;
  const raw = dateBytes(c, a0, 10);
  const tzArg = raw ? a1 : args[7];
  const tz =
    tzArg === undefined || tzArg === null
      ? null
      : isRecord(tzArg) && tzArg.kind === 'timezone'
        ? tzArg
        : c.fail('malformed', 'datetime with a tzinfo that is not a timezone');
  let dt: PyDateTime;
  if (raw) {
    dt = {
      kind: 'datetime',
      year: (raw[0] as number) * 256 + (raw[1] as number),
      month: (raw[2] as number) & 0x7f, // high bit is `fold`
      day: raw[3] as number,
      hour: raw[4] as number,
      minute: raw[5] as number,
      second: raw[6] as number,
      microsecond: ((raw[7] as number) << 16) | ((raw[8] as number) << 8) | (raw[9] as number),
      tz,
    };
  } else {
    const [y, mo, d, h, mi, s, us] = args.slice(0, 7).map((x) => (x === undefined ? 0 : smallInt(c, x)));
    dt = {
      kind: 'datetime',
      year: y ?? 0,
      month: mo ?? 1,
      day: d ?? 1,
      hour: h ?? 0,
      minute: mi ?? 0,
      second: s ?? 0,
      microsecond: us ?? 0,
      tz,
    };
  }
  checkDate(c, dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond);
  return dt;
};
