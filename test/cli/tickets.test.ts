/**
 * `pbi tickets …` as the real executable: add (multi-draw Power Play, past and future draws), the
 * result appearing on `draws add`, list/show/summary in text and --json, import with every bad line
 * named, predict --play and --from-set keeping the link, remove, exit codes, and the backup
 * carrying the tickets.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPbi } from '../support/run-pbi.js';
import { makeTestDb } from '../support/test-db.js';

let dir: string;
let db: string;
const pbi = (...args: string[]) => runPbi(['--db', db, ...args]);
const json = async (...args: string[]) => {
  const r = await runPbi(['--db', db, '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

beforeAll(async () => {
  ({ dir, dbPath: db } = makeTestDb({ name: 'main.db' }));
  // The bundled history without its last draw (2026-08-05): it is added during the test.
  const lines = fs.readFileSync(path.resolve('data/powerball/draws.csv'), 'utf8').trim().split('\n');
  fs.writeFileSync(path.join(dir, 'history.csv'), `${lines.slice(0, -1).join('\n')}\n`);
  expect((await pbi('draws', 'import', path.join(dir, 'history.csv'))).code).toBe(0);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('pbi tickets', () => {
  it('adds a multi-draw Power Play ticket: past plays checked, the next one checked on draws add', async () => {
    const r = await pbi(
      'tickets',
      'add',
      '2026-08-01',
      '6',
      '17',
      '27',
      '1',
      '2',
      '5',
      '--power-play',
      '--draws',
      '3',
      '--note',
      'pool',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Recorded; 2 play\(s\) checked now/);
    expect(r.stdout).toMatch(/2026-08-01\s+\$3\s+3\+PB: \$300 \(Power Play x3\)/);
    expect(r.stdout).toMatch(/2026-08-05\s+\$3\s+not drawn yet/);

    const added = await pbi(
      'draws',
      'add',
      '2026-08-05',
      '14',
      '20',
      '59',
      '60',
      '61',
      '25',
      '--multiplier',
      '2',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/1 played ticket play\(s\) checked/);
    const shown = (await json('tickets', 'show', '1')) as { plays: { result: unknown }[]; price: number };
    expect(shown.price).toBe(9);
    expect(shown.plays.every((p) => p.result !== null)).toBe(true);
    expect((await pbi('db', 'check')).code).toBe(0);
  });

  it('imports a CSV: all-or-nothing naming every bad line (exit 1), then with --skip-invalid', async () => {
    const file = path.join(dir, 'season.csv');
    fs.writeFileSync(
      file,
      'first_draw_date,white_1,white_2,white_3,white_4,white_5,powerball,draws,power_play,double_play,note\n' +
        '2026-07-01,1,2,3,4,5,6,4,yes,no,\n' +
        '2026-07-02,1,2,3,4,5,6,1,,,\n' +
        '2026-07-04,1,2,3,4,5,6,1,,,\n',
    );
    const bad = await pbi('tickets', 'import', file);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/1 invalid line\(s\); nothing was imported/);
    expect(bad.stderr).toMatch(/season\.csv:3: .*2026-07-02 is not a Powerball draw day \(Thursday\)/);
    const ok = (await json('tickets', 'import', file, '--skip-invalid')) as {
      inserted: number;
      plays: number;
    };
    expect(ok).toMatchObject({ inserted: 2, plays: 5 });
  });

  it('predict --play and add --from-set record a set as tickets linked to it', async () => {
    const p = (await json(
      'predict',
      '--count',
      '2',
      '--strategy',
      'frequency',
      '--seed',
      '7',
      '--for-date',
      '2026-08-08',
      '--play',
    )) as {
      setId: string;
      played: { tickets: { setId: string; firstDrawDate: string; origin: string }[] };
    };
    expect(p.played.tickets).toHaveLength(2);
    expect(
      p.played.tickets.every(
        (t) => t.setId === p.setId && t.origin === 'set' && t.firstDrawDate === '2026-08-08',
      ),
    ).toBe(true);
    const again = (await json('tickets', 'add', '--from-set', p.setId, '--double-play')) as {
      tickets: { price: number }[];
    };
    expect(again.tickets.map((t) => t.price)).toEqual([3, 3]);
    expect((await pbi('tickets', 'add', '--from-set', 'set_missing')).code).toBe(1);
  });

  it('summary, list, remove, exit codes, and the backup carries the tickets', async () => {
    const s = await pbi('tickets', 'summary');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/Spent \$\d+, won \$\d+, net/);
    expect(s.stdout).toMatch(/jackpot and the Double Play top prize are excluded/);
    expect(s.stdout).toMatch(/is luck/);
    const list = (await json('tickets', 'list', '--status', 'upcoming')) as { items: { id: number }[] };
    expect(list.items.length).toBe(4); // the four set tickets for 2026-08-08
    expect((await pbi('tickets', 'add', '2026-08-08', '1', '2', '3', '4', '5')).code).toBe(1);
    expect((await pbi('tickets', 'list', '--status', 'later')).code).toBe(2);
    expect((await pbi('tickets', 'frobnicate')).code).toBe(2);
    const removed = await pbi('tickets', 'remove', '1');
    expect(removed.stdout).toMatch(/Removed ticket 1/);
    expect((await pbi('tickets', 'show', '1')).code).toBe(1);

    const copy = path.join(dir, 'copy.db');
    expect((await pbi('db', 'backup', copy)).code).toBe(0);
    const c = new Database(copy, { readonly: true });
    expect((c.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n).toBe(6);
    c.close();
    expect((await pbi('db', 'check')).code).toBe(0);
  });
});
