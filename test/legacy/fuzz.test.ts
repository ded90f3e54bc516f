/**
 * Seeded mutation fuzzing of the legacy readers: thousands of corrupted versions of the real
 * fixtures (raw files and decompressed pickle streams) must either read or fail with a PbiError —
 * never a TypeError, RangeError, stack overflow or hang.
 */
import { describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import {
  convertModelArtifact,
  convertPredictionModels,
  convertSklearn,
} from '../../src/legacy/convert/index.js';
import { decompress, detectCompression, readJoblibBytes } from '../../src/legacy/joblib/index.js';
import { isObject } from '../../src/legacy/pickle/index.js';
import { readPredictionHistory, toJson } from '../../src/legacy/records/index.js';
import { Rng } from '../../src/ml/rng.js';
import { SCALE, emptyDicts, gzip, memoisedListCopies } from './amplifying-pickles.js';
import { fixture } from './helpers.js';

const LIMITS = { maxDecompressedBytes: 8 * 1024 * 1024, maxAllocatedBytes: 256 * 1024 * 1024 };

/** Everything a migration would do with a file's contents. */
function consume(b: Uint8Array): void {
  const { value } = readJoblibBytes(b, LIMITS);
  const attempt = (fn: () => unknown): void => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof PbiError)) throw e;
    }
  };
  attempt(() => toJson(value));
  attempt(() => readPredictionHistory(value));
  attempt(() => convertPredictionModels(value));
  attempt(() => convertModelArtifact(value));
  if (isObject(value)) attempt(() => convertSklearn(value));
}

function mutate(src: Uint8Array, rng: Rng): Uint8Array {
  const b = src.slice();
  const kind = rng.nextInt(7);
  const at = rng.nextInt(Math.max(1, b.length));
  switch (kind) {
    case 0: // flip bits
      for (let i = 0, n = 1 + rng.nextInt(8); i < n; i++) {
        const p = rng.nextInt(b.length);
        b[p] = (b[p] as number) ^ (1 << rng.nextInt(8));
      }
      return b;
    case 1: // random bytes
      for (let i = 0, n = 1 + rng.nextInt(16); i < n; i++) b[rng.nextInt(b.length)] = rng.nextInt(256);
      return b;
    case 2: // truncate
      return b.subarray(0, at);
    case 3: // interesting values (lengths, opcodes) at a random spot
      b.set([0xff, 0xff, 0xff, 0x7f].slice(0, Math.min(4, b.length - at)), at);
      return b;
    case 4: {
      // delete a chunk
      const n = 1 + rng.nextInt(64);
      return Uint8Array.from([...b.subarray(0, at), ...b.subarray(Math.min(b.length, at + n))]);
    }
    case 5: {
      // duplicate a chunk
      const n = 1 + rng.nextInt(64);
      return Uint8Array.from([...b.subarray(0, at + n), ...b.subarray(at)]);
    }
    default: {
      // splice a chunk from elsewhere
      const from = rng.nextInt(b.length);
      const n = 1 + rng.nextInt(32);
      b.set(src.subarray(from, Math.min(src.length, from + n)).subarray(0, Math.max(0, b.length - at)), at);
      return b;
    }
  }
}

const CORPUS: [string, number][] = [
  ['protocols/data.p0.pkl', 250],
  ['protocols/data.p2.pkl', 250],
  ['protocols/data.p4.pkl', 250],
  ['protocols/data.p5.pkl', 150],
  ['protocols/ridge.p1.pkl', 150],
  ['protocols/ridge.p4.pkl', 200],
  ['protocols/tree.p0.pkl', 150],
  ['protocols/tree.p3.pkl', 150],
  ['compression/history.none.joblib', 300],
  ['compression/arrays.none.joblib', 300],
  ['compression/history.zlib.joblib', 100],
  ['compression/history.gzip.joblib', 100],
  ['compression/history.bz2.joblib', 80],
  ['compression/history.lzma.joblib', 80],
  ['compression/history.xz.joblib', 80],
  ['compression/history.lz4.joblib', 100],
  ['reference/gb_zero.joblib', 150],
  ['app-basic/models/ridge_20240115_103000.joblib', 150],
];

describe('fuzzing the legacy readers with seeded mutations', () => {
  let seed = 0;
  for (const [file, n] of CORPUS) {
    it(`${n} mutations of ${file} give nothing but PbiErrors`, { timeout: 300_000 }, () => {
      const src = fixture(file);
      const rng = new Rng(0x5eed + seed++);
      // Fuzz decompressed streams too, so mutations reach the pickle and not only the compressor.
      const stream = decompress(src, detectCompression(src), 1 << 24);
      const outcomes = { read: 0, refused: 0 };
      for (let i = 0; i < n; i++) {
        const input = mutate(i % 2 === 0 || stream === src ? src : stream, rng);
        try {
          consume(input);
          outcomes.read++;
        } catch (e) {
          if (!(e instanceof PbiError)) {
            throw new Error(
              `mutation ${i} of ${file} threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`,
              { cause: e },
            );
          }
          outcomes.refused++;
        }
      }
      expect(outcomes.read + outcomes.refused).toBe(n);
      expect(outcomes.refused).toBeGreaterThan(0);
    });
  }
});

// At 1/SCALE of the attack's size against 1/SCALE of the budget: the same charges refuse it, without
// first allocating the full budget (pickle-budget.test.ts runs the full-size files).
describe('allocation-amplifying shapes are refused by the budget, whatever the builder', () => {
  const scaled = { ...LIMITS, maxAllocatedBytes: Math.floor(LIMITS.maxAllocatedBytes / SCALE) };
  const shapes: [string, () => Uint8Array][] = [
    ...['list', 'tuple', 'set', 'frozenset', 'bytearray', 'bytes'].map((b): [string, () => Uint8Array] => [
      `${b}(L) x200 of a memoised 4M list`,
      () => memoisedListCopies(4_000_000 / SCALE, 200, b),
    ]),
    ['36M EMPTY_DICT', () => emptyDicts(36_000_000 / SCALE)],
  ];
  it.each(shapes)('%s, at 1/SCALE (gzipped, as a joblib file)', (_name, make) => {
    const file = gzip(make());
    expect(file.length).toBeLessThan(64 * 1024);
    let error: unknown;
    try {
      readJoblibBytes(file, scaled);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PbiError);
    expect((error as PbiError).message).toMatch(/would allocate more than/);
  });
});
