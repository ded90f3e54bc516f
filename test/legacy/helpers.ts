import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { UnsafePickleError } from '../../src/legacy/pickle/errors.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/legacy');

/** Bytes of a fixture file, as a plain Uint8Array. */
export function fixture(rel: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, rel)));
}

/** Builds a pickle from opcode bytes and latin-1 strings. */
export function bytes(...parts: (string | number | number[] | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else if (typeof p === 'string') for (const ch of p) out.push(ch.charCodeAt(0) & 0xff);
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

/** Little-endian bytes of an unsigned integer. */
export function le(value: number, width: number): number[] {
  const out: number[] = [];
  let v = value;
  for (let i = 0; i < width; i++) {
    out.push(v % 256);
    v = Math.floor(v / 256);
  }
  return out;
}

/** Runs fn and returns the UnsafePickleError it throws (failing the test otherwise). */
export function refusal(fn: () => unknown): UnsafePickleError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UnsafePickleError);
    expect((e as UnsafePickleError).code).toBe('UNSAFE_PICKLE');
    return e as UnsafePickleError;
  }
  throw new Error('expected an UnsafePickleError, nothing was thrown');
}
