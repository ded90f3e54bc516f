/**
 * The dashboard's evaluation page in a real headless Chromium, against a real `pbi serve` on a
 * database that `pbi migrate` filled from a legacy folder in the shapes the legacy app really wrote:
 * the migrated legacy accuracy is shown beside the product's own scores, labelled as legacy.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  type Browser,
  browserAvailable,
  ensureWebBuild,
  expectAccessible,
  launchBrowser,
  open,
  pbi,
  ROOT,
  type Served,
  serve,
  settled,
  shotsAtWidths,
} from './harness.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'legacy-accuracy');

describe.skipIf(!browserAvailable('legacy accuracy'))('legacy accuracy on the evaluation page', () => {
  let dir: string;
  let server: Served;
  let browser: Browser;
  let page: Page;
  let base: string;
  let errors: string[];

  beforeAll(async () => {
    await ensureWebBuild();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-e2e-legacy-'));
    const db = path.join(dir, 'e2e.db');
    const env = { PBI_BACKUP_DIR: path.join(dir, 'backups') };
    pbi(db, ['draws', 'import', path.join(FIXTURES, 'draws.csv')], env);
    pbi(db, ['migrate', path.join(FIXTURES, 'app-real')], env);
    pbi(db, ['evaluate'], env);
    server = await serve(db);
    base = server.url;
    browser = await launchBrowser({ width: 1400 });
    page = browser.page;
    errors = browser.errors;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the product scores and, beside them, every legacy model and record labelled legacy', async () => {
    await open(page, base, 'evaluation');
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
    await settled(page);
    await expectAccessible(page, 'evaluation page with legacy accuracy');
    await shotsAtWidths(page, 'legacy-accuracy');
    // The same page in the same state: the desktop screenshot under its dashboard name too.
    fs.copyFileSync(
      path.join(ARTIFACTS, 'legacy-accuracy-1280.png'),
      path.join(ARTIFACTS, 'dashboard-legacy-accuracy.png'),
    );
    expect(errors).toEqual([]);
  });

  it('stays readable at phone width with the legacy tables (no sideways scrolling)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/#/evaluation`);
    // A phone loads the page at its own width (the previous test left it laid out at 1280 px).
    await page.reload();
    await page.getByTestId('legacy-accuracy').waitFor();
    await settled(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
  });
});
