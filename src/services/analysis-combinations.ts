/**
 * The combination counts of `pbi analyze`: how often each set of 2–5 whites (optionally with the
 * Powerball) was drawn together, keyed by colex rank so counting is over small integers.
 */
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, ERAS, type RuleEra } from '../domain/eras.js';
import { ValidationError } from '../domain/errors.js';
import { binomial } from '../domain/prizes.js';

export interface ComboEntry {
  readonly whites: readonly number[];
  readonly powerball: number | null;
  readonly count: number;
}

export interface ComboSize {
  /** Numbers in the combination (the Powerball counts as one when included). */
  readonly size: number;
  readonly whites: number;
  readonly withPowerball: boolean;
  /** Distinct combinations seen, and the number possible in the era. */
  readonly distinct: number;
  readonly possible: number;
  /** Expected count of any one combination by chance. */
  readonly expected: number;
  /** Most frequent combinations seen at least twice (ties: in number order). */
  readonly top: readonly ComboEntry[];
}

/** Index subsets of the 5 whites, by size. */
const SUBSETS: readonly (readonly number[])[][] = (() => {
  const out: number[][][] = [[], [], [], [], [], []];
  for (let mask = 1; mask < 32; mask++) {
    const idx: number[] = [];
    for (let j = 0; j < 5; j++) if (mask & (1 << j)) idx.push(j);
    (out[idx.length] as number[][]).push(idx);
  }
  return out;
})();

/** BINOM[n * 6 + k] = C(n, k) for n ≤ 100, k ≤ 5. */
const BINOM: Int32Array = (() => {
  const t = new Int32Array(101 * 6);
  for (let n = 0; n <= 100; n++) for (let k = 0; k <= 5; k++) t[n * 6 + k] = binomial(n, k);
  return t;
})();

/**
 * Combinations are keyed by their colex rank, Σ C(c_i − 1, i) over the ascending numbers (1-based
 * i), which is below C(W, k) ≤ 11.2 million — small integers, so counting is a typed array or a Map
 * of small-integer keys instead of string keys.
 */
function unrank(rank: number, k: number, W: number): number[] {
  const out: number[] = [];
  let r = rank;
  for (let i = k; i >= 1; i--) {
    let c = i;
    while (c + 1 <= W && (BINOM[c * 6 + i] as number) <= r) c++;
    r -= BINOM[(c - 1) * 6 + i] as number;
    out.unshift(c);
  }
  return out;
}

export function comboStats(
  whites: Uint8Array,
  pbs: Uint8Array,
  n: number,
  W: number,
  P: number,
  withPowerball: boolean,
  top: number,
  maxSize = 6,
): ComboSize[] {
  const out: ComboSize[] = [];
  const pbFactor = withPowerball ? P : 1;
  for (let size = 2; size <= Math.min(maxSize, withPowerball ? 6 : 5); size++) {
    const k = withPowerball ? size - 1 : size;
    const space = (BINOM[W * 6 + k] as number) * pbFactor;
    const subsets = SUBSETS[k] as readonly (readonly number[])[];
    // Small key spaces count in a typed array; large ones (4 or 5 numbers) sort the keys and count runs.
    const dense = space <= 200_000 ? new Int32Array(space) : null;
    const keys = dense === null ? new Int32Array(n * subsets.length) : null;
    let filled = 0;
    for (let i = 0; i < n; i++) {
      const base = i * 5;
      const pb = withPowerball ? (pbs[i] as number) - 1 : 0;
      for (const idx of subsets) {
        let rank = 0;
        for (let t = 0; t < k; t++)
          rank += BINOM[((whites[base + (idx[t] as number)] as number) - 1) * 6 + t + 1] as number;
        const key = rank * pbFactor + pb;
        if (dense) dense[key] = (dense[key] as number) + 1;
        else (keys as Int32Array)[filled++] = key;
      }
    }
    const repeated: [number, number][] = [];
    let distinct = 0;
    if (dense) {
      for (let key = 0; key < space; key++) {
        const c = dense[key] as number;
        if (c > 0) distinct++;
        if (c >= 2) repeated.push([key, c]);
      }
    } else {
      const sorted = (keys as Int32Array).sort();
      for (let i = 0; i < sorted.length;) {
        let j = i + 1;
        while (j < sorted.length && sorted[j] === sorted[i]) j++;
        distinct++;
        if (j - i >= 2) repeated.push([sorted[i] as number, j - i]);
        i = j;
      }
    }
    // Decode only the candidates for the top list: counts at or above the top-th largest count.
    let threshold = 2;
    if (repeated.length > top) {
      const counts = Int32Array.from(repeated, (e) => e[1]).sort();
      threshold = counts[counts.length - top] as number;
    }
    const decoded = repeated
      .filter((e) => e[1] >= threshold)
      .map(([key, count]) => ({
        whites: unrank(Math.floor(key / pbFactor), k, W),
        powerball: withPowerball ? (key % pbFactor) + 1 : null,
        count,
      }));
    decoded.sort(
      (a, b) =>
        b.count - a.count || compareNumbers(a.whites, b.whites) || (a.powerball ?? 0) - (b.powerball ?? 0),
    );
    const pick = binomial(W - k, 5 - k) / binomial(W, 5);
    out.push({
      size,
      whites: k,
      withPowerball,
      distinct,
      possible: binomial(W, k) * pbFactor,
      expected: (n * pick) / pbFactor,
      top: decoded.slice(0, top),
    });
  }
  return out;
}

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/** How often each pair of white balls was drawn together in one era. */
export interface PairMatrix {
  readonly era: RuleEra;
  readonly draws: number;
  /** Numbers 1..size. */
  readonly size: number;
  /** Row-major size×size, symmetric, zero diagonal: counts[(a−1)·size + (b−1)]. */
  readonly counts: readonly number[];
  /** Count of any one pair expected by chance: draws × C(size−2, 3) / C(size, 5). */
  readonly expected: number;
}

/**
 * Pair co-occurrence of the white balls among the draws of one era (the current era by default);
 * `history` is every draw, oldest first.
 * @throws ValidationError when `eraId` is not an era's first date.
 */
export function pairMatrix(history: readonly Draw[], eraId?: string): PairMatrix {
  const era = eraId === undefined ? CURRENT_ERA : ERAS.find((e) => e.id === eraId);
  if (!era) {
    throw new ValidationError(`no rule era starts on ${eraId}`, [
      { where: 'query.era', reason: `expected one of ${ERAS.map((e) => e.id).join(', ')}` },
    ]);
  }
  const draws = history.filter((d) => d.date >= era.from && (era.to === null || d.date <= era.to));
  const size = era.whiteMax;
  const counts = new Int32Array(size * size);
  for (const d of draws) {
    for (let i = 0; i < 5; i++) {
      for (let j = i + 1; j < 5; j++) {
        const a = (d.whites[i] as number) - 1;
        const b = (d.whites[j] as number) - 1;
        counts[a * size + b] = (counts[a * size + b] ?? 0) + 1;
        counts[b * size + a] = (counts[b * size + a] ?? 0) + 1;
      }
    }
  }
  return {
    era,
    draws: draws.length,
    size,
    counts: Array.from(counts),
    expected: (draws.length * 20) / (size * (size - 1)),
  };
}
