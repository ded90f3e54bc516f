/**
 * Experiment (issue 4, the 3 s training budget): how much faster are the tree learner's hottest
 * loops as WebAssembly than as the TypeScript V8 runs today? Same loops, same real binned matrix
 * (1,290 × 434, 17,364 bins), a node of 300 random rows: histogram build (addRows) and split scan,
 * for one output (boosting) and six (forest). Prints the time of each and the ratio.
 *
 * Not part of `npm run bench` and not product code: it needs clang and lld to build the module,
 *   clang --target=wasm32 -O3 -msimd128 -nostdlib -Wl,--no-entry -Wl,--export-all \
 *     -Wl,--import-memory -o bench/experiments/wasm-kernels.wasm bench/experiments/wasm-kernels.c
 * then: npx tsx bench/experiments/wasm-kernels.ts
 * Measured 2026-11-26 (2 cores, quiet), against the loops as tree/grow.ts had them (now histogram-kernels.ts and split-search.ts): histogram build 2.7×
 * (one output) and 2.4× (six), split scan 1.5× and 1.1×. Rewriting the build loop in other
 * TypeScript shapes (split count/sum arrays, Int32 counts, per-feature subarrays, gathering the
 * bins first) gained nothing: 1.06–1.29 ms against 1.12 ms.
 */
import fs from 'node:fs';
import { binFeatures } from '../../src/ml/tree/binning.js';
import { Rng } from '../../src/ml/rng.js';
import { MATRIX_CSV, readMatrixCsv } from '../../test/ml/sklearn-fixture.js';

interface Kernels {
  add_rows_k1(
    h: number,
    bins: number,
    off: number,
    idx: number,
    wy: number,
    n: number,
    p: number,
    rows: number,
    sign: number,
  ): void;
  scan_k1(
    h: number,
    off: number,
    p: number,
    n: number,
    w: number,
    t0: number,
    minLeaf: number,
    out: number,
  ): number;
  add_rows_k6(
    h: number,
    bins: number,
    off: number,
    idx: number,
    ww: number,
    wy: number,
    n: number,
    p: number,
    rows: number,
    sign: number,
  ): void;
  scan_k6(
    h: number,
    off: number,
    p: number,
    n: number,
    w: number,
    t: number,
    minLeaf: number,
    out: number,
  ): number;
}

const wasmFile = new URL('./wasm-kernels.wasm', import.meta.url);
if (!fs.existsSync(wasmFile)) {
  process.stderr.write('build bench/experiments/wasm-kernels.wasm first (see the header of this file)\n');
  process.exit(1);
}
const { x } = readMatrixCsv(MATRIX_CSV);
const binned = binFeatures(x);
const { rows: N, cols: p, bins, offsets: off } = binned;
const T = off[p] as number;
const memory = new WebAssembly.Memory({ initial: 2000 });
const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmFile), { env: { memory } });
const k = instance.exports as unknown as Kernels;

// A bump allocator over the module's memory (its own data lives below 1 MiB).
let top = 1 << 20;
const alloc = (bytes: number): number => {
  const at = top;
  top += (bytes + 63) & ~63;
  return at;
};
const buf = memory.buffer;
const binsAt = alloc(N * p);
new Uint8Array(buf, binsAt, N * p).set(bins);
const offAt = alloc(4 * (p + 1));
new Int32Array(buf, offAt, p + 1).set(off);
const n = 300;
const rng = new Rng(7);
const idx = rng.sampleWithoutReplacement(N, n).sort();
const idxAt = alloc(4 * n);
new Int32Array(buf, idxAt, n).set(idx);
const wy = Float64Array.from({ length: n * 6 }, () => rng.nextFloat() * 20 - 10);
const wyAt = alloc(8 * n * 6);
new Float64Array(buf, wyAt, n * 6).set(wy);
const ww = new Float64Array(n).fill(1);
const wwAt = alloc(8 * n);
new Float64Array(buf, wwAt, n).set(ww);
const h1 = new Float64Array(T * 2);
const h1At = alloc(8 * T * 2);
const h6 = new Float64Array(T * 8);
const h6At = alloc(8 * T * 8);
const outAt = alloc(8);
const totals = [1, 2, 3, 4, 5, 6];
const tAt = alloc(48);
new Float64Array(buf, tAt, 6).set(totals);

function jsAdd1(h: Float64Array, sign: number): void {
  for (let f = 0; f < p; f++) {
    const col = f * N;
    const o = off[f] as number;
    for (let i = 0; i < n; i++) {
      const j = (o + (bins[col + (idx[i] as number)] as number)) << 1;
      h[j] = (h[j] as number) + sign;
      h[j + 1] = (h[j + 1] as number) + (wy[i] as number);
    }
  }
}

function jsScan1(h: Float64Array, w: number, t0: number, minLeaf: number): number {
  let best = -Infinity;
  for (let f = 0; f < p; f++) {
    const b0 = off[f] as number;
    const end = off[f + 1] as number;
    if (end - b0 < 2) continue;
    let cn = 0;
    let s0 = 0;
    let prev = -1;
    for (let b = b0; b < end; b++) {
      const c = h[2 * b] as number;
      if (c === 0) continue;
      if (prev >= 0 && cn >= minLeaf) {
        if (n - cn < minLeaf) break;
        const r0 = t0 - s0;
        const gain = (s0 * s0) / cn + (r0 * r0) / (w - cn);
        if (gain > best) best = gain;
      }
      cn += c;
      s0 += h[2 * b + 1] as number;
      prev = b;
    }
  }
  return best;
}

// The six-output loops unrolled, as tree/histogram-kernels.ts and tree/split-search.ts have them.
function jsAdd6(h: Float64Array, sign: number): void {
  for (let f = 0; f < p; f++) {
    const col = f * N;
    const o = off[f] as number;
    for (let i = 0; i < n; i++) {
      const j = (o + (bins[col + (idx[i] as number)] as number)) * 8;
      const y = i * 6;
      h[j] = (h[j] as number) + sign;
      h[j + 1] = (h[j + 1] as number) + (ww[i] as number);
      h[j + 2] = (h[j + 2] as number) + (wy[y] as number);
      h[j + 3] = (h[j + 3] as number) + (wy[y + 1] as number);
      h[j + 4] = (h[j + 4] as number) + (wy[y + 2] as number);
      h[j + 5] = (h[j + 5] as number) + (wy[y + 3] as number);
      h[j + 6] = (h[j + 6] as number) + (wy[y + 4] as number);
      h[j + 7] = (h[j + 7] as number) + (wy[y + 5] as number);
    }
  }
}

function jsScan6(h: Float64Array, w: number, minLeaf: number): number {
  let best = -Infinity;
  const [t0, t1, t2, t3, t4, t5] = totals as [number, number, number, number, number, number];
  for (let f = 0; f < p; f++) {
    const b0 = off[f] as number;
    const end = off[f + 1] as number;
    if (end - b0 < 2) continue;
    let cn = 0;
    let cw = 0;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let prev = -1;
    for (let b = b0; b < end; b++) {
      const j = 8 * b;
      const c = h[j] as number;
      if (c === 0) continue;
      if (prev >= 0 && cn >= minLeaf) {
        if (n - cn < minLeaf) break;
        const r0 = t0 - s0;
        const r1 = t1 - s1;
        const r2 = t2 - s2;
        const r3 = t3 - s3;
        const r4 = t4 - s4;
        const r5 = t5 - s5;
        const gain =
          (s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3 + s4 * s4 + s5 * s5) / cw +
          (r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3 + r4 * r4 + r5 * r5) / (w - cw);
        if (gain > best) best = gain;
      }
      cn += c;
      cw += h[j + 1] as number;
      s0 += h[j + 2] as number;
      s1 += h[j + 3] as number;
      s2 += h[j + 4] as number;
      s3 += h[j + 5] as number;
      s4 += h[j + 6] as number;
      s5 += h[j + 7] as number;
      prev = b;
    }
  }
  return best;
}

function time(fn: () => void, reps = 400): number {
  for (let i = 0; i < 20; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / reps;
}

const rows: [string, number, number][] = [];
rows.push([
  'build, one output (300 rows added and removed)',
  time(() => {
    jsAdd1(h1, 1);
    jsAdd1(h1, -1);
  }),
  time(() => {
    k.add_rows_k1(h1At, binsAt, offAt, idxAt, wyAt, n, p, N, 1);
    k.add_rows_k1(h1At, binsAt, offAt, idxAt, wyAt, n, p, N, -1);
  }),
]);
jsAdd1(h1, 1);
new Float64Array(buf, h1At, T * 2).set(h1);
rows.push([
  'scan, one output',
  time(() => jsScan1(h1, n, 5, 2)),
  time(() => k.scan_k1(h1At, offAt, p, n, n, 5, 2, outAt)),
]);
rows.push([
  'build, six outputs (300 rows added and removed)',
  time(() => {
    jsAdd6(h6, 1);
    jsAdd6(h6, -1);
  }),
  time(() => {
    k.add_rows_k6(h6At, binsAt, offAt, idxAt, wwAt, wyAt, n, p, N, 1);
    k.add_rows_k6(h6At, binsAt, offAt, idxAt, wwAt, wyAt, n, p, N, -1);
  }),
]);
jsAdd6(h6, 1);
new Float64Array(buf, h6At, T * 8).set(h6);
rows.push([
  'scan, six outputs',
  time(() => jsScan6(h6, n, 2)),
  time(() => k.scan_k6(h6At, offAt, p, n, n, tAt, 2, outAt)),
]);
for (const [work, js, wasm] of rows)
  console.log(
    `${work.padEnd(48)} TypeScript ${js.toFixed(3)} ms  WebAssembly ${wasm.toFixed(3)} ms  ${(js / wasm).toFixed(2)}x`,
  );
