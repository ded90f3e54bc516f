/**
 * The Ask page in a real headless Chromium (Debian's /usr/bin/chromium via playwright-core) against
 * a real `pbi serve` on a random port: clicking an example answers it with the figure computed from
 * the bundled history (recounted here from the CSV), a typed question is answered with the command
 * that reproduces it, and a refused question offers suggestions that answer when clicked.
 */
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  browserAvailable,
  bundledLines,
  ensureWebBuild,
  expectAccessible,
  historyDb,
  launchBrowser,
  type Served,
  serve,
  shot,
  shotsAtWidths,
} from './harness.js';

/** Rows of the bundled CSV: [date, w1..w5, pb]. */
function bundled(): { date: string; whites: number[]; pb: number }[] {
  return bundledLines()
    .slice(1)
    .map((l) => {
      const [date, ...nums] = l.split(',');
      return { date: date!, whites: nums.slice(0, 5).map(Number), pb: Number(nums[5]) };
    });
}

describe.skipIf(!browserAvailable('Ask page'))('Ask page in Chromium', () => {
  let dir: string;
  let server: Served;
  let base: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    await ensureWebBuild();
    const h = historyDb('ask');
    dir = h.dir;
    server = await serve(h.db);
    base = server.url;
    // A refused question answers 400; the browser logs it, and that is the point of the test.
    browser = await launchBrowser({ width: 1200, ignoreConsole: /400/ });
    page = browser.page;
    errors = browser.errors;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is in the navigation; clicking an example answers it from the real history', async () => {
    await page.goto(`${base}/#/overview`);
    await page.getByRole('link', { name: 'Ask' }).click();
    await page.locator('.page[data-page="ask"]').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe('Ask the numbers');
    const example = page.getByRole('button', { name: 'How many draws had all odd white balls?' });
    await example.click();
    const sentence = page.getByTestId('ask-sentence');
    await sentence.waitFor();
    // Recounted from the CSV: current-era draws whose five whites are all odd.
    const allOdd = bundled().filter(
      (d) => d.date >= '2015-10-07' && d.whites.every((w) => w % 2 === 1),
    ).length;
    await expect(sentence.textContent()).resolves.toMatch(
      new RegExp(`^${allOdd} draws had all five white balls odd`),
    );
    await expect(page.getByTestId('ask-command').textContent()).resolves.toBe('pbi analyze');
    await expect(page.getByRole('textbox', { name: 'Your question' }).inputValue()).resolves.toBe(
      'How many draws had all odd white balls?',
    );
    await expect(page.getByTestId('ask-path').textContent()).resolves.toMatch(/built-in parser/);
  });

  it('a typed question is answered with its figures beside chance and the command', async () => {
    const box = page.getByRole('textbox', { name: 'Your question' });
    await box.fill('How often has 23 been drawn as a white ball since March 2020?');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid=ask-command]')?.textContent?.includes('--from 2020-03-01'),
    );
    const count = bundled().filter((d) => d.date >= '2020-03-01' && d.whites.includes(23)).length;
    await expect(page.getByTestId('ask-sentence').textContent()).resolves.toContain(
      `23 was drawn as a white ball ${count} times`,
    );
    const table = page.getByRole('region', {
      name: 'Figures of the answer, each beside its value by chance',
    });
    await expect(table.locator('tbody tr').first().locator('td').nth(2).textContent()).resolves.toBe(
      String(count),
    );
    await shot(page, 'dashboard-ask');
  });

  it('a refused question shows why and suggestions that answer when clicked', async () => {
    const box = page.getByRole('textbox', { name: 'Your question' });
    await box.fill('how often was 70 drawn as a white ball');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    const refusal = page.getByTestId('ask-refusal');
    await refusal.waitFor();
    await expect(refusal.getByRole('alert').textContent()).resolves.toMatch(
      /70 has never been a valid white ball/,
    );
    const suggestion = refusal.getByRole('list', { name: 'Suggested questions' }).getByRole('button').first();
    const text = (await suggestion.textContent())!;
    await suggestion.click();
    await page.getByTestId('ask-sentence').waitFor();
    await expect(box.inputValue()).resolves.toBe(text);
    expect(errors).toEqual([]);
  });

  it('labels every control and stays within a phone-width screen', async () => {
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, textarea'))
        .filter((el) => (el as HTMLInputElement).labels?.length === 0 && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${base}/#/ask?q=${encodeURIComponent('Which numbers are most overdue?')}`);
    await page.getByTestId('ask-sentence').waitFor();
    await expect(page.getByTestId('ask-sentence').textContent()).resolves.toMatch(
      /^The longest current gaps/,
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1200, height: 900 });
    await expectAccessible(page, 'ask');
    await shotsAtWidths(page, 'analysis-ask');
  });
});
