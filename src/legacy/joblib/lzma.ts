/**
 * LZMA decoding (the `.lzma` "alone" format and `.xz` with LZMA2) in TypeScript, with the output
 * capped as it is produced.
 *
 * Why not only @napi-rs/lzma: its one-shot decompress allocates whatever the stream expands to, and
 * joblib's `lzma` files do not declare their size (the header says "unknown"), so a small hostile
 * file could exhaust memory before any check. Here every output byte is counted against the limit,
 * so a bomb fails after at most `limit` bytes. The decoder follows the LZMA specification's reference
 * decoder (LzmaSpec.cpp, public domain) closely; integrity checks (CRC32/CRC64) are not verified:
 * the pickle parser validates what it reads.
 */
import { UnsafePickleError } from '../pickle/errors.js';

const PROB_INIT = 1024;
const MATCH_MIN_LEN = 2;
const END_POS_MODEL_INDEX = 14;
const NUM_FULL_DISTANCES = 1 << (END_POS_MODEL_INDEX >> 1);
const NUM_ALIGN_BITS = 4;
const NUM_STATES = 12;
const NUM_LEN_TO_POS_STATES = 4;

function bad(reason: 'malformed' | 'truncated', what: string, offset = -1): never {
  throw new UnsafePickleError(reason, what, offset);
}

/** A growing output buffer that refuses to grow past the limit (the dictionary is the output). */
class Output {
  buf: Uint8Array;
  pos = 0;
  /** Matches may not reach before this (LZMA2 dictionary reset). */
  dictStart = 0;

  constructor(
    private readonly limit: number,
    sizeHint: number,
  ) {
    this.buf = new Uint8Array(Math.min(limit, Math.max(1024, sizeHint)));
  }

  private grow(): void {
    if (this.pos >= this.limit) {
      throw new UnsafePickleError(
        'limit',
        `lzma data decompresses to more than the ${this.limit}-byte limit (decompression bomb?)`,
        -1,
      );
    }
    const next = new Uint8Array(Math.min(this.limit, Math.max(1024, this.buf.length * 2)));
    next.set(this.buf);
    this.buf = next;
  }

  put(b: number): void {
    if (this.pos === this.buf.length) this.grow();
    this.buf[this.pos++] = b;
  }

  /** The byte `dist` positions back (dist ≥ 1). */
  back(dist: number): number {
    return this.buf[this.pos - dist] as number;
  }

  canReach(dist: number): boolean {
    return dist <= this.pos - this.dictStart;
  }

  copyMatch(dist: number, len: number): void {
    for (let i = 0; i < len; i++) this.put(this.buf[this.pos - dist] as number);
  }
}

class RangeDecoder {
  range = 0xffffffff;
  code = 0;
  pos: number;

  constructor(
    private readonly src: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
    if (this.byte() !== 0) bad('malformed', 'lzma range coder does not start with 0');
    for (let i = 0; i < 4; i++) this.code = ((this.code << 8) | this.byte()) >>> 0;
    if (this.code === this.range) bad('malformed', 'lzma data is corrupt');
  }

  private byte(): number {
    if (this.pos >= this.end) bad('truncated', 'lzma data is truncated');
    return this.src[this.pos++] as number;
  }

  finishedOk(): boolean {
    return this.code === 0;
  }

  private normalize(): void {
    if (this.range < 0x1000000) {
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.byte()) >>> 0;
    }
  }

  directBits(n: number): number {
    let res = 0;
    for (let i = 0; i < n; i++) {
      this.range >>>= 1;
      let bit = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        bit = 1;
      }
      this.normalize();
      res = res * 2 + bit;
    }
    return res;
  }

  bit(probs: Uint16Array, i: number): number {
    const v = probs[i] as number;
    const bound = (this.range >>> 11) * v;
    let sym: number;
    if (this.code < bound) {
      probs[i] = v + ((2048 - v) >>> 5);
      this.range = bound;
      sym = 0;
    } else {
      probs[i] = v - (v >>> 5);
      this.code -= bound;
      this.range -= bound;
      sym = 1;
    }
    this.normalize();
    return sym;
  }

  tree(probs: Uint16Array, base: number, numBits: number): number {
    let m = 1;
    for (let i = 0; i < numBits; i++) m = (m << 1) + this.bit(probs, base + m);
    return m - (1 << numBits);
  }

  reverseTree(probs: Uint16Array, base: number, numBits: number): number {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < numBits; i++) {
      const b = this.bit(probs, base + m);
      m = (m << 1) + b;
      sym |= b << i;
    }
    return sym;
  }
}

/** Length decoder: choice, choice2, low[16][8], mid[16][8], high[256]. */
class LenDecoder {
  readonly p = new Uint16Array(2 + 16 * 8 * 2 + 256);

  reset(): void {
    this.p.fill(PROB_INIT);
  }

  decode(rc: RangeDecoder, posState: number): number {
    if (rc.bit(this.p, 0) === 0) return rc.tree(this.p, 2 + posState * 8, 3);
    if (rc.bit(this.p, 1) === 0) return 8 + rc.tree(this.p, 2 + 128 + posState * 8, 3);
    return 16 + rc.tree(this.p, 2 + 256, 8);
  }
}

/** The LZMA decoding state that LZMA2 carries from chunk to chunk. */
class LzmaState {
  lc = 0;
  lp = 0;
  pb = 0;
  literal = new Uint16Array(0x300);
  readonly posSlot = new Uint16Array(NUM_LEN_TO_POS_STATES << 6);
  readonly posDecoders = new Uint16Array(1 + NUM_FULL_DISTANCES - END_POS_MODEL_INDEX);
  readonly align = new Uint16Array(1 << NUM_ALIGN_BITS);
  readonly isMatch = new Uint16Array(NUM_STATES << 4);
  readonly isRep = new Uint16Array(NUM_STATES);
  readonly isRepG0 = new Uint16Array(NUM_STATES);
  readonly isRepG1 = new Uint16Array(NUM_STATES);
  readonly isRepG2 = new Uint16Array(NUM_STATES);
  readonly isRep0Long = new Uint16Array(NUM_STATES << 4);
  readonly len = new LenDecoder();
  readonly repLen = new LenDecoder();
  state = 0;
  rep0 = 0;
  rep1 = 0;
  rep2 = 0;
  rep3 = 0;

  setProps(d: number): void {
    if (d >= 9 * 5 * 5) bad('malformed', 'lzma properties byte is invalid');
    this.lc = d % 9;
    this.lp = Math.floor(d / 9) % 5;
    this.pb = Math.floor(d / 45);
    this.literal = new Uint16Array(0x300 << (this.lc + this.lp));
  }

  reset(): void {
    this.literal.fill(PROB_INIT);
    for (const a of [
      this.posSlot,
      this.posDecoders,
      this.align,
      this.isMatch,
      this.isRep,
      this.isRepG0,
      this.isRepG1,
      this.isRepG2,
      this.isRep0Long,
    ]) {
      a.fill(PROB_INIT);
    }
    this.len.reset();
    this.repLen.reset();
    this.state = 0;
    this.rep0 = this.rep1 = this.rep2 = this.rep3 = 0;
  }

  private distance(rc: RangeDecoder, len: number): number {
    const lenState = Math.min(len, NUM_LEN_TO_POS_STATES - 1);
    const slot = rc.tree(this.posSlot, lenState << 6, 6);
    if (slot < 4) return slot;
    const direct = (slot >>> 1) - 1;
    let dist = (2 | (slot & 1)) * 2 ** direct;
    if (slot < END_POS_MODEL_INDEX) dist += rc.reverseTree(this.posDecoders, dist - slot, direct);
    else dist += rc.directBits(direct - NUM_ALIGN_BITS) * 16 + rc.reverseTree(this.align, 0, NUM_ALIGN_BITS);
    return dist;
  }

  /**
   * Decodes until `size` bytes were produced (size known), or the end marker (size null).
   * @returns true if it stopped at an end marker.
   */
  decode(rc: RangeDecoder, out: Output, size: number | null, dictSize: number): boolean {
    const pbMask = (1 << this.pb) - 1;
    const lpMask = (1 << this.lp) - 1;
    const target = size === null ? Infinity : out.pos + size;
    for (;;) {
      if (out.pos === target && rc.finishedOk()) return false;
      // Positions count from the last dictionary reset (LZMA2), as in the reference decoders.
      const rel = out.pos - out.dictStart;
      const posState = rel & pbMask;
      if (rc.bit(this.isMatch, (this.state << 4) + posState) === 0) {
        if (out.pos >= target) bad('malformed', 'lzma data runs past its declared size');
        const prev = out.pos > out.dictStart ? out.back(1) : 0;
        const base = 0x300 * (((rel & lpMask) << this.lc) + (prev >>> (8 - this.lc)));
        let sym = 1;
        if (this.state >= 7) {
          let match = out.canReach(this.rep0 + 1) ? out.back(this.rep0 + 1) : 0;
          do {
            const matchBit = (match >>> 7) & 1;
            match <<= 1;
            const b = rc.bit(this.literal, base + ((1 + matchBit) << 8) + sym);
            sym = (sym << 1) | b;
            if (matchBit !== b) break;
          } while (sym < 0x100);
        }
        while (sym < 0x100) sym = (sym << 1) | rc.bit(this.literal, base + sym);
        out.put(sym - 0x100);
        this.state = this.state < 4 ? 0 : this.state < 10 ? this.state - 3 : this.state - 6;
        continue;
      }
      let len: number;
      if (rc.bit(this.isRep, this.state) !== 0) {
        if (out.pos >= target || out.pos === out.dictStart)
          bad('malformed', 'lzma repeat match with nothing to repeat');
        if (rc.bit(this.isRepG0, this.state) === 0) {
          if (rc.bit(this.isRep0Long, (this.state << 4) + posState) === 0) {
            this.state = this.state < 7 ? 9 : 11;
            out.put(out.back(this.rep0 + 1));
            continue;
          }
        } else {
          let dist: number;
          if (rc.bit(this.isRepG1, this.state) === 0) dist = this.rep1;
          else {
            if (rc.bit(this.isRepG2, this.state) === 0) dist = this.rep2;
            else {
              dist = this.rep3;
              this.rep3 = this.rep2;
            }
            this.rep2 = this.rep1;
          }
          this.rep1 = this.rep0;
          this.rep0 = dist;
        }
        len = this.repLen.decode(rc, posState);
        this.state = this.state < 7 ? 8 : 11;
      } else {
        this.rep3 = this.rep2;
        this.rep2 = this.rep1;
        this.rep1 = this.rep0;
        len = this.len.decode(rc, posState);
        this.state = this.state < 7 ? 7 : 10;
        this.rep0 = this.distance(rc, len);
        if (this.rep0 === 0xffffffff) {
          if (!rc.finishedOk()) bad('malformed', 'lzma end marker with data left');
          return true;
        }
        if (out.pos >= target || this.rep0 >= dictSize) bad('malformed', 'lzma match is out of range');
      }
      if (!out.canReach(this.rep0 + 1)) bad('malformed', 'lzma match reaches before the data');
      len += MATCH_MIN_LEN;
      if (out.pos + len > target) bad('malformed', 'lzma data runs past its declared size');
      out.copyMatch(this.rep0 + 1, len);
    }
  }
}

/**
 * Decodes a `.lzma` (LZMA "alone") file: 13-byte header, then one LZMA stream.
 * @throws UnsafePickleError: `limit` past `limit` bytes, `malformed`/`truncated` for broken data.
 */
export function decodeLzmaAlone(b: Uint8Array, limit: number): Uint8Array {
  if (b.length < 13) bad('truncated', 'lzma file is truncated (header)');
  const st = new LzmaState();
  st.setProps(b[0] as number);
  st.reset();
  const dictSize = Math.max(
    4096,
    ((b[1] as number) | ((b[2] as number) << 8) | ((b[3] as number) << 16)) + (b[4] as number) * 0x1000000,
  );
  let known = false;
  let size = 0;
  for (let i = 12; i >= 5; i--) {
    if (b[i] !== 0xff) known = true;
    size = size * 256 + (b[i] as number);
  }
  if (known && size > limit) {
    throw new UnsafePickleError(
      'limit',
      `lzma data declares ${size} bytes, over the ${limit}-byte limit (decompression bomb?)`,
      -1,
    );
  }
  const out = new Output(limit, known ? size : b.length * 4);
  const rc = new RangeDecoder(b, 13, b.length);
  st.decode(rc, out, known ? size : null, dictSize);
  return out.buf.subarray(0, out.pos);
}

function readVarint(b: Uint8Array, p: number): [number, number] {
  let v = 0;
  for (let i = 0; i < 9; i++) {
    const x = b[p + i];
    if (x === undefined) bad('truncated', 'xz header is truncated');
    v += (x & 0x7f) * 2 ** (7 * i);
    if (!(x & 0x80)) return [v, p + i + 1];
  }
  return bad('malformed', 'xz header has a bad number');
}

const CHECK_SIZES = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];

/** Decodes LZMA2 chunks from `p` into `out`; returns the offset after the end byte. */
function decodeLzma2(b: Uint8Array, p: number, out: Output): number {
  const st = new LzmaState();
  let propsSet = false;
  const need = (n: number): void => {
    if (p + n > b.length) bad('truncated', 'xz data is truncated', p);
  };
  for (;;) {
    need(1);
    const ctrl = b[p++] as number;
    if (ctrl === 0x00) return p;
    if (ctrl === 0x01 || ctrl === 0x02) {
      need(2);
      const n = (((b[p] as number) << 8) | (b[p + 1] as number)) + 1;
      p += 2;
      need(n);
      if (ctrl === 0x01) out.dictStart = out.pos;
      for (let i = 0; i < n; i++) out.put(b[p + i] as number);
      p += n;
      continue;
    }
    if (ctrl < 0x80) bad('malformed', `xz LZMA2 control byte 0x${ctrl.toString(16)} is invalid`, p - 1);
    need(4);
    const unpacked = (ctrl & 0x1f) * 65536 + (((b[p] as number) << 8) | (b[p + 1] as number)) + 1;
    const packed = (((b[p + 2] as number) << 8) | (b[p + 3] as number)) + 1;
    p += 4;
    const mode = (ctrl >>> 5) & 3;
    if (mode === 3) out.dictStart = out.pos;
    if (mode >= 2) {
      need(1);
      st.setProps(b[p++] as number);
      if (st.lc + st.lp > 4) bad('malformed', 'xz LZMA2 properties are invalid', p - 1);
      propsSet = true;
    }
    if (!propsSet) bad('malformed', 'xz LZMA2 chunk without properties', p);
    if (mode >= 1) st.reset();
    need(packed);
    const rc = new RangeDecoder(b, p, p + packed);
    st.decode(rc, out, unpacked, Infinity);
    p += packed;
  }
}

/**
 * Decodes an `.xz` file (one or more streams; blocks with the LZMA2 filter only, as Python writes).
 * @throws UnsafePickleError: `limit` past `limit` bytes, `malformed`/`truncated` for broken data,
 *   `unsupported` for other filters (BCJ, delta).
 */
export function decodeXz(b: Uint8Array, limit: number): Uint8Array {
  const out = new Output(limit, b.length * 4);
  let p = 0;
  while (p < b.length) {
    if (b[p] === 0 && p > 0) {
      p++; // stream padding between streams
      continue;
    }
    if (p + 12 > b.length) bad('truncated', 'xz stream header is truncated', p);
    const magic = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
    if (!magic.every((m, i) => b[p + i] === m))
      bad('malformed', 'xz stream header has a bad magic number', p);
    const checkSize = CHECK_SIZES[(b[p + 7] as number) & 0x0f] as number;
    p += 12;
    // blocks, until the index indicator 0x00
    for (;;) {
      if (p >= b.length) bad('truncated', 'xz data is truncated', p);
      const hs = b[p] as number;
      if (hs === 0) break;
      const blockStart = p;
      const headerSize = (hs + 1) * 4;
      if (p + headerSize > b.length) bad('truncated', 'xz block header is truncated', p);
      const flags = b[p + 1] as number;
      let q = p + 2;
      if (flags & 0x40) q = readVarint(b, q)[1];
      if (flags & 0x80) {
        const [declared, next] = readVarint(b, q);
        if (out.pos + declared > limit) {
          throw new UnsafePickleError(
            'limit',
            `xz block declares ${declared} bytes, over the ${limit}-byte limit (decompression bomb?)`,
            -1,
          );
        }
        q = next;
      }
      const filters = (flags & 3) + 1;
      let id = 0;
      for (let f = 0; f < filters; f++) {
        [id, q] = readVarint(b, q);
        let propsSize: number;
        [propsSize, q] = readVarint(b, q);
        q += propsSize;
      }
      if (filters !== 1 || id !== 0x21)
        throw new UnsafePickleError('unsupported', 'xz filters other than LZMA2 alone', p);
      p = decodeLzma2(b, blockStart + headerSize, out);
      while ((p - blockStart) % 4 !== 0) p++; // block padding
      p += checkSize;
    }
    // index, then the 12-byte footer; sizes come from the footer's backward size
    if (p + 12 > b.length) bad('truncated', 'xz index is truncated', p);
    const [records, afterCount] = readVarint(b, p + 1);
    let q = afterCount;
    for (let i = 0; i < records; i++) q = readVarint(b, readVarint(b, q)[1])[1];
    while ((q - p) % 4 !== 0) q++;
    p = q + 4 + 12; // index CRC32, stream footer
    if (p > b.length) bad('truncated', 'xz stream footer is truncated', p);
    if (b[p - 2] !== 0x59 || b[p - 1] !== 0x5a)
      bad('malformed', 'xz stream footer has a bad magic number', p - 2);
  }
  return out.buf.subarray(0, out.pos);
}
