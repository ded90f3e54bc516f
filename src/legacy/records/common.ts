/**
 * Shared pieces of the legacy record readers: the per-record problem type, timestamp normalisation
 * (the old app wrote at least six formats) and pickle-value → JSON conversion.
 */
import { isRealDay } from '../../domain/dates.js';
import type { JsonValue } from '../../domain/json.js';
import { json } from './sqlite-source.js';
import {
  dateTimeToIso,
  dateToIso,
  isNdArray,
  isRecord,
  ndArrayToNumbers,
  type PickleValue,
} from '../pickle/values.js';

/** One thing wrong with one legacy record. `skipped` records are not in the reader's output. */
export interface LegacyProblem {
  /** Which source: `prediction_history.predictions`, `model_predictions`, `experiment_runs`, ... */
  readonly source: string;
  /** Which record: `row 17` (SQLite rowid), `#42` (list index), a file name. */
  readonly record: string;
  /** The field at fault, when one is. */
  readonly field?: string;
  readonly reason: string;
  /** True when the record could not be read at all and is left out. */
  readonly skipped: boolean;
}

/** Reads a field of one legacy record, or notes why it cannot and gives null. */
export type FieldReader<T> = (source: string, record: string, field: string, v: unknown) => T | null;

/**
 * The timestamp and JSON-text field readers of a legacy table reader: a field that cannot be read
 * becomes null and a (not skipping) problem in `problems`.
 */
export function fieldReaders(problems: LegacyProblem[]): {
  readonly timestamp: FieldReader<string>;
  readonly json: FieldReader<JsonValue>;
} {
  return {
    timestamp: (source, record, field, v) => {
      const t = normalizeTimestamp(v);
      if ('iso' in t) return t.iso;
      problems.push({ source, record, field, reason: `${field} ${t.error}`, skipped: false });
      return null;
    },
    json: (source, record, field, v) => {
      const j = json(v);
      if ('error' in j) {
        problems.push({ source, record, field, reason: `${field} is ${j.error}`, skipped: false });
        return null;
      }
      return j.value as JsonValue;
    },
  };
}

/** A timestamp read: UTC ISO-8601 with milliseconds, or why it could not be read. */
export type TimestampResult = { readonly iso: string } | { readonly error: string };

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function isoFromParts(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  frac: string,
  offsetMin: number,
): TimestampResult {
  if (!isRealDay(y, mo, d) || h > 23 || mi > 59 || s > 60) return { error: 'not a real date and time' };
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, Math.min(s, 59), Math.floor(Number(`0.${frac || '0'}`) * 1000));
  t.setTime(t.getTime() - offsetMin * 60_000);
  return { iso: t.toISOString() };
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|[+-]\d{2}:?\d{2})?$/;
const US_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Normalises a legacy timestamp to UTC ISO-8601. Accepts Python datetimes/dates from pickles, ISO
 * strings with `T` or space, optional fraction and `Z`/`±HH:MM` offset, `MM/DD/YYYY[ HH:MM[:SS]]`,
 * and Unix epoch seconds or milliseconds (numbers or digit strings). A timestamp without an offset
 * is taken as UTC: SQLite's CURRENT_TIMESTAMP is UTC, and the legacy servers ran in UTC.
 */
export function normalizeTimestamp(v: unknown): TimestampResult {
  if (v === null || v === undefined || v === '') return { error: 'missing' };
  if (isRecord(v as PickleValue)) {
    const r = v as Exclude<PickleValue, null>;
    if (typeof r === 'object' && 'kind' in r) {
      if (r.kind === 'datetime') return { iso: dateTimeToIso(r) };
      if (r.kind === 'date') return { iso: `${dateToIso(r)}T00:00:00.000Z` };
    }
    return { error: 'not a timestamp' };
  }
  if (typeof v === 'bigint') return normalizeTimestamp(Number(v));
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v < 0) return { error: `bad epoch value ${v}` };
    const ms = v < 1e11 ? v * 1000 : v; // seconds until 5138, then milliseconds
    const t = new Date(ms);
    if (Number.isNaN(t.getTime()) || t.getUTCFullYear() > 9999) return { error: `bad epoch value ${v}` };
    return { iso: t.toISOString() };
  }
  if (typeof v !== 'string') return { error: 'not a timestamp' };
  const s = v.trim();
  if (/^\d{9,13}(\.\d+)?$/.test(s)) return normalizeTimestamp(Number(s));
  let m = ISO_RE.exec(s);
  if (m) {
    const [, y, mo, d, h, mi, sec, frac, off] = m;
    let offsetMin = 0;
    if (off && off !== 'Z' && off !== 'z' && off !== 'UTC') {
      const sign = off[0] === '-' ? -1 : 1;
      const digits = off.slice(1).replace(':', '');
      offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    }
    return isoFromParts(
      Number(y),
      Number(mo),
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(sec ?? 0),
      frac ?? '',
      offsetMin,
    );
  }
  m = US_RE.exec(s);
  if (m) {
    const [, mo, d, y, h, mi, sec] = m;
    return isoFromParts(
      Number(y),
      Number(mo),
      Number(d),
      Number(h ?? 0),
      Number(mi ?? 0),
      Number(sec ?? 0),
      '',
      0,
    );
  }
  return { error: `unrecognised timestamp '${s.slice(0, 40)}'` };
}

/** A calendar date (`YYYY-MM-DD`) from any timestamp form, or an error. */
export function normalizeDate(v: unknown): { readonly date: string } | { readonly error: string } {
  if (typeof v === 'string') {
    const s = v.trim();
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) ?? null;
    if (m)
      return isRealDay(Number(m[1]), Number(m[2]), Number(m[3])) ? { date: s } : { error: 'not a real date' };
    const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
    if (us) {
      const [y, mo, d] = [Number(us[3]), Number(us[1]), Number(us[2])];
      return isRealDay(y, mo, d)
        ? { date: `${pad(y, 4)}-${pad(mo)}-${pad(d)}` }
        : { error: 'not a real date' };
    }
  }
  if (isRecord(v as PickleValue) && (v as { kind: string }).kind === 'date')
    return { date: dateToIso(v as never) };
  const t = normalizeTimestamp(v);
  return 'iso' in t ? { date: t.iso.slice(0, 10) } : t;
}

/**
 * A pickle value as JSON: Maps become objects (keys as strings), tuples/sets/arrays become arrays,
 * numeric numpy arrays nested arrays, datetimes ISO strings, bigints numbers if safe else strings,
 * bytes base64. Non-finite floats become null (JSON has no NaN). The parser has already bounded
 * depth and expansion, so recursion here is safe.
 */
/**
 * Sets `o[key] = value` as an own data property. Plain assignment is fast; only `__proto__` needs
 * defineProperty, since assigning it would replace the prototype instead of adding a key.
 */
export function setOwn<T>(o: { [key: string]: T }, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

export function toJson(v: PickleValue): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof Map) {
    const o: { [key: string]: JsonValue } = {};
    for (const [k, x] of v) {
      const key = typeof k === 'string' ? k : JSON.stringify(toJson(k));
      setOwn(o, key, toJson(x));
    }
    return o;
  }
  switch (v.kind) {
    case 'tuple':
    case 'set':
      return v.items.map(toJson);
    case 'datetime':
      return dateTimeToIso(v);
    case 'date':
      return dateToIso(v);
    case 'timedelta':
      return v.days * 86400 + v.seconds + v.microseconds / 1e6;
    case 'timezone':
      return v.name ?? v.offsetSeconds;
    case 'ndarray': {
      const flat: JsonValue[] = Array.isArray(v.data)
        ? v.data.map(toJson)
        : [...(ndArrayToNumbers(v) ?? [])].map((x) => (Number.isFinite(x) ? x : null));
      return reshape(flat, v.shape);
    }
    case 'global':
      return v.name;
    case 'object':
      return { __class__: v.className, state: v.state === undefined ? null : toJson(v.state) };
    case 'dtype':
      return `${v.byteorder}${v.char}${v.itemsize}`;
  }
}

function reshape(flat: JsonValue[], shape: readonly number[]): JsonValue {
  if (shape.length === 0) return flat[0] ?? null;
  if (shape.length === 1) return flat;
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  const out: JsonValue[] = [];
  for (let i = 0; i < (shape[0] ?? 0); i++)
    out.push(reshape(flat.slice(i * inner, (i + 1) * inner), shape.slice(1)));
  return out;
}

/** An integer from a pickle value (int, integral float, numpy scalar, 0-d array), else undefined. */
export function toInteger(v: PickleValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : undefined;
  if (isNdArray(v) && v.shape.length === 0) return toInteger(ndArrayToNumbers(v)?.[0]);
  return undefined;
}

/** A list of integers from a list/tuple/1-d array, else undefined. */
export function toIntegerList(v: PickleValue | undefined): number[] | undefined {
  if (isNdArray(v)) {
    if (v.shape.length !== 1) return undefined;
    const n = ndArrayToNumbers(v);
    if (!n || !n.every((x) => Number.isInteger(x))) return undefined;
    return [...n];
  }
  const items = Array.isArray(v) ? v : isRecord(v) && v.kind === 'tuple' ? v.items : undefined;
  if (!items) return undefined;
  const out: number[] = [];
  for (const x of items) {
    const i = toInteger(x);
    if (i === undefined) return undefined;
    out.push(i);
  }
  return out;
}
