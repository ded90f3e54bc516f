/**
 * The typed contract of the tickets and experiments routes: every response parses with the schema
 * /api/openapi.json publishes for it (strictly: no field the schema does not name), and the
 * document references a named schema for each — no untyped object left.
 */
import type { z } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/interfaces/http/app.js';
import {
  AliasHistorySchema,
  ExperimentListSchema,
  RunComparisonSchema,
  RunDetailsSchema,
  RunPageSchema,
} from '../../src/interfaces/http/contract/experiments.js';
import {
  AddTicketReportSchema,
  PlayedTicketSchema,
  PlayListSchema,
  RemovedTicketSchema,
  StoredPlaySchema,
  TicketCheckReportSchema,
  TicketPageSchema,
  TicketSummarySchema,
} from '../../src/interfaces/http/contract/tickets.js';
import { makeTestService, type TestService } from '../support/test-db.js';

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Parses `body` with `schema` made strict at every level, so an undocumented field fails. */
function strictParse<S extends z.ZodTypeAny>(schema: S, body: unknown): z.infer<S> {
  const undocumented: string[] = [];
  // zod 4 definitions: { type: 'object', shape }, { type: 'array', element }, { type: 'nullable', innerType }.
  interface Def {
    readonly type: string;
    readonly shape?: Record<string, z.ZodTypeAny>;
    readonly element?: z.ZodTypeAny;
    readonly innerType?: z.ZodTypeAny;
  }
  const walk = (s: z.ZodTypeAny, v: unknown, where: string): void => {
    const def = (s as unknown as { def: Def }).def;
    if (v === null || v === undefined) return;
    if (def.type === 'nullable' || def.type === 'optional')
      return walk(def.innerType as z.ZodTypeAny, v, where);
    if (def.type === 'array' && Array.isArray(v))
      return v.forEach((x, i) => walk(def.element as z.ZodTypeAny, x, `${where}[${i}]`));
    if (def.type === 'object' && typeof v === 'object') {
      const shape = def.shape ?? {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (!(k in shape)) undocumented.push(`${where}.${k}`);
        else walk(shape[k] as z.ZodTypeAny, x, `${where}.${k}`);
      }
    }
  };
  const parsed = schema.parse(body) as z.infer<S>;
  walk(schema, body, '$');
  expect(undocumented).toEqual([]);
  return parsed;
}

describe('typed contract of tickets and experiments', () => {
  let t: TestService;
  let app: ReturnType<typeof createApp>['app'];
  beforeAll(() => {
    t = makeTestService();
    app = createApp({ service: t.service, staticDir: null }).app;
  });
  afterAll(() => t.cleanup());
  const get = async (path: string) => (await app.request(`/api${path}`)).json() as Promise<unknown>;

  it('tickets: add, list, plays, show, summary, check, jackpot and remove all match their schemas', async () => {
    const added = strictParse(
      AddTicketReportSchema,
      await (
        await app.request(
          '/api/tickets',
          post({
            date: '2026-08-01',
            whites: [6, 17, 27, 1, 2],
            powerball: 5,
            draws: 4,
            powerPlay: true,
            doublePlay: true,
          }),
        )
      ).json(),
    );
    expect(added.ticket.plays[0]?.result?.tier).toBe('3+PB');
    const id = added.ticket.id;
    strictParse(TicketPageSchema, await get('/tickets'));
    strictParse(PlayListSchema, await get('/tickets/plays'));
    strictParse(PlayedTicketSchema, await get(`/tickets/${id}`));
    const summary = strictParse(TicketSummarySchema, await get('/tickets/summary'));
    expect(summary.tickets).toBe(1);
    strictParse(TicketCheckReportSchema, await (await app.request('/api/tickets/check', post({}))).json());
    const playId = added.ticket.plays[0]?.id as number;
    strictParse(
      StoredPlaySchema,
      await (
        await app.request(`/api/tickets/plays/${playId}/jackpot`, {
          ...post({ amount: null }),
          method: 'PUT',
        })
      ).json(),
    );
    strictParse(
      RemovedTicketSchema,
      await (await app.request(`/api/tickets/${id}`, { method: 'DELETE' })).json(),
    );
  });

  it('experiments: lists, a run with its fold history, a comparison and alias history match their schemas', async () => {
    for (const alpha of [1, 100]) {
      t.service.training.train({ model: 'ridge', folds: 2, params: { alpha } });
    }
    strictParse(ExperimentListSchema, await get('/experiments'));
    const page = strictParse(RunPageSchema, await get('/runs'));
    expect(page.runs).toHaveLength(2);
    const [a, b] = page.runs.map((r) => r.id);
    const details = strictParse(RunDetailsSchema, await get(`/runs/${a}`));
    expect(details.run.dataDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(details.history.some((p) => p.key === 'fold_mae' && p.step >= 0)).toBe(true);
    strictParse(RunComparisonSchema, await get(`/runs/compare?ids=${a},${b}`));
    strictParse(AliasHistorySchema, await get('/models/ridge/aliases'));
  });

  it('the OpenAPI document names a schema for every response of these routes', async () => {
    const doc = (await get('/openapi.json')) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
      >;
    };
    const untyped: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!/^\/(tickets|runs|experiments|analysis|analyze|features$|db\/check|ask)/.test(path)) continue;
      for (const [method, op] of Object.entries(methods)) {
        const schema = op.responses['200']?.content?.['application/json']?.schema;
        if (schema === undefined) continue;
        const text = JSON.stringify(schema);
        if (!text.includes('$ref') && !text.includes('"properties"')) untyped.push(`${method} ${path}`);
        if (/"additionalProperties":\{\}|"type":"object"\}$/.test(text) && !text.includes('properties'))
          untyped.push(`${method} ${path} (any object)`);
      }
    }
    expect(untyped).toEqual([]);
  });
});
