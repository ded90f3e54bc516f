/**
 * The CLI as a careless user meets it: usage errors exit 2 (JSON under --json), every error printed
 * once, values refused with a clear reason, a newcomer's first commands, the environment checked.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestDrawnDay } from '../../src/domain/calendar.js';
import { allowedMultipliers } from '../../src/domain/draw.js';
import { CONFIG_DEFAULTS, resolveConfig } from '../../src/main/config.js';
import { makeTestDb, makeTestService } from '../support/test-db.js';
import { ROOT, runPbiBinary } from '../support/child-process.js';
import { runPbi } from '../support/run-pbi.js';

let dir: string;
let db: string;
beforeAll(async () => {
  ({ dir, dbPath: db } = makeTestDb({ name: 'x.db' }));
  expect((await runPbi(['--db', db, 'init'])).code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('exit codes: usage 2, bad input 1', () => {
  it('an unknown option exits 2 with one line, and JSON under --json', async () => {
    const text = await runPbi(['--db', db, 'draws', 'list', '--bogus']);
    expect(text.code).toBe(2);
    expect(text.stderr).toBe("pbi: unknown option '--bogus'\n");
    const json = await runPbi(['--db', db, '--json', 'draws', 'list', '--bogus']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stderr)).toEqual({
      error: { code: 'USAGE', message: "unknown option '--bogus'", issues: [] },
    });
  });

  it('a bad flag value exits 2 (parsed by the CLI or refused by a service)', async () => {
    for (const args of [
      ['draws', 'list', '--last', 'abc'],
      ['predictions', 'list', '--since', 'yesterday'],
      ['train', '--model', 'svm'],
    ]) {
      const r = await runPbi(['--db', db, '--json', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stderr).error.code).toBe('USAGE');
    }
  });

  it('bad input (a file row, a draw) still exits 1', async () => {
    const r = await runPbi(['--db', db, 'draws', 'add', '2026-08-05', '1', '2', '3', '4', '5', '99']);
    expect(r.code).toBe(1);
  });
});

describe('every error is printed once', () => {
  it('a missing file is one line', async () => {
    const r = await runPbi(['--db', db, 'draws', 'import', path.join(dir, 'nope.csv')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/nope\.csv/);
  });

  it('a bad flag value is one line', async () => {
    const r = await runPbi(['--db', db, 'draws', 'list', '--last', '0']);
    expect(r.stderr.trim().split('\n')).toEqual(['pbi: --last must be a whole number ≥ 1, got "0"']);
  });
});

describe('values that must be refused', () => {
  it('--multiplier 7 is refused; 10 only where Power Play had it', async () => {
    const seven = await runPbi([
      '--db',
      db,
      'draws',
      'add',
      '2026-08-05',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '--multiplier',
      '7',
    ]);
    expect(seven.code).toBe(1);
    expect(seven.stderr).toMatch(/multiplier 7 is not possible: Power Play on 2026-08-05 was 2, 3, 4, 5, 10/);
    expect(allowedMultipliers('2013-05-01')).toEqual([2, 3, 4, 5]);
    expect(allowedMultipliers('2008-04-16')).toContain(10);
    expect(allowedMultipliers('1999-01-02')).toEqual([]);
    const ten2013 = await runPbi([
      '--db',
      db,
      'draws',
      'add',
      '2013-05-01',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '--multiplier',
      '10',
    ]);
    expect(ten2013.code).toBe(1);
    expect(ten2013.stderr).toMatch(/multiplier 10 is not possible/);
  });

  it("today's draw before 10:59 pm US Eastern and any future date are refused", () => {
    // 2026-08-05 (a Wednesday) at 10:30 pm EDT, then at 11:05 pm EDT.
    const before = new Date('2026-08-06T02:30:00Z');
    const after = new Date('2026-08-06T03:05:00Z');
    expect(latestDrawnDay(before)).toBe('2026-08-04');
    expect(latestDrawnDay(after)).toBe('2026-08-05');
    const early = makeTestService({ load: false, clock: { now: () => before } });
    try {
      expect(() =>
        early.service.draws.add({ date: '2026-08-05', whites: [1, 2, 3, 4, 5], powerball: 6 }),
      ).toThrow(/2026-08-05 is in the future: its draw has not happened yet/);
      expect(() =>
        early.service.draws.add({ date: '2026-08-08', whites: [1, 2, 3, 4, 5], powerball: 6 }),
      ).toThrow(/in the future/);
    } finally {
      early.cleanup();
    }
    const late = makeTestService({ load: false, clock: { now: () => after } });
    try {
      expect(
        late.service.draws.add({ date: '2026-08-05', whites: [1, 2, 3, 4, 5], powerball: 6 }).status,
      ).toBe('inserted');
    } finally {
      late.cleanup();
    }
  });

  it('seeds above the one limit are refused by predict like by the API', async () => {
    const r = await runPbi(['--db', db, 'predict', '--seed', String(2 ** 32)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seed must be a whole number from 0 to 4294967295/);
  });

  it('run ids must be safe integers', async () => {
    const r = await runPbi(['--db', db, 'runs', 'show', '9007199254740993']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/RUN must be a whole number/);
  });

  it('--since 0001-01-01 is a real day, and a bad one is echoed as typed', async () => {
    const ok = await runPbi(['--db', db, 'predictions', 'list', '--since', '0001-01-01']);
    expect(ok.code).toBe(0);
    const bad = await runPbi(['--db', db, 'predictions', 'list', '--since', '0001-02-30']);
    expect(bad.stderr).toMatch(/0001-02-30 is not a real calendar day/);
  });
});

describe("a newcomer's setup", () => {
  it('draws list shows the newest 20 by default, --from/--to a range', async () => {
    const r = JSON.parse((await runPbi(['--db', db, '--json', 'draws', 'list'])).stdout);
    expect(r.count).toBe(20);
    expect(r.draws.at(-1).date).toBe('2026-08-05');
    const range = JSON.parse(
      (await runPbi(['--db', db, '--json', 'draws', 'list', '--from', '2026-07-01', '--to', '2026-07-31']))
        .stdout,
    );
    expect(range.draws.map((d: { date: string }) => d.date)).toEqual([
      '2026-07-01',
      '2026-07-04',
      '2026-07-06',
      '2026-07-08',
      '2026-07-11',
      '2026-07-13',
      '2026-07-15',
      '2026-07-18',
      '2026-07-20',
      '2026-07-22',
      '2026-07-25',
      '2026-07-27',
      '2026-07-29',
    ]);
    expect(JSON.parse((await runPbi(['--db', db, '--json', 'draws', 'list', '--all'])).stdout).count).toBe(
      3838,
    );
  });

  it('init creates the folder of the database', async () => {
    const nested = path.join(dir, 'fresh', 'data', 'insights.db');
    const r = await runPbi(['init'], { PBI_DB: nested });
    expect(r.code).toBe(0);
    expect(fs.existsSync(nested)).toBe(true);
  });

  it('environment variables are checked, and flag > env > default', async () => {
    expect(() => resolveConfig(undefined, { PBI_HTTP_TIMEOUT_MS: 'soon' })).toThrow(
      /PBI_HTTP_TIMEOUT_MS must be a whole number from 1 to 3600000, got "soon"/,
    );
    expect(() => resolveConfig(undefined, { PBI_BACKUP_KEEP: '-1' })).toThrow(/PBI_BACKUP_KEEP/);
    expect(() => resolveConfig(undefined, { PBI_UPDATE_URL: 'ftp://x' })).toThrow(/PBI_UPDATE_URL/);
    expect(() => resolveConfig(undefined, { PBI_MAX_JOBS: '0' })).toThrow(/PBI_MAX_JOBS/);
    const defaults = resolveConfig(undefined, {});
    expect(defaults.dbPath).toBe(path.resolve(CONFIG_DEFAULTS.dbPath));
    expect(defaults.httpTimeoutMs).toBe(CONFIG_DEFAULTS.httpTimeoutMs);
    expect(defaults.backupKeep).toBe(CONFIG_DEFAULTS.backupKeep);
    const env = resolveConfig(undefined, {
      PBI_DB: '/tmp/env.db',
      PBI_HTTP_TIMEOUT_MS: '1500',
      PBI_BACKUP_KEEP: '2',
    });
    expect(env).toMatchObject({ dbPath: '/tmp/env.db', httpTimeoutMs: 1500, backupKeep: 2 });
    expect(resolveConfig('/tmp/flag.db', { PBI_DB: '/tmp/env.db' }).dbPath).toBe('/tmp/flag.db');
    // Through the CLI: a bad variable is a usage error naming it.
    const r = await runPbi(['--db', db, 'draws', 'list'], { PBI_BACKUP_KEEP: 'many' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/environment variable PBI_BACKUP_KEEP must be a whole number/);
  });
});

describe('the real executable (smoke)', () => {
  it('pbi --version prints the package version', async () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    const r = await runPbiBinary(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('pbi init from another folder creates data/ there', async () => {
    const elsewhere = makeTestDb({ prefix: 'pbi-newcomer-' }).dir;
    try {
      const r = await runPbiBinary(['init'], {}, 60_000, { cwd: elsewhere });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(fs.existsSync(path.join(elsewhere, 'data', 'insights.db'))).toBe(true);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
