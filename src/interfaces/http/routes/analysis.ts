/**
 * Statistics of the history (as `pbi analyze`), the feature set (as `pbi features`) and the
 * database check (as `pbi db check`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { RouteModule } from '../deps.js';
import { json } from '../errors.js';
import { AnyObject, EraSchema, errorResponses, IsoDateSchema, QueryBool, queryInt } from '../schemas.js';

const analyze = createRoute({
  method: 'get',
  path: '/analyze',
  tags: ['analysis'],
  summary:
    'Frequencies with the count expected by chance, gaps, chi-square, sums, splits, combinations, trends, weekdays — per era, whites and Powerball apart',
  request: {
    query: z.object({
      window: queryInt(1, 100_000).optional().openapi({ description: 'only the newest N draws' }),
      from: IsoDateSchema.optional().openapi({ description: 'only draws on or after this date' }),
      to: IsoDateSchema.optional().openapi({ description: 'only draws on or before this date' }),
      numbers: z
        .string()
        .regex(/^\d{1,2}(,\d{1,2}){0,4}$/, 'expected up to five white balls like 12,34')
        .optional()
        .openapi({ description: 'draws holding all these whites: count against chance, gap, weekdays' }),
      pb: queryInt(1, 99)
        .optional()
        .openapi({ description: 'draws with this Powerball (with numbers: together)' }),
      era: z.enum(['current', 'all']).optional(),
      sum: queryInt(0, 1000)
        .optional()
        .openapi({ description: 'place this sum of whites in the distribution' }),
      withPowerball: QueryBool.optional(),
      period: z.enum(['weekly', 'monthly', 'yearly']).optional(),
      periods: queryInt(1, 1000).optional(),
      top: queryInt(1, 100).optional(),
    }),
  },
  responses: {
    200: { description: 'analysis report', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(400, 422),
  },
});

const pairs = createRoute({
  method: 'get',
  path: '/analyze/pairs',
  tags: ['analysis'],
  summary: 'How often each pair of white balls was drawn together in one era (the heat map of the dashboard)',
  request: {
    query: z.object({
      era: IsoDateSchema.optional().openapi({
        description: "the era's first draw date; the current era by default",
      }),
    }),
  },
  responses: {
    200: {
      description: 'pair matrix',
      content: {
        'application/json': {
          schema: z.object({
            era: EraSchema,
            draws: z.number().int(),
            size: z.number().int(),
            counts: z.array(z.number().int()),
            expected: z.number(),
          }),
        },
      },
    },
    ...errorResponses(400),
  },
});

const features = createRoute({
  method: 'get',
  path: '/features',
  tags: ['features'],
  summary: 'The feature set: names, windows, warm-up, targets, rows of the stored history',
  responses: {
    200: { description: 'feature set', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(422),
  },
});

const featuresCsv = createRoute({
  method: 'get',
  path: '/features.csv',
  tags: ['features'],
  summary: 'The feature matrix as CSV (draw_date, every feature, the six targets), as `pbi features export`',
  responses: {
    200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
    ...errorResponses(422),
  },
});

const dbCheck = createRoute({
  method: 'get',
  path: '/db/check',
  tags: ['database'],
  summary: "SQLite's integrity check and the store's invariants (as `pbi db check`)",
  responses: { 200: { description: 'report', content: { 'application/json': { schema: AnyObject } } } },
});

export const analysisRoutes: RouteModule = (api, { service }) => {
  api.openapi(analyze, (c) => {
    const { numbers, pb, ...q } = c.req.valid('query');
    const options = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
    const selection =
      numbers === undefined && pb === undefined
        ? {}
        : { selection: { whites: numbers?.split(',').map(Number) ?? [], powerball: pb ?? null } };
    return json(c, service.analysis.analyze({ ...options, ...selection }));
  });
  api.openapi(pairs, (c) => json(c, service.analysis.pairs(c.req.valid('query').era)));
  api.openapi(features, (c) => json(c, service.features.info()));
  api.openapi(featuresCsv, (c) => {
    const csv = service.features.csv();
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="features-${csv.featureSet}.csv"`);
    return c.body(csv.text, 200) as never;
  });
  api.openapi(dbCheck, (c) => json(c, service.database.check()));
};
