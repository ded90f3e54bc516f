/**
 * The Draws, Data, Predictions and Models pages in a real headless Chromium against one real
 * `pbi serve` over the bundled history (without its last draw, which "the official results" serve
 * from a local HTTP server during the test). Every page is looked at at 1280 and 390 px
 * (screenshots in test-artifacts/, nothing cut off) and checked with axe-core.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  browserAvailable,
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

const LAST = '2026-08-05';

describe.skipIf(!browserAvailable('data pages'))(
  'Draws, Data, Predictions and Models pages in Chromium',
  () => {
    let served: Served;
    let browser: Browser;
    let official: http.Server;
    let held = '';
    let dir = '';

    const page = () => browser.page;
    const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${served.url}/api${route}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      expect(res.status, `${method} ${route}`).toBeLessThan(300);
      return (await res.json()) as T;
    };
    const look = async (name: string) => {
      await settled(page());
      await shotsAtWidths(page(), name);
      await expectAccessible(page(), name);
    };

    beforeAll(async () => {
      await ensureWebBuild();
      const history = historyDb('data-pages', 1);
      dir = history.dir;
      held = history.held;
      // "The official results": the held-back last draw, served over HTTP like the NY export.
      official = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.end(held);
      });
      await new Promise<void>((r) => official.listen(0, '127.0.0.1', r));
      const port = (official.address() as AddressInfo).port;
      served = await serve(history.db, [], {
        PBI_UPDATE_URL: `http://127.0.0.1:${port}/draws.csv`,
        PBI_BACKUP_DIR: path.join(dir, 'backups'),
      });
      browser = await launchBrowser({ ignoreConsole: /status of (400|404|409)/ });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await served?.stop();
      await new Promise((r) => official?.close(r));
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('browses the history a page at a time, newest first, by date range, and keeps the view in the URL', async () => {
      const p = page();
      await open(p, served.url, 'draws');
      const table = p.locator('table', { hasText: 'Stored draws' });
      await table.locator('tbody tr').first().waitFor();
      expect(await table.locator('tbody tr').count()).toBe(50);
      // Newest first: the first row is the last stored draw (the held one is not stored yet).
      await expect(table.locator('tbody tr').first().locator('time').getAttribute('datetime')).resolves.toBe(
        '2026-08-03',
      );
      await expect(table.locator('tbody tr').first().textContent()).resolves.toContain('from 2015-10-07');
      await expect(p.getByRole('navigation', { name: 'Draws pages' }).textContent()).resolves.toMatch(
        /Draws 1–50 of [\d,]+/,
      );
      await p.getByRole('button', { name: 'Older →' }).click();
      await p.getByText(/Draws 51–100 of/).waitFor();
      expect(p.url()).toContain('page=2');
      await p.reload();
      await p.getByText(/Draws 51–100 of/).waitFor();

      await p.getByLabel('From', { exact: true }).fill('2012-01-01');
      await p.getByLabel('To', { exact: true }).fill('2012-01-31');
      await p.getByRole('button', { name: 'Show draws' }).click();
      await p.locator('table', { hasText: 'from 2012-01-01 to 2012-01-31' }).waitFor();
      const rows = p.locator('table', { hasText: 'Stored draws' }).locator('tbody tr');
      // January 2012 straddles the era change of 2012-01-18: both eras appear.
      expect(await rows.count()).toBe(8);
      await expect(rows.first().textContent()).resolves.toContain('from 2012-01-18');
      await expect(rows.last().textContent()).resolves.toContain('from 2009-01-07');
      expect(p.url()).toMatch(/from=2012-01-01.*to=2012-01-31/);
      // The result has focus after the action.
      expect(await p.evaluate(() => document.activeElement?.querySelector('table') !== null)).toBe(true);
      await p.reload();
      await p.locator('table', { hasText: 'from 2012-01-01 to 2012-01-31' }).waitFor();
      await look('draws-history');

      await p.getByLabel('From', { exact: true }).fill('2026-09-01');
      await p.getByLabel('To', { exact: true }).fill('2026-09-30');
      await p.getByRole('button', { name: 'Show draws' }).click();
      await expect(p.getByTestId('draws-empty').textContent()).resolves.toContain('Choose other dates');
    }, 120_000);

    it('fetches the missing draw from the staleness notice, then enters, replaces and deletes a draw by hand', async () => {
      const p = page();
      await open(p, served.url, 'draws');
      const notice = p.getByTestId('draws-stale');
      await expect(notice.textContent()).resolves.toMatch(/missing/i);
      await notice.getByRole('button', { name: 'Fetch the official results' }).click();
      await notice.getByText('Fetched: 1 new, 0 changed draws.').waitFor();

      // The same date by hand with other numbers: refused in words, then replaced when asked.
      await p.getByLabel('Draw date', { exact: true }).fill(LAST);
      for (const [i, n] of [1, 2, 3, 4, 5].entries())
        await p.getByLabel(`White ball ${i + 1}`).fill(String(n));
      await p.getByLabel('Powerball', { exact: true }).fill('6');
      await p.getByRole('button', { name: 'Save the draw' }).click();
      const conflict = p.getByRole('alert').filter({ hasText: 'A draw with other numbers is stored' });
      await conflict.waitFor();
      await expect(conflict.textContent()).resolves.not.toMatch(/--|overwrite/);
      await p.getByLabel('Replace the stored draw of that date').check();
      await p.getByRole('button', { name: 'Save the draw' }).click();
      await expect(p.getByTestId('draw-saved').textContent()).resolves.toContain('Replaced the draw of');
      expect(await p.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('draw-saved');
      const stored = await api<{ draws: { date: string; whites: number[] }[] }>('GET', '/draws?last=1');
      expect(stored.draws[0]).toMatchObject({ date: LAST, whites: [1, 2, 3, 4, 5] });

      // Replace from the table row, then delete it (two steps).
      await p.getByLabel('From', { exact: true }).fill(LAST);
      await p.getByLabel('To', { exact: true }).fill(LAST);
      await p.getByRole('button', { name: 'Show draws' }).click();
      await p.getByRole('button', { name: `Replace the draw of ${LAST}` }).click();
      await expect(p.getByLabel('Powerball', { exact: true }).inputValue()).resolves.toBe('6');
      await p.getByLabel('Powerball', { exact: true }).fill('7');
      await p.getByRole('button', { name: 'Save the draw' }).click();
      await p.getByTestId('draw-saved').getByText('Replaced').waitFor();
      await p.getByRole('button', { name: `Delete the draw of ${LAST}` }).click();
      await p.getByRole('button', { name: `Confirm: delete the draw of ${LAST}` }).click();
      await p.getByTestId('draws-empty').waitFor();
      const after = await api<{ draws: { date: string }[] }>('GET', '/draws?last=1');
      expect(after.draws[0]?.date).toBe('2026-08-03');
      await look('draws-forms');
    }, 120_000);

    it('previews an import (new, refused with the reason) before writing, then imports and exports', async () => {
      const p = page();
      await open(p, served.url, 'draws');
      const file = path.join(dir, 'upload.csv');
      fs.writeFileSync(file, `${held.trimEnd()}\n2026-08-06,1,2,3,4,5,6,\n`);
      await p.locator('input[type=file]').setInputFiles(file);
      await p.getByRole('button', { name: 'Preview the import' }).click();
      const preview = p.getByTestId('import-preview');
      await expect(preview.textContent()).resolves.toMatch(
        /1 new, 0 changed draws would be stored.*1 refused/,
      );
      await expect(preview.locator('table', { hasText: 'Refused rows' }).textContent()).resolves.toMatch(
        /2026-08-06.*(Thursday|not a draw day)/i,
      );
      // Nothing written yet.
      const before = await api<{ draws: { date: string }[] }>('GET', '/draws?last=1');
      expect(before.draws[0]?.date).toBe('2026-08-03');
      await p.getByRole('button', { name: 'Import 1 draw(s)' }).click();
      await p.getByTestId('import-done').waitFor();
      const now = await api<{ draws: { date: string }[] }>('GET', '/draws?last=1');
      expect(now.draws[0]?.date).toBe(LAST);
      await look('draws-import');

      const csv = await (await fetch(`${served.url}/api/draws/export/csv`)).text();
      const lines = csv.trim().split('\n');
      expect(lines[0]).toBe('draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier');
      expect(lines.length - 1).toBe((await api<{ total: number }>('GET', '/draws?last=1')).total);
      expect(lines.at(-1)?.startsWith(`${LAST},`)).toBe(true);
      const json = (await (await fetch(`${served.url}/api/draws/export/json`)).json()) as { date: string }[];
      expect(json.length).toBe(lines.length - 1);
      await expect(p.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).resolves.toBe(
        '/api/draws/export/csv',
      );
    }, 120_000);

    it('checks the database, shows its size and makes a backup', async () => {
      const p = page();
      await open(p, served.url, 'data');
      await expect(p.getByTestId('db-size').textContent()).resolves.toMatch(/\d+(\.\d)? (KB|MB)/);
      await p.getByTestId('no-backups').waitFor();
      await p.getByRole('button', { name: 'Check the database' }).click();
      await expect(p.getByTestId('check-result').textContent()).resolves.toContain('The database is sound');
      await p.getByRole('button', { name: 'Make a backup now' }).click();
      await expect(p.getByTestId('backup-done').textContent()).resolves.toMatch(
        /Backup written: .*draws read back/,
      );
      await expect(
        p.locator('table', { hasText: 'Backups, newest first (1)' }).locator('tbody tr').count(),
      ).resolves.toBe(1);
      expect(fs.readdirSync(path.join(dir, 'backups')).length).toBe(1);
      await look('data');
    }, 120_000);

    it('lists every stored set with all its tickets, filtered and paged, and shows one set on its own page', async () => {
      const p = page();
      for (const [strategy, seed] of [
        ['frequency', 1],
        ['recency', 2],
        ['frequency', 3],
      ] as const)
        await api('POST', '/predict', { count: 3, strategy, seed });
      await open(p, served.url, 'predictions');
      const stored = p.locator('table', { hasText: 'newest prediction sets' });
      await stored.locator('tbody tr').first().waitFor();
      expect(await stored.locator('tbody tr').count()).toBe(3);
      await p.getByLabel('Made by', { exact: true }).selectOption('frequency');
      await p.getByRole('button', { name: 'Show sets' }).click();
      await p.locator('table', { hasText: 'matching the filters' }).waitFor();
      const rows = p.locator('table', { hasText: 'matching the filters' }).locator('tbody tr');
      expect(await rows.count()).toBe(2);
      // All three tickets of each set are listed.
      expect(await rows.first().locator('.ticket-list .balls').count()).toBe(3);
      expect(p.url()).toContain('source=frequency');
      await p.reload();
      await p.locator('table', { hasText: 'matching the filters' }).waitFor();
      await look('predictions-stored');

      const link = rows.first().getByRole('link');
      const setId = (await link.textContent()) ?? '';
      await link.click();
      await p.getByRole('heading', { name: `Set ${setId}` }).waitFor();
      expect(p.url()).toContain(`#/predictions/set/${setId}`);
      const tickets = p.locator('table', { hasText: `Every ticket of set ${setId}` });
      expect(await tickets.locator('tbody tr').count()).toBe(3);
      await expect(tickets.textContent()).resolves.toContain('not scored yet');
      await p.reload();
      await p.getByRole('heading', { name: `Set ${setId}` }).waitFor();
      await look('prediction-set');

      await p.goto(`${served.url}/#/predictions/set/no-such-set`);
      await p
        .getByRole('alert')
        .getByText(/no-such-set/)
        .waitFor();
    }, 120_000);

    it('trains from a form holding every hyperparameter, shows the version in full, and keeps long results on return', async () => {
      const p = page();
      await open(p, served.url, 'models');
      await p.getByText('No model is registered yet').waitFor();
      await p.getByLabel('Model', { exact: true }).selectOption('random_forest');
      const specs = await api<{ models: { model: string; params: { name: string }[] }[] }>(
        'GET',
        '/train/hyperparameters',
      );
      const forest = specs.models.find((m) => m.model === 'random_forest')?.params.map((x) => x.name) ?? [];
      expect(forest).toEqual(
        expect.arrayContaining(['n_estimators', 'max_depth', 'max_features', 'bootstrap']),
      );
      for (const name of forest) await p.getByLabel(name, { exact: true }).waitFor();
      await p.getByLabel('Model', { exact: true }).selectOption('ridge');
      await p.getByLabel('alpha', { exact: true }).fill('10');
      await p.getByLabel('Folds', { exact: true }).fill('3');
      await look('models-form');
      await p.getByRole('button', { name: 'Train' }).click();
      await expect(p.getByTestId('train-result').textContent({ timeout: 180_000 })).resolves.toMatch(
        /ridge v1 \(CV MAE/,
      );
      await p.getByRole('heading', { name: 'ridge v1: details and lineage' }).waitFor();
      await expect(p.getByTestId('data-digest').textContent()).resolves.toMatch(
        /[0-9a-f]{64} \(sha256 of the \d+ draws/,
      );
      await expect(p.getByTestId('lineage').textContent()).resolves.toMatch(/trained by train run #\d+/);
      await expect(p.getByTestId('version-verdict').textContent()).resolves.toMatch(/baseline/);
      await expect(
        p.locator('table', { hasText: 'Hyperparameters of ridge v1' }).textContent(),
      ).resolves.toContain('10');

      await p.getByRole('button', { name: 'Compute feature importance of ridge v1' }).click();
      await p.getByTestId('importance-result').locator('tbody tr').first().waitFor({ timeout: 180_000 });
      // Leave and come back: the training and the importance are still there.
      await open(p, served.url, 'overview');
      await open(p, served.url, 'models/ridge/1');
      await p
        .locator('table', { hasText: 'Training and importance jobs' })
        .getByText(/Registered ridge v1/)
        .waitFor();
      await p.getByTestId('importance-result').locator('tbody tr').first().waitFor();
      await p.getByRole('heading', { name: 'ridge v1: details and lineage' }).waitFor();
      await look('models-version');

      expect(browser.errors).toEqual([]);
    }, 400_000);
  },
);
