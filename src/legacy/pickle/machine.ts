/**
 * The pickle machine: the stack, the MARK stack and the memo, the opcode loop, and the two
 * operations that give data meaning: calling an allowlisted global (REDUCE, NEWOBJ, ...) through
 * its reconstructor, and BUILD (setting an instance's state, filling in a numpy array, reading the
 * array bytes joblib writes inline after a `NumpyArrayWrapper`). What each opcode does is in
 * opcode-handlers.ts.
 */
import { allowed, allowedWritten, type AllowEntry } from './allowlist.js';
import { UnsafePickleError } from './errors.js';
import { OBJECT_COST, SLOT, type Budget, type PickleLimits } from './limits.js';
import {
  applyDTypeState,
  arrayFromBytes,
  arrayFromObjects,
  elementCount,
  isDType,
  shapeOf,
} from './numpy.js';
import { OPCODE_HANDLERS } from './opcode-handlers.js';
import { OP } from './opcodes.js';
import { encode, type ReconstructContext } from './reconstruct-context.js';
import { PickleReader } from './reader.js';
import {
  isRecord,
  isTuple,
  type NdArray,
  type PickleValue,
  type PyGlobal,
  type PyObject,
  type PyTuple,
} from './values.js';

export interface ParseResult {
  readonly value: PickleValue;
  /** Offset just after the STOP opcode. */
  readonly end: number;
}

export class Unpickler extends PickleReader implements ReconstructContext {
  stack: PickleValue[] = [];
  private readonly metastack: PickleValue[][] = [];
  // An array, not a Map: indices are dense in real pickles (MEMOIZE counts up), and an index is
  // bounded by maxMemo, so a hostile sparse index costs at most that many slots.
  private readonly memo: (PickleValue | undefined)[] = [];
  memoCount = 0;

  constructor(
    bytes: Uint8Array,
    start: number,
    limits: PickleLimits,
    budget: Budget,
    private readonly nesting: number,
  ) {
    super(bytes, start, limits, budget);
  }

  /** Runs opcodes up to and including STOP; the value is what STOP finds on the stack. */
  run(): ParseResult {
    const b = this.bytes;
    for (;;) {
      this.at = this.pos;
      if (this.pos >= b.length) this.fail('truncated', 'pickle ended without STOP');
      const op = b[this.pos++] as number;
      if (op === OP.STOP) return { value: this.pop(), end: this.pos };
      const handler = OPCODE_HANDLERS[op];
      if (handler === undefined)
        this.fail('malformed', `unknown pickle opcode 0x${op.toString(16).padStart(2, '0')}`);
      handler(this);
    }
  }

  push(v: PickleValue): void {
    if (this.stack.length >= this.limits.maxStack)
      this.fail('limit', `pickle stack exceeds ${this.limits.maxStack} items`);
    this.stack.push(v);
  }

  pop(): PickleValue {
    if (this.stack.length === 0) this.fail('malformed', 'pickle stack underflow');
    return this.stack.pop() as PickleValue;
  }

  top(): PickleValue {
    if (this.stack.length === 0) this.fail('malformed', 'pickle stack underflow');
    return this.stack[this.stack.length - 1] as PickleValue;
  }

  mark(): void {
    if (this.metastack.length >= this.limits.maxDepth) {
      this.fail('limit', `pickle nesting deeper than ${this.limits.maxDepth}`);
    }
    this.metastack.push(this.stack);
    this.stack = [];
  }

  /** The items pushed since the last MARK, which is removed. */
  popMark(): PickleValue[] {
    const items = this.stack;
    const prev = this.metastack.pop();
    if (prev === undefined) this.fail('malformed', 'pickle MARK expected but missing (stack underflow)');
    this.stack = prev;
    return items;
  }

  memoPut(index: number, v: PickleValue): void {
    if (index >= this.limits.maxMemo)
      this.fail('limit', `pickle memo index ${index} exceeds the ${this.limits.maxMemo}-entry limit`);
    if (this.memo[index] === undefined) this.memoCount++;
    this.memo[index] = v;
  }

  memoGet(index: number): PickleValue {
    const v = this.memo[index];
    if (v === undefined) this.fail('malformed', `pickle memo reference ${index} does not exist`);
    return this.reuse(v);
  }

  /** Notes a container that is placed a second time (so checkTree watches it for sharing and cycles). */
  reuse(v: PickleValue): PickleValue {
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) this.budget.shared.add(v);
    return v;
  }

  /** A global named by GLOBAL, STACK_GLOBAL or INST: allowlisted, or refused with its name. */
  global(module: string, name: string): PyGlobal {
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

  tuple(items: PickleValue[]): PyTuple {
    this.charge(OBJECT_COST + items.length * SLOT);
    return { kind: 'tuple', items };
  }

  /** REDUCE / NEWOBJ / INST / OBJ of an allowlisted global, as data. */
  call(
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
    return entry.build(this, args, entry.canonical);
  }

  /** BUILD: the state popped is set on the value beneath it. */
  build(): void {
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
            ? encode(this, raw, 'latin-1')
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
    const p = this.need(n);
    this.charge(n + OBJECT_COST);
    return arrayFromBytes(dtype, shape, fortran, this.bytes.subarray(p, p + n), this.at);
  }
}
