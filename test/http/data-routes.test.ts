/**
 * The routes behind the Draws, Data, Predictions and Models pages, in process over a real SQLite
 * file with the bundled history; and the contract: every route's success response in
 * /api/openapi.json is a schema with properties, never a bare object.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/interfaces/http/app.js';
import { makeTestService, type TestService } from '../support/test-db.js';

type Json = Record<string, unknown>;

describe('draws, data, predictions and models routes', () => {
  let t: TestService;
  let app: ReturnType<typeof createApp>['app'];
  const call = async (method: string, route: string, body?: unknown) => {
    const res = await app.request(`/api${route}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(() => {
    t = makeTestService();
    app = createApp({ service: t.service, staticDir: null }).app;
  });
  afterAll(() => t.cleanup());

  it('pages the history newest first within a date range, with each draw’s era', async () => {
    const all = await call('GET', '/draws/history?limit=10');
    expect(all.status).toBe(200);
    const draws = all.body.draws as { date: string; era: string }[];
    expect(draws).toHaveLength(10);
    expect(draws[0]?.date).toBe('2026-08-05');
    expect(draws.map((d) => d.date)).toEqual([...draws.map((d) => d.date)].sort().reverse());
    expect(all.body.hasMore).toBe(true);
    const jan = await call('GET', '/draws/history?from=2012-01-01&to=2012-01-31&limit=5&offset=5');
    expect(jan.body.total).toBe(8);
    // Newest first: the last five of January 2012's eight draws were drawn under the 2009 rules.
    expect((jan.body.draws as { era: string }[]).map((d) => d.era)).toEqual([
      '2009-01-07',
      '2009-01-07',
      '2009-01-07',
    ]);
    expect(jan.body.hasMore).toBe(false);
    const bad = await call('GET', '/draws/history?from=2012-02-01&to=2012-01-01');
    expect(bad.status).toBe(400);
    expect((bad.body.error as { issues: { where: string }[] }).issues[0]?.where).toBe('query.from');
  });

  it('replaces and deletes a draw, naming the API’s fields (never a CLI flag) when refused', async () => {
    const conflict = await call('POST', '/draws', {
      date: '2026-08-05',
      whites: [1, 2, 3, 4, 5],
      powerball: 6,
    });
    expect(conflict.status).toBe(409);
    const error = conflict.body.error as { message: string; issues: { where: string }[] };
    expect(error.message).toContain('use body.overwrite to replace it');
    expect(error.message).not.toContain('--');
    expect(error.issues[0]?.where).toBe('body.date');

    const replaced = await call('PUT', '/draws/2026-08-05', { whites: [1, 2, 3, 4, 5], powerball: 6 });
    expect(replaced.status).toBe(200);
    expect(replaced.body.status).toBe('updated');
    expect((replaced.body.previous as { whites: number[] }).whites).not.toEqual([1, 2, 3, 4, 5]);

    const removed = await call('DELETE', '/draws/2026-08-05');
    expect(removed.status).toBe(200);
    expect((removed.body.draw as { whites: number[] }).whites).toEqual([1, 2, 3, 4, 5]);
    expect((await call('DELETE', '/draws/2026-08-05')).status).toBe(404);
    expect((await call('DELETE', '/draws/2026-02-30')).status).toBe(400);
    const latest = await call('GET', '/draws?last=1');
    expect((latest.body.draws as { date: string }[])[0]?.date).toBe('2026-08-03');
  });

  it('previews an import without writing: new, changed, unchanged and refused rows with reasons', async () => {
    const text =
      'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier\n' +
      '2026-08-03,1,2,3,4,5,6,\n2026-08-05,7,8,9,10,11,12,2\n2026-08-06,1,2,3,4,5,6,\n';
    const before = (await call('GET', '/draws?last=1')).body.total;
    const res = await app.request('/api/draws/import?dryRun=true&skipInvalid=true', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: text,
    });
    const report = (await res.json()) as Json;
    expect(res.status).toBe(200);
    expect(report).toMatchObject({ rows: 3, inserted: 1, updated: 0, unchanged: 0 });
    expect((report.conflicts as { date: string }[]).map((c) => c.date)).toEqual(['2026-08-03']);
    expect((report.rejected as { line: number; reason: string }[])[0]).toMatchObject({ line: 4 });
    expect((await call('GET', '/draws?last=1')).body.total).toBe(before);
  });

  it('exports the history as CSV and JSON downloads that import back unchanged', async () => {
    const csv = await app.request('/api/draws/export/csv');
    expect(csv.headers.get('content-disposition')).toContain('powerball-draws.csv');
    const text = await csv.text();
    const total = (await call('GET', '/draws?last=1')).body.total as number;
    expect(text.trim().split('\n')).toHaveLength(total + 1);
    const json = (await (await app.request('/api/draws/export/json')).json()) as unknown[];
    expect(json).toHaveLength(total);
    const again = t.service.draws.importText(text, 'export.csv', { dryRun: true });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: total });
  });

  it('reports the database size, its integrity, and writes a backup into the backup folder', async () => {
    const status = await call('GET', '/data');
    expect(status.body).toMatchObject({ backups: [], backupKeep: 3 });
    expect(status.body.bytes as number).toBeGreaterThan(0);
    expect((await call('GET', '/data/check')).body).toMatchObject({ ok: true, problems: [] });
    const backup = await call('POST', '/data/backups');
    expect(backup.status).toBe(200);
    expect(fs.existsSync(backup.body.file as string)).toBe(true);
    const after = await call('GET', '/data');
    expect((after.body.backups as { file: string }[]).map((b) => b.file)).toEqual([backup.body.file]);
  });

  it('shows one stored set with each ticket’s score, and names the query field of a bad filter', async () => {
    const set = await call('POST', '/predict', { count: 2, strategy: 'frequency', seed: 3 });
    const detail = await call('GET', `/predictions/${set.body.setId as string}/detail`);
    expect(detail.status).toBe(200);
    expect((detail.body.set as { tickets: unknown[] }).tickets).toHaveLength(2);
    expect(detail.body.scores).toEqual([]);
    expect((await call('GET', '/predictions/nope/detail')).status).toBe(404);
    const filtered = await call('GET', '/predictions?model=frequency&limit=5');
    expect((filtered.body.items as unknown[]).length).toBe(1);
  });

  it('describes every hyperparameter of every model, and refuses a bad one naming body.params', async () => {
    const specs = await call('GET', '/train/hyperparameters');
    const models = specs.body.models as { model: string; params: { name: string; default: unknown }[] }[];
    expect(models.map((m) => m.model)).toEqual(['ridge', 'random_forest', 'gradient_boosting', 'lasso']);
    const boosting = models.find((m) => m.model === 'gradient_boosting')?.params ?? [];
    expect(boosting.map((p) => p.name)).toEqual(
      expect.arrayContaining(['n_estimators', 'learning_rate', 'max_depth', 'subsample', 'max_bins']),
    );
    const bad = await call('POST', '/train', { model: 'lasso', params: { alpha: -1 } });
    expect(bad.status).toBe(400);
    const text = JSON.stringify(bad.body);
    expect(text).not.toContain('--');
    const unknown = await call('POST', '/train', { model: 'ridge', params: { nope: 1 } });
    expect(unknown.status).toBe(400);
    expect((unknown.body.error as { issues: { where: string }[] }).issues[0]?.where).toBe('body.params.nope');
    expect((await call('GET', '/models/ridge/versions/1')).status).toBe(404);
  });

  it('documents a response schema with properties for every route in /api/openapi.json', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema: Json }> }> }>
      >;
      components: { schemas: Record<string, Json> };
    };
    const resolve = (s: Json): Json => {
      const ref = s.$ref as string | undefined;
      return ref ? resolve(doc.components.schemas[ref.replace('#/components/schemas/', '')] as Json) : s;
    };
    const described = (s: Json): boolean => {
      const r = resolve(s);
      if (r.type === 'string') return true;
      if (r.type === 'array') return described(r.items as Json);
      for (const key of ['anyOf', 'oneOf', 'allOf'] as const)
        if (Array.isArray(r[key])) return (r[key] as Json[]).every(described);
      const props = r.properties as Json | undefined;
      return props !== undefined && Object.keys(props).length > 0;
    };
    const bare: string[] = [];
    for (const [route, methods] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(methods))
        for (const [status, response] of Object.entries(op.responses)) {
          if (!status.startsWith('2')) continue;
          const content = Object.values(response.content ?? {});
          if (content.length === 0 || !content.every((c) => described(c.schema)))
            bare.push(`${method.toUpperCase()} ${route} ${status}`);
        }
    expect(bare).toEqual([]);
  });
});
