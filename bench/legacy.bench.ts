/**
 * Legacy reading benchmark (DESIGN §7: migrate 100,000 legacy predictions in ≤ 5 s). Measures the
 * reading half: parse a legacy-shaped `prediction_history.joblib` of 100,000 predictions (numpy
 * scalars, datetimes, tool-contribution dicts — written by the test pickle writer, seeded) and map
 * it to typed records. The store's insert is measured by the migrate service's own benchmark; this
 * part gets 3 s of the 5 s budget.
 *
 * Usage: tsx bench/legacy.bench.ts [--quick]
 */
import { gzipSync } from 'node:zlib';
import { readJoblibBytes } from '../src/legacy/joblib/index.js';
import { readPredictionHistory } from '../src/legacy/records/index.js';
import { Rng } from '../src/ml/rng.js';
import { PickleWriter, type WritableValue } from '../test/legacy/pickle-writer.js';

const quick = process.argv.includes('--quick');
const TOOLS = ['frequency', 'recency', 'trends', 'combo', 'sum', 'dow', 'ml'];

function history(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const w = new PickleWriter();
  const predictions: WritableValue[] = [];
  const base = Date.UTC(2020, 0, 1);
  for (let i = 0; i < n; i++) {
    const whites = Array.from(rng.sampleWithoutReplacement(69, 5), (x) => x + 1).sort((a, b) => a - b);
    const tools = TOOLS.filter(() => rng.nextFloat() < 0.4);
    predictions.push(
      new Map<string, WritableValue>([
        [
          'timestamp',
          i % 2 ? { datetime: new Date(base + i * 3_600_000) } : new Date(base + i * 3_600_000).toISOString(),
        ],
        ['white_numbers', whites.map((x) => ({ np: 'i8', v: x }))],
        ['powerball', { np: 'i8', v: rng.nextInt(26) + 1 }],
        ['probability', { np: 'f8', v: rng.nextFloat() * 1e-6 }],
        [
          'tool_contributions',
          new Map(tools.map((t) => [t, { np: 'f8', v: rng.nextFloat() } as WritableValue])),
        ],
        ['sources', tools],
        ['method', 'weighted_ensemble'],
      ]),
    );
  }
  w.value(
    new Map<string, WritableValue>([
      ['predictions', predictions],
      ['accuracy', []],
      ['feedback', []],
    ]),
  );
  return w.finish();
}

const n = 100_000;
const raw = history(n, 20240115);
const files: [string, Uint8Array][] = [
  ['uncompressed', raw],
  ['gzip', gzipSync(raw, { level: 3 })],
];
for (const [label, bytes] of files) {
  const times: number[] = [];
  const runs = quick ? 2 : 5;
  let count = 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const h = readPredictionHistory(readJoblibBytes(bytes).value);
    times.push(performance.now() - t);
    count = h.predictions.length;
  }
  if (count !== n) throw new Error(`read ${count} predictions, expected ${n}`);
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] as number;
  console.log(
    `BENCH ${JSON.stringify({
      work: `legacy read: ${n.toLocaleString('en-US')} predictions from joblib (${label}, ${(bytes.length / 1e6).toFixed(1)} MB) to records`,
      median_ms: Math.round(median),
      p99_ms: Math.round(times[times.length - 1] as number),
      budget_ms: 3000,
      n: runs,
    })}`,
  );
}
