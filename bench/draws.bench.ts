/**
 * Draw history benchmarks: importing the full bundled history (3,838 draws) into a fresh database,
 * re-importing the NY export (every row unchanged), and analysing the full history.
 *
 * Usage: tsx bench/draws.bench.ts [--quick]
 * Prints one `BENCH {json}` line per measurement (medians over fresh runs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnalysisService, analyzeDraws } from '../src/services/analysis-service.js';
import type { AppConfig, ServiceContext } from '../src/services/context.js';
import { DrawService } from '../src/services/draw-service.js';
import { openStore } from '../src/store/store.js';

const quick = process.argv.includes('--quick');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'data', 'powerball');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-draws-'));
const fixedNow = new Date('2026-08-06T12:00:00Z');

function context(dbPath: string): ServiceContext {
  const config: AppConfig = Object.freeze({
    dbPath,
    bundledDataDir: dataDir,
    backupDir: path.join(tmp, 'backups'),
    backupKeep: 1,
    updateUrl: 'http://127.0.0.1:9/',
    httpTimeoutMs: 1000,
  });
  return { config, store: openStore(dbPath), clock: { now: () => fixedNow } };
}

function stats(times: number[]): { median_ms: number; p99_ms: number; n: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { median_ms: round(at(0.5)), p99_ms: round(at(0.99)), n: sorted.length };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function report(work: string, times: number[]): void {
  console.log(`BENCH ${JSON.stringify({ work, ...stats(times) })}`);
}

try {
  // 1. Full history into a fresh database (open + migrations excluded: that is `init`'s fixed cost).
  const importRuns = quick ? 3 : 15;
  const importTimes: number[] = [];
  let lastDb = '';
  // The shipped history grows with every refresh: expect every draw of the file.
  const drawRows = fs.readFileSync(path.join(dataDir, 'draws.csv'), 'utf8').trim().split('\n').length - 1;
  for (let i = 0; i < importRuns + 1; i++) {
    const dbPath = path.join(tmp, `import-${i}.db`);
    const ctx = context(dbPath);
    const t0 = performance.now();
    const r = new DrawService(ctx).importFile(path.join(dataDir, 'draws.csv'));
    const ms = performance.now() - t0;
    if (r.inserted !== drawRows) throw new Error(`expected ${drawRows} draws inserted, got ${r.inserted}`);
    ctx.store.close();
    if (i > 0) importTimes.push(ms); // the first run warms up the JIT
    if (i < importRuns) fs.rmSync(dbPath, { force: true });
    lastDb = dbPath;
  }
  report(`import full history (${drawRows.toLocaleString('en-US')} draws) into a fresh db`, importTimes);

  const ctx = context(lastDb);
  // 2. Re-import of the NY export: 1,991 rows, all unchanged (read + compare, no writes).
  const nyTimes: number[] = [];
  for (let i = 0; i < (quick ? 3 : 15) + 1; i++) {
    const t0 = performance.now();
    const r = new DrawService(ctx).importFile(path.join(dataDir, 'draws-ny-format.csv'));
    const ms = performance.now() - t0;
    if (r.unchanged !== 1991) throw new Error(`expected 1991 unchanged, got ${r.unchanged}`);
    if (i > 0) nyTimes.push(ms);
  }
  report('re-import NY export (1,991 rows unchanged)', nyTimes);

  // 3. Analyze over the full history: every era separately, including reading the draws.
  const analysis = new AnalysisService(ctx);
  const analyzeRuns = quick ? 20 : 200;
  for (const [work, options] of [
    [
      'analyze full history, --era all (7 eras, incl. db read)',
      { era: 'all' as const, withPowerball: true, sum: 175 },
    ],
    ['analyze current era (incl. db read)', { era: 'current' as const, sum: 175 }],
  ] as const) {
    for (let i = 0; i < 5; i++) analysis.analyze(options);
    const times: number[] = [];
    for (let i = 0; i < analyzeRuns; i++) {
      const t0 = performance.now();
      analysis.analyze(options);
      times.push(performance.now() - t0);
    }
    report(work, times);
  }
  const draws = ctx.store.draws.list();
  const computeTimes: number[] = [];
  for (let i = 0; i < 5; i++) analyzeDraws(draws, { era: 'all' });
  for (let i = 0; i < analyzeRuns; i++) {
    const t0 = performance.now();
    analyzeDraws(draws, { era: 'all', withPowerball: true, sum: 175 });
    computeTimes.push(performance.now() - t0);
  }
  report('analyze full history, computation only', computeTimes);
  ctx.store.close();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
