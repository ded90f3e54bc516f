/**
 * What each opcode does, by group, as a table the machine indexes by opcode byte. An opcode has one
 * handler; one missing from the table is an unknown opcode. STOP is the machine's own (it ends the
 * loop). Every handler checks what it pops and charges what it allocates before allocating it.
 */
import { MAP_COST, MAP_ENTRY, OBJECT_COST } from './limits.js';
import type { Unpickler } from './machine.js';
import { HIGHEST_PROTOCOL, OP } from './opcodes.js';
import { latin1 } from './reader.js';
import { isRecord, isTuple, type PickleValue } from './values.js';

type OpHandler = (m: Unpickler) => void;
type OpGroup = Readonly<Record<number, OpHandler>>;

const framing: OpGroup = {
  [OP.PROTO]: (m: Unpickler) => {
    const v = m.u8();
    if (v > HIGHEST_PROTOCOL) m.fail('unsupported', `pickle protocol ${v} is newer than ${HIGHEST_PROTOCOL}`);
  },
  // FRAME is only a read-ahead hint; its length must still fit.
  [OP.FRAME]: (m: Unpickler) => {
    const n = m.u64();
    const left = m.bytes.length - m.pos;
    if (n > left) m.fail('truncated', `pickle frame of ${n} bytes, ${left} left`);
  },
};

const numbers: OpGroup = {
  [OP.NONE]: (m: Unpickler) => m.push(null),
  [OP.NEWTRUE]: (m: Unpickler) => m.push(true),
  [OP.NEWFALSE]: (m: Unpickler) => m.push(false),
  [OP.BININT]: (m: Unpickler) => m.push(m.i32()),
  [OP.BININT1]: (m: Unpickler) => m.push(m.u8()),
  [OP.BININT2]: (m: Unpickler) => m.push(m.u16()),
  [OP.LONG1]: (m: Unpickler) => m.push(m.long(m.u8())),
  [OP.LONG4]: (m: Unpickler) => {
    const n = m.i32();
    if (n < 0) m.fail('malformed', 'negative LONG4 length');
    m.push(m.long(n));
  },
  // Protocol 0 writes True and False as INT 01 and 00.
  [OP.INT]: (m: Unpickler) => {
    const s = m.line();
    m.push(s === '01' ? true : s === '00' ? false : m.textInt(s));
  },
  [OP.LONG]: (m: Unpickler) => m.push(m.textInt(m.line())),
  [OP.FLOAT]: (m: Unpickler) => m.push(m.floatLiteral(m.line())),
  [OP.BINFLOAT]: (m: Unpickler) => m.push(m.f64()),
};

const textAndBytes: OpGroup = {
  [OP.BINUNICODE]: (m: Unpickler) => m.push(m.utf8(m.u32())),
  [OP.SHORT_BINUNICODE]: (m: Unpickler) => m.push(m.utf8(m.u8())),
  [OP.BINUNICODE8]: (m: Unpickler) => m.push(m.utf8(m.u64())),
  [OP.UNICODE]: (m: Unpickler) => m.push(m.rawUnicode(m.line())),
  // Python 2 str; Python 3 reads it as text, latin-1 here.
  [OP.STRING]: (m: Unpickler) => m.push(m.pyStringLiteral(m.line())),
  [OP.BINSTRING]: (m: Unpickler) => {
    const n = m.i32();
    if (n < 0) m.fail('malformed', 'negative BINSTRING length');
    const p = m.need(n);
    m.charge(n * 2);
    m.push(latin1(m.bytes, p, p + n));
  },
  [OP.SHORT_BINSTRING]: (m: Unpickler) => {
    const n = m.u8();
    const p = m.need(n);
    m.push(latin1(m.bytes, p, p + n));
  },
  [OP.BINBYTES]: (m: Unpickler) => m.push(m.bytesOf(m.u32())),
  [OP.SHORT_BINBYTES]: (m: Unpickler) => m.push(m.bytesOf(m.u8())),
  [OP.BINBYTES8]: (m: Unpickler) => m.push(m.bytesOf(m.u64())),
  [OP.BYTEARRAY8]: (m: Unpickler) => m.push(m.bytesOf(m.u64())),
  [OP.NEXT_BUFFER]: (m: Unpickler) =>
    m.fail('unsupported', 'pickle uses out-of-band buffers (protocol 5 NEXT_BUFFER)'),
  // In-band buffers are already plain bytes.
  [OP.READONLY_BUFFER]: (m: Unpickler) => void m.top(),
};

const containers: OpGroup = {
  [OP.MARK]: (m: Unpickler) => m.mark(),
  [OP.EMPTY_LIST]: (m: Unpickler) => {
    m.charge(OBJECT_COST);
    m.push([]);
  },
  [OP.EMPTY_DICT]: (m: Unpickler) => {
    m.charge(MAP_COST);
    m.push(new Map());
  },
  [OP.EMPTY_TUPLE]: (m: Unpickler) => m.push(m.tuple([])),
  [OP.EMPTY_SET]: (m: Unpickler) => {
    m.charge(2 * OBJECT_COST);
    m.push({ kind: 'set', frozen: false, items: [] });
  },
  [OP.LIST]: (m: Unpickler) => {
    const items = m.popMark();
    m.charge(OBJECT_COST + items.length * 8);
    m.push(items);
  },
  [OP.TUPLE]: (m: Unpickler) => m.push(m.tuple(m.popMark())),
  [OP.TUPLE1]: (m: Unpickler) => m.push(m.tuple([m.pop()])),
  [OP.TUPLE2]: (m: Unpickler) => {
    const y = m.pop();
    const x = m.pop();
    m.push(m.tuple([x, y]));
  },
  [OP.TUPLE3]: (m: Unpickler) => {
    const z = m.pop();
    const y = m.pop();
    const x = m.pop();
    m.push(m.tuple([x, y, z]));
  },
  [OP.DICT]: (m: Unpickler) => {
    const items = m.popMark();
    if (items.length % 2) m.fail('malformed', 'DICT with an odd number of items');
    m.charge(MAP_COST + (items.length / 2) * MAP_ENTRY);
    const d = new Map<PickleValue, PickleValue>();
    for (let i = 0; i < items.length; i += 2) d.set(items[i] as PickleValue, items[i + 1] as PickleValue);
    m.push(d);
  },
  [OP.FROZENSET]: (m: Unpickler) => {
    const items = m.popMark();
    m.charge(OBJECT_COST + items.length * 8);
    m.push({ kind: 'set', frozen: true, items });
  },
};

const containerUpdates: OpGroup = {
  [OP.APPEND]: (m: Unpickler) => {
    const v = m.pop();
    const list = m.top();
    if (!Array.isArray(list)) m.fail('malformed', 'APPEND to something that is not a list');
    m.charge(8);
    list.push(v);
  },
  [OP.APPENDS]: (m: Unpickler) => {
    const items = m.popMark();
    const list = m.top();
    if (!Array.isArray(list)) m.fail('malformed', 'APPENDS to something that is not a list');
    m.charge(items.length * 8);
    for (const v of items) list.push(v);
  },
  [OP.SETITEM]: (m: Unpickler) => {
    const v = m.pop();
    const k = m.pop();
    const d = m.top();
    if (!(d instanceof Map)) m.fail('malformed', 'SETITEM on something that is not a dict');
    m.charge(MAP_ENTRY);
    d.set(k, v);
  },
  [OP.SETITEMS]: (m: Unpickler) => {
    const items = m.popMark();
    const d = m.top();
    if (!(d instanceof Map)) m.fail('malformed', 'SETITEMS on something that is not a dict');
    if (items.length % 2) m.fail('malformed', 'SETITEMS with an odd number of items');
    m.charge((items.length / 2) * MAP_ENTRY);
    for (let i = 0; i < items.length; i += 2) d.set(items[i] as PickleValue, items[i + 1] as PickleValue);
  },
  [OP.ADDITEMS]: (m: Unpickler) => {
    const items = m.popMark();
    const s = m.top();
    if (!isRecord(s) || s.kind !== 'set' || s.frozen)
      m.fail('malformed', 'ADDITEMS on something that is not a set');
    m.charge(items.length * 8);
    for (const v of items) s.items.push(v);
  },
};

const stackAndMemo: OpGroup = {
  [OP.POP]: (m: Unpickler) => {
    if (m.stack.length) m.stack.pop();
    else m.popMark();
  },
  [OP.POP_MARK]: (m: Unpickler) => void m.popMark(),
  [OP.DUP]: (m: Unpickler) => m.push(m.reuse(m.top())),
  [OP.PUT]: (m: Unpickler) => m.memoPut(m.memoIndex(m.line()), m.top()),
  [OP.BINPUT]: (m: Unpickler) => m.memoPut(m.u8(), m.top()),
  [OP.LONG_BINPUT]: (m: Unpickler) => m.memoPut(m.u32(), m.top()),
  [OP.MEMOIZE]: (m: Unpickler) => m.memoPut(m.memoCount, m.top()),
  [OP.GET]: (m: Unpickler) => m.push(m.memoGet(m.memoIndex(m.line()))),
  [OP.BINGET]: (m: Unpickler) => m.push(m.memoGet(m.u8())),
  [OP.LONG_BINGET]: (m: Unpickler) => m.push(m.memoGet(m.u32())),
};

const refuseExtensions = (m: Unpickler): never =>
  m.fail('unsupported', 'pickle uses the copyreg extension registry (refused: it names globals indirectly)');
const refusePersistentIds = (m: Unpickler): never =>
  m.fail('unsupported', 'pickle uses persistent ids (not a legacy data file)');

const globalsAndObjects: OpGroup = {
  [OP.GLOBAL]: (m: Unpickler) => {
    const module = m.line();
    const name = m.line();
    m.push(m.global(module, name));
  },
  [OP.STACK_GLOBAL]: (m: Unpickler) => {
    const name = m.pop();
    const module = m.pop();
    if (typeof module !== 'string' || typeof name !== 'string')
      m.fail('malformed', 'STACK_GLOBAL needs two strings');
    m.push(m.global(module, name));
  },
  [OP.REDUCE]: (m: Unpickler) => {
    const args = m.pop();
    const fn = m.pop();
    if (!isTuple(args)) m.fail('malformed', 'REDUCE arguments are not a tuple');
    m.push(m.call(fn, args.items, null, 'reduce'));
  },
  [OP.NEWOBJ]: (m: Unpickler) => {
    const args = m.pop();
    const cls = m.pop();
    if (!isTuple(args)) m.fail('malformed', 'NEWOBJ arguments are not a tuple');
    m.push(m.call(cls, args.items, null, 'new'));
  },
  [OP.NEWOBJ_EX]: (m: Unpickler) => {
    const kwargs = m.pop();
    const args = m.pop();
    const cls = m.pop();
    if (!isTuple(args) || !(kwargs instanceof Map)) m.fail('malformed', 'NEWOBJ_EX needs a tuple and a dict');
    m.push(m.call(cls, args.items, kwargs, 'new'));
  },
  [OP.INST]: (m: Unpickler) => {
    const module = m.line();
    const name = m.line();
    const g = m.global(module, name);
    m.push(m.call(g, m.popMark(), null, 'new'));
  },
  [OP.OBJ]: (m: Unpickler) => {
    const items = m.popMark();
    if (items.length === 0) m.fail('malformed', 'OBJ without a class');
    m.push(m.call(items[0] as PickleValue, items.slice(1), null, 'new'));
  },
  [OP.BUILD]: (m: Unpickler) => m.build(),
  [OP.PERSID]: refusePersistentIds,
  [OP.BINPERSID]: refusePersistentIds,
  [OP.EXT1]: refuseExtensions,
  [OP.EXT2]: refuseExtensions,
  [OP.EXT4]: refuseExtensions,
};

function byOpcode(...groups: OpGroup[]): readonly (OpHandler | undefined)[] {
  const table = new Array<OpHandler | undefined>(256).fill(undefined);
  for (const group of groups) {
    for (const [op, handler] of Object.entries(group)) {
      if (table[Number(op)]) throw new Error(`pickle opcode ${op} has two handlers`);
      table[Number(op)] = handler;
    }
  }
  return table;
}

/** Handler of each opcode byte; undefined for bytes that are no opcode (and for STOP). */
export const OPCODE_HANDLERS = byOpcode(
  framing,
  numbers,
  textAndBytes,
  containers,
  containerUpdates,
  stackAndMemo,
  globalsAndObjects,
);
