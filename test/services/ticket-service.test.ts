/**
 * My tickets through the service on a real SQLite file: multi-draw Power Play tickets for past and
 * future draws, results appearing exactly once when the draw arrives (draws add / import), facts
 * arriving later (multiplier, Double Play numbers), CSV import all-or-nothing, "play this set",
 * the summary, and `db check` over the new invariants.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.js';
import { PbiError } from '../../src/domain/errors.js';
import type { Clock } from '../../src/services/context.js';
import { DrawService } from '../../src/services/draw-service.js';
import { TicketService } from '../../src/services/ticket-service.js';
import { makeTestContext, PINNED_HISTORY_DIR, type TestContext, writeFile } from '../support/test-db.js';

let ctx: TestContext | undefined;
afterEach(() => {
  ctx?.cleanup();
  ctx = undefined;
});

/** A database holding the real draws from 2026-06-01 to 2026-08-05, with a clock that can move. */
function setup(today = '2026-08-06') {
  ctx = makeTestContext();
  const time = { now: new Date(`${today}T12:00:00Z`) };
  const clock: Clock = { now: () => time.now };
  const c = { ...ctx, clock };
  const draws = new DrawService(c);
  const tickets = new TicketService(c);
  const lines = fs.readFileSync(path.join(PINNED_HISTORY_DIR, 'draws.csv'), 'utf8').trim().split('\n');
  const recent = lines.filter((l, i) => i === 0 || l >= '2026-06-01');
  draws.importFile(writeFile(ctx.dir, 'recent.csv', `${recent.join('\n')}\n`));
  const setToday = (d: string) => (time.now = new Date(`${d}T12:00:00Z`));
  return { ctx, draws, tickets, setToday };
}

function rejection(fn: () => unknown): PbiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PbiError) return e;
    throw e;
  }
  throw new Error('expected a PbiError');
}

const resultRows = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare('SELECT play_id, draw_key, amount, won, checked_at FROM play_results ORDER BY play_id')
      .all();
  } finally {
    db.close();
  }
};

describe('recording a multi-draw Power Play ticket', () => {
  it('for past draws: every play is checked at once with the multiplier drawn that night', () => {
    const { tickets } = setup();
    // 2026-07-25 drew 3 4 24 36 47 PB 17 x4: three whites and the Powerball = $100 x4.
    const { ticket, checked } = tickets.add({
      date: '2026-07-25',
      whites: [51, 3, 24, 4, 50],
      powerball: 17,
      draws: 4,
      powerPlay: true,
      note: 'lunch pool',
    });
    expect(checked).toBe(4);
    expect(ticket.whites).toEqual([3, 4, 24, 50, 51]);
    expect(ticket.plays.map((p) => p.drawDate)).toEqual([
      '2026-07-25',
      '2026-07-27',
      '2026-07-29',
      '2026-08-01',
    ]);
    expect(ticket.price).toBe(12); // 4 draws x ($2 + $1 Power Play)
    expect(ticket.plays[0]?.result).toMatchObject({
      tier: '3+PB',
      baseAmount: 100,
      multiplier: 4,
      amount: 400,
      won: 400,
    });
    expect(ticket.plays.slice(1).every((p) => p.result !== null)).toBe(true);
    expect(ticket.note).toBe('lunch pool');
    expect(ticket.origin).toBe('manual');
  });

  it('for future draws: checked exactly once when each draw arrives (draws add, then draws import)', () => {
    const { ctx, draws, tickets, setToday } = setup();
    const { ticket, checked } = tickets.add({
      date: '2026-08-05',
      whites: [14, 20, 1, 2, 3],
      powerball: 25,
      draws: 3,
      powerPlay: true,
    });
    expect(checked).toBe(1); // 2026-08-05 is stored; 08-08 and 08-10 are not
    expect(ticket.plays.map((p) => p.drawDate)).toEqual(['2026-08-05', '2026-08-08', '2026-08-10']);
    expect(ticket.plays[0]?.result).toMatchObject({ tier: '2+PB', amount: 14 }); // $7 x2
    expect(tickets.plays('upcoming').map((p) => p.drawDate)).toEqual(['2026-08-08', '2026-08-10']);

    setToday('2026-08-09');
    const added = draws.add({ date: '2026-08-08', whites: [1, 2, 3, 40, 50], powerball: 25, multiplier: 3 });
    expect(added.playsChecked).toBe(1);
    const before = resultRows(ctx.store.path);
    expect(before).toHaveLength(2);
    expect(tickets.show(ticket.id).plays[1]?.result).toMatchObject({
      tier: '3+PB',
      amount: 300,
      multiplier: 3,
    });

    // The same draw again, by hand and in a file with the next one: nothing is checked twice.
    setToday('2026-08-11');
    expect(
      draws.add({ date: '2026-08-08', whites: [1, 2, 3, 40, 50], powerball: 25, multiplier: 3 }).playsChecked,
    ).toBe(0);
    const file = writeFile(
      ctx.dir,
      'next.csv',
      'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier\n2026-08-08,1,2,3,40,50,25,3\n2026-08-10,7,8,9,10,11,12,2\n',
    );
    const report = draws.importFile(file);
    expect(report).toMatchObject({ inserted: 1, unchanged: 1, playsChecked: 1 });
    const after = resultRows(ctx.store.path);
    expect(after).toHaveLength(3);
    expect(after.slice(0, 2)).toEqual(before); // untouched: same key, amount and checked_at
    expect(tickets.plays('upcoming')).toEqual([]);
    expect(ctx.store.check()).toEqual({ ok: true, problems: [] });
  });

  it('draws update (the NY export over HTTP) checks the plays of the draws it brings', async () => {
    const { draws, tickets, setToday } = setup();
    tickets.add({ date: '2026-08-08', whites: [1, 2, 3, 4, 5], powerball: 6, doublePlay: true });
    setToday('2026-08-09');
    const body =
      'Draw Date,Winning Numbers,Multiplier,double_play_winning_numbers\n08/08/2026,01 02 03 40 50 06,3,01 02 03 04 05 07\n';
    const server = http.createServer((_req, res) => res.end(body));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ny.csv`;
      const report = await draws.update({ url });
      expect(report).toMatchObject({ inserted: 1, playsChecked: 1 });
      expect(tickets.plays('checked').at(-1)?.result).toMatchObject({
        tier: '3+PB',
        amount: 100,
        doublePlay: { tier: '5', amount: 500_000 },
        won: 500_100,
      });
      expect((await draws.update({ url })).playsChecked).toBe(0);
    } finally {
      server.close();
    }
  });

  it('a multiplier arriving later re-checks the play once, from base prize to multiplied', () => {
    const { ctx, draws, tickets, setToday } = setup();
    setToday('2026-08-09');
    draws.add({ date: '2026-08-08', whites: [1, 2, 3, 40, 50], powerball: 25 }); // multiplier not known yet
    const { ticket } = tickets.add({
      date: '2026-08-08',
      whites: [1, 2, 3, 4, 5],
      powerball: 25,
      powerPlay: true,
    });
    expect(ticket.plays[0]?.result).toMatchObject({ amount: 100, powerPlay: 'multiplier-unknown' });
    const report = draws.add({ date: '2026-08-08', whites: [1, 2, 3, 40, 50], powerball: 25, multiplier: 5 });
    expect(report).toMatchObject({ status: 'updated', playsChecked: 1 });
    expect(tickets.show(ticket.id).plays[0]?.result).toMatchObject({
      amount: 500,
      multiplier: 5,
      powerPlay: 'multiplied',
    });
    expect(resultRows(ctx.store.path)).toHaveLength(1);
    expect(ctx.store.check().ok).toBe(true);
  });

  it('Double Play numbers from a NY export (its fourth column) complete a pending Double Play play', () => {
    const { ctx, draws, tickets } = setup();
    const { ticket } = tickets.add({
      date: '2026-08-05',
      whites: [1, 2, 3, 4, 5],
      powerball: 13,
      doublePlay: true,
    });
    expect(ticket.price).toBe(3);
    expect(ticket.plays[0]?.result).toMatchObject({ doublePlay: null, doublePlayPending: true, won: 0 });
    const ny = writeFile(
      ctx.dir,
      'ny.csv',
      'Draw Date,Winning Numbers,Multiplier,double_play_winning_numbers\n08/05/2026,14 20 59 60 61 25,2,01 02 30 40 50 13\n',
    );
    expect(draws.importFile(ny)).toMatchObject({ updated: 1, playsChecked: 1 });
    expect(ctx.store.draws.get('2026-08-05' as IsoDate)?.doublePlay).toEqual({
      whites: [1, 2, 30, 40, 50],
      powerball: 13,
    });
    expect(tickets.show(ticket.id).plays[0]?.result).toMatchObject({
      doublePlay: { whiteMatches: 2, powerballMatch: true, tier: '2+PB', amount: 20 },
      doublePlayPending: false,
      won: 20,
    });
  });
});

describe('validation: every bad field named, nothing stored', () => {
  it('lists each problem of a ticket', () => {
    const { ctx, tickets } = setup();
    const e = rejection(() =>
      tickets.add({ date: '2026-08-09', whites: [1, 2, 2, 70], powerball: 27, draws: 0, doublePlay: true }),
    );
    const where = e.issues.map((i) => i.where);
    expect(where).toEqual(
      expect.arrayContaining([
        'ticket.date',
        'ticket.draws',
        'ticket.whites',
        'ticket.whites[3]',
        'ticket.powerball',
      ]),
    );
    expect(e.message).toMatch(/Sunday|not a Powerball draw day/);
    expect(ctx.store.tickets.counts()).toEqual({ tickets: 0, plays: 0, checked: 0 });
  });

  it('refuses eras without a sourced prize table, Double Play before it existed, and runs across a rule change', () => {
    const { tickets } = setup();
    expect(
      rejection(() => tickets.add({ date: '2008-12-31', whites: [1, 2, 3, 4, 5], powerball: 6 })).message,
    ).toMatch(/no sourced prize table before 2009-01-07/);
    expect(
      rejection(() =>
        tickets.add({ date: '2021-08-21', whites: [1, 2, 3, 4, 5], powerball: 6, doublePlay: true }),
      ).message,
    ).toMatch(/Double Play began with the draw of 2021-08-23/);
    expect(
      rejection(() => tickets.add({ date: '2015-09-30', whites: [1, 2, 3, 4, 5], powerball: 6, draws: 3 }))
        .message,
    ).toMatch(/cannot run across the rule change of 2015-10-07/);
    // Without Double Play a ticket may run across its launch.
    expect(
      tickets.add({ date: '2021-08-21', whites: [1, 2, 3, 4, 5], powerball: 6, draws: 2 }).ticket.plays,
    ).toHaveLength(2);
  });
});

describe('CSV import', () => {
  const HEADER =
    'first_draw_date,white_1,white_2,white_3,white_4,white_5,powerball,draws,power_play,double_play,note\n';

  it('is all-or-nothing, naming every bad line; --skip-invalid stores the good ones', () => {
    const { ctx, tickets } = setup();
    const file = writeFile(
      ctx.dir,
      'season.csv',
      HEADER +
        '2026-07-20,1,2,3,4,5,6,2,yes,,first\n' +
        '2026-07-21,1,2,3,4,5,6,1,,,\n' + // Tuesday
        '07/22/2026,1,2,3,4,5,27,1,no,no,\n' + // Powerball out of range
        '2026-07-25,1,2,3,4,5,6,1,maybe,,\n' + // not yes/no
        '2026-07-27,8,9,10,11,12,13,3,y,y,"with, comma"\n',
    );
    const before = ctx.store.tickets.counts();
    const e = rejection(() => tickets.importFile(file));
    expect(e.code).toBe('IMPORT_REJECTED');
    expect(e.issues.map((i) => i.where)).toEqual([`${file}:3`, `${file}:4`, `${file}:5`]);
    expect(e.issues[0]?.reason).toMatch(/not a Powerball draw day/);
    expect(e.issues[1]?.reason).toMatch(/Powerball 27 is outside 1–26/);
    expect(e.issues[2]?.reason).toMatch(/power_play "maybe" is not yes or no/);
    expect(ctx.store.tickets.counts()).toEqual(before);

    const report = tickets.importFile(file, { skipInvalid: true });
    expect(report).toMatchObject({ rows: 5, inserted: 2, plays: 5, spent: 2 * 3 + 3 * 4 });
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 5]);
    const stored = tickets.list().items;
    expect(stored.map((t) => [t.importLine, t.origin, t.note])).toEqual([
      [6, 'import', 'with, comma'],
      [2, 'import', 'first'],
    ]);
    expect(ctx.store.check().ok).toBe(true);
  });

  it('imports the example of the README as documented', () => {
    const { ctx, tickets } = setup();
    const readme = fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const example = /```csv\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const report = tickets.importText(example, 'README');
    expect(report).toMatchObject({ rows: 3, inserted: 3, plays: 6, spent: 4 * 3 + 3 + 2, rejected: [] });
    expect(tickets.list().items.map((t) => t.note)).toEqual(['birthdays, again', null, 'office pool']);
    expect(ctx.store.check().ok).toBe(true);
  });

  it('rejects a header without the required columns as a malformed file', () => {
    const { ctx, tickets } = setup();
    const e = rejection(() =>
      tickets.importFile(writeFile(ctx.dir, 'bad.csv', 'date,whites,pb\n2026-07-20,1 2 3 4 5,6\n')),
    );
    expect(e.code).toBe('MALFORMED_FILE');
    expect(e.message).toMatch(/missing column\(s\) white_1/);
  });
});

describe('play this set, summary, remove, db check', () => {
  it('plays a stored prediction set for its target draw, linked to the set', () => {
    const { ctx, tickets } = setup();
    const { setId } = ctx.store.predictions.storePredictions({
      source: 'frequency',
      targetDrawDate: '2026-08-08' as IsoDate,
      createdAt: '2026-08-06T12:00:00Z',
      seed: 1,
      weights: {},
      tickets: [
        { whites: [1, 2, 3, 4, 5], powerball: 6, probability: 1e-8 },
        { whites: [7, 8, 9, 10, 11], powerball: 12, probability: 1e-8 },
      ],
    });
    const report = tickets.playSet(setId, { powerPlay: true });
    expect(report.tickets.map((t) => [t.origin, t.setId, t.setPosition, t.firstDrawDate, t.price])).toEqual([
      ['set', setId, 0, '2026-08-08', 3],
      ['set', setId, 1, '2026-08-08', 3],
    ]);
    expect(rejection(() => tickets.playSet('nope')).code).toBe('NOT_FOUND');
  });

  it('sums spent, won and net by month and year, with the expected return and the best win', () => {
    const { tickets } = setup();
    tickets.add({ date: '2026-07-25', whites: [3, 4, 24, 50, 51], powerball: 17, draws: 4, powerPlay: true }); // $400 on 07-25
    tickets.add({ date: '2026-06-01', whites: [1, 2, 3, 4, 5], powerball: 6 });
    tickets.add({ date: '2026-08-05', whites: [1, 2, 3, 4, 5], powerball: 6, draws: 2 }); // 08-08 not drawn
    const s = tickets.summary();
    expect(s).toMatchObject({ tickets: 3, plays: 7, checkedPlays: 6, upcomingPlays: 1, spent: 12 + 2 + 4 });
    expect(s.byYear).toEqual([
      { period: '2026', plays: 7, checkedPlays: 6, spent: 18, won: s.won, net: s.won - 18 },
    ]);
    expect(s.byMonth.map((m) => [m.period, m.plays, m.spent])).toEqual([
      ['2026-06', 1, 2],
      ['2026-07', 3, 9],
      ['2026-08', 3, 7],
    ]);
    expect(s.won).toBeGreaterThanOrEqual(400);
    expect(s.best).toMatchObject({ drawDate: '2026-07-25', tier: '3+PB', amount: 400 });
    expect(s.checked.spent).toBe(16);
    expect(s.checked.expectedWon).toBeGreaterThan(0);
    expect(s.checked.expectedWon).toBeLessThan(s.checked.spent);
    expect(s.expectedNote).toMatch(/jackpot .*excluded/);
    expect(s.luck).toMatch(/is luck/);
    expect(s.cumulative.at(-1)).toEqual({ date: '2026-08-08', spent: 18, won: s.won });
  });

  it('a jackpot is shown as the jackpot, with no amount until its owner gives one', () => {
    const { ctx, draws, tickets } = setup();
    // 2026-07-25 drew 3 4 24 36 47 PB 17.
    const { ticket } = tickets.add({
      date: '2026-07-25',
      whites: [3, 4, 24, 36, 47],
      powerball: 17,
      draws: 2,
    });
    const [win, other] = ticket.plays;
    expect(win?.result).toMatchObject({ tier: '5+PB', amount: null, won: 0 });
    let s = tickets.summary();
    expect(s).toMatchObject({
      jackpots: 1,
      won: other?.result?.won ?? 0,
      best: { tier: '5+PB', amount: null, label: 'jackpot' },
    });
    expect(rejection(() => tickets.setJackpot(other!.id, 5)).message).toMatch(/did not win the jackpot/);
    expect(rejection(() => tickets.setJackpot(win!.id, -5)).issues[0]?.where).toBe('AMOUNT');
    tickets.setJackpot(win!.id, 123_456_789);
    s = tickets.summary();
    expect(s.won).toBe(123_456_789 + (other?.result?.won ?? 0));
    expect(s.best?.label).toBe('$123,456,789');
    expect(ctx.store.check().ok).toBe(true);
    // The draw corrected with other numbers: no jackpot any more, and its amount goes with it.
    draws.add({
      date: '2026-07-25',
      whites: [3, 4, 24, 36, 48],
      powerball: 17,
      multiplier: 4,
      overwrite: true,
    });
    expect(tickets.show(ticket.id).plays[0]).toMatchObject({ jackpotAmount: null, result: { tier: '4+PB' } });
    expect(ctx.store.check()).toEqual({ ok: true, problems: [] });
  });

  it('db check catches a tampered prize amount and a missing result; remove deletes plays and results', () => {
    const { ctx, tickets } = setup();
    const { ticket } = tickets.add({
      date: '2026-07-25',
      whites: [3, 4, 24, 50, 51],
      powerball: 17,
      draws: 2,
    });
    expect(ctx.store.check()).toEqual({ ok: true, problems: [] });
    const db = new Database(ctx.store.path);
    db.prepare('UPDATE play_results SET amount = 1000, won = 1000 WHERE play_id = ?').run(
      ticket.plays[0]?.id,
    );
    expect(ctx.store.check().problems.join('\n')).toMatch(/differs from its draw and the prize table/);
    db.prepare('DELETE FROM play_results WHERE play_id = ?').run(ticket.plays[0]?.id);
    db.close();
    expect(ctx.store.check().problems.join('\n')).toMatch(/for the stored draw 2026-07-25 has no result/);
    expect(tickets.check()).toEqual({ checked: 1, awaitingDraw: 0 });
    expect(ctx.store.check().ok).toBe(true);
    tickets.remove(ticket.id);
    expect(ctx.store.tickets.counts()).toEqual({ tickets: 0, plays: 0, checked: 0 });
    expect(rejection(() => tickets.show(ticket.id)).code).toBe('NOT_FOUND');
  });
});
