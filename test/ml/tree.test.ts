import { describe, expect, it } from 'vitest';
import { denseMatrix, type DenseMatrix } from '../../src/ml/matrix.js';
import { Rng } from '../../src/ml/rng.js';
import { binFeatures } from '../../src/ml/tree/binning.js';
import { TreeGrower, leafOfBinnedRow, type GrowParams } from '../../src/ml/tree/tree-grower.js';

const params = (o: Partial<GrowParams> = {}): GrowParams => ({
  maxDepth: 10,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: 1000,
  ...o,
});

function randomMatrix(rows: number, cols: number, seed: number, distinct = 0): DenseMatrix {
  const rng = new Rng(seed);
  const d = new Float64Array(rows * cols);
  for (let i = 0; i < d.length; i++) d[i] = distinct ? rng.nextInt(distinct) : rng.nextFloat() * 100 - 50;
  return denseMatrix(rows, cols, d);
}

const allRows = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

describe('binFeatures', () => {
  it('gives each distinct value its own bin, in order, when there are at most 255', () => {
    const x = randomMatrix(500, 3, 1, 40);
    const b = binFeatures(x);
    for (let f = 0; f < 3; f++) {
      const nb = (b.offsets[f + 1] as number) - (b.offsets[f] as number);
      expect(nb).toBe(new Set(Array.from({ length: 500 }, (_, r) => x.data[r * 3 + f])).size);
      for (let r = 0; r < 500; r++) {
        const bin = b.bins[f * 500 + r] as number;
        expect(b.lo[(b.offsets[f] as number) + bin]).toBe(Math.fround(x.data[r * 3 + f] as number));
      }
    }
  });

  it('caps continuous features at maxBins with monotone, roughly balanced bins', () => {
    const x = randomMatrix(5000, 2, 2);
    const b = binFeatures(x, 255);
    for (let f = 0; f < 2; f++) {
      const o = b.offsets[f] as number;
      const nb = (b.offsets[f + 1] as number) - o;
      expect(nb).toBeLessThanOrEqual(255);
      expect(nb).toBeGreaterThan(200);
      const counts = new Array<number>(nb).fill(0);
      for (let r = 0; r < 5000; r++) {
        const v = Math.fround(x.data[r * 2 + f] as number);
        const bin = b.bins[f * 5000 + r] as number;
        counts[bin]!++;
        expect(v >= (b.lo[o + bin] as number) && v <= (b.hi[o + bin] as number)).toBe(true);
      }
      for (let i = 1; i < nb; i++) expect(b.lo[o + i]).toBeGreaterThan(b.hi[o + i - 1] as number);
      expect(Math.max(...counts)).toBeLessThan((3 * 5000) / nb);
    }
  });
});

/** Brute force: the best squared-error split over all features and all cut points between float32 values. */
function bruteBestGain(x: DenseMatrix, y: Float64Array, k: number, minLeaf: number): number {
  let best = -Infinity;
  for (let f = 0; f < x.cols; f++) {
    const vals = [
      ...new Set(Array.from({ length: x.rows }, (_, r) => Math.fround(x.data[r * x.cols + f] as number))),
    ].sort((a, b) => a - b);
    for (let c = 0; c + 1 < vals.length; c++) {
      const t = vals[c] as number;
      const sl = new Float64Array(k);
      const sr = new Float64Array(k);
      let nl = 0;
      let nr = 0;
      for (let r = 0; r < x.rows; r++) {
        const left = Math.fround(x.data[r * x.cols + f] as number) <= t;
        for (let q = 0; q < k; q++) (left ? sl : sr)[q]! += y[r * k + q] as number;
        if (left) nl++;
        else nr++;
      }
      if (nl < minLeaf || nr < minLeaf) continue;
      const g = sl.reduce((s, v) => s + v * v, 0) / nl + sr.reduce((s, v) => s + v * v, 0) / nr;
      best = Math.max(best, g);
    }
  }
  return best;
}

describe('TreeGrower', () => {
  it('chooses the same root split quality as an exhaustive search (single and multi-output)', () => {
    for (const [k, seed] of [
      [1, 3],
      [6, 4],
      [3, 5],
    ] as const) {
      for (const n of [12, 300]) {
        // n=12 takes the small-node path, n=300 the histogram path.
        const x = randomMatrix(n, 5, seed, 30);
        const rng = new Rng(seed + 100);
        const y = Float64Array.from({ length: n * k }, () => rng.nextFloat() * 69);
        const grown = new TreeGrower(binFeatures(x), k, false).grow(
          y,
          null,
          allRows(n),
          params({ maxDepth: 1 }),
          null,
        );
        const t = grown.tree;
        expect(t.nodeCount).toBe(3);
        const left = t.nodeWeight?.[1] as number;
        const right = t.nodeWeight?.[2] as number;
        let g = 0;
        for (let q = 0; q < k; q++) {
          g +=
            ((t.value[k + q] as number) * left) ** 2 / left +
            ((t.value[2 * k + q] as number) * right) ** 2 / right;
        }
        expect(g).toBeCloseTo(bruteBestGain(x, y, k, 1), 6);
      }
    }
  });

  it('learns a step exactly, with the threshold between the two float32 values', () => {
    const x = denseMatrix(6, 1, Float64Array.from([0.1, 0.2, 0.3, 0.7, 0.8, 0.9]));
    const y = Float64Array.from([1, 1, 1, 5, 5, 5]);
    const { tree } = new TreeGrower(binFeatures(x), 1, false).grow(y, null, allRows(6), params(), null);
    expect(tree.nodeCount).toBe(3);
    expect(tree.threshold[0]).toBeCloseTo((Math.fround(0.3) + Math.fround(0.7)) / 2, 12);
    expect(Array.from(tree.predict(x).data)).toEqual([1, 1, 1, 5, 5, 5]);
  });

  it('respects max depth, min samples per leaf and per split, and routes training rows like predict', () => {
    const n = 400;
    const x = randomMatrix(n, 8, 9);
    const rng = new Rng(10);
    const y = Float64Array.from({ length: n * 2 }, () => rng.nextFloat());
    const binned = binFeatures(x);
    const w = Float64Array.from({ length: n }, () => 1 + rng.nextInt(3));
    for (const [minLeaf, minSplit, depth] of [
      [1, 2, 4],
      [2, 5, 10],
      [7, 20, 30],
    ] as const) {
      const grown = new TreeGrower(binned, 2, true).grow(
        y,
        w,
        allRows(n),
        params({ minSamplesLeaf: minLeaf, minSamplesSplit: minSplit, maxDepth: depth }),
        null,
      );
      const t = grown.tree;
      expect(t.depth).toBeLessThanOrEqual(depth);
      // count distinct rows per leaf through predict's routing
      const leafRows = new Map<number, number>();
      const xf = Float32Array.from(x.data);
      for (let r = 0; r < n; r++) {
        const leaf = t.leafOf(xf, r * 8);
        expect(leaf).toBe(leafOfBinnedRow(grown, binned, r));
        leafRows.set(leaf, (leafRows.get(leaf) ?? 0) + 1);
      }
      for (const c of leafRows.values()) expect(c).toBeGreaterThanOrEqual(minLeaf);
      expect(leafRows.size).toBe(t.leafCount);
      // internal nodes had at least minSplit rows: their two children together hold >= minSplit
      for (let i = 0; i < t.nodeCount; i++) {
        if ((t.childrenLeft[i] as number) < 0) continue;
        const count = (node: number): number => {
          if ((t.childrenLeft[node] as number) < 0) return leafRows.get(node) ?? 0;
          return count(t.childrenLeft[node] as number) + count(t.childrenRight[node] as number);
        };
        expect(count(i)).toBeGreaterThanOrEqual(minSplit);
      }
      // leaf values are the weighted means of their rows
      const sums = new Map<number, [number, number]>();
      for (let r = 0; r < n; r++) {
        const leaf = leafOfBinnedRow(grown, binned, r);
        const s = sums.get(leaf) ?? [0, 0];
        s[0] += (w[r] as number) * (y[r * 2] as number);
        s[1] += w[r] as number;
        sums.set(leaf, s);
      }
      for (const [leaf, [s, ws]] of sums) expect(t.value[leaf * 2]).toBeCloseTo(s / ws, 10);
    }
  });

  it('makes a constant target a single leaf', () => {
    const x = randomMatrix(50, 3, 11);
    const y = new Float64Array(50).fill(7);
    const { tree } = new TreeGrower(binFeatures(x), 1, false).grow(y, null, allRows(50), params(), null);
    expect(tree.nodeCount).toBe(1);
    expect(tree.value[0]).toBe(7);
  });
});
