/**
 * Health and the dashboard's overview.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { RouteModule } from '../deps.js';
import { json } from '../errors.js';
import { DrawSchema, EraSchema, IsoDateSchema } from '../schemas.js';

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['meta'],
  summary: 'Liveness: the server answers and its database is open',
  responses: {
    200: {
      description: 'ok',
      content: { 'application/json': { schema: z.object({ ok: z.literal(true), draws: z.number().int() }) } },
    },
  },
});

const OverviewSchema = z
  .object({
    latestDraw: DrawSchema.nullable(),
    nextDrawDate: IsoDateSchema.openapi({
      description: 'the first scheduled draw whose draw time (10:59 pm US Eastern) has not passed',
    }),
    missingDraws: z.number().int().openapi({ description: 'scheduled draws already held but not stored' }),
    missingDrawsNotice: z.string().nullable(),
    jackpotOdds: z.number().int().openapi({ example: 292_201_338 }),
    draws: z.number().int(),
    firstDate: IsoDateSchema.nullable(),
    lastDate: IsoDateSchema.nullable(),
    currentEra: EraSchema,
    eras: z.array(z.object({ era: EraSchema, draws: z.number().int() })),
    today: IsoDateSchema,
  })
  .openapi('Overview');

const overview = createRoute({
  method: 'get',
  path: '/overview',
  tags: ['meta'],
  summary: 'Latest draw, next draw date, jackpot odds, history size and eras',
  responses: {
    200: { description: 'overview', content: { 'application/json': { schema: OverviewSchema } } },
  },
});

export const overviewRoutes: RouteModule = (api, { service }) => {
  api.openapi(health, (c) => c.json({ ok: true as const, draws: service.draws.count() }, 200));
  api.openapi(overview, (c) => json(c, service.draws.overview()));
};
