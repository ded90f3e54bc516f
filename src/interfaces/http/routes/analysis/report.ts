/**
 * Statistics of the history (as `pbi analyze`) and the pair matrix of the Numbers page.
 */
import { z } from '@hono/zod-openapi';
import { AnalysisReportSchema, PairMatrixSchema } from '../../contract/analysis.js';
import type { RouteModule } from '../../deps.js';
import { json } from '../../errors.js';
import { errorResponses, getRoute, IsoDateSchema, QueryBool, queryInt } from '../../schemas.js';

const analyze = getRoute(
  {
    path: '/analyze',
    tag: 'analysis',
    summary:
      'Frequencies with the count expected by chance, gaps, chi-square, sums, splits, combinations, trends, weekdays — per era, whites and Powerball apart',
  },
  {
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
  {
    200: {
      description: 'analysis report',
      content: { 'application/json': { schema: AnalysisReportSchema } },
    },
    ...errorResponses(400, 422),
  },
);

const pairs = getRoute(
  {
    path: '/analyze/pairs',
    tag: 'analysis',
    summary:
      'How often each pair of white balls was drawn together in one era (the heat map of the dashboard)',
  },
  {
    query: z.object({
      era: IsoDateSchema.optional().openapi({
        description: "the era's first draw date; the current era by default",
      }),
    }),
  },
  {
    200: {
      description: 'pair matrix',
      content: {
        'application/json': {
          schema: PairMatrixSchema,
        },
      },
    },
    ...errorResponses(400),
  },
);

export const reportRoutes: RouteModule = (api, { service }) => {
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
};
