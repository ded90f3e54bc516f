import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../src/domain/dates.js';
import { createDraw } from '../../../src/domain/draw.js';
import { PbiError } from '../../../src/domain/errors.js';
import { DrawService } from '../../../src/services/draw-service.js';
import { makeTestContext, PINNED_HISTORY_DIR, type TestContext, writeFile } from '../../support/test-db.js';

let ctx: TestContext | undefined;
afterEach(() => {
  ctx?.cleanup();
  ctx = undefined;
});

function setup(today?: string): { ctx: TestContext; draws: DrawService } {
  ctx = makeTestContext(today === undefined ? {} : { today });
  return { ctx, draws: new DrawService(ctx) };
}

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<PbiError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof PbiError) return e;
    throw e;
  }
  throw new Error('expected a PbiError');
}

const HEADER = 'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier\n';

describe('import: all-or-nothing and its report', () => {
  it('one bad row rejects the whole file, listing every bad line with file and reason', async () => {
    const { ctx, draws } = setup();
    const file = writeFile(
      ctx.dir,
      'mixed.csv',
      HEADER +
        '2025-05-31,1,11,18,30,41,7,2\n' + // fine
        '2025-06-01,1,2,3,4,5,6,\n' + // Sunday
        '2025-05-31,1,2,3,4,5,6,\n' + // duplicate date in the file
        '2025-06-04,1,2,3,4,70,6,\n' + // out of range
        '2025-06-07,1,2,3,4,4,6,\n' + // duplicate white
        '2026-08-08,1,2,3,4,5,6,\n' + // after "today" (2026-08-06)
        '2015-10-03,1,2,3,4,60,6,\n', // 60 did not exist before 2015-10-07
    );
    const e = await rejection(() => draws.importFile(file));
    expect(e.code).toBe('IMPORT_REJECTED');
    expect(e.message).toContain('nothing was imported');
    expect(e.issues.map((i) => i.where)).toEqual([3, 4, 5, 6, 7, 8].map((l) => `${file}:${l}`));
    const reasons = e.issues.map((i) => i.reason);
    expect(reasons[0]).toMatch(/Sunday, not a draw day/);
    expect(reasons[1]).toMatch(/duplicate date 2025-05-31 \(also on line 2\)/);
    expect(reasons[2]).toMatch(/white ball 70 is outside 1–69/);
    expect(reasons[3]).toMatch(/white ball 4 appears twice/);
    expect(reasons[4]).toMatch(/in the future/);
    expect(reasons[5]).toMatch(/white ball 60 is outside 1–59/);
    expect(ctx.store.draws.count()).toBe(0);
  });

  it('--skip-invalid imports the good rows and reports the others', () => {
    const { ctx, draws } = setup();
    const file = writeFile(
      ctx.dir,
      'mixed.csv',
      HEADER + '2025-05-31,41,11,18,30,1,7,2\n2025-06-01,1,2,3,4,5,6,\n',
    );
    const r = draws.importFile(file, { skipInvalid: true });
    expect(r).toMatchObject({ inserted: 1, updated: 0, unchanged: 0, rows: 2 });
    expect(r.rejected).toEqual([{ line: 3, reason: expect.stringMatching(/not a draw day/) }]);
    // whites given in any order are stored sorted
    expect(ctx.store.draws.get('2025-05-31' as IsoDate)?.whites).toEqual([1, 11, 18, 30, 41]);
  });

  it('re-import changes nothing; a differing row is a conflict unless --overwrite', () => {
    const { ctx, draws } = setup();
    const file = writeFile(
      ctx.dir,
      'a.csv',
      HEADER + '2025-05-31,1,11,18,30,41,7,2\n2025-06-02,5,6,7,8,9,10,\n',
    );
    expect(draws.importFile(file)).toMatchObject({ inserted: 2, unchanged: 0 });
    expect(draws.importFile(file)).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, conflicts: [] });
    const changed = writeFile(
      ctx.dir,
      'b.json',
      '[{"date":"2025-05-31","whites":[1,11,18,30,42],"powerball":7}]',
    );
    const r = draws.importFile(changed);
    expect(r).toMatchObject({ inserted: 0, updated: 0, unchanged: 0 });
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]).toMatchObject({
      line: 1,
      date: '2025-05-31',
      stored: { whites: [1, 11, 18, 30, 41] },
    });
    expect(ctx.store.draws.get('2025-05-31' as IsoDate)?.whites[4]).toBe(41);
    expect(draws.importFile(changed, { overwrite: true })).toMatchObject({ updated: 1, conflicts: [] });
    expect(ctx.store.draws.get('2025-05-31' as IsoDate)?.whites[4]).toBe(42);
  });

  it('a file without multipliers leaves stored multipliers alone', () => {
    const { ctx, draws } = setup();
    draws.importFile(writeFile(ctx.dir, 'a.csv', HEADER + '2025-05-31,1,11,18,30,41,7,2\n'));
    const r = draws.importFile(
      writeFile(ctx.dir, 'b.csv', 'draw_date,n1,n2,n3,n4,n5,pb\n2025-05-31,1,11,18,30,41,7\n'),
    );
    expect(r).toMatchObject({ unchanged: 1, conflicts: [] });
    expect(ctx.store.draws.get('2025-05-31' as IsoDate)?.multiplier).toBe(2);
  });

  it('a multiplier fills in a draw stored without one; a different multiplier is a conflict', () => {
    const { ctx, draws } = setup();
    draws.importFile(
      writeFile(ctx.dir, 'a.csv', 'draw_date,n1,n2,n3,n4,n5,pb\n2025-05-31,1,11,18,30,41,7\n'),
    );
    const filled = draws.importFile(writeFile(ctx.dir, 'b.csv', HEADER + '2025-05-31,1,11,18,30,41,7,3\n'));
    expect(filled).toMatchObject({ updated: 1, conflicts: [] });
    expect(ctx.store.draws.get('2025-05-31' as IsoDate)?.multiplier).toBe(3);
    const other = draws.importFile(writeFile(ctx.dir, 'c.csv', HEADER + '2025-05-31,1,11,18,30,41,7,2\n'));
    expect(other).toMatchObject({ updated: 0, conflicts: [{ line: 2 }] });
    expect(ctx.store.draws.get('2025-05-31' as IsoDate)?.multiplier).toBe(3);
  });

  it('unreadable and malformed files are clear errors', async () => {
    const { ctx, draws } = setup();
    expect((await rejection(() => draws.importFile(path.join(ctx.dir, 'missing.csv')))).message).toMatch(
      /cannot read .*missing\.csv: no such file/,
    );
    expect((await rejection(() => draws.importFile(writeFile(ctx.dir, 'e.csv', '')))).code).toBe(
      'MALFORMED_FILE',
    );
    expect((await rejection(() => draws.importFile(writeFile(ctx.dir, 'u.csv', 'a,b\n1,2\n')))).code).toBe(
      'UNKNOWN_FORMAT',
    );
  });
});

describe('the bundled history', () => {
  it('loads completely, validates, and the NY export of it is all unchanged', () => {
    const { ctx, draws } = setup();
    const init = draws.init();
    expect(init.loadedBundled).toMatchObject({ inserted: 3838, rejected: [], conflicts: [] });
    const all = ctx.store.draws.list();
    expect(all).toHaveLength(3838);
    expect(all[0]?.date).toBe('1992-04-22');
    expect(all.at(-1)?.date).toBe('2026-08-05');
    for (let i = 0; i < all.length; i++) {
      const d = all[i]!;
      expect(createDraw(d, '2026-08-06' as IsoDate)).toEqual(d);
      if (i > 0) expect(d.date > all[i - 1]!.date).toBe(true);
    }
    expect(init.summary.currentEraDraws).toBeGreaterThan(1300);
    expect(init.summary.nextDrawDate).toBe('2026-08-08');
    const ny = draws.importFile(path.join(PINNED_HISTORY_DIR, 'draws-ny-format.csv'));
    expect(ny).toMatchObject({
      format: 'ny',
      rows: 1991,
      unchanged: 1991,
      inserted: 0,
      updated: 0,
      rejected: [],
    });
    expect(draws.init().loadedBundled).toBeNull();
  });
});

describe('add', () => {
  it('inserts a valid draw, says unchanged when repeated, refuses a different one unless overwrite', async () => {
    const { ctx, draws } = setup();
    expect(
      draws.add({ date: '08/05/2026', whites: [61, 14, 20, 59, 60], powerball: 25, multiplier: 2 }),
    ).toMatchObject({
      status: 'inserted',
      draw: { date: '2026-08-05', whites: [14, 20, 59, 60, 61] },
    });
    expect(
      draws.add({ date: '2026-08-05', whites: [14, 20, 59, 60, 61], powerball: 25, multiplier: 2 }).status,
    ).toBe('unchanged');
    const conflict = await rejection(() =>
      draws.add({ date: '2026-08-05', whites: [1, 2, 3, 4, 5], powerball: 25 }),
    );
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.message).toContain('14 20 59 60 61');
    const r = draws.add({ date: '2026-08-05', whites: [1, 2, 3, 4, 5], powerball: 25, overwrite: true });
    expect(r).toMatchObject({ status: 'updated', previous: { whites: [14, 20, 59, 60, 61] } });
    expect(ctx.store.draws.count()).toBe(1);
  });

  it('applies the same validation as an import', async () => {
    const { ctx, draws } = setup();
    expect(
      (await rejection(() => draws.add({ date: '2026-08-04', whites: [1, 2, 3, 4, 5], powerball: 1 }))).code,
    ).toBe('INVALID_DRAW_DATE');
    expect(
      (await rejection(() => draws.add({ date: '2026-08-08', whites: [1, 2, 3, 4, 5], powerball: 1 }))).code,
    ).toBe('INVALID_DRAW_DATE');
    expect(
      (await rejection(() => draws.add({ date: 'tomorrow', whites: [1, 2, 3, 4, 5], powerball: 1 }))).code,
    ).toBe('INVALID_DRAW_DATE');
    expect(
      (await rejection(() => draws.add({ date: '2026-08-05', whites: [1, 2, 3, 4, 5], powerball: 27 }))).code,
    ).toBe('INVALID_NUMBERS');
    expect(ctx.store.draws.count()).toBe(0);
  });
});

describe('update from a local HTTP server', () => {
  const servers: http.Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  async function serve(handler: http.RequestListener): Promise<string> {
    const server = http.createServer(handler);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/rows.csv`;
  }

  const nyText = fs.readFileSync(path.join(PINNED_HISTORY_DIR, 'draws-ny-format.csv'), 'utf8');

  it('imports a good NY export through the same importer', async () => {
    const { ctx, draws } = setup();
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(nyText);
    });
    const r = await draws.update({ url });
    expect(r).toMatchObject({ url, format: 'ny', inserted: 1991, rejected: [] });
    expect(r.bytes).toBe(Buffer.byteLength(nyText));
    expect(ctx.store.draws.count()).toBe(1991);
    expect(await draws.update({ url })).toMatchObject({ inserted: 0, unchanged: 1991 });
  });

  it.each([
    [
      'garbage',
      (res: http.ServerResponse) => res.end('<html><body>Service moved</body></html>'),
      /did not return a draw file/,
    ],
    [
      'HTTP 500',
      (res: http.ServerResponse) => {
        res.writeHead(500, 'Internal Server Error');
        res.end('oops');
      },
      /answered HTTP 500/,
    ],
    [
      'a body cut short',
      (res: http.ServerResponse) => {
        res.writeHead(200, { 'content-length': '100000' });
        res.write(nyText.slice(0, 500));
        setTimeout(() => res.destroy(), 50);
      },
      /cannot download|timed out/,
    ],
  ])('%s: clear NETWORK error, nothing stored', async (_name, respond, message) => {
    const { ctx, draws } = setup();
    const url = await serve((_req, res) => respond(res));
    const e = await rejection(draws.update({ url }));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toMatch(message);
    expect(e.message).toContain(url);
    expect(ctx.store.draws.count()).toBe(0);
  });

  it('a server that never answers times out', async () => {
    ctx = makeTestContext({ config: { httpTimeoutMs: 300 } });
    const draws = new DrawService(ctx);
    const url = await serve(() => undefined);
    const started = Date.now();
    const e = await rejection(draws.update({ url }));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toMatch(/within 300 ms \(timed out\)/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(ctx.store.draws.count()).toBe(0);
  });

  it('a bad URL and an unreachable host are clear errors', async () => {
    const { draws } = setup();
    expect((await rejection(draws.update({ url: 'not a url' }))).code).toBe('INVALID_INPUT');
    expect((await rejection(draws.update({ url: 'file:///etc/passwd' }))).code).toBe('INVALID_INPUT');
    const closed = await serve(() => undefined);
    const s = servers.pop()!;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
    const e = await rejection(draws.update({ url: closed }));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toMatch(/cannot download/);
  });
});
