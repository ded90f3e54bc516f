/**
 * numpy dtypes, arrays and scalars from their pickled pieces, as typed arrays. numpy pickles a dtype
 * as `dtype(typestr, align, copy)` followed by a BUILD state
 * `(version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])`, and an array as
 * `_reconstruct(ndarray, (0,), b'b')` followed by BUILD `(version, shape, dtype, is_fortran, raw)`.
 */
import { UnsafePickleError } from './errors.js';
import { isTuple, type DType, type NdArray, type NumericData, type PickleValue } from './values.js';

const KIND_CHARS = new Set(['f', 'i', 'u', 'b', 'O', 'U', 'S', 'V', 'c', 'M', 'm', 'a']);
const MAX_DIMS = 32;

/** A dtype from numpy's `dtype(typestr, ...)` constructor arguments, before its BUILD state. */
export function dtypeFromTypestr(typestr: PickleValue | undefined, offset: number): DType {
  if (typeof typestr !== 'string')
    throw new UnsafePickleError('malformed', 'numpy dtype without a type string', offset);
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(typestr);
  if (!m || !KIND_CHARS.has(m[2] ?? '')) {
    throw new UnsafePickleError('malformed', `unknown numpy dtype '${typestr.slice(0, 40)}'`, offset);
  }
  let char = m[2] ?? 'V';
  if (char === 'a') char = 'S';
  let itemsize = m[3] ? Number(m[3]) : char === 'b' ? 1 : char === 'O' ? 8 : 0;
  if (char === 'O') itemsize = 8;
  if (!Number.isSafeInteger(itemsize) || itemsize > 1 << 30) {
    throw new UnsafePickleError('limit', `numpy dtype item size ${m[3]} is absurd`, offset);
  }
  const byteorder = m[1] === '>' ? '>' : itemsize <= 1 || 'OSVb'.includes(char) ? '|' : '<';
  return { kind: 'dtype', char, itemsize, byteorder, fields: null, subarray: null };
}

/** Applies a dtype's BUILD state (byte order, structured fields, element size). */
export function applyDTypeState(dt: DType, state: PickleValue, offset: number): void {
  if (!isTuple(state) || state.items.length < 5) {
    throw new UnsafePickleError('malformed', 'numpy dtype state is not a tuple of at least 5 items', offset);
  }
  const [, endian, subarray, names, fields, elsize] = state.items;
  if (endian === '>' || endian === '<' || endian === '|') dt.byteorder = endian;
  else if (endian === '=') dt.byteorder = '<';
  if (typeof elsize === 'number' && elsize >= 0) {
    if (elsize > 1 << 30)
      throw new UnsafePickleError('limit', `numpy dtype size ${elsize} is absurd`, offset);
    dt.itemsize = elsize;
  }
  if (isTuple(subarray) && subarray.items.length === 2) {
    const [base, shape] = subarray.items;
    if (isDType(base) && isTuple(shape)) dt.subarray = { base, shape: shapeOf(shape, offset) };
  }
  if (isTuple(names) && fields instanceof Map) {
    dt.fields = names.items.map((name) => {
      const f = typeof name === 'string' ? fields.get(name) : undefined;
      const fdt = isTuple(f) ? f.items[0] : undefined;
      const fo = isTuple(f) ? f.items[1] : undefined;
      if (typeof name !== 'string' || !isDType(fdt) || typeof fo !== 'number' || fo < 0) {
        throw new UnsafePickleError(
          'malformed',
          `numpy structured dtype field ${String(name)} is malformed`,
          offset,
        );
      }
      return { name, dtype: fdt, offset: fo };
    });
  }
}

export function isDType(v: PickleValue | undefined): v is DType {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Map) &&
    !(v instanceof Uint8Array) &&
    v.kind === 'dtype'
  );
}

/** Validates a shape tuple: non-negative safe integers, at most 32 dimensions. */
export function shapeOf(v: PickleValue, offset: number): number[] {
  const items = isTuple(v) ? v.items : Array.isArray(v) ? v : typeof v === 'number' ? [v] : null;
  if (!items || items.length > MAX_DIMS)
    throw new UnsafePickleError('malformed', 'numpy shape is not a tuple', offset);
  return items.map((n) => {
    const x = typeof n === 'bigint' ? Number(n) : n;
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) {
      throw new UnsafePickleError('malformed', `numpy shape has a bad dimension ${String(n)}`, offset);
    }
    return x;
  });
}

/** prod(shape), refusing products beyond 2^40 elements (no real legacy array is near that). */
export function elementCount(shape: readonly number[], offset: number): number {
  let n = 1;
  for (const d of shape) {
    n *= d;
    if (n > 2 ** 40)
      throw new UnsafePickleError('limit', `numpy array of shape (${shape.join(', ')}) is absurd`, offset);
  }
  return n;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** One numeric dtype (kind and item size): the typed array that holds it and how to read one element. */
interface NumericCodec {
  readonly create: (count: number) => NumericData;
  readonly read: (view: DataView, at: number, littleEndian: boolean) => number | bigint;
}

const int64: NumericCodec = {
  create: (n) => new BigInt64Array(n),
  read: (v, at, le) => v.getBigInt64(at, le),
};
const uint8: NumericCodec = { create: (n) => new Uint8Array(n), read: (v, at) => v.getUint8(at) };

/** By `char + itemsize`; datetimes and timedeltas (M8, m8) are int64 ticks, bools (b1) 0/1 bytes. */
const NUMERIC_CODECS: ReadonlyMap<string, NumericCodec> = new Map([
  ['f8', { create: (n) => new Float64Array(n), read: (v, at, le) => v.getFloat64(at, le) }],
  ['f4', { create: (n) => new Float32Array(n), read: (v, at, le) => v.getFloat32(at, le) }],
  ['f2', { create: (n) => new Float32Array(n), read: (v, at, le) => halfToFloat(v.getUint16(at, le)) }],
  ['i1', { create: (n) => new Int8Array(n), read: (v, at) => v.getInt8(at) }],
  ['i2', { create: (n) => new Int16Array(n), read: (v, at, le) => v.getInt16(at, le) }],
  ['i4', { create: (n) => new Int32Array(n), read: (v, at, le) => v.getInt32(at, le) }],
  ['i8', int64],
  ['M8', int64],
  ['m8', int64],
  ['u1', uint8],
  ['b1', uint8],
  ['u2', { create: (n) => new Uint16Array(n), read: (v, at, le) => v.getUint16(at, le) }],
  ['u4', { create: (n) => new Uint32Array(n), read: (v, at, le) => v.getUint32(at, le) }],
  ['u8', { create: (n) => new BigUint64Array(n), read: (v, at, le) => v.getBigUint64(at, le) }],
] satisfies [string, NumericCodec][]);

/**
 * Decodes `count` numeric elements of `dt` from `bytes` at `start` (strided by `stride`); null for
 * a dtype that is not numeric. One loop for every dtype: its read is an indirect call per element,
 * a few nanoseconds, small beside parsing the pickle that holds the array.
 */
function decodeNumeric(
  dt: DType,
  bytes: Uint8Array,
  start: number,
  count: number,
  stride: number,
): NumericData | null {
  const codec = NUMERIC_CODECS.get(dt.char + dt.itemsize);
  if (!codec) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = dt.byteorder !== '>';
  const out = codec.create(count);
  const slots = out as unknown as { [i: number]: number | bigint };
  for (let i = 0, p = start; i < count; i++, p += stride) slots[i] = codec.read(view, p, le);
  return out;
}

function decodeStrings(
  dt: DType,
  bytes: Uint8Array,
  start: number,
  count: number,
  stride: number,
): PickleValue[] {
  const out: PickleValue[] = new Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0, p = start; i < count; i++, p += stride) {
    if (dt.char === 'U') {
      // UTF-32, NUL-padded.
      let s = '';
      for (let k = 0; k + 4 <= dt.itemsize; k += 4) {
        const cp = view.getUint32(p + k, dt.byteorder !== '>');
        if (cp === 0) break;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      out[i] = s;
    } else {
      let end = p + dt.itemsize;
      while (end > p && bytes[end - 1] === 0) end--;
      out[i] = bytes.slice(p, end);
    }
  }
  return out;
}

/** Elements of `dt` from raw bytes, row-major; structured dtypes become per-field arrays. */
function decodeElements(
  dt: DType,
  bytes: Uint8Array,
  start: number,
  count: number,
  stride: number,
  shape: readonly number[],
  offset: number,
): NdArray['data'] {
  if (dt.fields) {
    const cols = new Map<string, NdArray>();
    for (const f of dt.fields) {
      if (f.offset + f.dtype.itemsize > dt.itemsize) {
        throw new UnsafePickleError('malformed', `numpy field ${f.name} lies outside its record`, offset);
      }
      cols.set(f.name, {
        kind: 'ndarray',
        dtype: f.dtype,
        shape,
        data: decodeElements(f.dtype, bytes, start + f.offset, count, stride, shape, offset),
      });
    }
    return cols;
  }
  if (dt.subarray === null) {
    const numeric = decodeNumeric(dt, bytes, start, count, stride);
    if (numeric) return numeric;
    if (dt.char === 'U' || dt.char === 'S') return decodeStrings(dt, bytes, start, count, stride);
  }
  const raw = new Uint8Array(count * dt.itemsize);
  for (let i = 0; i < count; i++)
    raw.set(bytes.subarray(start + i * stride, start + i * stride + dt.itemsize), i * dt.itemsize);
  return { raw };
}

/** Reorders Fortran-order (column-major) elements into row-major. */
function fortranToC<T>(
  src: ArrayLike<T>,
  shape: readonly number[],
  make: (n: number) => { [i: number]: T },
): { [i: number]: T } {
  const n = src.length;
  const out = make(n);
  const dims = shape.length;
  const idx = new Array<number>(dims).fill(0);
  for (let f = 0; f < n; f++) {
    // idx is the multi-index of Fortran position f (first axis fastest).
    let c = 0;
    for (let d = 0; d < dims; d++) c = c * (shape[d] ?? 1) + (idx[d] ?? 0);
    out[c] = src[f] as T;
    for (let d = 0; d < dims; d++) {
      idx[d] = (idx[d] ?? 0) + 1;
      if ((idx[d] ?? 0) < (shape[d] ?? 1)) break;
      idx[d] = 0;
    }
  }
  return out;
}

function toCOrder(data: NdArray['data'], shape: readonly number[]): NdArray['data'] {
  if (shape.length < 2) return data;
  if (data instanceof Map) {
    const m = new Map<string, NdArray>();
    for (const [k, v] of data) m.set(k, { ...v, data: toCOrder(v.data, shape) });
    return m;
  }
  if (Array.isArray(data)) return fortranToC(data, shape, (n) => new Array<PickleValue>(n)) as PickleValue[];
  if ('raw' in data) return data; // undecoded dtypes keep their bytes as pickled
  const ctor = data.constructor as new (n: number) => NumericData;
  return fortranToC(
    data as ArrayLike<number | bigint>,
    shape,
    (n) => new ctor(n) as unknown as { [i: number]: number | bigint },
  ) as NumericData;
}

/**
 * An array from raw bytes (numpy's pickled `raw`, or joblib's inline bytes).
 * @throws UnsafePickleError if the byte count does not match shape × itemsize.
 */
export function arrayFromBytes(
  dt: DType,
  shape: readonly number[],
  fortran: boolean,
  bytes: Uint8Array,
  offset: number,
): NdArray {
  const count = elementCount(shape, offset);
  if (dt.itemsize === 0 && count > 0)
    throw new UnsafePickleError('malformed', 'numpy dtype of size 0', offset);
  if (bytes.length !== count * dt.itemsize) {
    throw new UnsafePickleError(
      'malformed',
      `numpy array needs ${count * dt.itemsize} bytes, has ${bytes.length}`,
      offset,
    );
  }
  let data = decodeElements(dt, bytes, 0, count, dt.itemsize, shape, offset);
  if (fortran) data = toCOrder(data, shape);
  return { kind: 'ndarray', dtype: dt, shape, data };
}

/** An object-dtype array from its pickled element list. */
export function arrayFromObjects(
  dt: DType,
  shape: readonly number[],
  fortran: boolean,
  items: PickleValue[],
  offset: number,
): NdArray {
  const count = elementCount(shape, offset);
  if (items.length !== count) {
    throw new UnsafePickleError(
      'malformed',
      `numpy object array needs ${count} items, has ${items.length}`,
      offset,
    );
  }
  return { kind: 'ndarray', dtype: dt, shape, data: fortran ? toCOrder(items, shape) : items };
}

/** A numpy scalar (`numpy.core.multiarray.scalar(dtype, bytes)`) as a plain value. */
export function scalarFromBytes(dt: DType, raw: PickleValue | undefined, offset: number): PickleValue {
  if (dt.char === 'O') return raw ?? null;
  if (!(raw instanceof Uint8Array))
    throw new UnsafePickleError('malformed', 'numpy scalar without its bytes', offset);
  // Fast path for the scalars legacy files are full of (np.int64, np.float64, np.bool_).
  if (raw.length === dt.itemsize && dt.fields === null && dt.subarray === null) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const le = dt.byteorder !== '>';
    if (dt.char === 'f' && dt.itemsize === 8) return view.getFloat64(0, le);
    if (dt.char === 'i' && dt.itemsize === 8) {
      const lo = view.getUint32(le ? 0 : 4, le);
      const hi = view.getInt32(le ? 4 : 0, le);
      // |value| < 2^53: exact as a double
      if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + lo;
    }
    if (dt.char === 'b' && dt.itemsize === 1) return raw[0] !== 0;
  }
  const a = arrayFromBytes(dt, [], false, raw, offset);
  const d = a.data;
  if (Array.isArray(d)) return d[0] ?? null;
  if (d instanceof Map || 'raw' in d) return a; // structured or undecoded: keep as a 0-d array
  const v = d[0];
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (dt.char === 'b') return v !== 0;
  return v ?? null;
}
