/**
 * `pbi ask` without a language model (DESIGN §7: ≤ 20 ms once the draws are loaded): parsing a
 * question and answering it by the analysis code, on the real history in a real database. Every
 * example question of the Ask page plus questions over the whole history (seven eras), timed one
 * by one after a warm-up; the median over all of them is the budgeted row, the slowest form its own.
 *
 * Usage: tsx bench/ask.bench.ts [--quick]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnalysisService } from '../src/services/analysis-service.js';
import { AskService } from '../src/services/ask-service.js';
import { exampleQuestions } from '../src/services/ask/ask-examples.js';
import type { AppConfig, ServiceContext } from '../src/services/context.js';
import { DrawService } from '../src/services/draw-service.js';
import { openStore } from '../src/store/store.js';

const quick = process.argv.includes('--quick');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-ask-'));

const QUESTIONS = [
  ...exampleQuestions(),
  'When was 40 last drawn as the Powerball?',
  'How often has 23 been drawn at all in the whole history?',
  'What is the range of the sum ever?',
  'How many draws had all even numbers ever?',
  'Which pairs come up most often?',
];

function stats(times: number[]): { median_ms: number; p99_ms: number; n: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { median_ms: round(at(0.5)), p99_ms: round(at(0.99)), n: sorted.length };
}

try {
  const dbPath = path.join(tmp, 'ask.db');
  const config: AppConfig = Object.freeze({
    dbPath,
    bundledDataDir: path.join(root, 'data', 'powerball'),
    backupDir: path.join(tmp, 'backups'),
    backupKeep: 1,
    updateUrl: 'http://127.0.0.1:9/',
    httpTimeoutMs: 1000,
  });
  const ctx: ServiceContext = {
    config,
    store: openStore(dbPath),
    clock: { now: () => new Date('2026-08-06T12:00:00Z') },
  };
  new DrawService(ctx).importFile(path.join(root, 'data', 'powerball', 'draws.csv'));
  const analysis = new AnalysisService(ctx);
  const ask = new AskService(ctx, analysis);
  analysis.history(); // "after the draws are loaded"
  const rounds = quick ? 5 : 40;
  for (let r = 0; r < 3; r++) for (const q of QUESTIONS) ask.answer(q);
  const all: number[] = [];
  const byQuestion = new Map<string, number[]>();
  for (let r = 0; r < rounds; r++)
    for (const q of QUESTIONS) {
      const t0 = performance.now();
      ask.answer(q);
      const ms = performance.now() - t0;
      all.push(ms);
      byQuestion.set(q, [...(byQuestion.get(q) ?? []), ms]);
    }
  console.log(
    `BENCH ${JSON.stringify({ work: `answer a question in pbi ask (no language model), draws loaded (${QUESTIONS.length} questions)`, ...stats(all), budget_ms: 20 })}`,
  );
  const [slowest, times] = [...byQuestion].sort(
    (a, b) => stats(b[1]).median_ms - stats(a[1]).median_ms,
  )[0] as [string, number[]];
  console.log(
    `BENCH ${JSON.stringify({ work: `pbi ask, slowest question: "${slowest}"`, ...stats(times), budget_ms: 20 })}`,
  );
  ctx.store.close();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
