/**
 * A pure pickle parser: bytes in, a tree of plain values out (STYLE §12). It reads every opcode that
 * Python 3 writes for protocols 0–5, never imports or calls anything, and rebuilds only allowlisted
 * globals (see allowlist.ts) as data.
 *
 * Written here rather than wrapping `pickleparser`: we need the stream position right after a joblib
 * `NumpyArrayWrapper` BUILD (its array bytes follow inline, and object arrays are a nested pickle),
 * byte offsets in every error, a limit on every declared length before anything is allocated, and a
 * value model (Map dicts, tagged records, typed arrays) that the converters consume directly. That
 * is less code than the adapters a wrapper would need, and there is no permissive mode to misuse.
 */
import { allowed, allowedWritten, type AllowEntry } from './allowlist.js';
import { UnsafePickleError } from './errors.js';
import {
  applyDTypeState,
  arrayFromBytes,
  arrayFromObjects,
  dtypeFromTypestr,
  elementCount,
  isDType,
  scalarFromBytes,
  shapeOf,
} from './numpy.js';
import {
  isRecord,
  isTuple,
  sequenceItems,
  type NdArray,
  type PickleValue,
  type PyDate,
  type PyDateTime,
  type PyGlobal,
  type PyObject,
  type PySet,
  type PyTimeDelta,
  type PyTimeZone,
} from './values.js';

/** Bounds on what one parse may consume. Every limit breach is an `UnsafePickleError('limit')`. */
export interface PickleLimits {
  /** Largest input accepted, in bytes. */
  readonly maxInputBytes: number;
  /** Deepest value nesting (and MARK nesting) accepted. */
  readonly maxDepth: number;
  /** Most memo entries. */
  readonly maxMemo: number;
  /** Most items on the parse stack at one level. */
  readonly maxStack: number;
  /** Rough budget of memory the parse may allocate (strings, bytes, arrays, containers), in bytes. */
  readonly maxAllocatedBytes: number;
  /** Most values in the tree counting shared references every time (stops "billion laughs" via the memo). */
  readonly maxExpandedValues: number;
  /** Most bytes in one Python int (LONG1/LONG4). */
  readonly maxIntBytes: number;
  /** How deeply joblib object arrays may nest pickles inside pickles. */
  readonly maxNestedPickles: number;
}

export const DEFAULT_PICKLE_LIMITS: PickleLimits = Object.freeze({
  // Input and allocations together stay well under 1 GB of heap, whatever the file holds; the
  // largest real legacy file (a 100-tree forest) is tens of megabytes.
  maxInputBytes: 256 * 1024 * 1024,
  maxDepth: 256,
  maxMemo: 10_000_000,
  maxStack: 10_000_000,
  maxAllocatedBytes: 512 * 1024 * 1024,
  maxExpandedValues: 200_000_000,
  maxIntBytes: 4096,
  maxNestedPickles: 4,
});

export interface ParseOptions {
  readonly limits?: Partial<PickleLimits>;
  /** Where the pickle starts in `bytes` (joblib streams hold nested pickles). */
  readonly start?: number;
}

export interface ParseResult {
  readonly value: PickleValue;
  /** Offset just after the STOP opcode. */
  readonly end: number;
}

/** Shared between a pickle and the pickles nested in it, so limits hold for the whole file. */
interface Budget {
  allocated: number;
  /** Containers handed out more than once (memo GET, DUP): the only ones that can be shared or cyclic. */
  readonly shared: Set<object>;
}

type StackItem = PickleValue;
const utf8Decoder = new TextDecoder('utf-8');
/**
 * What V8 really spends (64-bit, measured with --expose-gc): a small object or array ~48 bytes, one
 * array slot 8, an empty Map ~190 (its hash table is allocated up front), a Map entry ~48 with
 * the table's growth slack. Charging less let 36 million EMPTY_DICTs through a 2 GB "budget".
 */
const OBJECT_COST = 48;
const SLOT = 8;
const MAP_COST = 192;
const MAP_ENTRY = 48;

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 8192)
    s += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192)));
  return s;
}

/**
 * Parses one pickle.
 * @throws UnsafePickleError (code UNSAFE_PICKLE) naming the refused global, the exceeded limit or the
 *   malformed/truncated spot, with its byte offset.
 */
export function parsePickle(bytes: Uint8Array, options: ParseOptions = {}): ParseResult {
  const limits = { ...DEFAULT_PICKLE_LIMITS, ...options.limits };
  if (bytes.length > limits.maxInputBytes) {
    throw new UnsafePickleError(
      'limit',
      `pickle of ${bytes.length} bytes exceeds the ${limits.maxInputBytes}-byte limit`,
      -1,
    );
  }
  const budget: Budget = { allocated: 0, shared: new Set() };
  const result = new Unpickler(bytes, options.start ?? 0, limits, budget, 0).run();
  checkTree(result.value, limits, budget.shared);
  return result;
}

class Unpickler {
  private pos: number;
  private stack: StackItem[] = [];
  private readonly metastack: StackItem[][] = [];
  // An array, not a Map: indices are dense in real pickles (MEMOIZE counts up), and an index is
  // bounded by maxMemo, so a hostile sparse index costs at most that many slots.
  private readonly memo: (PickleValue | undefined)[] = [];
  private memoCount = 0;
  private at = 0;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly limits: PickleLimits,
    private readonly budget: Budget,
    private readonly nesting: number,
  ) {
    this.pos = start;
  }

  private fail(reason: 'limit' | 'truncated' | 'malformed' | 'unsupported', message: string): never {
    throw new UnsafePickleError(reason, message, this.at);
  }

  private charge(n: number): void {
    this.budget.allocated += n;
    if (this.budget.allocated > this.limits.maxAllocatedBytes) {
      this.fail('limit', `pickle would allocate more than ${this.limits.maxAllocatedBytes} bytes`);
    }
  }

  private need(n: number): number {
    const p = this.pos;
    if (n > this.bytes.length - p) {
      this.fail('truncated', `pickle truncated: ${n} bytes declared, ${this.bytes.length - p} left`);
    }
    this.pos = p + n;
    return p;
  }

  private u8(): number {
    return this.bytes[this.need(1)] as number;
  }

  private u16(): number {
    const p = this.need(2);
    return (this.bytes[p] as number) | ((this.bytes[p + 1] as number) << 8);
  }

  private u32(): number {
    const p = this.need(4);
    const b = this.bytes;
    return (
      ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16)) +
      (b[p + 3] as number) * 0x1000000
    );
  }

  private i32(): number {
    const v = this.u32();
    return v >= 0x80000000 ? v - 0x100000000 : v;
  }

  private u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    // Anything above 2^53 is beyond any real input; report it as the absurd length it is.
    if (hi >= 0x200000) this.fail('limit', 'declared length beyond 2^53');
    return hi * 0x100000000 + lo;
  }

  /** A length-prefixed payload: the length is checked against the remaining bytes before use. */
  private take(n: number): number {
    return this.need(n);
  }

  private line(): string {
    const nl = this.bytes.indexOf(10, this.pos);
    if (nl < 0) this.fail('truncated', 'pickle truncated inside a text line');
    const s = latin1(this.bytes, this.pos, nl);
    this.pos = nl + 1;
    return s;
  }

  private utf8(start: number, end: number): string {
    const n = end - start;
    this.charge(n * 2 + 16);
    if (n < 48) {
      const b = this.bytes;
      let s = '';
      for (let i = start; i < end; i++) {
        const c = b[i] as number;
        if (c >= 0x80) return utf8Decoder.decode(b.subarray(start, end));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return utf8Decoder.decode(this.bytes.subarray(start, end));
  }

  private push(v: StackItem): void {
    if (this.stack.length >= this.limits.maxStack)
      this.fail('limit', `pickle stack exceeds ${this.limits.maxStack} items`);
    this.stack.push(v);
  }

  private pop(): StackItem {
    if (this.stack.length === 0) this.fail('malformed', 'pickle stack underflow');
    return this.stack.pop() as StackItem;
  }

  private top(): StackItem {
    if (this.stack.length === 0) this.fail('malformed', 'pickle stack underflow');
    return this.stack[this.stack.length - 1] as StackItem;
  }

  private mark(): void {
    if (this.metastack.length >= this.limits.maxDepth) {
      this.fail('limit', `pickle nesting deeper than ${this.limits.maxDepth}`);
    }
    this.metastack.push(this.stack);
    this.stack = [];
  }

  private popMark(): StackItem[] {
    const items = this.stack;
    const prev = this.metastack.pop();
    if (prev === undefined) this.fail('malformed', 'pickle MARK expected but missing (stack underflow)');
    this.stack = prev;
    return items;
  }

  private memoPut(index: number, v: PickleValue): void {
    if (index >= this.limits.maxMemo)
      this.fail('limit', `pickle memo index ${index} exceeds the ${this.limits.maxMemo}-entry limit`);
    if (this.memo[index] === undefined) this.memoCount++;
    this.memo[index] = v;
  }

  private memoGet(index: number): PickleValue {
    const v = this.memo[index];
    if (v === undefined) this.fail('malformed', `pickle memo reference ${index} does not exist`);
    return this.reuse(v);
  }

  /** Notes a container that is placed a second time (so checkTree watches it for sharing and cycles). */
  private reuse(v: PickleValue): PickleValue {
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) this.budget.shared.add(v);
    return v;
  }

  private global(module: string, name: string): PyGlobal {
    const entry = allowed(module, name);
    if (!entry) {
      throw new UnsafePickleError(
        'refused-global',
        `refused pickle global ${module}.${name}: not on the allowlist of data classes (a legacy file must never run code)`,
        this.at,
      );
    }
    return { kind: 'global', name: entry.canonical, written: `${module}.${name}` };
  }

  private tuple(items: PickleValue[]): PickleValue {
    this.charge(OBJECT_COST + items.length * SLOT);
    return { kind: 'tuple', items };
  }

  private int(v: bigint): number | bigint {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  private long(n: number): number | bigint {
    if (n > this.limits.maxIntBytes)
      this.fail('limit', `pickle int of ${n} bytes exceeds ${this.limits.maxIntBytes}`);
    const p = this.take(n);
    if (n === 0) return 0;
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.bytes[p + i] as number);
    if ((this.bytes[p + n - 1] as number) & 0x80) v -= 1n << BigInt(8 * n);
    return this.int(v);
  }

  private textInt(s: string): number | bigint {
    const t = s.endsWith('L') ? s.slice(0, -1) : s;
    if (!/^[+-]?\d{1,5000}$/.test(t)) this.fail('malformed', `bad integer literal '${s.slice(0, 30)}'`);
    return this.int(BigInt(t));
  }

  /** Python 2 `repr(str)` as written by protocol 0 STRING: quoted, with backslash escapes. */
  private pyStringLiteral(s: string): string {
    const q = s[0];
    if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q)
      this.fail('malformed', 'bad STRING literal');
    const body = s.slice(1, -1);
    const simple: Record<string, string> = {
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
    return body.replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_m, e: string) => {
      if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
      if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
      return simple[e] ?? `\\${e}`;
    });
  }

  /** raw-unicode-escape (protocol 0 UNICODE): latin-1 bytes plus \uXXXX and \UXXXXXXXX escapes. */
  private rawUnicode(s: string): string {
    return s.replace(
      /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
      (_m, u4: string | undefined, u8: string | undefined) => {
        const cp = parseInt((u4 ?? u8) as string, 16);
        return cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      },
    );
  }

  private floatLiteral(s: string): number {
    const t = s.trim().toLowerCase();
    if (t === 'inf' || t === '+inf') return Infinity;
    if (t === '-inf') return -Infinity;
    if (t === 'nan' || t === '-nan') return NaN;
    const v = Number(t);
    if (t === '' || Number.isNaN(v)) this.fail('malformed', `bad float literal '${s.slice(0, 30)}'`);
    return v;
  }

  run(): ParseResult {
    const b = this.bytes;
    for (;;) {
      this.at = this.pos;
      if (this.pos >= b.length) this.fail('truncated', 'pickle ended without STOP');
      const op = b[this.pos++] as number;
      switch (op) {
        case 0x80: {
          // PROTO
          const v = this.u8();
          if (v > 5) this.fail('unsupported', `pickle protocol ${v} is newer than 5`);
          break;
        }
        case 0x95: {
          // FRAME: only a read-ahead hint; its length must still fit.
          const n = this.u64();
          if (n > b.length - this.pos)
            this.fail('truncated', `pickle frame of ${n} bytes, ${b.length - this.pos} left`);
          break;
        }
        case 0x2e: // STOP '.'
          return { value: this.pop(), end: this.pos };
        // ---- constants
        case 0x4e: // NONE 'N'
          this.push(null);
          break;
        case 0x88: // NEWTRUE
          this.push(true);
          break;
        case 0x89: // NEWFALSE
          this.push(false);
          break;
        case 0x4a: // BININT 'J'
          this.push(this.i32());
          break;
        case 0x4b: // BININT1 'K'
          this.push(this.u8());
          break;
        case 0x4d: // BININT2 'M'
          this.push(this.u16());
          break;
        case 0x8a: // LONG1
          this.push(this.long(this.u8()));
          break;
        case 0x8b: {
          // LONG4
          const n = this.i32();
          if (n < 0) this.fail('malformed', 'negative LONG4 length');
          this.push(this.long(n));
          break;
        }
        case 0x49: {
          // INT 'I' (protocol 0): also True/False as I01/I00
          const s = this.line();
          if (s === '01') this.push(true);
          else if (s === '00') this.push(false);
          else this.push(this.textInt(s));
          break;
        }
        case 0x4c: // LONG 'L'
          this.push(this.textInt(this.line()));
          break;
        case 0x46: // FLOAT 'F'
          this.push(this.floatLiteral(this.line()));
          break;
        case 0x47: {
          // BINFLOAT 'G' (big-endian double)
          const p = this.need(8);
          this.push(new DataView(b.buffer, b.byteOffset + p, 8).getFloat64(0, false));
          break;
        }
        // ---- strings and bytes
        case 0x58: {
          // BINUNICODE 'X'
          const n = this.u32();
          const p = this.take(n);
          this.push(this.utf8(p, p + n));
          break;
        }
        case 0x8c: {
          // SHORT_BINUNICODE
          const n = this.u8();
          const p = this.take(n);
          this.push(this.utf8(p, p + n));
          break;
        }
        case 0x8d: {
          // BINUNICODE8
          const n = this.u64();
          const p = this.take(n);
          this.push(this.utf8(p, p + n));
          break;
        }
        case 0x56: // UNICODE 'V'
          this.push(this.rawUnicode(this.line()));
          break;
        case 0x53: // STRING 'S' (Python 2 str; Python 3 reads it as text, latin-1 here)
          this.push(this.pyStringLiteral(this.line()));
          break;
        case 0x54: {
          // BINSTRING 'T'
          const n = this.i32();
          if (n < 0) this.fail('malformed', 'negative BINSTRING length');
          const p = this.take(n);
          this.charge(n * 2);
          this.push(latin1(b, p, p + n));
          break;
        }
        case 0x55: {
          // SHORT_BINSTRING 'U'
          const n = this.u8();
          const p = this.take(n);
          this.push(latin1(b, p, p + n));
          break;
        }
        case 0x42: // BINBYTES 'B'
          this.push(this.bytesOf(this.u32()));
          break;
        case 0x43: // SHORT_BINBYTES 'C'
          this.push(this.bytesOf(this.u8()));
          break;
        case 0x8e: // BINBYTES8
          this.push(this.bytesOf(this.u64()));
          break;
        case 0x96: // BYTEARRAY8
          this.push(this.bytesOf(this.u64()));
          break;
        case 0x97: // NEXT_BUFFER
          this.fail('unsupported', 'pickle uses out-of-band buffers (protocol 5 NEXT_BUFFER)');
          break;
        case 0x98: // READONLY_BUFFER: in-band buffers are already plain bytes
          this.top();
          break;
        // ---- containers
        case 0x5d: // EMPTY_LIST ']'
          this.charge(OBJECT_COST);
          this.push([]);
          break;
        case 0x7d: // EMPTY_DICT '}'
          this.charge(MAP_COST);
          this.push(new Map());
          break;
        case 0x29: // EMPTY_TUPLE ')'
          this.push(this.tuple([]));
          break;
        case 0x8f: // EMPTY_SET
          this.charge(2 * OBJECT_COST);
          this.push({ kind: 'set', frozen: false, items: [] });
          break;
        case 0x28: // MARK '('
          this.mark();
          break;
        case 0x6c: {
          // LIST 'l'
          const items = this.popMark();
          this.charge(OBJECT_COST + items.length * 8);
          this.push(items);
          break;
        }
        case 0x74: // TUPLE 't'
          this.push(this.tuple(this.popMark()));
          break;
        case 0x85: // TUPLE1
          this.push(this.tuple([this.pop()]));
          break;
        case 0x86: {
          // TUPLE2
          const y = this.pop();
          const x = this.pop();
          this.push(this.tuple([x, y]));
          break;
        }
        case 0x87: {
          // TUPLE3
          const z = this.pop();
          const y = this.pop();
          const x = this.pop();
          this.push(this.tuple([x, y, z]));
          break;
        }
        case 0x64: {
          // DICT 'd'
          const items = this.popMark();
          if (items.length % 2) this.fail('malformed', 'DICT with an odd number of items');
          this.charge(MAP_COST + (items.length / 2) * MAP_ENTRY);
          const m = new Map<PickleValue, PickleValue>();
          for (let i = 0; i < items.length; i += 2)
            m.set(items[i] as PickleValue, items[i + 1] as PickleValue);
          this.push(m);
          break;
        }
        case 0x91: {
          // FROZENSET
          const items = this.popMark();
          this.charge(OBJECT_COST + items.length * 8);
          this.push({ kind: 'set', frozen: true, items });
          break;
        }
        case 0x61: {
          // APPEND 'a'
          const v = this.pop();
          const list = this.top();
          if (!Array.isArray(list)) this.fail('malformed', 'APPEND to something that is not a list');
          this.charge(8);
          list.push(v);
          break;
        }
        case 0x65: {
          // APPENDS 'e'
          const items = this.popMark();
          const list = this.top();
          if (!Array.isArray(list)) this.fail('malformed', 'APPENDS to something that is not a list');
          this.charge(items.length * 8);
          for (const v of items) list.push(v);
          break;
        }
        case 0x73: {
          // SETITEM 's'
          const v = this.pop();
          const k = this.pop();
          const d = this.top();
          if (!(d instanceof Map)) this.fail('malformed', 'SETITEM on something that is not a dict');
          this.charge(MAP_ENTRY);
          d.set(k, v);
          break;
        }
        case 0x75: {
          // SETITEMS 'u'
          const items = this.popMark();
          const d = this.top();
          if (!(d instanceof Map)) this.fail('malformed', 'SETITEMS on something that is not a dict');
          if (items.length % 2) this.fail('malformed', 'SETITEMS with an odd number of items');
          this.charge((items.length / 2) * MAP_ENTRY);
          for (let i = 0; i < items.length; i += 2)
            d.set(items[i] as PickleValue, items[i + 1] as PickleValue);
          break;
        }
        case 0x90: {
          // ADDITEMS
          const items = this.popMark();
          const s = this.top();
          if (!isRecord(s) || s.kind !== 'set' || s.frozen)
            this.fail('malformed', 'ADDITEMS on something that is not a set');
          this.charge(items.length * 8);
          for (const v of items) s.items.push(v);
          break;
        }
        // ---- stack and memo
        case 0x30: // POP '0'
          if (this.stack.length) this.stack.pop();
          else this.popMark();
          break;
        case 0x31: // POP_MARK '1'
          this.popMark();
          break;
        case 0x32: // DUP '2'
          this.push(this.reuse(this.top()));
          break;
        case 0x70: // PUT 'p'
          this.memoPut(this.memoIndex(this.line()), this.top());
          break;
        case 0x71: // BINPUT 'q'
          this.memoPut(this.u8(), this.top());
          break;
        case 0x72: // LONG_BINPUT 'r'
          this.memoPut(this.u32(), this.top());
          break;
        case 0x94: // MEMOIZE
          this.memoPut(this.memoCount, this.top());
          break;
        case 0x67: // GET 'g'
          this.push(this.memoGet(this.memoIndex(this.line())));
          break;
        case 0x68: // BINGET 'h'
          this.push(this.memoGet(this.u8()));
          break;
        case 0x6a: // LONG_BINGET 'j'
          this.push(this.memoGet(this.u32()));
          break;
        // ---- globals and objects
        case 0x63: {
          // GLOBAL 'c'
          const module = this.line();
          const name = this.line();
          this.push(this.global(module, name));
          break;
        }
        case 0x93: {
          // STACK_GLOBAL
          const name = this.pop();
          const module = this.pop();
          if (typeof module !== 'string' || typeof name !== 'string')
            this.fail('malformed', 'STACK_GLOBAL needs two strings');
          this.push(this.global(module, name));
          break;
        }
        case 0x52: {
          // REDUCE 'R'
          const args = this.pop();
          const fn = this.pop();
          if (!isTuple(args)) this.fail('malformed', 'REDUCE arguments are not a tuple');
          this.push(this.call(fn, args.items, null, 'reduce'));
          break;
        }
        case 0x81: {
          // NEWOBJ
          const args = this.pop();
          const cls = this.pop();
          if (!isTuple(args)) this.fail('malformed', 'NEWOBJ arguments are not a tuple');
          this.push(this.call(cls, args.items, null, 'new'));
          break;
        }
        case 0x92: {
          // NEWOBJ_EX
          const kwargs = this.pop();
          const args = this.pop();
          const cls = this.pop();
          if (!isTuple(args) || !(kwargs instanceof Map))
            this.fail('malformed', 'NEWOBJ_EX needs a tuple and a dict');
          this.push(this.call(cls, args.items, kwargs, 'new'));
          break;
        }
        case 0x69: {
          // INST 'i'
          const module = this.line();
          const name = this.line();
          const g = this.global(module, name);
          this.push(this.call(g, this.popMark(), null, 'new'));
          break;
        }
        case 0x6f: {
          // OBJ 'o'
          const items = this.popMark();
          if (items.length === 0) this.fail('malformed', 'OBJ without a class');
          this.push(this.call(items[0] as PickleValue, items.slice(1), null, 'new'));
          break;
        }
        case 0x62: // BUILD 'b'
          this.build();
          break;
        case 0x50: // PERSID 'P'
        case 0x51: // BINPERSID 'Q'
          this.fail('unsupported', 'pickle uses persistent ids (not a legacy data file)');
          break;
        case 0x82: // EXT1
        case 0x83: // EXT2
        case 0x84: // EXT4
          this.fail(
            'unsupported',
            'pickle uses the copyreg extension registry (refused: it names globals indirectly)',
          );
          break;
        default:
          this.fail('malformed', `unknown pickle opcode 0x${op.toString(16).padStart(2, '0')}`);
      }
    }
  }

  private memoIndex(s: string): number {
    if (!/^\d{1,15}$/.test(s)) this.fail('malformed', `bad memo index '${s.slice(0, 30)}'`);
    return Number(s);
  }

  private bytesOf(n: number): Uint8Array {
    const p = this.take(n);
    this.charge(n + OBJECT_COST);
    // A view, not a copy: a pickle holds thousands of tiny payloads (numpy scalars, datetimes) and
    // one ArrayBuffer each dominated parse time. The tree keeps the stream alive; nobody mutates it.
    return this.bytes.subarray(p, p + n);
  }

  /** REDUCE / NEWOBJ / INST / OBJ of an allowlisted global, as data. */
  private call(
    fn: PickleValue,
    args: readonly PickleValue[],
    kwargs: Map<PickleValue, PickleValue> | null,
    how: 'reduce' | 'new',
  ): PickleValue {
    if (!isRecord(fn) || fn.kind !== 'global')
      this.fail('malformed', `${how === 'reduce' ? 'REDUCE' : 'NEWOBJ'} of something that is not a global`);
    const entry = allowedWritten(fn.written) as AllowEntry;
    this.charge(OBJECT_COST + args.length * 8);
    if (entry.role === 'class') {
      return {
        kind: 'object',
        className: entry.canonical,
        written: fn.written,
        args,
        kwargs,
        state: undefined,
      };
    }
    if (entry.role === 'value') this.fail('malformed', `${fn.written} cannot be called in a data file`);
    return this.builder(entry.canonical, args);
  }

  private builder(name: string, args: readonly PickleValue[]): PickleValue {
    const [a0, a1, a2, a3] = args;
    switch (name) {
      case 'builtins.set':
      case 'builtins.frozenset':
        return {
          kind: 'set',
          frozen: name === 'builtins.frozenset',
          items: a0 === undefined ? [] : this.copyItems(a0),
        } satisfies PySet;
      case 'builtins.list':
        return a0 === undefined ? [] : this.copyItems(a0);
      case 'builtins.tuple':
        // this.tuple charges the copy.
        return this.tuple(a0 === undefined ? [] : this.iterable(a0).slice());
      case 'builtins.dict':
      case 'collections.OrderedDict': {
        const m = new Map<PickleValue, PickleValue>();
        if (a0 instanceof Map) {
          this.charge(a0.size * MAP_ENTRY);
          for (const [k, v] of a0) m.set(k, v);
        } else if (a0 !== undefined) {
          const pairs = this.iterable(a0);
          this.charge(pairs.length * MAP_ENTRY);
          for (const pair of pairs) {
            const kv = sequenceItems(pair);
            if (!kv || kv.length !== 2) this.fail('malformed', `${name} items are not pairs`);
            m.set(kv[0] as PickleValue, kv[1] as PickleValue);
          }
        }
        return m;
      }
      case 'builtins.bytes':
      case 'builtins.bytearray':
        if (a0 === undefined) return new Uint8Array(0);
        if (a0 instanceof Uint8Array) {
          this.charge(a0.length + OBJECT_COST);
          return a0.slice();
        }
        if (typeof a0 === 'string') return this.encode(a0, typeof a1 === 'string' ? a1 : 'latin-1');
        {
          // Charged like a copy of the list it walks: its cost is in time as much as in bytes.
          const items = this.iterable(a0);
          this.charge(items.length * SLOT + OBJECT_COST);
          const out = new Uint8Array(items.length);
          for (let i = 0; i < items.length; i++) {
            const x = items[i];
            out[i] = typeof x === 'number' ? x & 0xff : 0;
          }
          return out;
        }
      case '_codecs.encode':
        if (typeof a0 !== 'string') this.fail('malformed', '_codecs.encode of a non-string');
        return this.encode(a0, typeof a1 === 'string' ? a1 : 'utf-8');
      case 'copyreg._reconstructor': {
        // copyreg._reconstructor(cls, object, None): protocols 0/1 spelling of "new instance of cls".
        if (
          !isRecord(a0) ||
          a0.kind !== 'global' ||
          !isRecord(a1) ||
          a1.kind !== 'global' ||
          a1.name !== 'builtins.object'
        ) {
          this.fail('malformed', 'copyreg._reconstructor needs an allowlisted class and object');
        }
        return this.call(a0, [], null, 'new');
      }
      case 'copyreg.__newobj__':
        if (a0 === undefined) this.fail('malformed', 'copyreg.__newobj__ without a class');
        return this.call(a0, args.slice(1), null, 'new');
      case 'datetime.timedelta':
        return this.timedelta(a0, a1, a2);
      case 'datetime.timezone': {
        if (!isRecord(a0) || a0.kind !== 'timedelta') this.fail('malformed', 'timezone without a timedelta');
        const offsetSeconds = a0.days * 86400 + a0.seconds + a0.microseconds / 1e6;
        // Python: "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)".
        if (!(Math.abs(offsetSeconds) < 86400)) this.fail('malformed', 'timezone offset outside ±24 hours');
        return {
          kind: 'timezone',
          offsetSeconds,
          name: typeof a1 === 'string' ? a1 : null,
        } satisfies PyTimeZone;
      }
      case 'datetime.date': {
        const raw = this.dateBytes(a0, 4);
        const date: PyDate = raw
          ? {
              kind: 'date',
              year: (raw[0] as number) * 256 + (raw[1] as number),
              month: raw[2] as number,
              day: raw[3] as number,
            }
          : { kind: 'date', year: this.smallInt(a0), month: this.smallInt(a1), day: this.smallInt(a2) };
        this.checkDate(date.year, date.month, date.day, 0, 0, 0, 0);
        return date;
      }
      case 'datetime.datetime': {
        const raw = this.dateBytes(a0, 10);
        const tzArg = raw ? a1 : args[7];
        const tz =
          tzArg === undefined || tzArg === null
            ? null
            : isRecord(tzArg) && tzArg.kind === 'timezone'
              ? tzArg
              : this.fail('malformed', 'datetime with a tzinfo that is not a timezone');
        if (raw) {
          const dt: PyDateTime = {
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
          this.checkDate(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond);
          return dt;
        }
        const [y, mo, d, h, mi, s, us] = args
          .slice(0, 7)
          .map((x) => (x === undefined ? 0 : this.smallInt(x)));
        const dt: PyDateTime = {
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
        this.checkDate(dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, dt.microsecond);
        return dt;
      }
      case 'numpy.dtype':
        return dtypeFromTypestr(a0, this.at);
      case 'numpy.core.multiarray._reconstruct': {
        // _reconstruct(ndarray, (0,), b'b'): an empty array its BUILD fills in.
        if (!isRecord(a0) || a0.kind !== 'global' || a0.name !== 'numpy.ndarray')
          this.fail('malformed', '_reconstruct of something other than numpy.ndarray');
        const placeholder: NdArray = {
          kind: 'ndarray',
          dtype: dtypeFromTypestr('u1', this.at),
          shape: [0],
          data: new Uint8Array(0),
        };
        return placeholder;
      }
      case 'numpy.core.multiarray.scalar':
        if (!isDType(a0)) this.fail('malformed', 'numpy scalar without a dtype');
        return scalarFromBytes(a0, typeof a1 === 'string' ? this.encode(a1, 'latin-1') : a1, this.at);
      case 'numpy.core.numeric._frombuffer': {
        // _frombuffer(buffer, dtype, shape, order): protocol 5 spelling of an array.
        if (!(a0 instanceof Uint8Array) || !isDType(a1) || a2 === undefined)
          this.fail('malformed', 'bad numpy _frombuffer arguments');
        return arrayFromBytes(a1, shapeOf(a2, this.at), a3 === 'F', a0, this.at);
      }
      default:
        return this.fail('malformed', `no builder for ${name}`);
    }
  }

  /** A copy of a list, tuple or set's items, charged before it is made (`list(L)` 200 times is 200 copies). */
  private copyItems(v: PickleValue): PickleValue[] {
    const items = this.iterable(v);
    this.charge(OBJECT_COST + items.length * SLOT);
    return items.slice();
  }

  private iterable(v: PickleValue): readonly PickleValue[] {
    const items = sequenceItems(v) ?? (isRecord(v) && v.kind === 'set' ? v.items : undefined);
    if (!items) this.fail('malformed', 'expected a list, tuple or set');
    return items;
  }

  private encode(s: string, encoding: string): Uint8Array {
    const enc = encoding.toLowerCase().replace(/_/g, '-');
    this.charge(s.length + OBJECT_COST);
    if (enc === 'latin1' || enc === 'latin-1' || enc === 'iso-8859-1' || enc === 'ascii') {
      const out = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
      return out;
    }
    if (enc === 'utf-8' || enc === 'utf8') return new TextEncoder().encode(s);
    return this.fail('unsupported', `text encoding '${encoding.slice(0, 20)}'`);
  }

  private dateBytes(v: PickleValue | undefined, n: number): Uint8Array | null {
    if (v instanceof Uint8Array) {
      if (v.length !== n) this.fail('malformed', `datetime state of ${v.length} bytes, expected ${n}`);
      return v;
    }
    if (typeof v === 'string' && v.length === n) return this.encode(v, 'latin-1'); // Python 2 pickles
    return null;
  }

  /** Python refuses out-of-range datetime fields on load; so do we (consumers may trust them). */
  private checkDate(y: number, mo: number, d: number, h: number, mi: number, s: number, us: number): void {
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
      this.fail('malformed', `datetime field out of range (${y}-${mo}-${d} ${h}:${mi}:${s}.${us})`);
    }
  }

  private smallInt(v: PickleValue | undefined): number {
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail('malformed', 'expected an integer');
    return v;
  }

  private timedelta(
    d: PickleValue | undefined,
    s: PickleValue | undefined,
    us: PickleValue | undefined,
  ): PyTimeDelta {
    return {
      kind: 'timedelta',
      days: d === undefined ? 0 : this.smallInt(d),
      seconds: s === undefined ? 0 : this.smallInt(s),
      microseconds: us === undefined ? 0 : this.smallInt(us),
    };
  }

  private build(): void {
    const state = this.pop();
    const inst = this.top();
    if (!isRecord(inst)) this.fail('malformed', 'BUILD on a value that is not an object');
    if (inst.kind === 'dtype') {
      applyDTypeState(inst, state, this.at);
      return;
    }
    if (inst.kind === 'ndarray') {
      this.buildArray(inst, state);
      return;
    }
    if (inst.kind !== 'object') this.fail('malformed', `BUILD on a ${inst.kind}`);
    if (inst.state instanceof Map && state instanceof Map) for (const [k, v] of state) inst.state.set(k, v);
    else inst.state = state;
    if (inst.className === 'joblib.numpy_pickle.NumpyArrayWrapper') {
      this.stack[this.stack.length - 1] = this.readJoblibArray(inst);
    }
  }

  /** numpy's ndarray.__setstate__((version, shape, dtype, is_fortran, raw)). */
  private buildArray(arr: NdArray, state: PickleValue): void {
    const items = isTuple(state) ? state.items : null;
    if (!items || (items.length !== 5 && items.length !== 4))
      this.fail('malformed', 'numpy array state is not a 4- or 5-tuple');
    const [shape, dtype, fortran, raw] = items.length === 5 ? items.slice(1) : items;
    if (!isDType(dtype) || shape === undefined)
      this.fail('malformed', 'numpy array state without shape and dtype');
    const dims = shapeOf(shape, this.at);
    const built = Array.isArray(raw)
      ? arrayFromObjects(dtype, dims, fortran === true, raw, this.at)
      : arrayFromBytes(
          dtype,
          dims,
          fortran === true,
          typeof raw === 'string'
            ? this.encode(raw, 'latin-1')
            : raw instanceof Uint8Array
              ? raw
              : this.fail('malformed', 'numpy array state without data'),
          this.at,
        );
    this.charge(
      OBJECT_COST +
        (Array.isArray(built.data) ? built.data.length * 8 : elementCount(dims, this.at) * dtype.itemsize),
    );
    arr.dtype = built.dtype;
    arr.shape = built.shape;
    arr.data = built.data;
  }

  /**
   * joblib ≥ 0.10 writes each numpy array as a NumpyArrayWrapper whose BUILD is followed, in the
   * stream itself, by the array: a nested protocol-2 pickle for object arrays; otherwise (joblib ≥ 1.2)
   * one padding-length byte and that many padding bytes, then prod(shape) × itemsize raw bytes.
   */
  private readJoblibArray(w: PyObject): NdArray {
    const st = w.state;
    if (!(st instanceof Map)) this.fail('malformed', 'NumpyArrayWrapper without a state dict');
    const dtype = st.get('dtype');
    const shapeV = st.get('shape');
    const subclass = st.get('subclass');
    if (!isDType(dtype) || shapeV === undefined)
      this.fail('malformed', 'NumpyArrayWrapper without dtype and shape');
    if (!isRecord(subclass) || subclass.kind !== 'global' || subclass.name !== 'numpy.ndarray') {
      this.fail('malformed', 'NumpyArrayWrapper of something other than numpy.ndarray');
    }
    const shape = shapeOf(shapeV, this.at);
    const fortran = st.get('order') === 'F';
    if (dtype.char === 'O') {
      if (this.nesting >= this.limits.maxNestedPickles)
        this.fail('limit', 'pickles nested too deeply in joblib object arrays');
      const inner = new Unpickler(this.bytes, this.pos, this.limits, this.budget, this.nesting + 1).run();
      this.pos = inner.end;
      const v = inner.value;
      if (!isRecord(v) || v.kind !== 'ndarray') this.fail('malformed', 'joblib object array is not an array');
      return v;
    }
    const align = st.get('numpy_array_alignment_bytes');
    if (align !== undefined && align !== null) this.need(this.u8());
    const n = elementCount(shape, this.at) * dtype.itemsize;
    const p = this.take(n);
    this.charge(n + OBJECT_COST);
    return arrayFromBytes(dtype, shape, fortran, this.bytes.subarray(p, p + n), this.at);
  }
}

const NO_KIDS: readonly object[] = [];

/**
 * The children of a container that are themselves containers, and how many other (leaf) children it
 * has; null for a leaf value. Strings, numbers and bytes never need walking.
 */
function containerKids(v: PickleValue): { kids: readonly object[]; leaves: number } | null {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return null;
  let items: readonly PickleValue[];
  if (Array.isArray(v)) items = v;
  else if (v instanceof Map) {
    let kids: object[] | null = null;
    let leaves = 0;
    for (const [k, x] of v) {
      if (k !== null && typeof k === 'object' && !(k instanceof Uint8Array)) (kids ??= []).push(k);
      else leaves++;
      if (x !== null && typeof x === 'object' && !(x instanceof Uint8Array)) (kids ??= []).push(x);
      else leaves++;
    }
    return { kids: kids ?? NO_KIDS, leaves };
  } else {
    switch (v.kind) {
      case 'tuple':
      case 'set':
        items = v.items;
        break;
      case 'object': {
        const all: PickleValue[] = [...v.args];
        if (v.kwargs) all.push(v.kwargs);
        if (v.state !== undefined) all.push(v.state);
        items = all;
        break;
      }
      case 'datetime':
        items = v.tz ? [v.tz] : [];
        break;
      case 'ndarray':
        if (Array.isArray(v.data)) items = v.data;
        else if (v.data instanceof Map) items = [...v.data.values()];
        else return null;
        break;
      default:
        return null;
    }
  }
  let kids: object[] | null = null;
  let leaves = 0;
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    if (x !== null && typeof x === 'object' && !(x instanceof Uint8Array)) (kids ??= []).push(x);
    else leaves++;
  }
  return { kids: kids ?? NO_KIDS, leaves };
}

/**
 * Rejects cycles, trees deeper than maxDepth, and trees that would expand (counting shared
 * references each time) beyond maxExpandedValues. Iterative, so hostile depth cannot overflow the
 * JS stack. Only containers the parser handed out twice (`shared`) can be reached twice, so only
 * they are cached and cycle-checked: linear time without hashing every node.
 */
function checkTree(root: PickleValue, limits: PickleLimits, shared: Set<object>): void {
  const cache = new Map<object, { h: number; n: number }>();
  const onPath = new Set<object>();
  type Frame = { node: object; kids: readonly object[]; i: number; h: number; n: number };
  const frames: Frame[] = [];
  const tooDeep = (): never => {
    throw new UnsafePickleError('limit', `pickle value nested deeper than ${limits.maxDepth}`, -1);
  };
  const finish = (node: object, h: number, n: number): void => {
    if (h > limits.maxDepth) tooDeep();
    if (n > limits.maxExpandedValues) {
      throw new UnsafePickleError(
        'limit',
        `pickle expands to more than ${limits.maxExpandedValues} values through shared references`,
        -1,
      );
    }
    if (shared.has(node)) {
      cache.set(node, { h, n });
      onPath.delete(node);
    }
    const parent = frames[frames.length - 1];
    if (parent) {
      parent.h = Math.max(parent.h, h + 1);
      parent.n += n;
    }
  };
  /** Visits v: either finishes it at once (leaf, cached, no container children) or pushes a frame. */
  const visit = (v: object): void => {
    const isShared = shared.has(v);
    if (isShared) {
      const c = cache.get(v);
      if (c) return (finish(v, c.h, c.n), undefined);
      if (onPath.has(v))
        throw new UnsafePickleError('malformed', 'pickle value contains itself (a reference cycle)', -1);
    }
    const k = containerKids(v as PickleValue);
    if (!k) return finish(v, 0, 1);
    if (k.kids.length === 0) return finish(v, 1, 1 + k.leaves);
    if (frames.length >= limits.maxDepth) tooDeep();
    if (isShared) onPath.add(v);
    frames.push({ node: v, kids: k.kids, i: 0, h: 1, n: 1 + k.leaves });
  };
  if (root === null || typeof root !== 'object') return;
  visit(root);
  while (frames.length) {
    const f = frames[frames.length - 1] as Frame;
    if (f.i < f.kids.length) {
      visit(f.kids[f.i++] as object);
      continue;
    }
    frames.pop();
    finish(f.node, f.h, f.n);
  }
}
