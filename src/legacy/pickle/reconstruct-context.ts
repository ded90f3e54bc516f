/**
 * What a reconstructor may do to the parse: read the offset for its errors, fail, charge the
 * allocation budget, and instantiate another allowlisted global (copyreg spells "a new instance of
 * cls" as a call). Plus the value helpers several reconstructors share.
 */
import { OBJECT_COST, SLOT } from './limits.js';
import type { FailReason } from './reader.js';
import { isRecord, sequenceItems, type PickleValue, type PyTuple } from './values.js';

export interface ReconstructContext {
  /** Offset of the opcode being run, for error messages. */
  readonly at: number;
  fail(reason: FailReason, message: string): never;
  /** Charges `n` bytes to the allocation budget before they are allocated. */
  charge(n: number): void;
  /** A tuple record, its items charged. */
  tuple(items: PickleValue[]): PyTuple;
  /** REDUCE / NEWOBJ of an allowlisted global, as data. */
  call(
    fn: PickleValue,
    args: readonly PickleValue[],
    kwargs: Map<PickleValue, PickleValue> | null,
    how: 'reduce' | 'new',
  ): PickleValue;
}

/** Rebuilds a call of an allowlisted function or constructor as plain data. `name` is its canonical name. */
export type Build = (c: ReconstructContext, args: readonly PickleValue[], name: string) => PickleValue;

/** The items of a list, tuple or set (not a copy). */
export function iterable(c: ReconstructContext, v: PickleValue): readonly PickleValue[] {
  const items = sequenceItems(v) ?? (isRecord(v) && v.kind === 'set' ? v.items : undefined);
  if (!items) c.fail('malformed', 'expected a list, tuple or set');
  return items;
}

/** A copy of a list, tuple or set's items, charged before it is made (`list(L)` 200 times is 200 copies). */
export function copyItems(c: ReconstructContext, v: PickleValue): PickleValue[] {
  const items = iterable(c, v);
  c.charge(OBJECT_COST + items.length * SLOT);
  return items.slice();
}

/** Text encoded to bytes, as `str.encode(encoding)`; only the encodings legacy pickles use. */
export function encode(c: ReconstructContext, s: string, encoding: string): Uint8Array {
  const enc = encoding.toLowerCase().replace(/_/g, '-');
  c.charge(s.length + OBJECT_COST);
  if (enc === 'latin1' || enc === 'latin-1' || enc === 'iso-8859-1' || enc === 'ascii') {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
    return out;
  }
  if (enc === 'utf-8' || enc === 'utf8') return new TextEncoder().encode(s);
  return c.fail('unsupported', `text encoding '${encoding.slice(0, 20)}'`);
}

export function smallInt(c: ReconstructContext, v: PickleValue | undefined): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) c.fail('malformed', 'expected an integer');
  return v;
}
