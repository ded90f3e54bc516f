/**
 * The plain-data tree the pickle parser produces (STYLE §12). Nothing here is executable: Python
 * objects become tagged records, dicts become `Map`s, numpy arrays become typed arrays.
 *
 * Mapping (Python → here):
 * - None → `null`; bool → `boolean`; str → `string`; bytes and bytearray → `Uint8Array`; list → array.
 * - int → `number` when it is a safe integer, else `bigint`; float → `number`. (So `3.0` and `3` both
 *   read as `3`; nothing we migrate depends on the distinction.)
 * - numpy scalars → the same plain values (np.int64(7) → 7, np.bool_ → boolean).
 * - dict and OrderedDict → `Map` (insertion order kept; `__proto__` is an ordinary key).
 * - tuple, set/frozenset, datetime types, numpy arrays and dtypes, allowlisted classes → records
 *   discriminated by `kind`.
 */

/** A decoded numpy dtype. Mutable only while the parser fills it in (dtype BUILD arrives after REDUCE). */
export interface DType {
  readonly kind: 'dtype';
  /** numpy kind letter: f, i, u, b, O, U, S, V, c, M, m. */
  char: string;
  /** Bytes per element. */
  itemsize: number;
  /** '<' little, '>' big, '|' not applicable. */
  byteorder: '<' | '>' | '|';
  /** Structured dtypes (such as scikit-learn's Tree `nodes`): fields in declaration order. */
  fields: { readonly name: string; readonly dtype: DType; readonly offset: number }[] | null;
  /** Sub-array dtypes (`('<f8', (3,))`): base and shape; rare, decoded as raw bytes. */
  subarray: { readonly base: DType; readonly shape: readonly number[] } | null;
}

/** Typed-array storage of a numeric numpy array, row-major (C order) whatever order was pickled. */
export type NumericData =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

/**
 * A numpy array. `data` is row-major: a typed array for numeric and bool dtypes (bool as 0/1 bytes,
 * int64 as BigInt64Array), a value array for object, str (`U`) and bytes (`S`) dtypes, a map of
 * per-field arrays for structured dtypes, or raw bytes for dtypes we do not decode (complex, void).
 */
export interface NdArray {
  readonly kind: 'ndarray';
  dtype: DType;
  shape: readonly number[];
  data: NumericData | PickleValue[] | Map<string, NdArray> | { readonly raw: Uint8Array };
}

export interface PyTuple {
  readonly kind: 'tuple';
  readonly items: readonly PickleValue[];
}

export interface PySet {
  readonly kind: 'set';
  readonly frozen: boolean;
  readonly items: PickleValue[];
}

export interface PyTimeDelta {
  readonly kind: 'timedelta';
  readonly days: number;
  readonly seconds: number;
  readonly microseconds: number;
}

export interface PyTimeZone {
  readonly kind: 'timezone';
  /** Offset from UTC in seconds (may be fractional only in theory; Python allows microseconds). */
  readonly offsetSeconds: number;
  readonly name: string | null;
}

export interface PyDate {
  readonly kind: 'date';
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface PyDateTime {
  readonly kind: 'datetime';
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  /** null for a naive datetime. */
  readonly tz: PyTimeZone | null;
}

/** An allowlisted global used as a value (a class such as `numpy.ndarray`, or a callable not yet called). */
export interface PyGlobal {
  readonly kind: 'global';
  /** Canonical name from the allowlist, e.g. `sklearn.linear_model.Ridge`. */
  readonly name: string;
  /** `module.name` exactly as written in the pickle. */
  readonly written: string;
}

/** An instance of an allowlisted class: constructor arguments and the state its BUILD set. */
export interface PyObject {
  readonly kind: 'object';
  /** Canonical class name from the allowlist, e.g. `sklearn.tree.Tree`. */
  readonly className: string;
  /** `module.name` exactly as written in the pickle. */
  readonly written: string;
  readonly args: readonly PickleValue[];
  readonly kwargs: Map<PickleValue, PickleValue> | null;
  /** The BUILD state (usually the instance `__dict__` as a Map); undefined if never built. */
  state: PickleValue | undefined;
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | Map<PickleValue, PickleValue>
  | PyTuple
  | PySet
  | PyDate
  | PyDateTime
  | PyTimeDelta
  | PyTimeZone
  | PyGlobal
  | PyObject
  | NdArray
  | DType;

/** Tagged records of the tree, by `kind`. */
export type PickleRecord = Extract<PickleValue, { kind: string }>;

/** True for the tagged records (tuple, set, datetime, object, ndarray, ...). */
export function isRecord(v: PickleValue | undefined): v is PickleRecord {
  return (
    typeof v === 'object' &&
    v !== null &&
    !(v instanceof Uint8Array) &&
    !Array.isArray(v) &&
    !(v instanceof Map)
  );
}

export function isTuple(v: PickleValue | undefined): v is PyTuple {
  return isRecord(v) && v.kind === 'tuple';
}

export function isObject(v: PickleValue | undefined, className?: string): v is PyObject {
  return isRecord(v) && v.kind === 'object' && (className === undefined || v.className === className);
}

export function isNdArray(v: PickleValue | undefined): v is NdArray {
  return isRecord(v) && v.kind === 'ndarray';
}

export function isDict(v: PickleValue | undefined): v is Map<PickleValue, PickleValue> {
  return v instanceof Map;
}

/** The items of a list or tuple, or undefined for anything else. */
export function sequenceItems(v: PickleValue | undefined): readonly PickleValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (isTuple(v)) return v.items;
  return undefined;
}

/** An instance's attribute (its BUILD state is a dict), or undefined. */
export function attr(obj: PyObject, name: string): PickleValue | undefined {
  const s = obj.state;
  if (s instanceof Map) return s.get(name);
  // (dict_state, slots_state) tuples, as Python writes for classes with __slots__.
  if (isTuple(s) && s.items[0] instanceof Map) return s.items[0].get(name);
  return undefined;
}

/** A number from an int, float or bigint value (bigints beyond 2^53 lose precision), else undefined. */
export function toNumber(v: PickleValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (isNdArray(v) && v.shape.length === 0) return ndArrayToNumbers(v)?.[0];
  return undefined;
}

/** The elements of a numeric array (any shape) as doubles, row-major; undefined if not numeric. */
export function ndArrayToNumbers(a: NdArray): Float64Array | undefined {
  const d = a.data;
  if (d instanceof Float64Array) return d;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
    return out;
  }
  if (ArrayBuffer.isView(d)) return Float64Array.from(d as ArrayLike<number>);
  return undefined;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO-8601 of a date `YYYY-MM-DD`. */
export function dateToIso(d: PyDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/**
 * UTC ISO-8601 (`2024-01-15T10:30:00.123Z`, milliseconds) of a datetime. A naive datetime is taken
 * as UTC: the legacy app wrote `datetime.now()` on servers set to UTC, and we cannot know better.
 * Microseconds are truncated to milliseconds.
 */
export function dateTimeToIso(d: PyDateTime): string {
  if (d.tz === null && d.year >= 1000) {
    // The parser has checked the fields, so a naive datetime formats directly (no Date round trip).
    return `${d.year}-${pad(d.month)}-${pad(d.day)}T${pad(d.hour)}:${pad(d.minute)}:${pad(d.second)}.${pad(Math.floor(d.microsecond / 1000), 3)}Z`;
  }
  const t = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900+.
  t.setUTCFullYear(d.year, d.month - 1, d.day);
  t.setUTCHours(d.hour, d.minute, d.second, Math.floor(d.microsecond / 1000));
  if (d.tz) t.setTime(t.getTime() - d.tz.offsetSeconds * 1000);
  return t.toISOString();
}
