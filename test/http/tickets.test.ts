/**
 * The tickets API in-process on a real SQLite database with the bundled history: record, import,
 * list, plays, summary, remove; validation errors name the field; writes need the token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/interfaces/http/app.js';
import { makeTestService, type TestService } from '../support/test-db.js';

const post = (body: unknown, token?: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});

describe('tickets API', () => {
  let t: TestService;
  let app: ReturnType<typeof createApp>['app'];
  beforeAll(() => {
    t = makeTestService();
    app = createApp({ service: t.service, staticDir: null }).app;
  });
  afterAll(() => t.cleanup());

  it('records a multi-draw Power Play ticket: past plays checked at once, the future one upcoming', async () => {
    const res = await app.request(
      '/api/tickets',
      post({ date: '2026-08-01', whites: [6, 17, 27, 1, 2], powerball: 5, draws: 4, powerPlay: true }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      checked: number;
      ticket: { id: number; price: number; plays: { drawDate: string; result: { amount: number } | null }[] };
    };
    expect(body.checked).toBe(3); // 08-01, 08-03, 08-05 are stored; 08-08 is not
    expect(body.ticket.price).toBe(12);
    // 2026-08-01 drew 6 17 27 48 50 PB 5 x3: 3+PB, $100 x3.
    expect(body.ticket.plays[0]?.result?.amount).toBe(300);
    expect(body.ticket.plays[3]).toMatchObject({ drawDate: '2026-08-08', result: null });

    const upcoming = (await (await app.request('/api/tickets/plays?status=upcoming')).json()) as {
      plays: { drawDate: string }[];
    };
    expect(upcoming.plays.map((p) => p.drawDate)).toEqual(['2026-08-08']);
    const shown = await app.request(`/api/tickets/${body.ticket.id}`);
    expect(((await shown.json()) as { id: number }).id).toBe(body.ticket.id);
  });

  it('names every bad field and stores nothing', async () => {
    const before = t.service.tickets.list().items.length;
    const res = await app.request(
      '/api/tickets',
      post({ date: '2026-08-02', whites: [1, 2, 3, 4, 99], powerball: 30, draws: 2 }),
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { code: string; issues: { where: string }[] } };
    expect(error.issues.map((i) => i.where)).toEqual(['ticket.date', 'ticket.whites[4]', 'ticket.powerball']);
    const bad = await app.request(
      '/api/tickets',
      post({ date: '2026-08-01', whites: [1, 2, 3], powerball: 5 }),
    );
    expect(bad.status).toBe(400);
    expect(t.service.tickets.list().items.length).toBe(before);
    expect((await app.request('/api/tickets/99999')).status).toBe(404);
  });

  it('imports a CSV all-or-nothing, then summarizes and removes', async () => {
    const csv =
      'first_draw_date,white_1,white_2,white_3,white_4,white_5,powerball,draws,power_play\n' +
      '2026-07-20,2,9,44,1,3,8,2,yes\n' +
      '2026-07-21,1,2,3,4,5,6,1,no\n';
    const rejected = await app.request('/api/tickets/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    expect(rejected.status).toBe(400);
    const e = (await rejected.json()) as { error: { code: string; issues: { where: string }[] } };
    expect(e.error.code).toBe('IMPORT_REJECTED');
    expect(e.error.issues.map((i) => i.where)).toEqual(['upload:3']);

    const res = await app.request('/api/tickets/import?skipInvalid=true', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    const report = (await res.json()) as { inserted: number; checked: number; ids: number[] };
    expect(report).toMatchObject({ inserted: 1, checked: 2 });

    const s = (await (await app.request('/api/tickets/summary')).json()) as {
      won: number;
      spent: number;
      luck: string;
      best: { amount: number };
      byMonth: { period: string }[];
    };
    expect(s.spent).toBe(12 + 6);
    expect(s.best.amount).toBe(300);
    expect(s.byMonth.map((m) => m.period)).toEqual(['2026-07', '2026-08']);
    expect(s.luck).toMatch(/luck/);

    const del = await app.request(`/api/tickets/${report.ids[0]}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect((await app.request(`/api/tickets/${report.ids[0]}`)).status).toBe(404);
  });

  it('records a jackpot share only for a jackpot win', async () => {
    // 2026-08-03 drew 8 30 41 48 54 PB 4.
    const add = await app.request(
      '/api/tickets',
      post({ date: '2026-08-03', whites: [8, 30, 41, 48, 54], powerball: 4 }),
    );
    const { ticket } = (await add.json()) as {
      ticket: { plays: { id: number; result: { tier: string } }[] };
    };
    const play = ticket.plays[0]!;
    expect(play.result.tier).toBe('5+PB');
    const put = (id: number, amount: number | null) =>
      app.request(`/api/tickets/plays/${id}/jackpot`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount }),
      });
    const ok = await put(play.id, 50_000_000);
    expect(await ok.json()).toMatchObject({ id: play.id, jackpotAmount: 50_000_000 });
    expect((await put(play.id, -1)).status).toBe(400);
    const first = t.service.tickets.list().items.at(-1)!.plays[0]!;
    const refused = await put(first.id, 10);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /did not win the jackpot/,
    );
    expect((await put(99_999, 10)).status).toBe(404);
  });

  it('requires the token for writes when the server has one', async () => {
    const guarded = createApp({ service: t.service, staticDir: null, token: 'sekret' }).app;
    const body = { date: '2026-08-08', whites: [1, 2, 3, 4, 5], powerball: 6 };
    expect((await guarded.request('/api/tickets', post(body))).status).toBe(401);
    expect((await guarded.request('/api/tickets', post(body, 'sekret'))).status).toBe(200);
    expect((await guarded.request('/api/tickets')).status).toBe(200);
  });
});
