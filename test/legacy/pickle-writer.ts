/**
 * A small protocol-4 pickle writer for tests and benchmarks: it writes what CPython's pickler writes
 * for plain data (memoised strings and containers, numpy int64/float64 scalars, naive datetimes), so
 * large legacy-shaped histories can be made without Python. It is not part of the product.
 */

/** Values the writer knows: JS data plus tagged numpy scalars and datetimes. */
export type WritableValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | WritableValue[]
  | Map<string, WritableValue>
  | { readonly np: 'i8' | 'f8'; readonly v: number }
  | { readonly datetime: Date };

export class PickleWriter {
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private memoCount = 0;
  private readonly memo = new Map<string, number>();

  constructor() {
    this.byte(0x80, 4);
  }

  private grow(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  private byte(...b: number[]): void {
    this.grow(b.length);
    for (const x of b) this.buf[this.len++] = x;
  }

  private u32(v: number): void {
    this.byte(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }

  private raw(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  private memoize(key: string | null): void {
    this.byte(0x94);
    if (key !== null) this.memo.set(key, this.memoCount);
    this.memoCount++;
  }

  /** BINGET of a memoised key; true when it was there. */
  private recall(key: string): boolean {
    const i = this.memo.get(key);
    if (i === undefined) return false;
    if (i < 256) this.byte(0x68, i);
    else {
      this.byte(0x6a);
      this.u32(i);
    }
    return true;
  }

  private str(s: string): void {
    if (this.recall(`s:${s}`)) return;
    const b = new TextEncoder().encode(s);
    if (b.length < 256) this.byte(0x8c, b.length);
    else {
      this.byte(0x58);
      this.u32(b.length);
    }
    this.raw(b);
    this.memoize(`s:${s}`);
  }

  private global(module: string, name: string): void {
    if (this.recall(`g:${module}.${name}`)) return;
    this.str(module);
    this.str(name);
    this.byte(0x93);
    this.memoize(`g:${module}.${name}`);
  }

  private int(v: number | bigint): void {
    const n = typeof v === 'bigint' ? v : BigInt(v);
    if (n >= 0n && n < 256n) this.byte(0x4b, Number(n));
    else if (n >= 0n && n < 65536n) this.byte(0x4d, Number(n) & 0xff, Number(n) >> 8);
    else if (n >= -(2n ** 31n) && n < 2n ** 31n) {
      this.byte(0x4a);
      this.u32(Number(BigInt.asUintN(32, n)));
    } else {
      const bytes: number[] = [];
      let x = BigInt.asUintN(128, n);
      for (let i = 0; i < 16; i++) {
        bytes.push(Number(x & 0xffn));
        x >>= 8n;
      }
      this.byte(0x8a, 16, ...bytes);
    }
  }

  private float(v: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, v, false);
    this.byte(0x47);
    this.raw(b);
  }

  private dtype(code: 'i8' | 'f8'): void {
    if (this.recall(`dt:${code}`)) return;
    this.global('numpy', 'dtype');
    this.str(code);
    this.byte(0x89, 0x88, 0x87, 0x52); // False, True, TUPLE3, REDUCE
    this.memoize(`dt:${code}`);
    // state (3, '<', None, None, None, -1, -1, 0)
    this.byte(0x28, 0x4b, 3);
    this.str('<');
    this.byte(
      0x4e,
      0x4e,
      0x4e,
      0x4a,
      0xff,
      0xff,
      0xff,
      0xff,
      0x4a,
      0xff,
      0xff,
      0xff,
      0xff,
      0x4b,
      0,
      0x74,
      0x62,
    );
  }

  /** Appends one value. */
  value(v: WritableValue): void {
    if (v === null) this.byte(0x4e);
    else if (v === true) this.byte(0x88);
    else if (v === false) this.byte(0x89);
    else if (typeof v === 'bigint') this.int(v);
    else if (typeof v === 'number') {
      if (Number.isInteger(v)) this.int(v);
      else this.float(v);
    } else if (typeof v === 'string') this.str(v);
    else if (Array.isArray(v)) {
      this.byte(0x5d);
      this.memoize(null);
      if (v.length) {
        this.byte(0x28);
        for (const x of v) this.value(x);
        this.byte(0x65);
      }
    } else if (v instanceof Map) {
      this.byte(0x7d);
      this.memoize(null);
      if (v.size) {
        this.byte(0x28);
        for (const [k, x] of v) {
          this.str(k);
          this.value(x);
        }
        this.byte(0x75);
      }
    } else if ('np' in v) {
      this.global('numpy.core.multiarray', 'scalar');
      this.dtype(v.np);
      const b = new Uint8Array(8);
      const view = new DataView(b.buffer);
      if (v.np === 'f8') view.setFloat64(0, v.v, true);
      else view.setBigInt64(0, BigInt(v.v), true);
      this.byte(0x43, 8);
      this.raw(b);
      this.byte(0x86, 0x52); // TUPLE2, REDUCE
    } else {
      const d = v.datetime;
      this.global('datetime', 'datetime');
      const us = d.getUTCMilliseconds() * 1000;
      this.byte(
        0x43,
        10,
        d.getUTCFullYear() >> 8,
        d.getUTCFullYear() & 0xff,
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        us >> 16,
        (us >> 8) & 0xff,
        us & 0xff,
      );
      this.byte(0x85, 0x52); // TUPLE1, REDUCE
    }
  }

  /** Ends the pickle and returns its bytes. */
  finish(): Uint8Array {
    this.byte(0x2e);
    return this.buf.slice(0, this.len);
  }
}
