/**
 * The API in-process (`app.request`): routing, validation, the one error mapping, security guards,
 * uploads, and the draws/analysis/overview endpoints on a real SQLite database.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { createApp } from '../../src/interfaces/http/app.js';
import { PINNED_DRAWS_CSV } from '../strategies/bundled-draws.js';
import { makeTestService, type TestService } from '../support/test-db.js';

const CSV_HEADER = 'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier';
const bundledLines = fs.readFileSync(PINNED_DRAWS_CSV, 'utf8').trim().split('\n').slice(1);

/** Asserts the error shape and that the status is the one ERROR_CODES assigns to the code. */
async function expectError(
  res: Response,
  code: keyof typeof ERROR_CODES,
): Promise<{ message: string; issues: { where: string; reason: string }[] }> {
  const body = (await res.json()) as {
    error: { code: string; message: string; issues: { where: string; reason: string }[] };
  };
  expect(body.error.code).toBe(code);
  expect(res.status).toBe(ERROR_CODES[code].http);
  expect(typeof body.error.message).toBe('string');
  expect(Array.isArray(body.error.issues)).toBe(true);
  return body.error;
}

describe('read endpoints on the bundled history', () => {
  let t: TestService;
  let app: ReturnType<typeof createApp>['app'];
  beforeAll(() => {
    t = makeTestService();
    app = createApp({ service: t.service, staticDir: null }).app;
  });
  afterAll(() => t.cleanup());

  it('reports health and the overview of the real history', async () => {
    const health = await app.request('/api/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, draws: 3838 });

    const res = await app.request('/api/overview');
    const o = (await res.json()) as {
      latestDraw: { date: string; whites: number[]; powerball: number };
      nextDrawDate: string;
      jackpotOdds: number;
      draws: number;
      eras: { era: { id: string }; draws: number }[];
    };
    expect(o.latestDraw).toEqual({
      date: '2026-08-05',
      whites: [14, 20, 59, 60, 61],
      powerball: 25,
      multiplier: 2,
    });
    // Clock fixed on Thursday 2026-08-06: the next draw is Saturday.
    expect(o.nextDrawDate).toBe('2026-08-08');
    expect(o.jackpotOdds).toBe(292_201_338);
    expect(o.draws).toBe(3838);
    expect(o.eras).toHaveLength(7);
    expect(o.eras.reduce((s, e) => s + e.draws, 0)).toBe(3838);
    expect(o.eras.at(-1)?.era.id).toBe('2015-10-07');
  });

  it('lists the newest draws oldest first and validates `last`', async () => {
    const res = await app.request('/api/draws?last=3');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; draws: { date: string }[] };
    expect(body.total).toBe(3838);
    expect(body.draws.map((d) => d.date)).toEqual(['2026-08-01', '2026-08-03', '2026-08-05']);

    for (const bad of ['0', '-1', 'abc', '2.5']) {
      const e = await expectError(await app.request(`/api/draws?last=${bad}`), 'INVALID_INPUT');
      expect(e.issues[0]?.where).toBe('query.last');
    }
  });

  it('analyses per era with whites and Powerball apart', async () => {
    const res = await app.request('/api/analyze');
    expect(res.status).toBe(200);
    const a = (await res.json()) as {
      eras: {
        era: { id: string };
        draws: number;
        whites: { numbers: { count: number }[] };
        powerball: { numbers: unknown[] };
      }[];
    };
    expect(a.eras).toHaveLength(1);
    const era = a.eras[0];
    expect(era?.era.id).toBe('2015-10-07');
    expect(era?.whites.numbers).toHaveLength(69);
    expect(era?.powerball.numbers).toHaveLength(26);
    expect(era?.whites.numbers.reduce((s, n) => s + n.count, 0)).toBe((era?.draws ?? 0) * 5);

    const all = (await (await app.request('/api/analyze?era=all&window=500')).json()) as {
      totalDraws: number;
      eras: unknown[];
    };
    expect(all.totalDraws).toBe(500);
    expect(all.eras.length).toBeGreaterThanOrEqual(1);

    const e = await expectError(await app.request('/api/analyze?era=recent&window=0'), 'INVALID_INPUT');
    expect(e.issues.map((i) => i.where).sort()).toEqual(['query.era', 'query.window']);
  });

  it('gives the pair matrix of an era: symmetric, ten pairs per draw', async () => {
    const p = (await (await app.request('/api/analyze/pairs?era=2012-01-18')).json()) as {
      size: number;
      draws: number;
      counts: number[];
      expected: number;
    };
    expect(p.size).toBe(59);
    expect(p.draws).toBe(388);
    expect(p.counts).toHaveLength(59 * 59);
    expect(p.counts.reduce((s, c) => s + c, 0)).toBe(388 * 10 * 2);
    for (let a = 0; a < 59; a++) {
      expect(p.counts[a * 59 + a]).toBe(0);
      for (let b = 0; b < a; b++) expect(p.counts[a * 59 + b]).toBe(p.counts[b * 59 + a]);
    }
    expect(p.expected).toBeCloseTo((388 * 20) / (59 * 58), 10);
    await expectError(await app.request('/api/analyze/pairs?era=2013-01-01'), 'INVALID_INPUT');
  });

  it('describes the feature set and downloads the matrix as CSV', async () => {
    const info = (await (await app.request('/api/features')).json()) as {
      names: string[];
      targets: string[];
      rows: number;
    };
    expect(info.names.length).toBeGreaterThan(10);
    expect(info.targets).toHaveLength(6);
    const res = await app.request('/api/features.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split('\n');
    expect(lines[0]?.split(',')).toEqual(['draw_date', ...info.names, ...info.targets]);
    expect(lines).toHaveLength(info.rows + 1);
  });

  it('answers unknown endpoints and methods with a JSON 404', async () => {
    await expectError(await app.request('/api/nothing-here'), 'NOT_FOUND');
    await expectError(await app.request('/api/overview', { method: 'DELETE' }), 'NOT_FOUND');
    await expectError(await app.request('/api/jobs/train-999'), 'NOT_FOUND');
  });

  it('publishes an OpenAPI document generated from the schemas', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { responses: Record<string, unknown>; parameters?: { name: string }[] }>
      >;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.0.3');
    for (const p of [
      '/draws',
      '/draws/import',
      '/draws/update',
      '/analyze',
      '/analyze/pairs',
      '/features',
      '/jobs/{id}',
      '/jobs/{id}/events',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.paths['/draws']?.get?.parameters?.map((x) => x.name)).toEqual(['last']);
    expect(Object.keys(doc.paths['/draws/import']?.post?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '413']),
    );
    expect(doc.components.schemas).toHaveProperty('Error');
    expect(doc.components.schemas).toHaveProperty('Draw');
    expect(doc.components.securitySchemes).toHaveProperty('bearerToken');
  });
});

describe('writes', () => {
  let t: TestService;
  let app: ReturnType<typeof createApp>['app'];
  beforeAll(() => {
    t = makeTestService({ load: false });
    app = createApp({ service: t.service, staticDir: null, uploadLimitBytes: 64 * 1024 }).app;
  });
  afterAll(() => t.cleanup());

  const csv = (lines: string[]) => `${CSV_HEADER}\n${lines.join('\n')}\n`;

  it('reports no data for analysis on an empty database (422)', async () => {
    await expectError(await app.request('/api/analyze'), 'INSUFFICIENT_DATA');
  });

  it('imports an uploaded file (multipart), then finds it unchanged', async () => {
    const form = new FormData();
    form.set('file', new File([csv(bundledLines.slice(-200))], 'recent.csv', { type: 'text/csv' }));
    const res = await app.request('/api/draws/import', { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const r = (await res.json()) as {
      source: string;
      inserted: number;
      unchanged: number;
      rejected: unknown[];
    };
    expect(r).toMatchObject({ source: 'recent.csv', inserted: 200, unchanged: 0, rejected: [] });

    const again = await app.request('/api/draws/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv(bundledLines.slice(-200)),
    });
    expect(await again.json()).toMatchObject({ source: 'upload', inserted: 0, unchanged: 200 });
    expect(((await (await app.request('/api/health')).json()) as { draws: number }).draws).toBe(200);
  });

  it('rejects a file with a bad row as a whole, naming the line (400)', async () => {
    const lines = bundledLines.slice(-300, -200);
    lines[4] = '2019-01-02,1,2,3,4,99,5,';
    const res = await app.request('/api/draws/import', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv(lines),
    });
    const e = await expectError(res, 'IMPORT_REJECTED');
    expect(e.issues.some((i) => i.where === 'upload:6')).toBe(true);
    expect(((await (await app.request('/api/health')).json()) as { draws: number }).draws).toBe(200);

    const skip = await app.request('/api/draws/import?skipInvalid=true&dryRun=1', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv(lines),
    });
    expect(await skip.json()).toMatchObject({ inserted: 99, rejected: [{ line: 6 }] });
    expect(((await (await app.request('/api/health')).json()) as { draws: number }).draws).toBe(200);
  });

  it('refuses oversized (413), empty and non-UTF-8 uploads and unknown options', async () => {
    const big = csv(bundledLines.slice(0, 3000));
    expect(big.length).toBeGreaterThan(64 * 1024);
    await expectError(
      await app.request('/api/draws/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: big,
      }),
      'TOO_LARGE',
    );
    const chunked = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    await expectError(
      await app.request('/api/draws/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: chunked,
        duplex: 'half',
      } as RequestInit),
      'TOO_LARGE',
    );
    await expectError(
      await app.request('/api/draws/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: '  \n',
      }),
      'MALFORMED_FILE',
    );
    await expectError(
      await app.request('/api/draws/import', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: new Uint8Array([0xff, 0xfe, 0x41]),
      }),
      'MALFORMED_FILE',
    );
    const e = await expectError(
      await app.request('/api/draws/import?format=xml', { method: 'POST', body: 'x' }),
      'INVALID_INPUT',
    );
    expect(e.issues[0]?.where).toBe('query.format');
    const form = new FormData();
    form.set('other', 'x');
    await expectError(
      await app.request('/api/draws/import', { method: 'POST', body: form }),
      'INVALID_INPUT',
    );
  });

  it('adds a draw by hand, and answers 409 for a different draw on a stored date', async () => {
    const add = (body: unknown) =>
      app.request('/api/draws', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await add({ date: '2015-10-07', whites: [18, 30, 41, 54, 1], powerball: 20, multiplier: 2 });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'inserted', draw: { whites: [1, 18, 30, 41, 54] } });
    await expectError(await add({ date: '2015-10-07', whites: [1, 2, 3, 4, 5], powerball: 20 }), 'CONFLICT');
    await expectError(
      await add({ date: '2015-10-08', whites: [1, 2, 3, 4, 5], powerball: 20 }),
      'INVALID_DRAW_DATE',
    );
    await expectError(
      await add({ date: '2015-10-10', whites: [1, 2, 3, 4, 70], powerball: 20 }),
      'INVALID_NUMBERS',
    );
    const e = await expectError(
      await add({ date: '2015-10-10', whites: [1, 2, 3], powerball: 'x' }),
      'INVALID_INPUT',
    );
    expect(e.issues.map((i) => i.where).sort()).toEqual(['body.powerball', 'body.whites']);
    await expectError(
      await app.request('/api/draws', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"date":',
      }),
      'INVALID_INPUT',
    );
    await expectError(
      await app.request('/api/draws', {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: '<a/>',
      }),
      'INVALID_INPUT',
    );
  });

  it('reports a failed download as NETWORK (502) and stores nothing', async () => {
    const before = ((await (await app.request('/api/health')).json()) as { draws: number }).draws;
    await expectError(await app.request('/api/draws/update', { method: 'POST' }), 'NETWORK');
    expect(((await (await app.request('/api/health')).json()) as { draws: number }).draws).toBe(before);
  });

  it('limits JSON bodies too (413)', async () => {
    const body = JSON.stringify({
      date: '2015-10-10',
      whites: [1, 2, 3, 4, 5],
      powerball: 1,
      pad: 'x'.repeat(300_000),
    });
    await expectError(
      await app.request('/api/draws', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }),
      'TOO_LARGE',
    );
  });
});

describe('security', () => {
  let t: TestService;
  beforeAll(() => {
    t = makeTestService({ load: false });
  });
  afterAll(() => t.cleanup());
  const post = (app: ReturnType<typeof createApp>['app'], headers: Record<string, string> = {}) =>
    app.request('/api/draws', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ date: '2016-01-02', whites: [1, 2, 3, 4, 5], powerball: 1 }),
    });

  it('requires the token on mutating endpoints only, when the server has one', async () => {
    const { app } = createApp({
      service: t.service,
      staticDir: null,
      token: 'correct-horse-battery',
      loopbackOnly: false,
    });
    await expectError(await post(app), 'UNAUTHORIZED');
    await expectError(await post(app, { authorization: 'Bearer wrong-token-wrong-token' }), 'UNAUTHORIZED');
    await expectError(await post(app, { authorization: 'Basic Y29ycmVjdC1ob3JzZQ==' }), 'UNAUTHORIZED');
    expect((await app.request('/api/draws')).status).toBe(200);
    expect((await post(app, { authorization: 'Bearer correct-horse-battery' })).status).toBe(200);
    expect((await post(app, { 'x-pbi-token': 'correct-horse-battery' })).status).toBe(200);
  });

  it('on loopback, refuses foreign Host names and cross-origin writes', async () => {
    const { app } = createApp({ service: t.service, staticDir: null });
    await expectError(await app.request('http://evil.example/api/health'), 'UNAUTHORIZED');
    expect((await app.request('http://127.0.0.1:8080/api/health')).status).toBe(200);
    expect((await app.request('http://[::1]:8080/api/health')).status).toBe(200);
    await expectError(await post(app, { origin: 'http://evil.example' }), 'UNAUTHORIZED');
    await expectError(await post(app, { origin: 'null' }), 'UNAUTHORIZED');
    const same = await app.request('http://localhost/api/draws', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost' },
      body: JSON.stringify({ date: '2016-01-06', whites: [1, 2, 3, 4, 5], powerball: 1 }),
    });
    expect(same.status).toBe(200);
  });

  it('sets protective headers', async () => {
    const { app } = createApp({ service: t.service, staticDir: null });
    const res = await app.request('/api/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('stored predictions', () => {
  let t: TestService;
  let app: ReturnType<typeof createApp>['app'];
  beforeAll(() => {
    t = makeTestService();
    app = createApp({ service: t.service, staticDir: null }).app;
    const store = t.service.context.store;
    for (let i = 0; i < 30; i++) {
      store.predictions.storePredictions({
        setId: `set-${String(i).padStart(2, '0')}`,
        source: i % 2 === 0 ? 'frequency' : 'weighted',
        targetDrawDate: '2026-08-08' as never,
        createdAt: `2026-08-0${1 + Math.floor(i / 10)}T10:${String(i).padStart(2, '0')}:00.000Z`,
        seed: i,
        weights: i % 2 === 0 ? {} : { frequency: 0.5, recency: 0.5 },
        tickets: [
          {
            whites: [1, 2, 3, 4, 5 + i],
            powerball: 1 + (i % 26),
            probability: 1e-8,
            contributions: { frequency: 0.6, recency: 0.4 },
          },
          { whites: [10, 20, 30, 40, 50], powerball: 26, probability: 2e-8 },
        ],
      });
    }
  });
  afterAll(() => t.cleanup());

  it('lists sets newest first, filtered and paged', async () => {
    const page = (await (await app.request('/api/predictions?model=weighted&limit=4')).json()) as {
      items: { setId: string; source: string; tickets: unknown[] }[];
      hasMore: boolean;
      limit: number;
    };
    expect(page.items.map((s) => s.setId)).toEqual(['set-29', 'set-27', 'set-25', 'set-23']);
    expect(page.items.every((s) => s.source === 'weighted' && s.tickets.length === 2)).toBe(true);
    expect(page.hasMore).toBe(true);
    const next = (await (await app.request('/api/predictions?model=weighted&limit=4&offset=4')).json()) as {
      items: { setId: string }[];
    };
    expect(next.items[0]?.setId).toBe('set-21');

    const current = (await (await app.request('/api/predictions?current=true')).json()) as {
      items: { setId: string }[];
    };
    expect(current.items.map((s) => s.setId).sort()).toEqual(['set-28', 'set-29']);

    const ranged = (await (
      await app.request('/api/predictions?since=2026-08-02&until=2026-08-03&limit=100')
    ).json()) as {
      items: { setId: string }[];
      hasMore: boolean;
    };
    expect(ranged.items).toHaveLength(10);
    expect(ranged.hasMore).toBe(false);
    const dflt = (await (await app.request('/api/predictions')).json()) as {
      items: unknown[];
      limit: number;
    };
    expect(dflt.limit).toBe(20);
  });

  it('lists tickets one row per prediction', async () => {
    const page = (await (await app.request('/api/predictions/tickets?model=frequency&limit=3')).json()) as {
      items: {
        setId: string;
        position: number;
        whites: number[];
        contributions: Record<string, number> | null;
      }[];
    };
    expect(page.items.map((p) => [p.setId, p.position])).toEqual([
      ['set-28', 0],
      ['set-28', 1],
      ['set-26', 0],
    ]);
    expect(page.items[0]?.whites).toEqual([1, 2, 3, 4, 33]);
    expect(page.items[0]?.contributions).toEqual({ frequency: 0.6, recency: 0.4 });
  });

  it('shows one set, 404 for an unknown one, 400 for bad filters', async () => {
    const set = (await (await app.request('/api/predictions/set-05')).json()) as {
      setId: string;
      seed: number;
      tickets: unknown[];
    };
    expect(set).toMatchObject({ setId: 'set-05', seed: 5 });
    expect(set.tickets).toHaveLength(2);
    await expectError(await app.request('/api/predictions/nope'), 'NOT_FOUND');
    const e = await expectError(
      await app.request('/api/predictions?limit=0&since=2026-13-45&current=maybe'),
      'INVALID_INPUT',
    );
    expect(e.issues.map((i) => i.where).sort()).toEqual(['query.current', 'query.limit', 'query.since']);
    await expectError(await app.request('/api/predictions?since=2026-13-45'), 'INVALID_INPUT');
  });
});

describe('responses match the documented schemas', () => {
  let t: TestService;
  let built: ReturnType<typeof createApp>;
  beforeAll(() => {
    t = makeTestService();
    built = createApp({ service: t.service, staticDir: null });
    t.service.context.store.predictions.storePredictions({
      source: 'frequency',
      targetDrawDate: '2026-08-08' as never,
      createdAt: '2026-08-06T10:00:00.000Z',
      seed: 1,
      weights: {},
      tickets: [{ whites: [1, 2, 3, 4, 5], powerball: 1, probability: 1e-8 }],
    });
  });
  afterAll(() => t.cleanup());

  it('every parameterless GET answers 200 with a body its 200 schema accepts', async () => {
    type RouteDef = {
      type: string;
      route: {
        method: string;
        path: string;
        request?: { params?: unknown; query?: { safeParse: (v: unknown) => { success: boolean } } };
        responses: Record<
          string,
          {
            content?: Record<
              string,
              { schema?: { safeParse?: (v: unknown) => { success: boolean; error?: unknown } } }
            >;
          }
        >;
      };
    };
    const routes = (built.api.openAPIRegistry.definitions as RouteDef[]).filter(
      (d) =>
        d.type === 'route' &&
        d.route.method === 'get' &&
        !d.route.request?.params &&
        (d.route.request?.query?.safeParse({}).success ?? true),
    );
    expect(routes.length).toBeGreaterThanOrEqual(12);
    const checked: string[] = [];
    for (const { route } of routes) {
      const res = await built.app.request(`/api${route.path}`);
      expect(res.status, route.path).toBe(200);
      const schema = route.responses['200']?.content?.['application/json']?.schema;
      if (!schema?.safeParse) continue;
      const parsed = schema.safeParse(await res.json());
      expect(parsed.success, `${route.path}: ${JSON.stringify(parsed.error)}`).toBe(true);
      checked.push(route.path);
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        '/overview',
        '/draws',
        '/health',
        '/jobs',
        '/models',
        '/predictions',
        '/weights',
      ]),
    );
  });
});

describe('hints as data', () => {
  it('a report whose text holds a hint lists it, with its words, in `hints`', async () => {
    // Four months after the pinned history ends: 50 scheduled draws are missing.
    const t = makeTestService({ clock: { now: () => new Date('2026-12-02T15:00:00Z') } });
    try {
      const { app } = createApp({ service: t.service, staticDir: null });
      const o = (await (await app.request('/api/overview')).json()) as {
        missingDrawsNotice: string;
        hints?: unknown[];
      };
      const words =
        'fetch them with `pbi draws update` or the dashboard’s “Fetch the official results” button';
      expect(o.missingDrawsNotice).toBe(
        `50 scheduled draws are missing from the stored history (2026-08-08 to 2026-11-30): ${words}`,
      );
      expect(o.hints).toEqual([{ kind: 'fetch-draws', words }]);
      // Without a hint in its texts, an answer has no `hints`.
      expect(await (await app.request('/api/jobs')).json()).toEqual({ jobs: [] });
    } finally {
      t.cleanup();
    }
  });
});
