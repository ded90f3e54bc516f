/**
 * The project's one seeded pseudo-random generator (STYLE §10: all nondeterminism is injected).
 *
 * xoshiro128** (Blackman & Vigna), 128-bit state, period 2^128 - 1, written by hand because it is
 * twenty lines and a dependency would be more code to audit. The state is seeded from a 32-bit (or
 * any finite) seed through splitmix32, so nearby seeds give unrelated streams. Not cryptographic.
 */
import { ValidationError } from '../domain/errors.js';

/** splitmix32 step: spreads a seed over the state words (never all zero). */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A seeded generator. Same seed, same sequence, on every platform. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param seed any finite number; non-integers and values beyond 32 bits are folded in.
   * @throws ValidationError if the seed is not a finite number.
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new ValidationError(`seed must be a finite number, got ${seed}`);
    // Fold the whole double (not just its low 32 bits) so seeds like 2^40 + 1 and 1 differ.
    const hi = Math.floor(seed / 4294967296) | 0;
    const st = { s: (seed >>> 0) ^ Math.imul(hi, 0x27d4eb2d) };
    this.a = splitmix32(st);
    this.b = splitmix32(st);
    this.c = splitmix32(st);
    this.d = splitmix32(st);
    if ((this.a | this.b | this.c | this.d) === 0) this.d = 1;
  }

  /** The next uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * A uniform integer in [0, n), without modulo bias (rejection sampling).
   * @throws ValidationError unless 1 <= n <= 2^32 and n is an integer.
   */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
      throw new ValidationError(`nextInt bound must be an integer in [1, 2^32], got ${n}`);
    }
    if (n === 4294967296) return this.nextUint32();
    // Reject the top partial block of 2^32 so every residue is equally likely.
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const r = this.nextUint32();
      if (r < limit) return r % n;
    }
  }

  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /**
   * `k` distinct integers from [0, n), in the order drawn (a partial Fisher–Yates shuffle).
   * @throws ValidationError unless 0 <= k <= n.
   */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (!Number.isInteger(n) || !Number.isInteger(k) || k < 0 || n < 0 || k > n) {
      throw new ValidationError(`cannot sample ${k} distinct values from ${n}`);
    }
    const out = new Int32Array(k);
    if (k === 0) return out;
    if (k * 4 >= n) {
      const pool = new Int32Array(n);
      for (let i = 0; i < n; i++) pool[i] = i;
      for (let i = 0; i < k; i++) {
        const j = i + this.nextInt(n - i);
        const tmp = pool[i] as number;
        pool[i] = pool[j] as number;
        pool[j] = tmp;
        out[i] = pool[i] as number;
      }
      return out;
    }
    // Sparse case: the same partial shuffle over a virtual array stored as a map of swaps.
    const swapped = new Map<number, number>();
    for (let i = 0; i < k; i++) {
      const j = i + this.nextInt(n - i);
      const vj = swapped.get(j) ?? j;
      const vi = swapped.get(i) ?? i;
      swapped.set(j, vi);
      out[i] = vj;
    }
    return out;
  }

  /** A new generator whose stream is independent of this one (seeded from this stream). */
  fork(): Rng {
    return new Rng(this.nextUint32() * 4294967296 + this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Convenience constructor: `createRng(seed)` is `new Rng(seed)`. */
export function createRng(seed: number): Rng {
  return new Rng(seed);
}
