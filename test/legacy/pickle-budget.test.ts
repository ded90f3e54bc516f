/**
 * The allocation budget counts what the parse really allocates: builder copies (`list(L)`,
 * `set`, `dict`, `bytes`, `tuple`, …) and each container's real cost in V8. A tiny file asking for
 * gigabytes is refused with the usual clear error, in bounded memory, and `pbi migrate` writes
 * nothing — checked in a child process held to a 1 GB heap, where running out would be exit 134.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PICKLE_LIMITS, parsePickle } from '../../src/legacy/pickle/index.js';
import { UnsafePickleError } from '../../src/legacy/pickle/errors.js';
import { fileHash, runPbiBinary, tempDir } from '../support/child-process.js';
import { SCALE, emptyDicts, gzip, memoisedListCopies } from './amplifying-pickles.js';

/**
 * In process, the shapes at 1/SCALE of their size against a budget 1/SCALE of the default: the
 * same opcodes, builders and charges reach the same refusal, without allocating half a gigabyte
 * first. The full-size files against the default budget are the binary tests below.
 */
const SCALED = { maxAllocatedBytes: Math.floor(DEFAULT_PICKLE_LIMITS.maxAllocatedBytes / SCALE) };

function refusal(fn: () => unknown): UnsafePickleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UnsafePickleError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('builder copies and container costs are charged', () => {
  it('list(L) copied 200 times from a memoised 4-million-element list is refused (at 1/SCALE)', () => {
    const bytes = memoisedListCopies(4_000_000 / SCALE);
    expect(gzip(bytes).length).toBeLessThan(64 * 1024);
    const e = refusal(() => parsePickle(bytes, { limits: SCALED }));
    expect(e.reason).toBe('limit');
    expect(e.message).toMatch(/would allocate more than \d+ bytes/);
  });

  it('36 million EMPTY_DICT opcodes are refused (at 1/SCALE)', () => {
    const bytes = emptyDicts(36_000_000 / SCALE);
    expect(gzip(bytes).length).toBeLessThan(64 * 1024);
    const e = refusal(() => parsePickle(bytes, { limits: SCALED }));
    expect(e.reason).toBe('limit');
    expect(e.message).toMatch(/would allocate more than \d+ bytes/);
  });

  it('a few copies of a small list still read', () => {
    const { value } = parsePickle(memoisedListCopies(1000, 3));
    expect(Array.isArray(value) && value.length).toBe(3);
  });
});

describe('pbi migrate of such a file, in a process with a 1 GB heap', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('pbi-amplify-');
    // The executable, not `runPbi`: loading the whole CLI into this process costs more.
    expect((await runPbiBinary(['--db', path.join(dir, 'x.db'), 'init'])).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['memoised list copies', memoisedListCopies],
    ['36M EMPTY_DICT', emptyDicts],
  ])(
    '%s: the clear error and exit 1, not a V8 abort; nothing written',
    { timeout: 180_000 },
    async (_name, make) => {
      const legacy = path.join(dir, `legacy-${make.name}`);
      fs.mkdirSync(path.join(legacy, 'data'), { recursive: true });
      fs.writeFileSync(path.join(legacy, 'data', 'prediction_history.joblib'), gzip(make()));
      const db = path.join(dir, 'x.db');
      const before = fileHash(db);
      const r = await runPbiBinary(['--db', db, 'migrate', legacy, '--dry-run'], {}, 170_000, {
        nodeArgs: ['--max-old-space-size=1024'],
      });
      expect(r.stderr).not.toMatch(/heap out of memory|FATAL/);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/prediction_history\.joblib.*would allocate more than/s);
      expect(fileHash(db)).toBe(before);
    },
  );
});
