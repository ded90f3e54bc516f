import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJoblibFile } from '../../src/legacy/joblib/index.js';
import {
  allowedGlobals,
  dateTimeToIso,
  isTuple,
  parsePickle,
  type NdArray,
  type PickleValue,
  type PyDateTime,
  type PySet,
} from '../../src/legacy/pickle/index.js';
import { toJson } from '../../src/legacy/records/index.js';
import { bytes, FIXTURES, fixture, le, refusal } from './helpers.js';
import { PickleWriter, type WritableValue } from './pickle-writer.js';

const get = (v: PickleValue, key: string): PickleValue => {
  if (!(v instanceof Map)) throw new Error('not a dict');
  return v.get(key) as PickleValue;
};

describe('pickle parser on real Python pickles, protocols 0 to 5', () => {
  for (let p = 0; p <= 5; p++) {
    it(`reads every value type of data.p${p}.pkl`, () => {
      const { value, end } = parsePickle(fixture(`protocols/data.p${p}.pkl`));
      expect(end).toBe(fixture(`protocols/data.p${p}.pkl`).length);
      expect(get(value, 'when')).toEqual({
        kind: 'datetime',
        year: 2024,
        month: 1,
        day: 2,
        hour: 3,
        minute: 4,
        second: 5,
        microsecond: 6,
        tz: null,
      });
      expect(get(value, 'day')).toEqual({ kind: 'date', year: 2024, month: 2, day: 29 });
      expect(get(value, 'span')).toEqual({ kind: 'timedelta', days: -1, seconds: 5, microseconds: 7 });
      const tz = get(value, 'tz') as PyDateTime;
      expect(tz.tz).toEqual({ kind: 'timezone', offsetSeconds: 19800, name: 'IST' });
      expect(dateTimeToIso(tz)).toBe('2023-12-31T18:30:00.000Z');
      expect([...(get(value, 'set') as PySet).items].sort()).toEqual([1, 2, 3]);
      expect(get(value, 'frozen')).toEqual({ kind: 'set', frozen: true, items: ['a'] });
      expect([...(get(value, 'bytes') as Uint8Array)]).toEqual([0, 1, 255]);
      expect([...(get(value, 'ba') as Uint8Array)]).toEqual([120, 121]);
      expect(get(value, 'big')).toBe(2n ** 100n);
      expect(get(value, 'neg')).toBe(-(2n ** 70n));
      expect(get(value, 'float')).toBe(1.5e-300);
      expect(get(value, 'tuple')).toEqual({ kind: 'tuple', items: [1, { kind: 'tuple', items: [2, 3] }] });
      expect(get(value, 'nested')).toEqual([[[]]]);
      expect(get(value, 'unicode')).toBe('Powerball \u00e9\u4e2d\u{1F3B1}');
      expect(get(value, 'true')).toBe(true);
      expect(get(value, 'none')).toBe(null);
      expect(get(value, 'np_f')).toBe(2.5);
      const arr = get(value, 'arr') as NdArray;
      expect(arr.shape).toEqual([2, 3]);
      expect([...(arr.data as BigInt64Array)]).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
      // One list referenced twice stays one object, as in Python.
      expect(get(value, 'shared_a')).toBe(get(value, 'shared_b'));
      expect([...(get(value, 'ordered') as Map<PickleValue, PickleValue>).keys()]).toEqual(['z', 'a']);
      const preds = get(value, 'predictions') as PickleValue[];
      expect(preds).toHaveLength(20);
      expect(preds.every((x) => x instanceof Map)).toBe(true);
    });
  }

  it('reads the same tree whatever the protocol', () => {
    const trees = [0, 1, 2, 3, 4, 5].map((p) => parsePickle(fixture(`protocols/tree.p${p}.pkl`)).value);
    for (const t of trees.slice(1)) expect(t).toEqual(trees[0]);
  });

  it('keeps __proto__ an ordinary dict key', () => {
    // {'__proto__': 1} in protocol 2
    const { value } = parsePickle(bytes(0x80, 2, '}', 'X', le(9, 4), '__proto__', 'K', 1, 's', '.'));
    expect(value).toBeInstanceOf(Map);
    expect((value as Map<PickleValue, PickleValue>).get('__proto__')).toBe(1);
  });

  it('a __proto__ payload, parsed and turned into JSON, leaves Object.prototype unchanged', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    // {'__proto__': {'polluted': 'yes', 'toString': 'owned'}, 'constructor': {'prototype': {'polluted': 'yes'}}}
    const w = new PickleWriter();
    w.value(
      new Map<string, WritableValue>([
        [
          '__proto__',
          new Map<string, WritableValue>([
            ['polluted', 'yes'],
            ['toString', 'owned'],
          ]),
        ],
        ['constructor', new Map([['prototype', new Map([['polluted', 'yes']])]])],
      ]),
    );
    const json = toJson(parsePickle(w.finish()).value) as Record<string, unknown>;
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(typeof Object.prototype.toString).toBe('function');
    // The keys stay ordinary own data of the result, whose prototype is untouched.
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(json, '__proto__')?.value).toEqual({
      polluted: 'yes',
      toString: 'owned',
    });
    expect(json['polluted']).toBeUndefined();
    expect(json['constructor']).toEqual({ prototype: { polluted: 'yes' } });
  });

  it('documents an allowlist with no code-running globals', () => {
    const names = allowedGlobals();
    expect(names).toContain('sklearn.tree._tree.Tree');
    for (const bad of [
      'os.system',
      'posix.system',
      'builtins.eval',
      'builtins.exec',
      'builtins.getattr',
      'subprocess.Popen',
      'builtins.__import__',
    ]) {
      expect(names).not.toContain(bad);
    }
  });
});

describe('hostile pickles are refused, naming the global', () => {
  const dir = path.join(FIXTURES, 'hostile');
  const expected: [RegExp, RegExp][] = [
    [/^os-system|stack-global-os-system|inst-os-system/, /refused pickle global (posix|os)\.system/],
    [/^obj-posix-system/, /refused pickle global posix\.system/],
    [/^builtins-eval/, /refused pickle global (builtins|__builtin__)\.eval/],
    [/^subprocess-popen|^newobj-unlisted/, /refused pickle global (subprocess|commands)\.Popen/],
    [/^builtins-getattr/, /refused pickle global __builtin__\.getattr/],
    [/^numpy-lookalike/, /refused pickle global numpy\.core\.multiarray\.system/],
    [/^sklearn-lookalike/, /refused pickle global sklearn\.linear_model\._ridge\.os/],
    [/^ext-registry/, /extension registry/],
    [/^persid/, /persistent ids/],
  ];
  for (const file of readdirSync(dir).sort()) {
    it(`refuses ${file}`, () => {
      const err = refusal(() => readJoblibFile(path.join(dir, file)));
      const rule = expected.find(([name]) => name.test(file));
      expect(rule, `no expectation for ${file}`).toBeDefined();
      expect(err.message).toMatch(rule?.[1] ?? /never/);
      expect(['refused-global', 'unsupported']).toContain(err.reason);
      expect(err.offset).toBeGreaterThanOrEqual(0);
    });
  }
});

describe('malformed and hostile structure fails with a typed error', () => {
  it('empty input', () => {
    expect(refusal(() => parsePickle(new Uint8Array(0))).reason).toBe('truncated');
  });

  it('every truncation of a real pickle', () => {
    const full = fixture('protocols/ridge.p4.pkl');
    for (let cut = 0; cut < full.length; cut += 7) {
      const err = refusal(() => parsePickle(full.subarray(0, cut)));
      expect(['truncated', 'malformed']).toContain(err.reason);
    }
  });

  it('stack underflow', () => {
    expect(refusal(() => parsePickle(bytes(0x80, 4, 'R', '.'))).message).toMatch(/stack underflow/);
    expect(refusal(() => parsePickle(bytes(0x80, 4, '.'))).message).toMatch(/stack underflow/);
    expect(refusal(() => parsePickle(bytes(0x80, 4, 'N', 'e', '.'))).message).toMatch(/MARK expected/);
  });

  it('bad memo references and indices', () => {
    expect(refusal(() => parsePickle(bytes(0x80, 4, 'h', 5, '.'))).message).toMatch(
      /memo reference 5 does not exist/,
    );
    expect(refusal(() => parsePickle(bytes('g12\n.'))).message).toMatch(/memo reference 12/);
    expect(refusal(() => parsePickle(bytes(0x80, 4, 'N', 'r', le(0xfffffff0, 4), '.'))).reason).toBe('limit');
  });

  it('a million nested MARKs stops at the depth limit', () => {
    const b = new Uint8Array(1_000_001).fill(0x28);
    b[b.length - 1] = 0x2e;
    const err = refusal(() => parsePickle(b));
    expect(err.reason).toBe('limit');
    expect(err.message).toMatch(/nesting deeper than/);
  });

  it('a million nested lists (no MARKs) stops at the depth limit', () => {
    const n = 1_000_000;
    const b = new Uint8Array(2 * n + 1);
    b.fill(0x5d, 0, n); // EMPTY_LIST × n
    b.fill(0x61, n, 2 * n - 1); // APPEND × (n - 1)
    b[2 * n - 1] = 0x2e;
    const err = refusal(() => parsePickle(b.subarray(0, 2 * n)));
    expect(err.reason).toBe('limit');
    expect(err.message).toMatch(/nested deeper than/);
  });

  it('a million nested tuples stops at the depth limit', () => {
    const b = new Uint8Array(1_000_002).fill(0x85);
    b[0] = 0x4e;
    b[b.length - 1] = 0x2e;
    expect(refusal(() => parsePickle(b)).reason).toBe('limit');
  });

  it('a list that contains itself', () => {
    expect(refusal(() => parsePickle(bytes(0x80, 2, ']', 'q', 0, 'h', 0, 'a', '.'))).message).toMatch(
      /cycle/,
    );
  });

  it('"billion laughs" through shared references', () => {
    const parts: (string | number | number[])[] = [0x80, 2, ']', 'q', 0];
    for (let level = 1; level <= 40; level++)
      parts.push(
        ']',
        '(',
        ...Array(10)
          .fill(['h', level - 1])
          .flat(),
        'e',
        'q',
        level,
      );
    parts.push('.');
    const err = refusal(() => parsePickle(bytes(...parts)));
    expect(err.reason).toBe('limit');
    expect(err.message).toMatch(/expands to more than/);
  });

  it('absurd declared lengths fail before allocating', () => {
    const cases = [
      bytes(0x80, 4, 0x8d, le(2 ** 40, 8), 'abc'), // BINUNICODE8 of a terabyte
      bytes(0x80, 4, 0x8e, le(2 ** 52, 8)), // BINBYTES8
      bytes(0x80, 4, 0x96, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), // BYTEARRAY8 beyond 2^53
      bytes(0x80, 3, 'B', le(0xffffffff, 4), 'x'), // BINBYTES
      bytes(0x80, 2, 'X', le(0x7fffffff, 4)), // BINUNICODE
      bytes(0x80, 4, 0x95, le(2 ** 45, 8), 'N.'), // FRAME
      bytes(0x80, 2, 0x8b, le(0x7fffffff, 4)), // LONG4
      bytes(0x80, 2, 0x8c, 200, 'abc'), // SHORT_BINUNICODE
    ];
    for (const c of cases) expect(['truncated', 'limit']).toContain(refusal(() => parsePickle(c)).reason);
  });

  it('input, memo and allocation limits are configurable', () => {
    const data = fixture('protocols/data.p4.pkl');
    expect(refusal(() => parsePickle(data, { limits: { maxInputBytes: 100 } })).reason).toBe('limit');
    expect(refusal(() => parsePickle(data, { limits: { maxMemo: 5 } })).reason).toBe('limit');
    expect(refusal(() => parsePickle(data, { limits: { maxAllocatedBytes: 1000 } })).reason).toBe('limit');
    expect(refusal(() => parsePickle(data, { limits: { maxDepth: 2 } })).reason).toBe('limit');
  });

  it('unknown opcodes, future protocols, out-of-band buffers', () => {
    expect(refusal(() => parsePickle(bytes(0x80, 4, 0xff))).message).toMatch(/unknown pickle opcode 0xff/);
    expect(refusal(() => parsePickle(bytes(0x80, 6, 'N.'))).reason).toBe('unsupported');
    expect(refusal(() => parsePickle(bytes(0x80, 5, 0x97, '.'))).reason).toBe('unsupported');
  });

  it('calls of allowlisted values that are not constructors, and wrong argument shapes', () => {
    // builtins.object() is allowlisted only as a value (copyreg base class)
    expect(
      refusal(() => parsePickle(bytes(0x80, 2, 'c__builtin__\nobject\n', ')', 'R', '.'))).message,
    ).toMatch(/cannot be called/);
    // REDUCE of a non-global
    expect(refusal(() => parsePickle(bytes(0x80, 2, 'N', ')', 'R', '.'))).reason).toBe('malformed');
    // numpy array whose bytes do not match its shape
    const arr = bytes(
      0x80,
      2,
      'cnumpy.core.multiarray\n_reconstruct\n',
      'cnumpy\nndarray\n',
      'K',
      0,
      0x85,
      'C',
      1,
      'b',
      0x87,
      'R',
      '(',
      'K',
      1,
      'K',
      4,
      0x85,
      'cnumpy\ndtype\n',
      'X',
      le(2, 4),
      'f8',
      0x89,
      0x88,
      0x87,
      'R',
      0x89,
      'C',
      3,
      'abc',
      't',
      'b',
      '.',
    );
    expect(refusal(() => parsePickle(arr)).message).toMatch(/needs 32 bytes, has 3/);
  });

  it('datetimes with impossible fields or offsets, as Python refuses them', () => {
    const dt = (b: number[]): Uint8Array =>
      bytes(0x80, 3, 'cdatetime\ndatetime\n', 'C', 10, b, 0x85, 'R', '.');
    expect(parsePickle(dt([7, 232, 2, 29, 0, 0, 0, 0, 0, 0])).value).toMatchObject({
      year: 2024,
      month: 2,
      day: 29,
    });
    expect(refusal(() => parsePickle(dt([7, 231, 2, 29, 0, 0, 0, 0, 0, 0]))).message).toMatch(
      /datetime field out of range/,
    );
    expect(refusal(() => parsePickle(dt([0, 0, 1, 1, 0, 0, 0, 0, 0, 0]))).message).toMatch(/out of range/);
    expect(refusal(() => parsePickle(dt([7, 232, 1, 1, 24, 0, 0, 0, 0, 0]))).message).toMatch(/out of range/);
    const tz = bytes(
      0x80,
      3,
      'cdatetime\ntimezone\n',
      'cdatetime\ntimedelta\n',
      'K',
      1,
      0x85,
      'R',
      0x85,
      'R',
      '.',
    );
    expect(refusal(() => parsePickle(tz)).message).toMatch(/timezone offset outside/);
  });

  it('tuples in the output are tagged records', () => {
    const { value } = parsePickle(bytes(0x80, 2, 'K', 1, 'K', 2, 0x86, '.'));
    expect(isTuple(value)).toBe(true);
  });
});
