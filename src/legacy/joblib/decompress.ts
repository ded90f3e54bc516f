/**
 * Detects and undoes the compressions joblib writes, by magic bytes, with a hard cap on the
 * decompressed size: a decompression bomb fails with a clear error, not an out-of-memory crash.
 * zlib/gzip through node:zlib, bz2 through seek-bzip, lz4 blocks through lz4js, lzma/xz through
 * our own decoder (lzma.ts).
 */
import { gunzipSync, inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { UnsafePickleError } from '../pickle/errors.js';
import { decodeLzmaAlone, decodeXz } from './lzma.js';

// seek-bzip and lz4js are CommonJS without types; we use one function of each.
const require = createRequire(import.meta.url);
interface BzOutput {
  writeByte(b: number): void;
}
const bunzip = require('seek-bzip') as {
  decode(input: Uint8Array, output: BzOutput, multistream?: boolean): unknown;
};
const lz4 = require('lz4js') as {
  decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
};

/** What joblib can write: `none` is a bare pickle; `compat` is joblib < 0.10's `ZF` zlib file. */
export type Compression = 'none' | 'zlib' | 'gzip' | 'bz2' | 'lzma' | 'xz' | 'lz4' | 'compat';

const startsWith = (b: Uint8Array, magic: readonly number[]): boolean => magic.every((m, i) => b[i] === m);

/** Opcodes a protocol 0/1 pickle may start with (protocol ≥ 2 starts with PROTO 0x80). */
const PICKLE_FIRST = new Set([
  0x80, 0x28, 0x5d, 0x7d, 0x29, 0x4e, 0x63, 0x49, 0x4c, 0x46, 0x53, 0x56, 0x4a, 0x4b, 0x4d, 0x47, 0x58, 0x55,
  0x54,
]);

/**
 * The compression of a joblib file, from its first bytes.
 * @throws UnsafePickleError('malformed') for an empty file or unknown magic bytes.
 */
export function detectCompression(b: Uint8Array): Compression {
  if (b.length === 0) throw new UnsafePickleError('malformed', 'empty file: not a joblib or pickle file', 0);
  if (startsWith(b, [0x5a, 0x46])) return 'compat'; // 'ZF'
  if (startsWith(b, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(b, [0x42, 0x5a, 0x68])) return 'bz2'; // 'BZh'
  if (startsWith(b, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(b, [0x5d, 0x00, 0x00])) return 'lzma';
  if (startsWith(b, [0x04, 0x22, 0x4d, 0x18])) return 'lz4';
  if (b[0] === 0x78 && b.length > 1 && ((b[0] << 8) | (b[1] as number)) % 31 === 0) return 'zlib';
  if (PICKLE_FIRST.has(b[0] as number)) return 'none';
  throw new UnsafePickleError(
    'malformed',
    `unknown file format (first bytes ${[...b.subarray(0, 6)].map((x) => x.toString(16).padStart(2, '0')).join(' ')}): not a pickle or a joblib compression`,
    0,
  );
}

function bomb(limit: number, what: string): never {
  throw new UnsafePickleError(
    'limit',
    `${what} decompresses to more than the ${limit}-byte limit (decompression bomb?)`,
    -1,
  );
}

function corrupt(what: string, e: unknown): never {
  const msg =
    e instanceof Error
      ? e.message
      : typeof e === 'object' && e !== null && 'message' in e
        ? String((e as { message: unknown }).message)
        : String(e);
  const truncated = /unexpected end|truncat|EOF|incomplete/i.test(msg);
  throw new UnsafePickleError(
    truncated ? 'truncated' : 'malformed',
    `${what} data is ${truncated ? 'truncated' : 'corrupt'}: ${msg}`,
    -1,
    { cause: e },
  );
}

function zlibFamily(b: Uint8Array, limit: number, kind: 'zlib' | 'gzip'): Uint8Array {
  try {
    const opts = { maxOutputLength: limit };
    return kind === 'gzip' ? gunzipSync(b, opts) : inflateSync(b, opts);
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      bomb(limit, kind);
    corrupt(kind, e);
  }
}

function bz2(b: Uint8Array, limit: number): Uint8Array {
  let buf = new Uint8Array(Math.min(limit, Math.max(1024, b.length * 4)));
  let n = 0;
  const out: BzOutput = {
    writeByte(x: number) {
      if (n === buf.length) {
        if (n >= limit) bomb(limit, 'bz2');
        const next = new Uint8Array(Math.min(limit, buf.length * 2));
        next.set(buf);
        buf = next;
      }
      buf[n++] = x;
    },
  };
  try {
    bunzip.decode(b, out, true);
  } catch (e) {
    if (e instanceof UnsafePickleError) throw e;
    corrupt('bz2', e);
  }
  return buf.subarray(0, n);
}

function lzmaFamily(b: Uint8Array, limit: number, kind: 'lzma' | 'xz'): Uint8Array {
  // Our own decoder, not @napi-rs/lzma: it counts every output byte against the limit (lzma.ts).
  return kind === 'xz' ? decodeXz(b, limit) : decodeLzmaAlone(b, limit);
}

const LZ4_BLOCK_MAX: Record<number, number> = { 4: 65536, 5: 262144, 6: 1048576, 7: 4194304 };

/** LZ4 frames (one or more), block by block through lz4js, never writing past the limit. */
function lz4Frames(b: Uint8Array, limit: number): Uint8Array {
  const u32 = (p: number): number => {
    if (p + 4 > b.length) throw new UnsafePickleError('truncated', 'lz4 data is truncated', p);
    return (
      ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16)) +
      (b[p + 3] as number) * 0x1000000
    );
  };
  const parts: Uint8Array[] = [];
  let total = 0;
  let p = 0;
  while (p < b.length) {
    const magic = u32(p);
    if (magic >= 0x184d2a50 && magic <= 0x184d2a5f) {
      p += 8 + u32(p + 4); // skippable frame
      continue;
    }
    if (magic !== 0x184d2204) throw new UnsafePickleError('malformed', 'lz4 frame has a bad magic number', p);
    const flg = b[p + 4];
    const bd = b[p + 5];
    if (flg === undefined || bd === undefined)
      throw new UnsafePickleError('truncated', 'lz4 frame header is truncated', p);
    if (flg >> 6 !== 1) throw new UnsafePickleError('malformed', 'lz4 frame version is not 01', p + 4);
    if (flg & 1) throw new UnsafePickleError('unsupported', 'lz4 frames with a dictionary id', p + 4);
    const blockMax = LZ4_BLOCK_MAX[(bd >> 4) & 7];
    if (blockMax === undefined)
      throw new UnsafePickleError('malformed', 'lz4 frame has a bad block size', p + 5);
    const blockSum = (flg & 0x10) !== 0;
    const contentSum = (flg & 0x04) !== 0;
    p += 6 + (flg & 0x08 ? 8 : 0) + 1; // descriptor, content size, header checksum
    // First pass: bound the output by the block headers, so a bomb fails before any work.
    let bound = 0;
    for (let q = p; ;) {
      const size = u32(q);
      if (size === 0) break;
      const n = size & 0x7fffffff;
      if (n > blockMax) throw new UnsafePickleError('malformed', 'lz4 block larger than its frame allows', q);
      bound += size & 0x80000000 ? n : blockMax;
      if (total + bound > limit + blockMax) bomb(limit, 'lz4');
      q += 4 + n + (blockSum ? 4 : 0);
    }
    const dst = new Uint8Array(bound);
    let d = 0;
    for (;;) {
      const size = u32(p);
      p += 4;
      if (size === 0) break;
      const n = size & 0x7fffffff;
      if (p + n > b.length) throw new UnsafePickleError('truncated', 'lz4 block is truncated', p);
      const before = d;
      if (size & 0x80000000) {
        dst.set(b.subarray(p, p + n), d);
        d += n;
      } else {
        d = lz4.decompressBlock(b, dst, p, n, d);
      }
      if (!Number.isSafeInteger(d) || d - before > blockMax || d > dst.length) {
        throw new UnsafePickleError('malformed', 'lz4 block is corrupt', p);
      }
      p += n + (blockSum ? 4 : 0);
    }
    if (contentSum) p += 4;
    total += d;
    if (total > limit) bomb(limit, 'lz4');
    parts.push(dst.subarray(0, d));
  }
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}

/** joblib < 0.10: `ZF` + 19 hex digits of the length (+ optional space) + zlib data. */
function compat(b: Uint8Array, limit: number): Uint8Array {
  const header = new TextDecoder('latin1').decode(b.subarray(2, 21)).trim();
  if (!/^(0x)?[0-9a-fA-F]+L?$/.test(header))
    throw new UnsafePickleError('malformed', 'joblib ZF header has a bad length', 2);
  const declared = parseInt(header.replace(/L$/, ''), 16);
  if (declared > limit) bomb(limit, 'joblib ZF');
  const start = b[21] === 0x20 ? 22 : 21;
  const out = zlibFamily(b.subarray(start), limit, 'zlib');
  if (out.length !== declared)
    throw new UnsafePickleError(
      'malformed',
      `joblib ZF data is ${out.length} bytes, header says ${declared}`,
      2,
    );
  return out;
}

/**
 * Undoes the compression of a joblib file.
 * @param limit most bytes the result may have.
 * @throws UnsafePickleError: `limit` for a bomb, `truncated`/`malformed` for broken data.
 */
export function decompress(b: Uint8Array, compression: Compression, limit: number): Uint8Array {
  switch (compression) {
    case 'none':
      if (b.length > limit)
        throw new UnsafePickleError('limit', `file of ${b.length} bytes exceeds the ${limit}-byte limit`, -1);
      return b;
    case 'zlib':
    case 'gzip':
      return zlibFamily(b, limit, compression);
    case 'bz2':
      return bz2(b, limit);
    case 'lzma':
    case 'xz':
      return lzmaFamily(b, limit, compression);
    case 'lz4':
      return lz4Frames(b, limit);
    case 'compat':
      return compat(b, limit);
  }
}
