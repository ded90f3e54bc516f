/**
 * HTTP load benchmark (issue 7): with 1,000,000 predictions stored, `GET /api/predictions` with
 * filters (source + created-at window, a page of 20 sets = 100 tickets) against a real `pbi serve`
 * process, at a steady 500 requests/s from an open-loop client (budget: p99 ≤ 20 ms; see `paced`),
 * then flat out with autocannon for the ceiling; the serve process's resident memory is sampled throughout (budget ≤ 150 MB RSS).
 * With Chromium installed, also the dashboard's first load (budget ≤ 1 s on localhost).
 *
 * Usage: tsx bench/http.bench.ts [--quick] [--src] [--db=FILE]   (--quick: 100,000 predictions, shorter runs)
 * Uses the built server (dist/) when present, else (or with --src) runs the sources through tsx.
 * Prints one `BENCH {json}` line per measurement.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { nextDrawDate } from '../src/domain/calendar.js';
import type { IsoDate } from '../src/domain/dates.js';
import type { StorePredictionsRequest } from '../src/store/prediction-types.js';
import { openStore } from '../src/store/store.js';

const quick = process.argv.includes('--quick');
const ROWS = quick ? 100_000 : 1_000_000;
const DURATION_S = quick ? 5 : 15;
const RATE = 500;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
const START = Date.parse('2020-01-01T00:00:00Z');
const SPAN_MS = 6 * 365 * 86_400_000;
const DAY = 86_400_000;

// A small LCG: the same data and query mix on every run.
let state = 2463534242;
const rand = (): number => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 2 ** 32;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;

function request(createdMs: number): StorePredictionsRequest {
  const createdAt = new Date(createdMs).toISOString();
  return {
    source: pick(SOURCES),
    targetDrawDate: nextDrawDate(createdAt.slice(0, 10) as IsoDate),
    createdAt,
    seed: Math.floor(rand() * 1e9),
    weights: { frequency: 0.2, recency: 0.15, trends: 0.15, combo: 0.15, sum: 0.15, dow: 0.1, ml: 0.1 },
    tickets: Array.from({ length: 5 }, () => {
      const whites = new Set<number>();
      while (whites.size < 5) whites.add(1 + Math.floor(rand() * 69));
      return {
        whites: [...whites],
        powerball: 1 + Math.floor(rand() * 26),
        probability: rand() * 1e-8,
        contributions: { frequency: 0.2, recency: 0.15, ml: 0.1 },
      };
    }),
  };
}

function fill(file: string): void {
  const store = openStore(file);
  try {
    const sets = ROWS / 5;
    for (let done = 0; done < sets; done += 5000) {
      store.transaction(() => {
        for (let i = done; i < Math.min(sets, done + 5000); i++)
          store.predictions.storePredictions(request(START + rand() * SPAN_MS));
      });
    }
  } finally {
    store.close();
  }
}

/** A filtered page: one source, a random 30-day created-at window. */
function filteredPath(): string {
  const from = START + rand() * (SPAN_MS - 30 * DAY);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `/api/predictions?model=${pick(SOURCES)}&since=${day(from)}&until=${day(from + 30 * DAY)}&limit=20`;
}

function startServer(db: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const built = !process.argv.includes('--src') && fs.existsSync(path.join(ROOT, 'dist', 'main', 'cli.js'));
  const args = built
    ? [path.join(ROOT, 'bin', 'pbi.js')]
    : ['--import', 'tsx', path.join(ROOT, 'src', 'main', 'cli.ts')];
  // Extra V8 flags for the serve process, to compare settings. Measured here: --max-semi-space-size=2
  // (a young generation of 2 MB semi-spaces instead of up to 16 MB) cut the peak RSS under load from
  // ~145-157 MB to ~118-129 MB at the same or better throughput; V8 reads it only at start-up, so it
  // has to be on the node command line that runs `pbi serve`.
  const nodeFlags = process.argv
    .filter((a) => a.startsWith('--node-flag='))
    .map((a) => a.slice('--node-flag='.length));
  const child = spawn(
    process.execPath,
    [...nodeFlags, ...args, '--db', db, '--json', 'serve', '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  console.error(`serving ${built ? 'dist/ (built)' : 'src/ through tsx'} as pid ${child.pid}`);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      try {
        const info = JSON.parse(out) as { url: string };
        resolve({
          url: info.url,
          pid: child.pid as number,
          stop: () =>
            new Promise((r) => {
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      } catch {
        /* not all of it yet */
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** `pid` and its descendants (counted too, should the server ever run in a child process). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (const task of fs.readdirSync(`/proc/${pid}/task`)) {
    const kids = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const kid of kids ? kids.split(/\s+/) : []) out.push(...processTree(Number(kid)));
  }
  return out;
}

/** RSS of the serving process (the largest in the tree) and of the whole tree. */
function sampleRss(pid: number): { server: number; tree: number } {
  const each = processTree(pid).map(rssMb);
  return { server: Math.max(...each), tree: each.reduce((a, b) => a + b, 0) };
}

async function load(url: string, rate: number | null, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    // At a fixed rate, enough connections that one slow answer does not hold back the schedule
    // (each connection waits for its answer before its next request).
    connections: rate === null ? 10 : 50,
    duration: seconds,
    ...(rate === null ? {} : { overallRate: rate }),
    requests: [
      {
        setupRequest: (req) => ({ ...req, path: filteredPath() }),
      },
    ],
  });
}

/**
 * An open-loop load at a steady `rate`: request i is due at start + i/rate whether or not earlier
 * answers came back, and its latency counts from that due time (so a stalled server is charged for
 * the requests that queued behind it). autocannon's fixed rate is not used here: it lets each
 * connection send its share of a second back to back and then pause, so the 500 requests arrive
 * as one burst at the top of each second, and it pads the histogram for coordinated omission with a
 * 1 ms expected interval (one synthetic sample per millisecond of every slow answer).
 */
async function paced(
  url: string,
  rate: number,
  seconds: number,
): Promise<{ p50: number; p99: number; n: number; rps: number; non2xx: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const total = rate * seconds;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const pending: Promise<void>[] = [];
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const req = http.get(`${url}${filteredPath()}`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - due);
          if (res.statusCode !== 200) non2xx++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  const start = performance.now() + 5;
  for (let i = 0; i < total;) {
    const now = performance.now();
    for (; i < total && start + (i * 1000) / rate <= now; i++) pending.push(send(start + (i * 1000) / rate));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) * 10) / 10;
  return {
    p50: at(0.5),
    p99: at(0.99),
    n: latencies.length,
    rps: Math.round((latencies.length / elapsed) * 10) / 10,
    non2xx,
    errors,
  };
}

/**
 * First load of the dashboard in headless Chromium (when /usr/bin/chromium is installed): from
 * navigation start to the overview's figures on screen, with a cold browser cache each time.
 */
async function firstLoad(url: string): Promise<void> {
  const CHROMIUM = '/usr/bin/chromium';
  if (!fs.existsSync(CHROMIUM)) {
    console.error('first-load measurement skipped: /usr/bin/chromium is absent');
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const times: number[] = [];
    for (let i = 0; i < (quick ? 5 : 15); i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${url}/`);
      await page.getByTestId('history-size').waitFor();
      times.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
    times.sort((a, b) => a - b);
    console.log(
      `BENCH ${JSON.stringify({
        work: 'dashboard first load to the overview figures (cold cache, headless Chromium)',
        median_ms: Math.round(times[Math.floor(times.length / 2)] as number),
        p99_ms: Math.round(times[times.length - 1] as number),
        budget_ms: 1000,
        n: times.length,
      })}`,
    );
  } finally {
    await browser.close();
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-http-'));
try {
  // --db=FILE keeps the filled database between runs (filled once when absent).
  const given = process.argv.find((a) => a.startsWith('--db='))?.slice('--db='.length);
  const db = given ? path.resolve(given) : path.join(tmp, 'http.db');
  if (!given || !fs.existsSync(db)) {
    const t0 = performance.now();
    fill(db);
    console.error(`stored ${ROWS} predictions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const server = await startServer(db);
  // rss_mb: the largest process (the one that answers); rss_tree_mb: all of them together.
  let peakRss = 0;
  let peakTree = 0;
  const sampler = setInterval(() => {
    try {
      const rss = sampleRss(server.pid);
      peakRss = Math.max(peakRss, rss.server);
      peakTree = Math.max(peakTree, rss.tree);
    } catch {
      /* exited */
    }
  }, 100);
  try {
    // Sanity: the filtered query answers with sets.
    const probe = (await (await fetch(`${server.url}${filteredPath()}`)).json()) as { items: unknown[] };
    if (!Array.isArray(probe.items)) throw new Error('unexpected response');
    await load(server.url, null, 2); // warm-up
    const fixed = await paced(server.url, RATE, DURATION_S);
    console.log(
      `BENCH ${JSON.stringify({
        work: `GET /api/predictions (source + 30-day window, 20 sets) at a steady ${RATE} req/s, ${ROWS} predictions stored`,
        median_ms: fixed.p50,
        p99_ms: fixed.p99,
        budget_ms: 20,
        n: fixed.n,
        rps: fixed.rps,
        non2xx: fixed.non2xx,
        errors: fixed.errors,
        load_avg: os.loadavg()[0],
        rss_mb: Math.round(peakRss * 10) / 10,
        rss_tree_mb: Math.round(peakTree * 10) / 10,
      })}`,
    );
    await firstLoad(server.url);
    const flat = await load(server.url, null, DURATION_S);
    console.log(
      `BENCH ${JSON.stringify({
        work: `GET /api/predictions flat out (10 connections), ${ROWS} predictions stored`,
        median_ms: flat.latency.p50,
        p99_ms: flat.latency.p99,
        n: flat.requests.total,
        rps: flat.requests.average,
        non2xx: flat.non2xx,
        rss_mb: Math.round(peakRss * 10) / 10,
        rss_tree_mb: Math.round(peakTree * 10) / 10,
      })}`,
    );
    console.log(
      `BENCH ${JSON.stringify({
        work: `pbi serve peak RSS under load, ${ROWS} predictions stored (MB)`,
        median_ms: Math.round(peakRss),
        budget_ms: 150,
        n: 1,
        rss_mb: Math.round(peakRss * 10) / 10,
        rss_tree_mb: Math.round(peakTree * 10) / 10,
      })}`,
    );
  } finally {
    clearInterval(sampler);
    await server.stop();
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
