/**
 * Prediction benchmarks (issue 5, DESIGN §7):
 * - generate and store a weighted set of five tickets with all seven strategies (ml over the active
 *   trained models), warm: the strategies' per-history work is cached between calls (budget ≤ 5 ms);
 * - the same, cold: the first call after the draws changed (no budget; shown for honesty);
 * - a walk-forward backtest of every strategy over the whole current era (budget ≤ 30 s).
 *
 * Usage: tsx bench/predict.bench.ts [--quick]   (--quick: ridge only, fewer samples, backtest once)
 * Prints one `BENCH {json}` line per measurement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppConfig } from '../src/services/context.js';
import { MLPredictionService } from '../src/services/ml-prediction-service.js';

const quick = process.argv.includes('--quick');
const SAMPLES = quick ? 100 : 500;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-predict-'));
const config: AppConfig = Object.freeze({
  dbPath: path.join(tmp, 'bench.db'),
  bundledDataDir: path.resolve(path.dirname(new URL(import.meta.url).pathname), '../data/powerball'),
  backupDir: path.join(tmp, 'backups'),
  backupKeep: 1,
  updateUrl: 'http://127.0.0.1:9/',
  httpTimeoutMs: 1000,
});

function stats(times: number[]): { median_ms: number; p99_ms: number } {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { median_ms: +at(0.5).toFixed(3), p99_ms: +at(0.99).toFixed(3) };
}

const emit = (o: Record<string, unknown>) => console.log(`BENCH ${JSON.stringify(o)}`);

try {
  const service = MLPredictionService.open(config);
  service.draws.init();
  const trained = service.training.train({ model: quick ? 'ridge' : 'all', seed: 42 });
  const models = service.predictor.catalog.mlAvailability();
  if (!models.available) throw new Error(`no active model after training: ${models.notes.join('; ')}`);
  console.error(
    `trained ${trained.models.map((m) => m.name).join(', ')}; ml uses ${models.models.map((m) => `${m.name}@${m.version}`).join(', ')}`,
  );

  // Cold: the first weighted set after the history changed (new revision → every cache recomputed).
  const t0 = performance.now();
  const first = service.predictor.generate({ seed: 0 });
  const cold = performance.now() - t0;
  if (Object.keys(first.weights).length !== 7)
    throw new Error(`expected 7 strategies, got ${Object.keys(first.weights)}`);
  emit({
    work: 'predict: weighted set of 5, all 7 strategies, first call (cold caches)',
    median_ms: +cold.toFixed(3),
    n: 1,
  });

  const times: number[] = [];
  for (let i = 1; i <= SAMPLES; i++) {
    const t = performance.now();
    service.predictor.generate({ seed: i });
    times.push(performance.now() - t);
  }
  emit({
    work: 'predict: generate and store a weighted set of 5, all 7 strategies (cached per-history work)',
    ...stats(times),
    budget_ms: 5,
    peer_ms: 60,
    peer: 'legacy Python figure 50-100 ms + 10-50 ms (DESIGN §7)',
    n: SAMPLES,
  });

  const runs = quick ? 1 : 2;
  const bt: number[] = [];
  let drawsTested = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = service.backtest.run({ strategy: 'all', seed: 42 });
    bt.push(performance.now() - t);
    drawsTested = Math.max(...r.results.map((x) => x.draws));
  }
  emit({
    work: `backtest: all strategies, walk-forward over the current era (${drawsTested} draws)`,
    ...stats(bt),
    budget_ms: 30_000,
    n: runs,
  });
  service.close();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
