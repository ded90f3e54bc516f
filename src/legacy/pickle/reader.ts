/**
 * The byte side of the parser: a cursor over the pickle stream that reads little-endian integers,
 * length-prefixed payloads and protocol 0's newline-terminated text, checking every declared length
 * against the bytes left before anything is allocated. Errors carry the offset of the opcode being
 * read (`at`).
 */
import { UnsafePickleError, type LegacyReadReason } from './errors.js';
import { OBJECT_COST, type Budget, type PickleLimits } from './limits.js';

/** The reasons a parse can fail other than a refused global. */
export type FailReason = Exclude<LegacyReadReason, 'refused-global'>;

const utf8Decoder = new TextDecoder('utf-8');

/** Bytes as latin-1 text (one char per byte), in chunks so a long run cannot overflow the call stack. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 8192)
    s += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192)));
  return s;
}

const PY_STRING_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

export class PickleReader {
  /** Offset of the opcode being read: where every error points. */
  at = 0;

  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly limits: PickleLimits,
    readonly budget: Budget,
  ) {}

  fail(reason: FailReason, message: string): never {
    throw new UnsafePickleError(reason, message, this.at);
  }

  /** Charges `n` bytes to the allocation budget before they are allocated. */
  charge(n: number): void {
    this.budget.charge(n, this.at);
  }

  /** Moves past `n` bytes and returns where they start; the length is checked against the bytes left. */
  need(n: number): number {
    const p = this.pos;
    if (n > this.bytes.length - p) {
      this.fail('truncated', `pickle truncated: ${n} bytes declared, ${this.bytes.length - p} left`);
    }
    this.pos = p + n;
    return p;
  }

  u8(): number {
    return this.bytes[this.need(1)] as number;
  }

  u16(): number {
    const p = this.need(2);
    return (this.bytes[p] as number) | ((this.bytes[p + 1] as number) << 8);
  }

  u32(): number {
    const p = this.need(4);
    const b = this.bytes;
    return (
      ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16)) +
      (b[p + 3] as number) * 0x1000000
    );
  }

  i32(): number {
    const v = this.u32();
    return v >= 0x80000000 ? v - 0x100000000 : v;
  }

  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    // Anything above 2^53 is beyond any real input; report it as the absurd length it is.
    if (hi >= 0x200000) this.fail('limit', 'declared length beyond 2^53');
    return hi * 0x100000000 + lo;
  }

  /** A big-endian double (BINFLOAT). */
  f64(): number {
    const p = this.need(8);
    const b = this.bytes;
    return new DataView(b.buffer, b.byteOffset + p, 8).getFloat64(0, false);
  }

  /** A newline-terminated protocol 0 argument, as latin-1 text without the newline. */
  line(): string {
    const nl = this.bytes.indexOf(10, this.pos);
    if (nl < 0) this.fail('truncated', 'pickle truncated inside a text line');
    const s = latin1(this.bytes, this.pos, nl);
    this.pos = nl + 1;
    return s;
  }

  /** `n` bytes of UTF-8 text, charged to the budget. */
  utf8(n: number): string {
    const start = this.need(n);
    const end = start + n;
    this.charge(n * 2 + 16);
    const b = this.bytes;
    if (n < 48) {
      // Short keys and names dominate real pickles; decoding ASCII by hand skips TextDecoder's set-up.
      let s = '';
      for (let i = start; i < end; i++) {
        const c = b[i] as number;
        if (c >= 0x80) return utf8Decoder.decode(b.subarray(start, end));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return utf8Decoder.decode(b.subarray(start, end));
  }

  /**
   * `n` bytes as a view, charged as a copy. A view, not a copy: a pickle holds thousands of tiny
   * payloads (numpy scalars, datetimes) and one ArrayBuffer each dominated parse time. The tree
   * keeps the stream alive; nobody mutates it.
   */
  bytesOf(n: number): Uint8Array {
    const p = this.need(n);
    this.charge(n + OBJECT_COST);
    return this.bytes.subarray(p, p + n);
  }

  /** A little-endian two's-complement int of `n` bytes (LONG1/LONG4). */
  long(n: number): number | bigint {
    if (n > this.limits.maxIntBytes)
      this.fail('limit', `pickle int of ${n} bytes exceeds ${this.limits.maxIntBytes}`);
    const p = this.need(n);
    if (n === 0) return 0;
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[p + i] as number);
    if ((this.bytes[p + n - 1] as number) & 0x80) v -= 1n << BigInt(8 * n);
    return this.int(v);
  }

  /** A Python int: a number when it is safe, else a bigint. */
  int(v: bigint): number | bigint {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  /** A protocol 0 decimal int literal (INT, LONG), with Python 2's optional `L` suffix. */
  textInt(s: string): number | bigint {
    const t = s.endsWith('L') ? s.slice(0, -1) : s;
    if (!/^[+-]?\d{1,5000}$/.test(t)) this.fail('malformed', `bad integer literal '${s.slice(0, 30)}'`);
    return this.int(BigInt(t));
  }

  /** A protocol 0 memo index (PUT, GET). */
  memoIndex(s: string): number {
    if (!/^\d{1,15}$/.test(s)) this.fail('malformed', `bad memo index '${s.slice(0, 30)}'`);
    return Number(s);
  }

  /** Python 2 `repr(str)` as written by protocol 0 STRING: quoted, with backslash escapes. */
  pyStringLiteral(s: string): string {
    const q = s[0];
    if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q)
      this.fail('malformed', 'bad STRING literal');
    const body = s.slice(1, -1);
    return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
      if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
      if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
      return PY_STRING_ESCAPES[e] ?? `\\${e}`;
    });
  }

  /** raw-unicode-escape (protocol 0 UNICODE): latin-1 bytes plus \uXXXX and \UXXXXXXXX escapes. */
  rawUnicode(s: string): string {
    return s.replace(
      /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
      (_m, u4: string | undefined, u8: string | undefined) => {
        const cp = parseInt((u4 ?? u8) as string, 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      },
    );
  }

  /** A protocol 0 FLOAT literal, including Python's `inf` and `nan` spellings. */
  floatLiteral(s: string): number {
    const t = s.trim().toLowerCase();
    if (t === 'inf' || t === '+inf') return Infinity;
    if (t === '-inf') return -Infinity;
    if (t === 'nan' || t === '-nan') return NaN;
    const v = Number(t);
    if (t === '' || Number.isNaN(v)) this.fail('malformed', `bad float literal '${s.slice(0, 30)}'`);
    return v;
  }
}
