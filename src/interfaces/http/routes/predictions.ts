/**
 * Stored prediction sets (as `pbi predictions list|show`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { RouteModule } from '../deps.js';
import { json } from '../errors.js';
import { AnyObject, errorResponses, IsoDateSchema, QueryBool, queryInt } from '../schemas.js';

const filters = z.object({
  model: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: 'model name or strategy (the set source)' }),
  current: QueryBool.optional().openapi({ description: "only each source's current set" }),
  since: IsoDateSchema.optional().openapi({ description: 'created on or after this UTC day' }),
  until: IsoDateSchema.optional().openapi({ description: 'created before this UTC day' }),
  forDate: IsoDateSchema.optional().openapi({ description: 'only sets for this draw date' }),
  limit: queryInt(1, 1000).optional().openapi({ description: 'page size (default 20 sets, 100 tickets)' }),
  offset: queryInt(0, 1_000_000_000).optional(),
});

const PageSchema = z.object({
  items: z.array(AnyObject),
  offset: z.number().int(),
  limit: z.number().int(),
  hasMore: z.boolean(),
});

const listSets = createRoute({
  method: 'get',
  path: '/predictions',
  tags: ['predictions'],
  summary: 'Stored prediction sets with their tickets, newest first, filtered and paged',
  request: { query: filters },
  responses: {
    200: { description: 'a page of sets', content: { 'application/json': { schema: PageSchema } } },
    ...errorResponses(400),
  },
});

const listTickets = createRoute({
  method: 'get',
  path: '/predictions/tickets',
  tags: ['predictions'],
  summary: 'Stored predictions one row per ticket, with their set facts, filtered and paged',
  request: { query: filters },
  responses: {
    200: { description: 'a page of tickets', content: { 'application/json': { schema: PageSchema } } },
    ...errorResponses(400),
  },
});

const setScores = createRoute({
  method: 'get',
  path: '/predictions/scores',
  tags: ['predictions'],
  summary:
    'How the given sets did once their draw happened (matches, prize tiers, dollars), from the stored scores',
  request: {
    query: z.object({
      sets: z
        .string()
        .min(1)
        .max(10_000)
        .openapi({ description: 'comma-separated set ids (up to 100)' })
        .transform((s) => s.split(',').filter((x) => x.length > 0))
        .refine((xs) => xs.length <= 100, 'at most 100 set ids'),
    }),
  },
  responses: {
    200: {
      description: 'one summary per set, in the order asked',
      content: { 'application/json': { schema: z.object({ scores: z.array(AnyObject) }) } },
    },
    ...errorResponses(400, 404),
  },
});

const showSet = createRoute({
  method: 'get',
  path: '/predictions/{setId}',
  tags: ['predictions'],
  summary: 'One set with its tickets and each strategy’s contribution',
  request: {
    params: z.object({
      setId: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: 'setId', in: 'path' } }),
    }),
  },
  responses: {
    200: { description: 'the set', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(404),
  },
});

type Filters = z.infer<typeof filters>;
const options = (q: Filters, defaultLimit: number) => ({
  ...(q.model !== undefined && { model: q.model }),
  ...(q.current !== undefined && { current: q.current }),
  ...(q.since !== undefined && { since: q.since }),
  ...(q.until !== undefined && { until: q.until }),
  ...(q.forDate !== undefined && { forDate: q.forDate }),
  limit: q.limit ?? defaultLimit,
  ...(q.offset !== undefined && { offset: q.offset }),
});

export const predictionRoutes: RouteModule = (api, { service }) => {
  api.openapi(listSets, (c) => json(c, service.predictions.list(options(c.req.valid('query'), 20))));
  api.openapi(listTickets, (c) =>
    json(c, service.predictions.listPredictions(options(c.req.valid('query'), 100))),
  );
  api.openapi(setScores, (c) => json(c, { scores: service.evaluation.setScores(c.req.valid('query').sets) }));
  api.openapi(showSet, (c) => json(c, service.predictions.show(c.req.valid('param').setId)));
};
