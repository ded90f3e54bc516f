/**
 * What every dashboard test needs, written once: a real `pbi serve` process on a random port over
 * a real SQLite file, Debian's Chromium driven by playwright-core, screenshots at desktop and phone
 * width kept in test-artifacts/, and an axe-core accessibility check.
 *
 * Under CI (.ci/run sets CI) a missing browser fails the run; locally the browser tests are skipped
 * and the summary names them (test/skip-reporter.ts).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Browser as PlaywrightBrowser,
  type BrowserContext,
  type CDPSession,
  chromium,
  type Page,
} from 'playwright-core';
import { expect } from 'vitest';
import { requireFreshCliBuild, webBuildProblem } from '../build-freshness.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
/**
 * The built executable, as a user runs it: starting it and its job workers from dist/ costs about
 * half of running the sources through tsx. `requireFreshCliBuild` fails a stale build first.
 */
export const CLI = [path.join(ROOT, 'bin', 'pbi.js')];
/** The two widths every page is looked at: a laptop and a 390 px phone. */
export const WIDTHS = [1280, 390] as const;

/** True when the browser tests can run; throws under CI when they cannot. */
export function browserAvailable(suite: string): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.CI) {
    throw new Error(
      `${CHROMIUM} is absent: CI must run the ${suite} browser tests (apt-get install -y chromium)`,
    );
  }
  console.warn(
    `SKIPPED ${suite} browser tests: ${CHROMIUM} is absent (apt-get install -y chromium; CI installs it).`,
  );
  return false;
}

/** The bundled real history, one CSV line per element (the first is the header). */
export function bundledLines(): string[] {
  return fs
    .readFileSync(path.join(ROOT, 'data', 'powerball', 'draws.csv'), 'utf8')
    .trim()
    .split('\n');
}

/** Runs the built CLI against `db`; fails the test with its stderr when it fails. */
export function pbi(db: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  requireFreshCliBuild();
  const r = spawnSync(process.execPath, [...CLI, '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.status, `pbi ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** The server serves dist/web: build it when missing or older than the dashboard's sources. */
export async function ensureWebBuild(): Promise<void> {
  if (webBuildProblem() === null) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
}

export interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `pbi serve --port 0` on `db`; resolves once it printed its URL. */
export async function serve(
  db: string,
  extra: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<Served> {
  requireFreshCliBuild();
  const child = spawn(process.execPath, [...CLI, '--db', db, '--json', 'serve', '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => {
      out += d;
      try {
        resolve((JSON.parse(out) as { url: string }).url);
      } catch {
        /* more to come */
      }
    });
    child.stderr?.on('data', (d) => (err += d));
    child.once('exit', (code) => reject(new Error(`pbi serve exited ${code}: ${err}`)));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, url, stop };
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Page errors and console errors seen so far (tests assert it stays empty). */
  readonly errors: string[];
  close(): Promise<void>;
}

/**
 * One headless Chromium per test worker process, shared by the files that worker runs (workers keep
 * their modules from file to file): a browser start costs about 3 CPU-s, a context almost nothing.
 * Chromium exits with the worker, whose end closes its DevTools pipe.
 */
let sharedChromium: Promise<PlaywrightBrowser> | undefined;

async function chromiumProcess(): Promise<PlaywrightBrowser> {
  const running = await sharedChromium;
  if (running?.isConnected()) return running;
  sharedChromium = chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
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
  return sharedChromium;
}

/**
 * A fresh browser context (its own cookies, storage and cache, as a new profile would be) with one
 * page. `ignoreConsole` filters console errors a test provokes on purpose (e.g. the 400 of a
 * refused form).
 */
export async function launchBrowser(
  options: { width?: number; height?: number; ignoreConsole?: RegExp } = {},
): Promise<Browser> {
  const context = await (
    await chromiumProcess()
  ).newContext({
    viewport: { width: options.width ?? WIDTHS[0], height: options.height ?? 900 },
  });
  const page = await context.newPage();
  trackRequests(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The failing URL goes with the message: "Failed to load resource" alone does not say which.
    if (m.type() === 'error' && !(options.ignoreConsole?.test(m.text()) ?? false))
      errors.push(m.location().url ? `${m.text()} (${m.location().url})` : m.text());
  });
  return { context, page, errors, close: () => context.close() };
}

/**
 * A temp folder with a database holding the bundled history, or all of it but the last `hold` draws.
 * The history is imported through the built CLI once per build, CSV and `hold` (the test files run
 * in parallel workers); each caller gets its own copy of that database file.
 */
export function historyDb(prefix: string, hold = 0): { dir: string; db: string; held: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pbi-e2e-${prefix}-`));
  const db = path.join(dir, 'e2e.db');
  const lines = bundledLines();
  fs.copyFileSync(importedHistory(lines.slice(0, hold > 0 ? -hold : undefined)), db);
  const held = hold > 0 ? `${lines[0]}\n${lines.slice(-hold).join('\n')}\n` : '';
  return { dir, db, held };
}

const HISTORY_CACHE = path.join(os.tmpdir(), 'pbi-e2e-history');

/** A database file `pbi draws import` made from these CSV lines with the current build. */
function importedHistory(lines: readonly string[]): string {
  requireFreshCliBuild();
  const build = fs.statSync(path.join(ROOT, 'dist', 'main', 'cli.js')).mtimeMs;
  const key = createHash('sha256')
    .update(`${ROOT}\n${build}\n${lines.join('\n')}`)
    .digest('hex');
  const file = path.join(HISTORY_CACHE, `${key.slice(0, 24)}.db`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(HISTORY_CACHE, { recursive: true });
  // Files of earlier builds pile up otherwise; a day is longer than any run that may still copy one.
  for (const old of fs.readdirSync(HISTORY_CACHE, { withFileTypes: true }))
    if (old.isFile() && Date.now() - fs.statSync(path.join(HISTORY_CACHE, old.name)).mtimeMs > 86_400_000)
      fs.rmSync(path.join(HISTORY_CACHE, old.name), { force: true });
  const work = fs.mkdtempSync(path.join(HISTORY_CACHE, 'import-'));
  try {
    fs.writeFileSync(path.join(work, 'history.csv'), `${lines.join('\n')}\n`);
    pbi(path.join(work, 'e2e.db'), ['draws', 'import', path.join(work, 'history.csv'), '--json']);
    // Atomic: a worker importing the same history at the same time replaces it with an equal file.
    fs.renameSync(path.join(work, 'e2e.db'), file);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return file;
}

/** Opens a dashboard route (`#/route`) and waits for its page element. */
export async function open(page: Page, base: string, route: string): Promise<void> {
  await page.goto(`${base}/#/${route}`);
  await page.locator(`.page[data-page="${route.split(/[?/]/)[0]}"]`).waitFor();
}

/** Requests in flight per page, and when the last one started or ended. */
const network = new WeakMap<Page, { inFlight: number; lastChange: number }>();

function trackRequests(page: Page): void {
  const n = { inFlight: 0, lastChange: Date.now() };
  network.set(page, n);
  const change = (d: number) => () => {
    n.inFlight += d;
    n.lastChange = Date.now();
  };
  page.on('request', change(1));
  page.on('requestfinished', change(-1));
  page.on('requestfailed', change(-1));
}

/** Quiet time that counts as settled: long enough for a response's render to ask for the next. */
const QUIET_MS = 100;

/**
 * Waits until the page has loaded everything it asked for: no request in flight for QUIET_MS and
 * no "Loading…" left. Playwright's 'networkidle' asks for 500 ms of silence on every call.
 */
export async function settled(page: Page): Promise<void> {
  const n = network.get(page);
  if (!n) throw new Error('settled() needs a page from launchBrowser()');
  await page.waitForLoadState('load');
  for (;;) {
    await page.waitForFunction(() => !document.body.innerText.includes('Loading…'));
    const quiet = Date.now() - n.lastChange;
    if (n.inFlight <= 0 && quiet >= QUIET_MS) {
      // Rendering the last response may have asked for more: look once more.
      if (await page.evaluate(() => !document.body.innerText.includes('Loading…'))) return;
    } else {
      await new Promise((r) => setTimeout(r, Math.max(20, QUIET_MS - quiet)));
    }
  }
}

const devtools = new WeakMap<Page, CDPSession>();

/**
 * A full-page screenshot at the current width, kept as test-artifacts/<name>.png. The same capture
 * as `page.screenshot({ fullPage: true })`, asked of Chromium directly with its faster PNG encoding
 * (larger files, about a third less browser CPU per screenshot).
 */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  let cdp = devtools.get(page);
  if (!cdp) devtools.set(page, (cdp = await page.context().newCDPSession(page)));
  const { cssContentSize: size } = await cdp.send('Page.getLayoutMetrics');
  const { data } = await cdp.send('Page.captureScreenshot', {
    format: 'png',
    optimizeForSpeed: true,
    captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: Math.ceil(size.width), height: Math.ceil(size.height), scale: 1 },
  });
  fs.writeFileSync(path.join(ARTIFACTS, `${name}.png`), Buffer.from(data, 'base64'));
}

/**
 * Screenshots at 1280 and 390 px (`<name>-1280.png`, `<name>-390.png`), and checks at each width
 * that nothing is cut off horizontally; the viewport is restored afterwards.
 */
export async function shotsAtWidths(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? { width: WIDTHS[0], height: 900 };
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await settled(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} at ${width} px is wider than the window by ${overflow} px`).toBeLessThanOrEqual(
      0,
    );
    await shot(page, `${name}-${width}`);
  }
  await page.setViewportSize(before);
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/** Runs axe-core (WCAG 2 A/AA rules) on the current page; returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type AxeResult = {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
  });
}

/** Fails the test with a readable list when axe finds a serious or critical violation. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(
    violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.slice(0, 3).join(', ')})`),
    `accessibility of ${where}`,
  ).toEqual([]);
}

/** On the Experiments page: ticks the first two runs listed and asks for their comparison. */
export async function compareFirstTwoRuns(page: Page): Promise<void> {
  for (const n of [0, 1])
    await page
      .getByLabel(/^Compare run \d+$/)
      .nth(n)
      .check();
  await page.getByRole('button', { name: 'Compare selected runs' }).click();
}
