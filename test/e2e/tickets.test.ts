/**
 * The Tickets page in a real headless Chromium against a real `pbi serve` process: a multi-draw
 * Power Play ticket entered from the keyboard alone, its past play checked at once and its future
 * play upcoming, the result appearing when the draw arrives, the spend/won chart, and errors
 * naming what was wrong. Every page of the flow is checked with axe and kept as screenshots at 1280
 * and 390 px in test-artifacts/.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  browserAvailable,
  ensureWebBuild,
  expectAccessible,
  historyDb,
  launchBrowser,
  open as openRoute,
  type Served,
  serve,
  settled as settledPage,
  shotsAtWidths,
} from './harness.js';

describe.skipIf(!browserAvailable('tickets'))('Tickets page in Chromium', () => {
  let dir: string;
  let server: Served;
  let base: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let lastDraw = '';

  beforeAll(async () => {
    await ensureWebBuild();
    // The real history without its last draw (2026-08-05): it arrives during the test.
    const h = historyDb('tickets', 1);
    dir = h.dir;
    lastDraw = h.held;
    server = await serve(h.db);
    base = server.url;
    // The refused form of the last test answers 400 on purpose.
    browser = await launchBrowser({ width: 1200, ignoreConsole: /status of 400/ });
    page = browser.page;
    errors = browser.errors;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const settled = () => settledPage(page);
  const open = (route: string) => openRoute(page, base, route);
  /** Every page of the flow: screenshots at 1280 and 390 px and no serious accessibility violation. */
  const shot = async (name: string) => {
    await expectAccessible(page, `tickets ${name}`);
    await shotsAtWidths(page, `tickets-${name}`);
  };

  it('records a 2-draw Power Play ticket from the keyboard: the past play checked, the next upcoming', async () => {
    await open('tickets');
    await settled();
    await page.getByLabel('First draw').fill('2026-08-03');
    // From here on the keyboard only: numbers, Tab to Draws, Tab to Power Play, Space, back, Enter.
    await page.getByLabel('Numbers').focus();
    await page.keyboard.type('8 30 41 1 2 4');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('2');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    const status = page.getByTestId('ticket-status');
    await status
      .getByText(/Recorded ticket 1: 2 draw\(s\).*\$6; 1 play\(s\) already drawn and checked/)
      .waitFor();
    await settled();
    // Focus is back on the numbers, cleared for the next ticket.
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe(
      'numbers',
    );
    expect(await page.getByLabel('Numbers').inputValue()).toBe('');
    // 2026-08-03 drew 8 30 41 48 54 PB 4 with x2: three whites and the Powerball, $100 x2.
    const checked = page.getByRole('region', { name: 'Drawn plays and their prizes, newest first' });
    await expect(checked.getByRole('cell', { name: '3+PB: $200 (×2)' }).count()).resolves.toBe(1);
    const upcoming = page.getByRole('region', { name: 'Plays still to be drawn' });
    await expect(upcoming.getByRole('cell', { name: '2026-08-05' }).count()).resolves.toBe(1);
    await expect(page.getByTestId('tickets-net').innerText()).resolves.toBe('Spent $6 · won $200 · net $194');
    await expect(page.locator('figure .chart canvas').count()).resolves.toBeGreaterThan(0);
    await shot('entered');
  });

  it('shows the result when the draw arrives, checked once', async () => {
    const res = await fetch(`${base}/api/draws/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: lastDraw,
    });
    expect(((await res.json()) as { playsChecked: number }).playsChecked).toBe(1);
    await page.reload();
    await settled();
    await expect(page.getByText('No play is waiting for its draw.').count()).resolves.toBe(1);
    const checked = page.getByRole('region', { name: 'Drawn plays and their prizes, newest first' });
    await expect(checked.locator('tbody tr').count()).resolves.toBe(2);
    await expect(page.getByTestId('tickets-luck').innerText()).resolves.toMatch(/is luck/);
    await shot('after-draw');
  });

  it('plays a generated set from the Predictions page: its tickets become upcoming plays', async () => {
    await open('predictions');
    await settled();
    await page.getByLabel('Tickets').fill('2');
    await page.getByLabel('Strategy').selectOption('frequency');
    await page.getByRole('button', { name: 'Generate' }).click();
    await page.getByTestId('generated-set').waitFor();
    await page.getByRole('button', { name: 'Play this set' }).click();
    await page.getByText('Recorded as 2 ticket(s) under My tickets.').waitFor();
    await open('tickets');
    await settled();
    const upcoming = page.getByRole('region', { name: 'Plays still to be drawn' });
    await expect(upcoming.locator('tbody tr').count()).resolves.toBe(2);
  });

  it('says what is wrong: six numbers expected, then the field the server refused', async () => {
    await page.getByLabel('Numbers').fill('1 2 3');
    await page.keyboard.press('Enter');
    await page
      .getByRole('alert')
      .getByText(/6 numbers, got 3/)
      .waitFor();
    await page.getByLabel('First draw').fill('2026-08-08');
    await page.getByLabel('Numbers').fill('1 2 3 4 5 99');
    await page.getByLabel('Numbers').press('Enter');
    await page
      .getByRole('alert')
      .locator('li', { hasText: /ticket\.powerball: Powerball 99 is outside 1–26/ })
      .waitFor();
    await shot('error');
    // Every control has a label, one heading names the page, and the nav marks it current.
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, textarea'))
        .filter((el) => (el as HTMLInputElement).labels?.length === 0 && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await expect(page.locator('h1').innerText()).resolves.toBe('My tickets');
    await expect(page.locator('nav a[aria-current="page"]').getAttribute('data-page')).resolves.toBe(
      'tickets',
    );
    expect(errors).toEqual([]);
  });
});
