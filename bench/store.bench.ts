/**
 * Store benchmarks (issue 3, DESIGN §7): storing a set of five tickets, and with 10k / 100k / 1M
 * predictions stored, fetching one set and a filtered query (source + created-at range, 100 rows).
 *
 * Usage: tsx bench/store.bench.ts [--quick]   (--quick: 10k and 100k only, fewer samples)
 * Prints one `BENCH {json}` line per measurement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { IsoDate } from '../src/domain/dates.js';
import { nextDrawDate } from '../src/domain/calendar.js';
import type { StorePredictionsRequest } from '../src/store/prediction-types.js';
import { openStore, type Store } from '../src/store/store.js';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
const SAMPLES = quick ? 300 : 2000;
const SOURCES = [
  'frequency',
  'recency',
  'trends',
  'combo',
  'sum',
  'dow',
  'ml',
  'weighted',
  'ridge',
  'random_forest',
];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-store-'));

// A small LCG: the data and the query mix are the same on every run.
let state = 2463534242;
const rand = (): number => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 2 ** 32;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

const START = Date.parse('2020-01-01T00:00:00Z');
const SPAN_MS = 6 * 365 * 86_400_000;

function ticket(): {
  whites: number[];
  powerball: number;
  probability: number;
  contributions: Record<string, number>;
} {
  const whites = new Set<number>();
  while (whites.size < 5) whites.add(1 + Math.floor(rand() * 69));
  return {
    whites: [...whites],
    powerball: 1 + Math.floor(rand() * 26),
    probability: rand() * 1e-8,
    contributions: { frequency: 0.2, recency: 0.15, ml: 0.1 },
  };
}

function request(createdMs: number, source = pick(SOURCES), count = 5): StorePredictionsRequest {
  const createdAt = new Date(createdMs).toISOString();
  return {
    source,
    targetDrawDate: nextDrawDate(createdAt.slice(0, 10) as IsoDate),
    createdAt,
    seed: Math.floor(rand() * 1e9),
    weights: { frequency: 0.2, recency: 0.15, trends: 0.15, combo: 0.15, sum: 0.15, dow: 0.1, ml: 0.1 },
    tickets: Array.from({ length: count }, ticket),
  };
}

function stats(times: number[]): { median_ms: number; p99_ms: number; n: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { median_ms: round(at(0.5)), p99_ms: round(at(0.99)), n: sorted.length };
}
const round = (x: number) => Math.round(x * 1000) / 1000;

function report(work: string, times: number[], budget: { median?: number; p99?: number }, extra = {}): void {
  const s = stats(times);
  const budget_ms = budget.p99 ?? budget.median;
  console.log(
    `BENCH ${JSON.stringify({ work, ...s, ...(budget_ms === undefined ? {} : { budget_ms }), ...extra })}`,
  );
}

/** Adds sets of five until the store holds `target` predictions; created-at spread over six years. */
function fill(store: Store, target: number, setIds: string[]): void {
  const have = store.predictions.counts().predictions;
  const sets = Math.ceil((target - have) / 5);
  const batch = 5000;
  for (let done = 0; done < sets; done += batch) {
    store.transaction(() => {
      for (let i = done; i < Math.min(sets, done + batch); i++) {
        const r = store.predictions.storePredictions(request(START + rand() * SPAN_MS, pick(SOURCES), 5));
        if (setIds.length < 100_000 || rand() < 0.1) setIds.push(r.setId);
      }
    });
  }
}

try {
  const file = path.join(tmp, 'store.db');
  const store = openStore(file);
  const setIds: string[] = [];
  for (const size of SIZES) {
    const t0 = performance.now();
    fill(store, size, setIds);
    const fillMs = performance.now() - t0;
    const rows = store.predictions.counts().predictions;
    console.error(`store holds ${rows} predictions (filled in ${(fillMs / 1000).toFixed(1)} s)`);

    // Store one set of five, each in its own transaction (commit included), as `pbi predict` does.
    const storeTimes: number[] = [];
    for (let i = 0; i < Math.min(SAMPLES, 500); i++) {
      const req = request(START + SPAN_MS + i * 1000, pick(SOURCES), 5);
      const s0 = performance.now();
      const r = store.predictions.storePredictions(req);
      storeTimes.push(performance.now() - s0);
      setIds.push(r.setId);
    }
    report(`store a set of 5 (${rows} predictions stored)`, storeTimes, { median: 2 }, { rows });

    // Fetch one set by id (random sets, so the page cache is not one hot set).
    const fetchTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const id = pick(setIds);
      const s0 = performance.now();
      const set = store.predictions.getSet(id);
      fetchTimes.push(performance.now() - s0);
      if (set.tickets.length !== 5) throw new Error(`set ${id} has ${set.tickets.length} tickets`);
    }
    report(`fetch one set (${rows} predictions stored)`, fetchTimes, { p99: 2 }, { rows });

    // Source + created-at range (a random 30-day window), 100 rows.
    const queryTimes: number[] = [];
    let returned = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const from = START + rand() * (SPAN_MS - 30 * 86_400_000);
      const q = {
        source: pick(SOURCES),
        createdFrom: new Date(from).toISOString(),
        createdTo: new Date(from + 30 * 86_400_000).toISOString(),
        limit: 100,
      };
      const s0 = performance.now();
      const page = store.predictions.findPredictions(q);
      queryTimes.push(performance.now() - s0);
      returned += page.items.length;
    }
    report(
      `filtered query: source + created-at range, 100 rows (${rows} predictions stored)`,
      queryTimes,
      { p99: 2 },
      {
        rows,
        mean_rows_returned: Math.round(returned / SAMPLES),
      },
    );
  }
  store.close();
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
