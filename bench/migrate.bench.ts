/**
 * Legacy migration benchmark (DESIGN §7: migrate 100,000 legacy predictions in ≤ 5 s).
 *
 * Writes a legacy app folder whose `data/prediction_history.joblib` holds 100,000 predictions shaped
 * as the old app wrote them (generations of five tickets sharing a timestamp, numpy scalars, naive
 * datetimes and ISO strings, tool-contribution dicts; written by the test pickle writer, seeded, no
 * Python needed), then times `pbi migrate` end to end through the service on a fresh database:
 * backup, parse, validation, 20,000 sets and 100,000 predictions stored, the ledger, the report.
 * Also prints the time of a second run over the same folder (reads everything, adds nothing).
 *
 * Usage: tsx bench/migrate.bench.ts [--quick]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Rng } from '../src/ml/rng.js';
import type { AppConfig } from '../src/services/context.js';
import { MLPredictionService } from '../src/services/ml-prediction-service.js';
import { PickleWriter, type WritableValue } from '../test/legacy/pickle-writer.js';

const quick = process.argv.includes('--quick');
const TOOLS = ['frequency', 'recency', 'trends', 'combo', 'sum', 'dow', 'ml'];
const N = 100_000;
const PER_SET = 5;

function history(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  const w = new PickleWriter();
  const predictions: WritableValue[] = [];
  const base = Date.UTC(2020, 0, 1, 9);
  for (let i = 0; i < n; i++) {
    // One generation of five tickets every 20 minutes, each ticket a second after the previous one.
    const t = base + Math.floor(i / PER_SET) * 1_200_000 + (i % PER_SET) * 1000;
    const whites = Array.from(rng.sampleWithoutReplacement(69, 5), (x) => x + 1).sort((a, b) => a - b);
    const tools = TOOLS.filter(() => rng.nextFloat() < 0.4);
    predictions.push(
      new Map<string, WritableValue>([
        ['timestamp', i % 2 ? { datetime: new Date(t) } : new Date(t).toISOString()],
        ['white_numbers', whites.map((x) => ({ np: 'i8', v: x }))],
        ['powerball', { np: 'i8', v: rng.nextInt(26) + 1 }],
        ['probability', { np: 'f8', v: rng.nextFloat() * 1e-6 }],
        [
          'tool_contributions',
          new Map(tools.map((tool) => [tool, { np: 'f8', v: rng.nextFloat() } as WritableValue])),
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

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-migrate-'));
try {
  const app = path.join(root, 'legacy');
  fs.mkdirSync(path.join(app, 'data'), { recursive: true });
  const bytes = history(N, 20240115);
  fs.writeFileSync(path.join(app, 'data', 'prediction_history.joblib'), bytes);

  const runs = quick ? 1 : 3;
  const times: number[] = [];
  const cpu: number[] = [];
  const again: number[] = [];
  for (let r = 0; r < runs; r++) {
    const dir = fs.mkdtempSync(path.join(root, 'db-'));
    const config: AppConfig = Object.freeze({
      dbPath: path.join(dir, 'insights.db'),
      bundledDataDir: path.join(dir, 'none'),
      backupDir: path.join(dir, 'backups'),
      backupKeep: 1,
      updateUrl: 'http://127.0.0.1:9/',
      httpTimeoutMs: 1000,
    });
    const service = MLPredictionService.open(config);
    try {
      let t = performance.now();
      const c0 = process.cpuUsage();
      const report = await service.migration.migrate(app);
      times.push(performance.now() - t);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
      if (report.totals.migrated !== N || service.context.store.predictions.counts().predictions !== N)
        throw new Error(`migrated ${report.totals.migrated} predictions, expected ${N}: ${report.summary}`);
      t = performance.now();
      const second = await service.migration.migrate(app);
      again.push(performance.now() - t);
      if (!second.nothingNew) throw new Error(`second run added records: ${second.summary}`);
    } finally {
      service.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { median: s[Math.floor(s.length / 2)] as number, max: s[s.length - 1] as number };
  };
  const m = stats(times);
  const a = stats(again);
  console.log(
    `BENCH ${JSON.stringify({
      work: `migrate ${N.toLocaleString('en-US')} legacy predictions (joblib ${(bytes.length / 1e6).toFixed(1)} MB, ${N / PER_SET} sets) into a fresh database`,
      median_ms: Math.round(m.median),
      p99_ms: Math.round(m.max),
      budget_ms: 5000,
      n: runs,
      // CPU time of the process (all threads) during the migration: on a busy machine the wall time
      // above includes waiting for a core.
      cpu_ms: Math.round(stats(cpu).median),
    })}`,
  );
  console.log(
    `BENCH ${JSON.stringify({
      work: `migrate the same ${N.toLocaleString('en-US')} predictions again (nothing new)`,
      median_ms: Math.round(a.median),
      p99_ms: Math.round(a.max),
      n: runs,
    })}`,
  );
} finally {
  if (!process.env.KEEP) fs.rmSync(root, { recursive: true, force: true });
}
