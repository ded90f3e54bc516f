/**
 * `pbi db backup` and `pbi db check` as the real executable.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextDrawDate } from '../../src/domain/calendar.js';
import { addDays } from '../../src/domain/dates.js';
import { shippedHistory } from '../strategies/bundled-draws.js';
import { runPbi } from '../support/run-pbi.js';
import { makeTestDb } from '../support/test-db.js';

/** pbi init loads the shipped data/powerball, refreshed over time: expectations come from it. */
const SHIPPED = shippedHistory();
/** Dates after the shipped history, free for the hand-written broken rows below. */
const NEXT_DRAW = nextDrawDate(SHIPPED.last.date);
let SUNDAY_AFTER = addDays(SHIPPED.last.date, 1);
while (new Date(`${SUNDAY_AFTER}T00:00:00Z`).getUTCDay() !== 0) SUNDAY_AFTER = addDays(SUNDAY_AFTER, 1);

let dir: string;
let db: string;
beforeAll(async () => {
  ({ dir, dbPath: db } = makeTestDb({ name: 'main.db' }));
  expect((await runPbi(['--db', db, 'init'])).code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pbi db backup', () => {
  it('writes a consistent single-file copy to FILE', async () => {
    const target = path.join(dir, 'copy.db');
    const r = await runPbi(['--db', db, '--json', 'db', 'backup', target]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: target, draws: SHIPPED.count, removed: [] });
    expect(fs.existsSync(`${target}-wal`)).toBe(false);
    const copy = new Database(target, { readonly: true });
    expect((copy.prepare('SELECT COUNT(*) AS n FROM draws').get() as { n: number }).n).toBe(SHIPPED.count);
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();
    const again = await runPbi(['--db', db, 'db', 'backup', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
  });

  it('without FILE writes timestamped backups into the backups folder and keeps the newest N', async () => {
    const backups = path.join(dir, 'bk');
    const env = { PBI_BACKUP_DIR: backups, PBI_BACKUP_KEEP: '2' };
    const files: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await runPbi(['--db', db, '--json', 'db', 'backup'], env);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(path.dirname(report.file)).toBe(backups);
      expect(path.basename(report.file)).toMatch(/^main-\d{8}T\d{9}Z\.db$/);
      files.push(report.file);
      if (i === 2) expect(report.removed).toEqual([files[0]]);
    }
    expect(fs.readdirSync(backups).sort()).toEqual([path.basename(files[1]!), path.basename(files[2]!)]);
  });

  it('a backup into a missing folder is a clear error', async () => {
    const r = await runPbi(['--db', db, 'db', 'backup', path.join(dir, 'nope', 'b.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/folder .*nope does not exist/);
  });
});

describe('pbi db check', () => {
  it('passes on a good database', async () => {
    const r = await runPbi(['--db', db, '--json', 'db', 'check']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, problems: [] });
  });

  it('exits 1 listing the problems when an invariant is broken', async () => {
    const broken = path.join(dir, 'broken.db');
    fs.copyFileSync(db, broken);
    const raw = new Database(broken);
    // Bypass the importer: a Powerball of 0 can only get in by writing SQL by hand.
    raw
      .prepare(
        "INSERT INTO draws (draw_date, white_1, white_2, white_3, white_4, white_5, powerball, multiplier, source, imported_at) VALUES (?, 1, 2, 3, 4, 5, 0, NULL, 'hand', '2026-08-08T00:00:00Z')",
      )
      .run(NEXT_DRAW);
    raw.close();
    const r = await runPbi(['--db', broken, 'db', 'check']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed its check: \d+ problem/);
    expect(r.stderr).toContain(`draw ${NEXT_DRAW} has invalid numbers`);
  });

  it("reports draws outside their era's ranges and on non-draw days", async () => {
    const broken = path.join(dir, 'broken2.db');
    fs.copyFileSync(db, broken);
    const raw = new Database(broken);
    const insert = raw.prepare(
      "INSERT INTO draws (draw_date, white_1, white_2, white_3, white_4, white_5, powerball, multiplier, source, imported_at) VALUES (?, 1, 2, 3, 4, ?, ?, NULL, 'hand', '2026-08-08T00:00:00Z')",
    );
    insert.run(NEXT_DRAW, 70, 5); // white 70 in the 1–69 era
    // Powerball 36 on a stored draw of the era that allowed 1–35
    raw.prepare("UPDATE draws SET powerball = 36 WHERE draw_date = '2015-10-03'").run();
    insert.run(SUNDAY_AFTER, 5, 5); // a Sunday
    insert.run('2021-08-16', 5, 5); // a Monday before Monday draws began
    raw.close();
    const r = await runPbi(['--db', broken, '--json', 'db', 'check']);
    expect(r.code).toBe(1);
    const reasons = JSON.parse(r.stderr).error.issues.map((i: { reason: string }) => i.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`draw ${NEXT_DRAW} has white 70 / Powerball 5 but its era allows 69 / 26`),
        expect.stringMatching(/draw 2015-10-03 has white \d+ \/ Powerball 36 but its era allows 59 \/ 35/),
        expect.stringContaining(`draw ${SUNDAY_AFTER} is not on a draw day`),
        expect.stringMatching(/draw 2021-08-16 is not on a draw day/),
      ]),
    );
    expect(reasons).toHaveLength(4);
  });
});
