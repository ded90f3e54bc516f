/**
 * Turning legacy values into what the store accepts: ids and metric keys in the store's alphabet,
 * JSON without undefined members, params from JSON, timestamps normalised, and checksums.
 */
import { createHash } from 'node:crypto';
import { normalizeTimestamp } from '../../legacy/index.js';
import type { JsonObject, JsonValue } from '../../domain/json.js';
import type { ParamValue } from '../../domain/params.js';

/** What a stored set id may look like. */
export const SET_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
/** What a prediction set's source may look like. */
export const SOURCE_RE = /^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/;
const KEY_RE = /^[A-Za-z0-9_.:/-]{1,100}$/;

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A JSON object without undefined members (the store rejects undefined). */
export function clean(o: Record<string, JsonValue | undefined>): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** `text` as an id matching `re` (other characters become `-`), at most `max` long, else `fallback`. */
export function sanitizeId(text: string, re: RegExp, max: number, fallback: string): string {
  let s = text.replace(/[^A-Za-z0-9_.:-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  s = s.slice(0, max);
  return re.test(s) ? s : fallback;
}

/** `text` as a metric or param key (other characters become `_`), else `unnamed`. */
export function sanitizeKey(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_.:/-]/g, '_').slice(0, 100);
  return KEY_RE.test(s) ? s : 'unnamed';
}

/** A JSON value as a run param (scalars as is, anything else as its JSON text). */
function paramValue(v: JsonValue): ParamValue {
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** The members of a JSON object as run params with valid keys; nothing for anything else. */
export function flattenParams(v: JsonValue | null): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) out[sanitizeKey(k)] = paramValue(x);
  return out;
}

/** A legacy timestamp as UTC ISO, or `fallback` when there is none or it is unreadable. */
export function isoOr(v: string | null | undefined, fallback: string): string {
  if (!v) return fallback;
  const t = normalizeTimestamp(v);
  return 'iso' in t ? t.iso : fallback;
}
