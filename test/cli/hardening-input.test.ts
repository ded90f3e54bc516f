/**
 * Bad and hostile input through the CLI and the API: escaped bytes and named encodings, bounded
 * CSV reading and error reports, bounded legacy histories, read-only databases, interrupted
 * migrations.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/interfaces/http/app.js';
import { INLINE_PARSE_BYTES } from '../../src/interfaces/http/routes/draws.js';
import { csvRecords, MAX_FIELD_CHARS } from '../../src/services/draw-import/csv-records.js';
import { MAX_LISTED_PROBLEMS, MAX_RECORDS } from '../../src/services/draw-import/limits.js';
import { makeTestDb, makeTestService } from '../support/test-db.js';
import { PickleWriter } from '../legacy/pickle-writer.js';
import { fileHash, ROOT } from '../support/child-process.js';
import { runPbi } from '../support/run-pbi.js';

let dir: string;
let db: string;
beforeAll(async () => {
  ({ dir, dbPath: db } = makeTestDb({ name: 'x.db' }));
  expect((await runPbi(['--db', db, 'init'])).code).toBe(0);
});
afterAll(() => {
  for (const f of fs.readdirSync(dir)) {
    try {
      execFileSync('chattr', ['-i', path.join(dir, f)], { stdio: 'ignore' });
    } catch {
      // not immutable, or no chattr
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
const write = (name: string, content: string | Uint8Array) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

describe('error messages show unprintable bytes escaped and name the encoding', () => {
  it('a terminal escape sequence in a file is printed escaped', async () => {
    const file = write('a.csv', '\u001b]0;pwned\u0007,x\n1,2\n');
    const r = await runPbi(['--db', db, 'draws', 'import', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).not.toContain('\u0007');
    expect(r.stderr).toContain('\\x1b]0;pwned\\x07');
  });

  it('a UTF-16 file and a binary file are named as such', async () => {
    const utf16 = write(
      'u16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('draw_date,white_1\n', 'utf16le')]),
    );
    const r = await runPbi(['--db', db, 'draws', 'import', utf16]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/u16\.csv is UTF-16 \(little-endian\); draw files must be UTF-8/);
    const bin = write('b.csv', Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 1, 2]));
    expect((await runPbi(['--db', db, 'draws', 'import', bin])).stderr).toMatch(
      /b\.csv is binary data, not text/,
    );
  });
});

describe('CSV reading is linear and bounded', () => {
  it('a 20 MB single line is one early "field too long" problem, in bounded memory', () => {
    const line = 'x'.repeat(20 * 1024 * 1024);
    const before = process.memoryUsage().heapUsed;
    // CPU time, not wall time: a busy machine stretches the wall clock but not this.
    const t0 = process.cpuUsage();
    const records = [...csvRecords(`draw_date,x\n${line}\n2026-08-05,1\n`)];
    const cpu = process.cpuUsage(t0);
    const ms = (cpu.user + cpu.system) / 1000;
    const grown = process.memoryUsage().heapUsed - before;
    expect(records.map((r) => r.problem ?? r.fields.length)).toEqual([
      2,
      `a field is longer than ${MAX_FIELD_CHARS} characters`,
      2,
    ]);
    expect(records[1]?.line).toBe(2);
    expect(records[2]?.line).toBe(3);
    // Growing the field a character at a time kept ~40 bytes per character (800 MB here).
    expect(grown).toBeLessThan(200 * 1024 * 1024);
    expect(ms).toBeLessThan(10_000);
  });

  it('quoted fields, doubled quotes and line numbers still read as before', () => {
    const r = [...csvRecords('\uFEFFa,"b ""q"" c",d\r\n\n"multi\nline",2\n  "x"  ,y\n"open')];
    expect(r).toEqual([
      { line: 1, fields: ['a', 'b "q" c', 'd'] },
      { line: 3, fields: ['multi\nline', '2'] },
      { line: 5, fields: ['x', 'y'] },
      { line: 6, fields: ['open'], problem: 'unterminated quoted field' },
    ]);
  });

  it('a file with more records than any history is refused; an error report lists the first problems and a count', async () => {
    const many = write(
      'many.csv',
      `draw_date,white_1,white_2,white_3,white_4,white_5,powerball\n${'x\n'.repeat(MAX_RECORDS + 1)}`,
    );
    const big = await runPbi(['--db', db, '--json', 'draws', 'import', many]);
    expect(big.code).toBe(1);
    expect(JSON.parse(big.stderr).error.code).toBe('TOO_LARGE');
    const bad = write(
      'bad.csv',
      `draw_date,white_1,white_2,white_3,white_4,white_5,powerball\n${'2026-08-05,1,2,3,4,5,99\n'.repeat(500)}`,
    );
    const r = await runPbi(['--db', db, '--json', 'draws', 'import', bad]);
    const e = JSON.parse(r.stderr).error;
    expect(e.issues).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(e.issues.at(-1).reason).toMatch(/and 400 more invalid row/);
  });

  it('a large upload is parsed in a worker thread with the same report as inline', async () => {
    const t = makeTestService({ load: false });
    try {
      const app = createApp({ service: t.service, staticDir: null }).app;
      const bundled = fs.readFileSync(path.join(ROOT, 'data', 'powerball', 'draws.csv'), 'utf8');
      // Padding with blank lines takes it past the inline limit without changing its rows.
      const body = bundled + '\n'.repeat(INLINE_PARSE_BYTES);
      const res = await app.request('/api/draws/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body,
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ inserted: 3838, rejected: [] });
      expect(t.service.draws.summary().draws).toBe(3838);
    } finally {
      t.cleanup();
    }
  });
});

describe('legacy histories: bounded records, exit 1 when every record failed', () => {
  const history = (n: number) => {
    const w = new PickleWriter();
    w.value(new Map([['predictions', new Array(n).fill(null)]]));
    const legacy = path.join(dir, `legacy-${n}`);
    fs.mkdirSync(path.join(legacy, 'data'), { recursive: true });
    fs.writeFileSync(path.join(legacy, 'data', 'prediction_history.joblib'), w.finish());
    return legacy;
  };

  it('more entries than any legacy history is refused (exit 1, TOO_LARGE named)', async () => {
    const r = await runPbi(['--db', db, 'migrate', history(1_200_000), '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/more than the 1000000 a legacy history can have/);
  });

  it('a history whose every record is skipped exits 1', async () => {
    const r = await runPbi(['--db', db, 'migrate', history(10), '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/every record of .*prediction_history\.joblib was skipped/);
  });
});

describe('a read-only database', () => {
  it('says it is read-only and names it; migrate writes no backup first', async () => {
    const ro = path.join(dir, 'ro.db');
    fs.copyFileSync(db, ro);
    let how = 'chattr +i';
    try {
      execFileSync('chattr', ['+i', ro], { stdio: 'pipe' });
    } catch (error) {
      if (process.getuid?.() === 0)
        throw new Error(
          `running as root, the test needs chattr +i to make ${ro} read-only: ${String(error)}`,
        );
      fs.chmodSync(ro, 0o444);
      how = 'chmod 444';
    }
    const before = fileHash(ro);
    const add = await runPbi([
      '--db',
      ro,
      '--json',
      'draws',
      'add',
      '2026-08-08',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ]);
    expect(add.code, how).toBe(1);
    const e = JSON.parse(add.stderr).error;
    expect(e.code).toBe('DATABASE');
    expect(e.message).toContain(`cannot write to database ${ro}: it is read-only`);
    const text = await runPbi(['--db', ro, 'draws', 'add', '2026-08-08', '1', '2', '3', '4', '5', '6']);
    expect(text.stderr).not.toMatch(/SqliteError|\n\s+at /);
    const backups = path.join(dir, 'ro-backups');
    const m = await runPbi(
      ['--db', ro, 'migrate', path.join(ROOT, 'test', 'fixtures', 'legacy', 'app-minimal')],
      {
        PBI_BACKUP_DIR: backups,
      },
    );
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/it is read-only.*no backup was written/);
    expect(fs.existsSync(backups) ? fs.readdirSync(backups) : []).toEqual([]);
    expect(fileHash(ro)).toBe(before);
  });
});

describe('an interrupted migration', () => {
  it('is marked interrupted on the next open, and db check reports it', async () => {
    const file = path.join(dir, 'int.db');
    fs.copyFileSync(db, file);
    // A process that has exited: its pid is the owner of a run left `running`, as after a kill -9.
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid as number;
    await new Promise((r) => child.on('exit', r));
    const raw = new Database(file);
    raw
      .prepare(
        "INSERT INTO migration_runs (source_dir, started_at, status, dry_run, report) VALUES ('/legacy', '2026-08-06T00:00:00.000Z', 'running', 0, ?)",
      )
      .run(JSON.stringify({ owner: { pid, host: (await import('node:os')).hostname() } }));
    raw.close();
    const check = await runPbi(['--db', file, 'db', 'check']);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/note: migration run \d+ of \/legacy .* was interrupted/);
    const after = new Database(file, { readonly: true });
    const row = after
      .prepare("SELECT status, report FROM migration_runs WHERE source_dir = '/legacy'")
      .get() as {
      status: string;
      report: string;
    };
    after.close();
    expect(row.status).toBe('failed');
    expect(JSON.parse(row.report)).toMatchObject({ interrupted: true });
  });
});
