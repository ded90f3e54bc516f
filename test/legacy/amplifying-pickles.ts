/**
 * Small pickles that ask for enormous allocations: the shapes that once took a 7.8 KB file to
 * 4.3 GB. Written by hand, opcode by opcode, as an attacker would.
 */
import zlib from 'node:zlib';

/**
 * How much smaller the in-process tests make these shapes, with the allocation budget made as much
 * smaller: the same refusal by the same charges, at a hundredth of the work. The full sizes run
 * against the default budget where memory itself is the point (the 1 GB-heap binary tests).
 */
export const SCALE = 100;

/** `L = [None] * n` memoised, then `builtins.<builder>(L)` applied `copies` times, all kept alive. */
export function memoisedListCopies(n = 4_000_000, copies = 200, builder = 'list'): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0x80, 0x04])];
  parts.push(Buffer.from(`cbuiltins\n${builder}\n`, 'latin1'), Buffer.from([0x94])); // memo 0 = the builder
  parts.push(Buffer.from([0x5d, 0x94])); // EMPTY_LIST, memo 1 = L
  const chunk = Buffer.concat([Buffer.from([0x28]), Buffer.alloc(1000, 0x4e), Buffer.from([0x65])]); // ( N*1000 APPENDS
  for (let i = 0; i < n / 1000; i++) parts.push(chunk);
  parts.push(Buffer.from([0x30, 0x28])); // POP L (the memo keeps it), MARK
  const copy = Buffer.from([0x68, 0x00, 0x68, 0x01, 0x85, 0x52]); // BINGET list, BINGET L, TUPLE1, REDUCE
  for (let i = 0; i < copies; i++) parts.push(copy);
  parts.push(Buffer.from([0x6c, 0x2e])); // LIST of the copies, STOP
  return new Uint8Array(Buffer.concat(parts));
}

/** `n` EMPTY_DICT opcodes, every dict left on the stack. */
export function emptyDicts(n = 36_000_000): Uint8Array {
  const b = Buffer.alloc(n + 4, 0x7d);
  b[0] = 0x80;
  b[1] = 0x04;
  b[n + 2] = 0x4e; // None on top, then STOP
  b[n + 3] = 0x2e;
  return new Uint8Array(b);
}

export const gzip = (b: Uint8Array): Uint8Array => new Uint8Array(zlib.gzipSync(b, { level: 9 }));
