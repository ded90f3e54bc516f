/**
 * One view per analysis page of the dashboard (`/analysis/<kind>`): each reads one rule era
 * (optionally a date range inside it) and returns its figures beside what chance gives.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { IsoDate } from '../../../../domain/dates.js';
import { gapsView, sumsView, weekdaysView } from '../../../../services/analysis-distributions.js';
import {
  combinationsView,
  eraSpans,
  pooledView,
  trendsView,
  type ViewScope,
} from '../../../../services/analysis-views.js';
import {
  CombinationsViewSchema,
  EraSpansSchema,
  GapsViewSchema,
  PooledViewSchema,
  SumsViewSchema,
  TrendsViewSchema,
  WeekdaysViewSchema,
} from '../../contract/analysis.js';
import type { RouteModule } from '../../deps.js';
import { json } from '../../errors.js';
import { errorResponses, IsoDateSchema, QueryBool, queryInt } from '../../schemas.js';

const Scope = {
  era: IsoDateSchema.optional().openapi({
    description: "the era's first draw date; the current era by default",
  }),
  from: IsoDateSchema.optional().openapi({ description: 'only draws on or after this date' }),
  to: IsoDateSchema.optional().openapi({ description: 'only draws on or before this date' }),
};

function scopeOf(q: { era?: string; from?: string; to?: string }): ViewScope {
  return {
    ...(q.era !== undefined && { era: q.era }),
    ...(q.from !== undefined && { from: q.from as IsoDate }),
    ...(q.to !== undefined && { to: q.to as IsoDate }),
  };
}

function view<S extends z.ZodTypeAny, Q extends z.ZodRawShape>(
  kind: string,
  summary: string,
  query: Q,
  schema: S,
) {
  return createRoute({
    method: 'get',
    path: `/analysis/${kind}`,
    tags: ['analysis'],
    summary,
    request: { query: z.object({ ...Scope, ...query }) },
    responses: {
      200: { description: kind, content: { 'application/json': { schema } } },
      ...errorResponses(400, 422),
    },
  });
}

const trends = view(
  'trends',
  'Counts per week, month or year of chosen numbers, and the numbers trending up and down against chance',
  {
    group: z.enum(['week', 'month', 'year']).optional().openapi({ default: 'month' }),
    pool: z.enum(['whites', 'powerball']).optional().openapi({ default: 'whites' }),
    numbers: z
      .string()
      .regex(/^\d{1,2}(,\d{1,2}){0,7}$/, 'expected up to eight numbers like 7,21')
      .optional()
      .openapi({ description: 'numbers to count per period (default: none)', example: '7,21' }),
    periods: queryInt(1, 1000)
      .optional()
      .openapi({ description: 'compare the last K periods with the K before' }),
    top: queryInt(1, 100).optional(),
  },
  TrendsViewSchema,
);

const combinations = view(
  'combinations',
  'The most frequent combinations of 2–5 numbers (optionally with the Powerball) against chance',
  {
    size: queryInt(2, 5).optional().openapi({ default: 2 }),
    withPowerball: QueryBool.optional(),
    minCount: queryInt(2, 1000).optional().openapi({ default: 2 }),
    top: queryInt(1, 100).optional().openapi({ default: 25 }),
  },
  CombinationsViewSchema,
);

const sums = view(
  'sums',
  'Sums of the whites with and without the Powerball, per year, odd/even and high/low splits, and where a sum sits',
  { sum: queryInt(0, 1000).optional().openapi({ description: 'a sum to place in the distributions' }) },
  SumsViewSchema,
);

const gaps = view(
  'gaps',
  'Gaps between appearances of each number, in draws and in days, whites and Powerball',
  {},
  GapsViewSchema,
);

const weekdays = view(
  'weekdays',
  "Draws per weekday against the schedule, and each number's frequency per draw weekday",
  {},
  WeekdaysViewSchema,
);

const pooled = createRoute({
  method: 'get',
  path: '/analysis/pooled',
  tags: ['analysis'],
  summary:
    'Every stored draw at once: counts per number over the whole history, against chance in the eras where it could be drawn',
  responses: {
    200: { description: 'pooled counts', content: { 'application/json': { schema: PooledViewSchema } } },
    ...errorResponses(422),
  },
});

const eras = createRoute({
  method: 'get',
  path: '/analysis/eras',
  tags: ['analysis'],
  summary: 'Every rule era, oldest first, with its stored draws (what the analysis pages can show)',
  responses: {
    200: { description: 'eras', content: { 'application/json': { schema: EraSpansSchema } } },
  },
});

export const viewRoutes: RouteModule = (api, { service }) => {
  const history = () => service.analysis.history();
  api.openapi(trends, (c) => {
    const q = c.req.valid('query');
    return json(
      c,
      trendsView(history(), {
        ...scopeOf(q),
        group: q.group ?? 'month',
        pool: q.pool ?? 'whites',
        numbers: q.numbers?.split(',').map(Number) ?? [],
        ...(q.periods !== undefined && { periods: q.periods }),
        ...(q.top !== undefined && { top: q.top }),
      }),
    );
  });
  api.openapi(combinations, (c) => {
    const q = c.req.valid('query');
    return json(
      c,
      combinationsView(history(), {
        ...scopeOf(q),
        size: q.size ?? 2,
        withPowerball: q.withPowerball ?? false,
        minCount: q.minCount ?? 2,
        top: q.top ?? 25,
      }),
    );
  });
  api.openapi(sums, (c) => {
    const q = c.req.valid('query');
    return json(c, sumsView(history(), { ...scopeOf(q), ...(q.sum !== undefined && { sum: q.sum }) }));
  });
  api.openapi(gaps, (c) => json(c, gapsView(history(), scopeOf(c.req.valid('query')))));
  api.openapi(weekdays, (c) => json(c, weekdaysView(history(), scopeOf(c.req.valid('query')))));
  api.openapi(pooled, (c) => json(c, pooledView(history())));
  api.openapi(eras, (c) => json(c, { eras: eraSpans(history()) }));
};
