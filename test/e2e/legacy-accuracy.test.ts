/**
 * The dashboard's evaluation page in a real headless Chromium, against a real `pbi serve` on a
 * database that `pbi migrate` filled from a legacy folder in the shapes the legacy app really wrote:
 * the migrated legacy accuracy is shown beside the product's own scores, labelled as legacy.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'legacy-accuracy');
const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.warn(`SKIPPED legacy accuracy browser test: ${CHROMIUM} is absent.`);
const CLI = ['--import', 'tsx', path.join(ROOT, 'src', 'main', 'cli.ts')];

describe.skipIf(!hasChromium)('legacy accuracy on the evaluation page', () => {
  let dir: string;
  let server: ChildProcess;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) {
      const { build } = await import('vite');
      await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-e2e-legacy-'));
    const db = path.join(dir, 'e2e.db');
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [...CLI, '--db', db, ...args], {
        encoding: 'utf8',
        env: { ...process.env, PBI_BACKUP_DIR: path.join(dir, 'backups') },
      });
      expect(r.status, r.stderr).toBe(0);
    };
    run('draws', 'import', path.join(FIXTURES, 'draws.csv'));
    run('migrate', path.join(FIXTURES, 'app-real'));
    run('evaluate');
    server = spawn(process.execPath, [...CLI, '--db', db, '--json', 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout?.on('data', (d) => {
        out += d;
        try {
          resolve((JSON.parse(out) as { url: string }).url);
        } catch {
          /* more to come */
        }
      });
      server.once('exit', (code) => reject(new Error(`pbi serve exited ${code}`)));
    });
    context = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
      viewport: { width: 1400, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the product scores and, beside them, every legacy model and record labelled legacy', async () => {
    await page.goto(`${base}/#/evaluation`);
    await page.getByRole('heading', { name: 'Scores so far' }).waitFor();
    const product = page.locator('table', { hasText: 'Stored scores per source (this product)' });
    await expect(product.locator('tbody tr').count()).resolves.toBe(4);
    const legacy = page.getByTestId('legacy-accuracy');
    await legacy.getByRole('heading', { name: 'Legacy accuracy (migrated)' }).waitFor();
    const models = legacy.locator('table', { hasText: 'Legacy accuracy per legacy model' });
    await expect(models.locator('tbody tr').allTextContents()).resolves.toEqual([
      expect.stringMatching(/^legacy: Gradient Boosting87/),
      expect.stringMatching(/^legacy: prediction history30/),
      expect.stringMatching(/^legacy: Random Forest86/),
      expect.stringMatching(/^legacy: Ridge Regression87/),
    ]);
    const records = legacy.locator('table', { hasText: 'Legacy accuracy records' });
    await expect(records.locator('tbody tr').count()).resolves.toBe(27);
    await expect(records.getByText(/^disagrees: actual whites 1 8 41 52 53/).count()).resolves.toBe(3);
    await expect(records.getByText(/^no: set random_forest_20250112/).count()).resolves.toBe(1);
    await expect(legacy.textContent()).resolves.toContain("Legacy figures are the legacy app's own");
    fs.mkdirSync(path.join(ROOT, 'test-artifacts'), { recursive: true });
    await page.screenshot({
      path: path.join(ROOT, 'test-artifacts', 'dashboard-legacy-accuracy.png'),
      fullPage: true,
    });
    expect(errors).toEqual([]);
  });

  it('stays readable at phone width with the legacy tables (no sideways scrolling)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/evaluation`);
    // A phone loads the page at its own width (the previous test left it laid out at 1280 px).
    await page.reload();
    await page.getByTestId('legacy-accuracy').waitFor();
    await page.waitForLoadState('networkidle');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
  });
});
