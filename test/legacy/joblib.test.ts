import { createRequire } from 'node:module';
import { deflateSync, gzipSync } from 'node:zlib';
import lzmaPkg from '@napi-rs/lzma';
import { describe, expect, it } from 'vitest';
import {
  decompress,
  detectCompression,
  readJoblibBytes,
  readJoblibFile,
} from '../../src/legacy/joblib/index.js';
import { parsePickle, type NdArray, type PickleValue } from '../../src/legacy/pickle/index.js';
import { bytes, FIXTURES, fixture, refusal } from './helpers.js';

const require = createRequire(import.meta.url);
const lz4 = require('lz4js') as { compress(src: Uint8Array): Uint8Array };

const COMPRESSIONS = ['none', 'zlib', 'gzip', 'bz2', 'lzma', 'xz', 'lz4'] as const;

describe('joblib container', () => {
  for (const c of COMPRESSIONS) {
    it(`reads ${c}-compressed files to exactly what the uncompressed file holds`, () => {
      const models = readJoblibFile(`${FIXTURES}/compression/models.${c}.joblib`);
      const history = readJoblibFile(`${FIXTURES}/compression/history.${c}.joblib`);
      expect(models.compression).toBe(c);
      expect(history.compression).toBe(c);
      expect(models.value).toEqual(readJoblibFile(`${FIXTURES}/compression/models.none.joblib`).value);
      expect(history.value).toEqual(readJoblibFile(`${FIXTURES}/compression/history.none.joblib`).value);
      expect(models.streamBytes).toBe(fixture('compression/models.none.joblib').length);
    });
  }

  it('reads every joblib file of the legacy app folders', () => {
    const files = [
      'app-basic/data/prediction_history.joblib',
      'app-basic/data/prediction_models.joblib',
      'app-basic/models/ridge_20240115_103000.joblib',
      'app-basic/models/random_forest_20240116_091500.joblib',
      'app-basic/models/gradient_boosting_20240117_180005.joblib',
      'app-minimal/data/prediction_history.joblib',
    ];
    for (const f of files) {
      const r = readJoblibFile(`${FIXTURES}/${f}`);
      expect(r.value).toBeInstanceOf(Map);
    }
  });

  it("decodes joblib's inline numpy arrays: orders, byte orders, dtypes, scalars", () => {
    const v = readJoblibFile(`${FIXTURES}/compression/arrays.none.joblib`).value as Map<string, PickleValue>;
    const arr = (k: string): NdArray => v.get(k) as NdArray;
    expect(arr('f_order').shape).toEqual([3, 4]);
    expect([...(arr('f_order').data as Float64Array)]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(arr('zero_d').shape).toEqual([]);
    expect([...(arr('zero_d').data as Float64Array)]).toEqual([7.5]);
    expect(arr('big_endian').dtype.byteorder).toBe('>');
    expect([...(arr('big_endian').data as Int32Array)]).toEqual([0, 1, 2, 3, 4]);
    expect(arr('bools').dtype.char).toBe('b');
    expect([...(arr('bools').data as Uint8Array)]).toEqual([1, 0, 1]);
    expect([...(arr('f32').data as Float32Array)]).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    expect(arr('empty').shape).toEqual([0, 3]);
    expect(arr('objects').data).toEqual(['a', 1, null]);
    expect(arr('unicode').data).toEqual(['ab', 'c']);
    const rec = arr('structured').data as Map<string, NdArray>;
    expect([...(rec.get('a')?.data as BigInt64Array)]).toEqual([1n, 3n]);
    expect([...(rec.get('b')?.data as Float64Array)]).toEqual([2.5, 4.5]);
    expect([...(arr('i16').data as Int16Array)]).toEqual([-1, 2]);
    expect(v.get('scalar_i64')).toBe(2n ** 62n);
    expect(v.get('scalar_f32')).toBe(Math.fround(0.1));
    expect(v.get('scalar_bool')).toBe(true);
    expect(v.get('scalar_u16')).toBe(65535);
    expect(readJoblibFile(`${FIXTURES}/compression/arrays.zlib.joblib`).value).toEqual(v);
  });

  it('detects formats by magic bytes and refuses unknown ones', () => {
    expect(detectCompression(fixture('compression/models.xz.joblib'))).toBe('xz');
    expect(detectCompression(fixture('compression/models.lzma.joblib'))).toBe('lzma');
    expect(detectCompression(fixture('protocols/data.p0.pkl'))).toBe('none');
    const err = refusal(() => readJoblibBytes(bytes('PK', 3, 4, 'zipfile')));
    expect(err.message).toMatch(/unknown file format \(first bytes 50 4b 03 04/);
    expect(refusal(() => readJoblibBytes(new Uint8Array(0))).message).toMatch(/empty file/);
  });

  it('reads the joblib < 0.10 ZF container', () => {
    const pickle = fixture('protocols/data.p2.pkl');
    const header = `ZF0x${pickle.length.toString(16)}`.padEnd(21, ' ');
    const file = new Uint8Array([...bytes(header), ...deflateSync(pickle)]);
    const r = readJoblibBytes(file);
    expect(r.compression).toBe('compat');
    expect(r.value).toEqual(parsePickle(pickle).value);
  });

  for (const c of COMPRESSIONS.filter((x) => x !== 'none')) {
    it(`truncated ${c} files fail with a typed error`, () => {
      const full = fixture(`compression/models.${c}.joblib`);
      for (const frac of [0.1, 0.5, 0.9, 0.999]) {
        const err = refusal(() => readJoblibBytes(full.subarray(0, Math.floor(full.length * frac))));
        expect(['truncated', 'malformed']).toContain(err.reason);
      }
    });
  }

  describe('decompression bombs stop at the size limit', () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const limits = { maxDecompressedBytes: 1024 * 1024 };
    const bombs: [string, string, () => Uint8Array][] = [
      ['zlib', 'zlib', () => deflateSync(zeros)],
      ['gzip', 'gzip', () => gzipSync(zeros)],
      ['lz4', 'lz4', () => lz4.compress(zeros)],
      ['xz', 'xz', () => lzmaPkg.xz.compressSync(zeros)],
      ['lzma with its size declared', 'lzma', () => lzmaPkg.lzma.compressSync(zeros)],
      ['lzma of unknown size, as joblib writes it', 'lzma', () => fixture('compression/bomb.lzma')],
      ['bz2', 'bz2', () => fixture('compression/bomb.bz2')],
    ];
    for (const [label, name, make] of bombs) {
      it(label, () => {
        const bomb = make();
        expect(detectCompression(bomb)).toBe(name);
        const err = refusal(() => readJoblibBytes(bomb, limits));
        expect(err.reason).toBe('limit');
        expect(err.message).toMatch(/decompression bomb/);
      });
    }
  });

  it('our LZMA decoder gives byte-identical output to liblzma-style decoding', () => {
    for (const size of [0, 1, 255, 70_000, 3_000_000]) {
      const data = new Uint8Array(size).map((_, i) => ((i * 7919) % 251) ^ (i >> 9));
      for (const [name, comp] of [
        ['xz', lzmaPkg.xz.compressSync],
        ['lzma', lzmaPkg.lzma.compressSync],
      ] as const) {
        const out = decompress(new Uint8Array(comp(data)), name, 1 << 30);
        expect(Buffer.compare(Buffer.from(out), Buffer.from(data)), `${name} ${size}`).toBe(0);
      }
    }
  });

  it('refuses files over the size limit before decompressing', () => {
    const err = refusal(() =>
      readJoblibFile(`${FIXTURES}/compression/models.none.joblib`, { maxFileBytes: 1000 }),
    );
    expect(err.reason).toBe('limit');
  });
});
