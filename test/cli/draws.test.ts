/**
 * `pbi init`, `pbi draws import|add|list|update` run as the real executable on temporary databases.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nextDrawDate } from '../../src/domain/calendar.js';
import { addDays, isoDateOf } from '../../src/domain/dates.js';
import { PINNED_DRAWS_CSV, shippedHistory } from '../strategies/bundled-draws.js';
import { fileHash, ROOT } from '../support/child-process.js';
import { runPbi } from '../support/run-pbi.js';
import { makeTestDb } from '../support/test-db.js';

const NY = path.join(ROOT, 'data', 'powerball', 'draws-ny-format.csv');
const SHIPPED = shippedHistory();
let dir: string;
let db: string;

beforeAll(async () => {
  ({ dir, dbPath: db } = makeTestDb({ name: 'x.db' }));
  const init = await runPbi(['--db', db, 'init', '--json']);
  expect(init.stderr).toBe('');
  expect(init.code).toBe(0);
  const report = JSON.parse(init.stdout);
  // Every draw of the shipped file (refreshed over time: the count comes from the file).
  expect(report.loadedBundled.inserted).toBe(SHIPPED.count);
  expect(report.summary.draws).toBe(SHIPPED.count);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('pbi init and import of the bundled NY export', () => {
  it('init --json reports every bundled draw; importing the NY export reports all its rows unchanged', async () => {
    const r = await runPbi(['--db', db, 'draws', 'import', NY, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      format: 'ny',
      rows: SHIPPED.nyRows,
      inserted: 0,
      updated: 0,
      unchanged: SHIPPED.nyRows,
      conflicts: [],
      rejected: [],
    });
    const text = await runPbi(['--db', db, 'draws', 'import', NY]);
    expect(text.stderr).toBe('');
    expect(text.stdout).toContain('1991 unchanged');
    expect(text.stdout).toContain('Nothing changed in the database.');
  });

  it('a second init loads nothing', async () => {
    const r = await runPbi(['--db', db, 'init', '--json']);
    expect(JSON.parse(r.stdout).loadedBundled).toBeNull();
  });
});

describe('bad input: clear error naming file, line and reason; exit 1; database byte-for-byte unchanged', () => {
  const future = nextDrawDate(addDays(isoDateOf(new Date()), 30));
  const header = 'draw_date,n1,n2,n3,n4,n5,powerball\n';
  const cases: [string, string, RegExp][] = [
    ['empty.csv', '', /empty\.csv is empty/],
    ['unknown.csv', 'id,when,what\n1,2,3\n', /unknown\.csv: unknown format/],
    ['malformed.csv', `${header}2025-05-31,1,2,3,4\n`, /malformed\.csv:2: expected 7 fields/],
    ['quote.csv', `${header}"2025-05-31,1,2,3,4,5,6\n`, /quote\.csv:2: unterminated quoted field/],
    [
      'dupdate.csv',
      `${header}2025-05-31,1,2,3,4,5,6\n2025-05-31,1,2,3,4,5,7\n`,
      /dupdate\.csv:3: duplicate date 2025-05-31 \(also on line 2\)/,
    ],
    ['range.csv', `${header}2025-05-31,1,2,3,4,70,6\n`, /range\.csv:2: white ball 70 is outside 1–69/],
    ['pbrange.csv', `${header}2015-10-03,1,2,3,4,5,36\n`, /pbrange\.csv:2: Powerball 36 is outside 1–35/],
    ['dupwhite.csv', `${header}2025-05-31,1,2,3,4,4,6\n`, /dupwhite\.csv:2: white ball 4 appears twice/],
    ['future.csv', `${header}${future},1,2,3,4,5,6\n`, /future\.csv:2: .*in the future/],
    [
      'weekday.csv',
      `${header}2025-06-01,1,2,3,4,5,6\n`,
      /weekday\.csv:2: 2025-06-01 is a Sunday, not a draw day/,
    ],
    ['broken.json', '[\n{"date": "2025-05-31", "whites": [1,2,3,4,5]\n', /broken\.json is not valid JSON/],
  ];

  it.each(cases)('%s', async (name, text, message) => {
    const file = write(name, text);
    const before = fileHash(db);
    const r = await runPbi(['--db', db, 'draws', 'import', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.replace(/\n\s+/g, ' ')).toMatch(message);
    expect(fileHash(db)).toBe(before);
  });

  it('--json puts the error, with its code and every issue, on stderr', async () => {
    const file = write('two-bad.csv', `${header}2025-05-31,1,2,3,4,70,6\n2025-06-01,1,2,3,4,5,6\n`);
    const r = await runPbi(['--db', db, '--json', 'draws', 'import', file]);
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stderr);
    expect(error.code).toBe('IMPORT_REJECTED');
    expect(error.issues.map((i: { where: string }) => i.where)).toEqual([`${file}:2`, `${file}:3`]);
  });

  it('--skip-invalid imports the good rows and reports the others', async () => {
    const copy = path.join(dir, 'skip.db');
    fs.copyFileSync(db, copy);
    const file = write('skip.csv', `${header}2025-06-01,1,2,3,4,5,6\n2026-08-05,14,20,59,60,61,25\n`);
    const r = await runPbi(['--db', copy, 'draws', 'import', file, '--skip-invalid', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ unchanged: 1, inserted: 0, rejected: [{ line: 2 }] });
  });

  it('--format ny on a JSON file is refused', async () => {
    const file = write('fmt.json', '[{"date":"2025-05-31","whites":[1,2,3,4,5],"powerball":6}]');
    const r = await runPbi(['--db', db, 'draws', 'import', file, '--format', 'ny']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fmt\.json is JSON, not the ny format/);
    // A flag value that cannot be parsed is a usage error (exit 2), not bad input.
    const bad = await runPbi(['--db', db, 'draws', 'import', file, '--format', 'xml']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format must be one of auto, ny, csv, json/);
  });

  it('a database in a missing folder: error, nothing created', async () => {
    const missing = path.join(dir, 'no-such-folder', 'x.db');
    const r = await runPbi(['--db', missing, 'draws', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/folder .*no-such-folder does not exist/);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });

  it('a rejected import into a database path that did not exist leaves no file behind', async () => {
    const fresh = path.join(dir, 'fresh.db');
    const file = write('fresh-bad.csv', `${header}2025-05-31,1,2,3,4,70,6\n`);
    const r = await runPbi(['--db', fresh, 'draws', 'import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fresh-bad\.csv:2: white ball 70 is outside 1–69/);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('fresh.db'))).toEqual([]);
    // The same import that succeeds creates and keeps it.
    const good = write('fresh-good.csv', `${header}2025-05-31,1,2,3,4,5,6\n`);
    const ok = await runPbi(['--db', fresh, 'draws', 'import', good]);
    expect(ok.code).toBe(0);
    expect(fs.existsSync(fresh)).toBe(true);
    // A later failure on that (now non-empty) database keeps it and its draw.
    const again = await runPbi(['--db', fresh, 'draws', 'import', file]);
    expect(again.code).toBe(1);
    const list = await runPbi(['--db', fresh, '--json', 'draws', 'list']);
    expect(JSON.parse(list.stdout).count).toBe(1);
  });
  it('a database path that cannot be written (a folder): clear error', async () => {
    const r = await runPbi(['--db', dir, 'draws', 'list']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot open database/);
  });

  it.runIf(process.platform === 'linux')(
    'a database in a folder nobody may write (/proc): clear error',
    async () => {
      const r = await runPbi(['--db', '/proc/pbi-test.db', 'draws', 'list']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /cannot open database \/proc\/pbi-test\.db: .*check that the file and its folder are writable/,
      );
    },
  );

  // Root ignores file modes, so this one only runs as an ordinary user; /proc above covers root.
  it.skipIf(process.getuid?.() === 0)('a read-only database file: clear error, file unchanged', async () => {
    const ro = path.join(dir, 'ro.db');
    fs.copyFileSync(db, ro);
    fs.chmodSync(ro, 0o444);
    const before = fileHash(ro);
    const r = await runPbi(['--db', ro, 'draws', 'add', '2026-08-08', '1', '2', '3', '4', '5', '6']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/readonly|read-only|writable/i);
    expect(fileHash(ro)).toBe(before);
  });

  it('a corrupt database file: clear error, file unchanged', async () => {
    const corrupt = write('corrupt.db', 'SQLite format 3\u0000' + 'garbage '.repeat(1000));
    const before = fileHash(corrupt);
    const r = await runPbi(['--db', corrupt, 'draws', 'import', NY]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/corrupt\.db: the file is not a valid SQLite database/);
    expect(fileHash(corrupt)).toBe(before);
  });
});

describe('pbi draws add and list', () => {
  it('adds a draw by hand, lists it, refuses a conflicting one', async () => {
    // The pinned history (last draw 2026-08-05), so 2026-08-08 is free whatever data/powerball holds.
    const copy = path.join(dir, 'add.db');
    expect((await runPbi(['--db', copy, 'draws', 'import', PINNED_DRAWS_CSV])).code).toBe(0);
    const add = await runPbi([
      '--db',
      copy,
      '--json',
      'draws',
      'add',
      '2026-08-08',
      '60',
      '3',
      '17',
      '44',
      '9',
      '12',
      '--multiplier',
      '3',
    ]);
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({
      status: 'inserted',
      draw: { whites: [3, 9, 17, 44, 60], powerball: 12, multiplier: 3 },
    });
    const list = await runPbi(['--db', copy, '--json', 'draws', 'list', '--last', '2']);
    expect(JSON.parse(list.stdout)).toMatchObject({
      count: 2,
      draws: [{ date: '2026-08-05' }, { date: '2026-08-08' }],
    });
    const text = await runPbi(['--db', copy, 'draws', 'list', '--last', '1']);
    expect(text.stdout).toMatch(/2026-08-08\s+3\s+9 17 44 60\s+12\s+3/);
    const before = fileHash(copy);
    const conflict = await runPbi(['--db', copy, 'draws', 'add', '2026-08-08', '1', '2', '3', '4', '5', '6']);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/a different draw is stored for 2026-08-08: 3 9 17 44 60 PB 12 x3/);
    const bad = await runPbi(['--db', copy, 'draws', 'add', '2026-08-09', '1', '2', '3', '4', '5', '6']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Sunday, not a draw day/);
    const few = await runPbi(['--db', copy, 'draws', 'add', '2026-08-10', '1', '2', '3']);
    expect(few.code).toBe(1);
    expect(few.stderr).toMatch(/expected six numbers/);
    expect(fileHash(copy)).toBe(before);
  });
});

describe('pbi draws update against a local HTTP server', () => {
  let server: http.Server;
  let base: string;
  const nyText = fs.readFileSync(NY, 'utf8');
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/good') {
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.end(nyText);
      } else if (req.url === '/garbage') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>Maintenance</title>');
      } else if (req.url === '/500') {
        res.writeHead(500);
        res.end('boom');
      } // anything else: never answers
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  let fresh: string;
  afterEach(() => fs.rmSync(fresh, { force: true }));
  async function freshDb(): Promise<string> {
    fresh = path.join(dir, `update-${Math.random().toString(36).slice(2)}.db`);
    fs.copyFileSync(db, fresh);
    return fresh;
  }

  it('a good file is imported (all unchanged here)', async () => {
    const target = await freshDb();
    const r = await runPbi(['--db', target, '--json', 'draws', 'update', '--url', `${base}/good`]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      url: `${base}/good`,
      format: 'ny',
      unchanged: 1991,
      inserted: 0,
    });
  });

  it.each([
    ['garbage', '/garbage', /did not return a draw file/],
    ['HTTP 500', '/500', /answered HTTP 500/],
    ['no answer', '/hang', /within 700 ms \(timed out\)/],
  ])('%s: clear error, exit 1, nothing stored', async (_name, route, message) => {
    const target = await freshDb();
    const before = fileHash(target);
    const r = await runPbi(['--db', target, 'draws', 'update', '--url', `${base}${route}`], {
      PBI_HTTP_TIMEOUT_MS: '700',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(`${base}${route}`);
    expect(fileHash(target)).toBe(before);
  });
});
