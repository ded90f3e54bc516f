/**
 * Tuning benchmark (issue 8): a random search of 20 gradient-boosting trials (the default space,
 * 5-fold walk-forward CV each) over the real history, every trial a tracked run. Budget ≤ 60 s.
 * Also measures the same search with trials in one thread (each fit then uses its own threads), to
 * show what trial-level worker threads buy. `cpu_ms` is the CPU time of all threads: on a shared,
 * busy machine wall time says little, and cpu_ms / threads is what an idle machine would take.
 *
 * Usage: tsx bench/tune.bench.ts [--quick]   (--quick: 6 trials, and no one-thread comparison)
 * Prints one `BENCH {json}` line per measurement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../src/services/context.js';
import { MLPredictionService } from '../src/services/ml-prediction-service.js';
import { openStore } from '../src/store/store.js';

const quick = process.argv.includes('--quick');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-tune-'));

function open(name: string): MLPredictionService {
  const dbPath = path.join(tmp, `${name}.db`);
  const config: AppConfig = Object.freeze({
    dbPath,
    bundledDataDir: path.join(root, 'data', 'powerball'),
    backupDir: path.join(tmp, 'backups'),
    backupKeep: 1,
    updateUrl: 'http://127.0.0.1:9/',
    httpTimeoutMs: 1000,
  });
  const svc = new MLPredictionService({ config, store: openStore(dbPath), clock: { now: () => new Date() } });
  svc.draws.init();
  return svc;
}

const trials = quick ? 6 : 20;
try {
  const runs: { threads: number; ms: number; best: number | null; failed: number }[] = [];
  for (const workers of quick ? [2] : [2, 1]) {
    const svc = open(`w${workers}`);
    try {
      svc.features.matrix(); // features are not what this measures
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await svc.experiments.tune({
        model: 'gradient_boosting',
        search: 'random',
        trials,
        seed: 42,
        workers,
      });
      const ms = performance.now() - t0;
      // CPU time of every thread of the process: what the search costs whatever else the machine runs.
      const cpu = process.cpuUsage(c0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (r.trials.length !== trials) throw new Error(`expected ${trials} trials, got ${r.trials.length}`);
      runs.push({ threads: r.threads, ms, best: r.best?.mae ?? null, failed: r.failed });
      console.log(
        `BENCH ${JSON.stringify({
          work: `tune gradient_boosting: ${trials} random trials x 5-fold CV, ${r.rows} rows, ${r.threads} thread(s)`,
          median_ms: Math.round(ms),
          cpu_ms: Math.round(cpuMs),
          ...(workers === 2 ? { budget_ms: quick ? undefined : 60_000 } : {}),
          n: 1,
        })}`,
      );
      console.error(
        `  best mae ${r.best?.mae?.toFixed(4)} (baseline ${r.best?.baselineMae?.toFixed(4)}), failed ${r.failed}, ` +
          `slowest trial ${(Math.max(...r.trials.map((t) => t.durationMs)) / 1000).toFixed(1)} s`,
      );
    } finally {
      svc.close();
    }
  }
  const [two, one] = runs;
  if (two && one) console.error(`  worker threads: ${(one.ms / two.ms).toFixed(2)}x faster than one thread`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
