/**
 * Dashboard budgets: every page (and one stored set) shows
 * its content within 300 ms of navigation, on the bundled history with 100,000 stored predictions,
 * in headless Chromium against a real `pbi serve`; and the whole dashboard script bundle is at most
 * 100 KB gzipped.
 *
 * Usage: tsx bench/dashboard-pages.bench.ts [--quick]   Prints one `BENCH {json}` line per row.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { nextDrawDate } from '../src/domain/calendar.js';
import type { IsoDate } from '../src/domain/dates.js';
import { openStore } from '../src/store/store.js';

const quick = process.argv.includes('--quick');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PREDICTIONS = 100_000;
const RUNS = quick ? 5 : 15;
const SOURCES = ['frequency', 'recency', 'trends', 'combo', 'sum', 'dow', 'weighted'];

let state = 2463534242;
const rand = (): number => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 2 ** 32;
};

function bundleRow(): void {
  const assets = path.join(ROOT, 'dist', 'web', 'assets');
  if (!fs.existsSync(assets))
    spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
  const bytes = fs
    .readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(assets, f)), { level: 9 }).length, 0);
  console.log(
    `BENCH ${JSON.stringify({ work: 'dashboard script bundle, gzipped (KB)', median_ms: bytes / 1024, unit: 'KB', budget_ms: 100, n: 1 })}`,
  );
}

/** The bundled history and 100,000 predictions (20,000 sets of five), written straight to the store. */
function fill(db: string): string {
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'src', 'main', 'cli.ts'),
      '--db',
      db,
      'draws',
      'import',
      path.join(ROOT, 'data', 'powerball', 'draws.csv'),
    ],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  const store = openStore(db);
  let lastSet = '';
  try {
    const start = Date.parse('2021-01-01T00:00:00Z');
    for (let done = 0; done < PREDICTIONS / 5; done += 5000)
      store.transaction(() => {
        for (let i = done; i < Math.min(PREDICTIONS / 5, done + 5000); i++) {
          const createdAt = new Date(start + rand() * 5 * 365 * 86_400_000).toISOString();
          const tickets = Array.from({ length: 5 }, () => {
            const whites = new Set<number>();
            while (whites.size < 5) whites.add(1 + Math.floor(rand() * 69));
            return {
              whites: [...whites].sort((a, b) => a - b),
              powerball: 1 + Math.floor(rand() * 26),
              probability: 1 / 292_201_338,
            };
          });
          lastSet = store.predictions.storePredictions({
            source: SOURCES[Math.floor(rand() * SOURCES.length)] as string,
            targetDrawDate: nextDrawDate(createdAt.slice(0, 10) as IsoDate),
            createdAt,
            seed: i,
            weights: { frequency: 1 },
            tickets,
          }).setId;
        }
      });
  } finally {
    store.close();
  }
  return lastSet;
}

function serve(db: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'src', 'main', 'cli.ts'),
      '--db',
      db,
      '--json',
      'serve',
      '--port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      try {
        resolve({ url: (JSON.parse(out) as { url: string }).url, stop: () => child.kill('SIGTERM') });
      } catch {
        /* more to come */
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  bundleRow();
  if (!fs.existsSync('/usr/bin/chromium')) {
    console.error('page measurements skipped: /usr/bin/chromium is absent');
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-pages-'));
  const db = path.join(dir, 'bench.db');
  const setId = fill(db);
  const server = await serve(db);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  // Each page and what shows that its content is there; on the pages without a listed mark, the
  // page's own content with nothing still loading.
  const content = (route: string) => `.page[data-page="${route}"] > *`;
  const charted = (route: string) => `.page[data-page="${route}"] figure`;
  const pages: [string, string, string][] = [
    ['Overview page: history size, next draw, odds', 'overview', '[data-testid="history-size"]'],
    ['Draws page: a page of the history', 'draws', '.page[data-page="draws"] table tbody tr'],
    ['Numbers page: frequencies, gaps, sums, heat map', 'numbers', charted('numbers')],
    ['Trends page: counts per period', 'trends', charted('trends')],
    ['Combinations page: top pairs against chance', 'combinations', charted('combinations')],
    ['Sums page: distribution and splits', 'sums', charted('sums')],
    ['Gaps page: gap histograms', 'gaps', charted('gaps')],
    ['Day of week page: draws and numbers per weekday', 'weekdays', charted('weekdays')],
    [
      'Models page: registry and train form',
      'models',
      '[data-testid="hyperparameters"] p, [data-testid="hyperparameters"] fieldset',
    ],
    ['Predictions page: a page of stored sets', 'predictions', '.ticket-list'],
    ['Predictions: one set with its scores', `predictions/set/${setId}`, '[data-testid="set-facts"]'],
    ['Evaluation page: stored scores and backtest form', 'evaluation', content('evaluation')],
    ['Experiments page: tracked runs', 'experiments', content('experiments')],
    ['My tickets page', 'tickets', content('tickets')],
    ['Ask the numbers page', 'ask', content('ask')],
    ['Data page: size and backups', 'data', '[data-testid="db-size"]'],
  ];
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/#/overview`);
    await page.locator('[data-testid="history-size"]').waitFor();
    for (const [work, route, selector] of pages) {
      const times: number[] = [];
      for (let i = 0; i < RUNS + 1; i++) {
        // Start from another page, so each visit is a navigation to the page measured.
        const from = route === 'data' ? 'overview' : 'data';
        await page.evaluate((r) => (location.hash = `#/${r}`), from);
        await page
          .locator(from === 'data' ? '[data-testid="db-size"]' : '[data-testid="history-size"]')
          .waitFor();
        const t0 = await page.evaluate(() => performance.now());
        await page.evaluate((r) => (location.hash = `#/${r}`), route);
        await page.locator(selector).first().waitFor({ timeout: 30_000 });
        await page.waitForFunction(() => !document.body.innerText.includes('Loading…'));
        const t1 = await page.evaluate(() => performance.now());
        if (i > 0) times.push(t1 - t0); // the first visit warms the browser's code cache
      }
      times.sort((a, b) => a - b);
      const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] as number;
      console.log(
        `BENCH ${JSON.stringify({ work: `${work}, ${PREDICTIONS.toLocaleString('en-US')} predictions stored (Chromium)`, median_ms: q(0.5), p99_ms: q(0.99), budget_ms: 300, n: times.length })}`,
      );
    }
  } finally {
    await browser.close();
    server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
