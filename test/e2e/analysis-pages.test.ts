/**
 * The analysis pages and the experiments pages in a real headless Chromium against one real
 * `pbi serve` on the bundled history, used as a user would: charts read out by keyboard and on
 * hover (figures recounted here from the CSV), filters kept in the URL across reloads, focus on the
 * result after each action, charts that follow a narrowing window, one-row navigation on a phone,
 * runs compared and the best registered, and a search's result still there after leaving the page.
 * Every page is screenshotted at 1280 and 390 px and checked by axe-core.
 */
import fs from 'node:fs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  browserAvailable,
  compareFirstTwoRuns,
  bundledLines,
  ensureWebBuild,
  expectAccessible,
  historyDb,
  launchBrowser,
  open,
  type Served,
  serve,
  settled,
  shotsAtWidths,
} from './harness.js';

interface Row {
  date: string;
  whites: number[];
  pb: number;
}
const ROWS: Row[] = bundledLines()
  .slice(1)
  .map((l) => {
    const [date, ...n] = l.split(',');
    return { date: date as string, whites: n.slice(0, 5).map(Number), pb: Number(n[5]) };
  });
const CURRENT = ROWS.filter((r) => r.date >= '2015-10-07');
const weekday = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();

describe.skipIf(!browserAvailable('analysis pages'))('analysis pages in Chromium', () => {
  let dir: string;
  let server: Served;
  let browser: Browser;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    await ensureWebBuild();
    const h = historyDb('analysis');
    dir = h.dir;
    server = await serve(h.db);
    base = server.url;
    browser = await launchBrowser();
    page = browser.page;
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The readout under the chart or heat map whose accessible name starts with `title`. */
  const figure = (title: string | RegExp) => {
    const chart = page.getByRole('group', { name: title }).first();
    const readout = page.locator('figure', { has: chart }).locator('.readout');
    return { chart, readout };
  };
  const press = async (target: Locator, key: string, times = 1) => {
    await target.focus();
    for (let i = 0; i < times; i++) await page.keyboard.press(key);
  };
  const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '');

  it('Numbers: every bar and pair cell reads out by keyboard and on hover, with the pooled history beside the era', async () => {
    await open(page, base, 'numbers');
    await settled(page);
    const whites = figure(/^White balls 1–69: times drawn/);
    await press(whites.chart, 'ArrowRight', 3);
    const three = CURRENT.filter((r) => r.whites.includes(3)).length;
    await expect(whites.readout.textContent()).resolves.toMatch(
      new RegExp(`^Number 3: Times drawn ${three}, Expected [\\d.]+, 95% chance band [\\d.]+–[\\d.]+\\.$`),
    );
    await page.keyboard.press('End');
    await expect(whites.readout.textContent()).resolves.toMatch(/^Number 69: /);
    // Hover: the value under the pointer.
    await whites.chart.locator('.u-over').hover({ position: { x: 5, y: 40 } });
    await expect(whites.readout.textContent()).resolves.toMatch(/^Number 1: Times drawn \d+/);

    const pairs = figure(/^How often each pair of white balls/);
    await press(pairs.chart, 'ArrowRight');
    const together = CURRENT.filter((r) => r.whites.includes(1) && r.whites.includes(2)).length;
    await expect(pairs.readout.textContent()).resolves.toMatch(
      new RegExp(`^1 with 2: drawn together ${together} times \\(chance expects [\\d.]+\\)\\.$`),
    );
    await page.keyboard.press('ArrowDown');
    // The diagonal (a number with itself) has no value and says so.
    await expect(pairs.readout.textContent()).resolves.toBe(
      'White ball 2, Drawn with white ball 2: no value.',
    );

    // The whole history pooled: number 1 counted over every era.
    const pooled = figure(/^White balls, all history/);
    await press(pooled.chart, 'ArrowRight');
    await expect(pooled.readout.textContent()).resolves.toMatch(
      new RegExp(
        `^Number 1: Times drawn ${ROWS.filter((r) => r.whites.includes(1)).length}, Expected by chance [\\d.]+\\.$`,
      ),
    );
    await expectAccessible(page, 'numbers');
    await shotsAtWidths(page, 'analysis-numbers');

    // The era lives in the URL and survives reload.
    const era2012 = await page.locator('#era-select option', { hasText: '2012-01-18' }).getAttribute('value');
    await page.selectOption('#era-select', era2012 as string);
    await page.locator('text=388 draws from').waitFor();
    expect(page.url()).toContain('era=2012-01-18');
    await page.reload();
    await page.locator('text=388 draws from').waitFor();
    await expect(page.locator('#era-select').inputValue()).resolves.toBe('2012-01-18');
    await expect(page.locator('main').textContent()).resolves.toContain('White balls 1–59');
  }, 180_000);

  it('charts follow the window when it narrows (ResizeObserver), and legends keep their own style', async () => {
    await open(page, base, 'numbers');
    await settled(page);
    const canvasWidth = () =>
      page.evaluate(
        () => (document.querySelector('.chart canvas') as HTMLCanvasElement).getBoundingClientRect().width,
      );
    const wide = await canvasWidth();
    expect(wide).toBeGreaterThan(700);
    await page.setViewportSize({ width: 520, height: 900 });
    await page.waitForFunction(
      () =>
        (document.querySelector('.chart canvas') as HTMLCanvasElement).getBoundingClientRect().width < 520,
    );
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForFunction(
      (w) =>
        (document.querySelector('.chart canvas') as HTMLCanvasElement).getBoundingClientRect().width > w - 50,
      wide,
    );
    // uPlot's legend is a table: the app's table borders, padding and header fill do not reach it.
    const legend = await page.evaluate(() => {
      const th = document.querySelector('.u-legend th') as HTMLElement;
      const td = document.querySelector('.u-legend td') as HTMLElement;
      return {
        thBackground: getComputedStyle(th).backgroundColor,
        tdBorder: getComputedStyle(td).borderBottomWidth,
        caption: document.querySelectorAll('.u-legend caption').length,
      };
    });
    expect(legend).toEqual({ thBackground: 'rgba(0, 0, 0, 0)', tdBorder: '0px', caption: 0 });
  });

  it('Trends: grouping, date range and numbers live in the URL; counts per period read out; focus lands on the result', async () => {
    await page.goto(`${base}/#/trends?group=year&numbers=7,21&from=2016-01-01&to=2025-12-31`);
    await page.locator('.page[data-page="trends"]').waitFor();
    await settled(page);
    const counts = figure(/^Times drawn per year: 7, 21/);
    await press(counts.chart, 'ArrowRight');
    const in2016 = CURRENT.filter((r) => r.date.startsWith('2016-'));
    const c7 = in2016.filter((r) => r.whites.includes(7)).length;
    const c21 = in2016.filter((r) => r.whites.includes(21)).length;
    await expect(counts.readout.textContent()).resolves.toBe(
      `Year 2016: Number 7 ${c7}, Number 21 ${c21}, Expected by chance ${Number(((in2016.length * 5) / 69).toFixed(3))}.`,
    );
    await expect(page.locator('#scope-from').inputValue()).resolves.toBe('2016-01-01');
    const up = page.getByRole('region', { name: 'White balls trending up' });
    expect(await up.locator('tbody tr').count()).toBeGreaterThan(0);
    await expect(up.locator('tbody tr').first().textContent()).resolves.toMatch(
      /sd, (within chance|unusual)/,
    );

    await page.getByLabel('Group by', { exact: true }).selectOption('month');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('heading', { name: 'Counts per month' }).waitFor();
    await expect(focusedText()).resolves.toBe('Counts per month');
    expect(page.url()).toMatch(/group=month/);
    await page.reload();
    await page.getByRole('heading', { name: 'Counts per month' }).waitFor();
    await expect(page.getByLabel('Group by', { exact: true }).inputValue()).resolves.toBe('month');
    await expectAccessible(page, 'trends');
    await shotsAtWidths(page, 'analysis-trends');
  }, 120_000);

  it('Combinations: sizes, the Powerball and a minimum count; the top 25 against chance with totals', async () => {
    await open(page, base, 'combinations');
    await settled(page);
    const pairCounts = new Map<string, number>();
    for (const r of CURRENT)
      for (let i = 0; i < 5; i++)
        for (let j = i + 1; j < 5; j++) {
          const k = `${r.whites[i]}-${r.whites[j]}`;
          pairCounts.set(k, (pairCounts.get(k) ?? 0) + 1);
        }
    const best = Math.max(...pairCounts.values());
    const top = page.getByRole('region', { name: /^Counts against chance/ });
    expect(await top.locator('tbody tr').count()).toBe(25);
    await expect(top.locator('tbody tr').first().locator('td').nth(1).textContent()).resolves.toBe(
      String(best),
    );
    await expect(page.locator('.summary-figures').textContent()).resolves.toContain(
      `${pairCounts.size.toLocaleString('en-US')}different ones seen`,
    );
    const chart = figure(/^The 25 most frequent combinations of 2 white balls/);
    await press(chart.chart, 'ArrowRight');
    await expect(chart.readout.textContent()).resolves.toMatch(
      new RegExp(
        `^Combination \\(most frequent first\\) \\d+-\\d+: Times drawn ${best}, Expected by chance [\\d.]+\\.$`,
      ),
    );

    await page.getByLabel('Size', { exact: true }).selectOption('3');
    await page.getByLabel('Include the Powerball').check();
    await page.getByLabel('Seen at least', { exact: true }).fill('3');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('heading', { name: /combinations of 2 whites and the Powerball/ }).waitFor();
    expect(page.url()).toMatch(/size=3/);
    expect(page.url()).toMatch(/pb=1/);
    const rows = await page
      .getByRole('region', { name: /^Counts against chance/ })
      .locator('tbody tr')
      .allTextContents();
    for (const r of rows) expect(r).toMatch(/\+ PB \d+/);
    await expectAccessible(page, 'combinations');
    await shotsAtWidths(page, 'analysis-combinations');
  }, 120_000);

  it('Sums: where my sum sits (percentile beside chance), with and without the Powerball, per year and splits', async () => {
    await open(page, base, 'sums');
    await settled(page);
    await page.getByLabel('My sum', { exact: true }).fill('150');
    await page.getByRole('button', { name: 'Where does it sit?' }).click();
    const sums = CURRENT.map((r) => r.whites.reduce((a, b) => a + b, 0));
    const below = sums.filter((s) => s < 150).length;
    const equal = sums.filter((s) => s === 150).length;
    const position = page.getByTestId('sum-position');
    await position.getByText(`${below} draws had a smaller sum, ${equal} the same`).waitFor();
    await expect(position.textContent()).resolves.toMatch(/sits at the \d+(st|nd|rd|th) percentile/);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe(
      'sum-position',
    );
    expect(page.url()).toMatch(/sum=150/);
    await page.getByRole('group', { name: /^Sum of the five white balls: draws per range/ }).waitFor();
    await page.getByLabel('Add the Powerball to the sum').check();
    await page.getByRole('group', { name: /^Sum of the five whites plus the Powerball/ }).waitFor();
    await page.getByRole('group', { name: /^Average sum of the five white balls per year/ }).waitFor();
    await page.getByRole('group', { name: /^Odd whites in a draw/ }).waitFor();
    await page.getByRole('group', { name: /^High whites in a draw/ }).waitFor();
    await page.reload();
    await position.getByText(`${below} draws had a smaller sum`).waitFor();
    await expect(page.getByLabel('Add the Powerball to the sum').isChecked()).resolves.toBe(true);
    await expectAccessible(page, 'sums');
    await shotsAtWidths(page, 'analysis-sums');
  }, 120_000);

  it('Gaps: histograms in draws and in days, mean/median/max per number, Powerball gaps', async () => {
    await open(page, base, 'gaps');
    await settled(page);
    await page.getByRole('group', { name: /^Draws between two appearances of a white ball/ }).waitFor();
    await page.getByRole('group', { name: /^Draws between two appearances of a Powerball/ }).waitFor();
    const idx = CURRENT.flatMap((r, i) => (r.whites.includes(1) ? [i] : []));
    const gaps = idx.slice(1).map((x, i) => x - (idx[i] as number));
    const mean = figure(/^White balls: mean gap per number/);
    await press(mean.chart, 'ArrowRight');
    await expect(mean.readout.textContent()).resolves.toBe(
      `Number 1: Mean gap ${Number((gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(3))}, Mean gap by chance 13.8.`,
    );
    const row = page
      .getByRole('region', { name: /^White balls: gaps in draws/ })
      .locator('tbody tr')
      .first();
    await page.getByText("Show every white ball's gaps as a table").click();
    await expect(row.locator('td').nth(4).textContent()).resolves.toBe(String(Math.max(...gaps)));
    await page.getByLabel('Measure gaps in').selectOption('days');
    await page.getByRole('group', { name: /^Days between two appearances of a white ball/ }).waitFor();
    expect(page.url()).toMatch(/unit=days/);
    await expectAccessible(page, 'gaps');
    await shotsAtWidths(page, 'analysis-gaps');
  }, 120_000);

  it('Day of week: draws per weekday against the schedule, and each number per weekday against chance', async () => {
    await open(page, base, 'weekdays');
    await settled(page);
    await page.getByRole('group', { name: /^Draws per weekday, stored and scheduled/ }).waitFor();
    const heat = figure(/^White balls per draw weekday, against chance/);
    await press(heat.chart, 'ArrowRight');
    const mondays = CURRENT.filter((r) => weekday(r.date) === 1);
    await expect(heat.readout.textContent()).resolves.toMatch(
      new RegExp(
        `^White ball 1 on Mondays: drawn ${mondays.filter((r) => r.whites.includes(1)).length} times in ${mondays.length} draws; chance expects [\\d.]+ \\([\\d.]+×\\)\\.$`,
      ),
    );
    await page.getByLabel('Pool', { exact: true }).selectOption('powerball');
    const pb = figure(/^Powerballs per draw weekday, against chance/);
    await press(pb.chart, 'ArrowRight');
    await press(pb.chart, 'ArrowDown');
    const weds = CURRENT.filter((r) => weekday(r.date) === 3);
    await expect(pb.readout.textContent()).resolves.toMatch(
      new RegExp(`^Powerball 1 on Wednesdays: drawn ${weds.filter((r) => r.pb === 1).length} times`),
    );
    await expectAccessible(page, 'weekdays');
    await shotsAtWidths(page, 'analysis-weekdays');
  }, 120_000);

  it('Experiments: sortable columns, a comparison with the best marked, Register best, and a page per run', async () => {
    // Two tracked training runs with different alphas.
    const maes: Record<number, number> = {};
    for (const alpha of [0.5, 500]) {
      const job = (await (
        await fetch(`${base}/api/train`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'ridge', folds: 2, params: { alpha } }),
        })
      ).json()) as { id: string };
      const events = await (await fetch(`${base}/api/jobs/${job.id}/events`)).text();
      expect(events).toMatch(/event: done\ndata: .*"status":"succeeded"/);
    }
    const { runs } = (await (await fetch(`${base}/api/runs?limit=10`)).json()) as {
      runs: { id: number; metrics: { mae: number } }[];
    };
    for (const r of runs) maes[r.id] = r.metrics.mae;
    const bestId = Number(Object.entries(maes).sort((a, b) => a[1] - b[1])[0]?.[0]);

    await open(page, base, 'experiments');
    await settled(page);
    await page.getByRole('button', { name: /^Sort by mae/ }).click();
    expect(page.url()).toMatch(/sort=mae/);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-sort'))).resolves.toBe('mae');
    const firstRun = page
      .getByRole('region', { name: /runs, sorted by mae/ })
      .locator('tbody tr')
      .first();
    await expect(firstRun.getByRole('link').textContent()).resolves.toBe(`Run ${bestId}`);
    await page.getByRole('button', { name: /^Sort by mae, now ascending/ }).click();
    await page.getByRole('button', { name: /^Sort by mae, now descending/ }).waitFor();

    await compareFirstTwoRuns(page);
    const comparison = page.getByTestId('comparison');
    await comparison.waitFor();
    await expect(comparison.locator('caption').textContent()).resolves.toContain(`(best MAE: run ${bestId})`);
    await expect(comparison.locator('th', { hasText: '★ best' }).textContent()).resolves.toBe(
      `Run ${bestId} ★ best`,
    );
    expect(page.url()).toMatch(/compare=\d+%2C\d+|compare=\d+,\d+/);
    // Training runs kept their model: the best one's own artifact is registered, not retrained.
    await page
      .getByRole('button', { name: `Register best: run ${bestId}'s ridge model as a new version` })
      .click();
    await page.getByTestId('registered').waitFor({ timeout: 120_000 });
    await expect(page.getByTestId('registered').textContent()).resolves.toMatch(
      new RegExp(`^Registered ridge v\\d+ from run ${bestId}'s own model`),
    );
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe(
      'registered',
    );
    // The comparison and sort are in the URL: reload shows them again.
    await page.reload();
    await page.getByTestId('comparison').waitFor();
    await expectAccessible(page, 'experiments');
    await shotsAtWidths(page, 'analysis-experiments');

    await page
      .getByRole('link', { name: `Run ${bestId}`, exact: true })
      .first()
      .click();
    await page.getByRole('heading', { name: `Run ${bestId}: ridge (train)` }).waitFor();
    expect(page.url()).toContain(`#/experiments/run/${bestId}`);
    await expect(page.getByTestId('data-digest').textContent()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await expect(page.locator('.table-wrap[aria-label="Parameters"]').textContent()).resolves.toContain(
      'alpha',
    );
    await page.getByRole('group', { name: /^Mean absolute error per fold/ }).waitFor();
    const folds = figure(/^Mean absolute error per fold/);
    await press(folds.chart, 'ArrowRight');
    await expect(folds.readout.textContent()).resolves.toMatch(/^Fold \d+: fold_mae [\d.]+/);
    await expectAccessible(page, 'run page');
    await shotsAtWidths(page, 'analysis-run');
  }, 300_000);

  it("Experiments: a search's result is still there after leaving the page and coming back", async () => {
    await open(page, base, 'experiments');
    await settled(page);
    await page.getByLabel('Search space', { exact: true }).fill('alpha=0.5,5');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByTestId('search-done').waitFor({ timeout: 120_000 });
    await expect(focusedText()).resolves.toBe('Search finished.');
    await open(page, base, 'numbers');
    await open(page, base, 'experiments');
    const recent = page.getByTestId('recent-tune');
    await recent.getByTestId('search-result').waitFor();
    await expect(recent.getByTestId('search-result').textContent()).resolves.toMatch(
      /2 trials\. Best: Run \d+ with MAE/,
    );
    expect(await recent.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
  }, 180_000);

  it('on a 390 px phone the navigation is one row that opens as a menu; nothing is cut off', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page, base, 'gaps');
    const header = await page.locator('header.top').boundingBox();
    expect(header?.height).toBeLessThan(70);
    await expect(page.getByRole('link', { name: 'Trends' }).isVisible()).resolves.toBe(false);
    const toggle = page.getByRole('button', { name: 'Pages ▾' });
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');
    await toggle.click();
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    await page.getByRole('link', { name: 'Trends' }).click();
    await page.locator('.page[data-page="trends"]').waitFor();
    await expect(page.getByRole('button', { name: 'Pages ▾' }).getAttribute('aria-expanded')).resolves.toBe(
      'false',
    );
    await settled(page);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(browser.errors).toEqual([]);
  });
});
