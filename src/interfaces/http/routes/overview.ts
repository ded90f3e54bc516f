/**
 * Health and the dashboard's overview.
 */
import { createRoute } from '@hono/zod-openapi';
import { HealthSchema, OverviewSchema } from '../contract/overview.js';
import type { RouteModule } from '../deps.js';
import { reply } from '../reply.js';

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['meta'],
  summary: 'Liveness: the server answers and its database is open',
  responses: { 200: { description: 'ok', content: { 'application/json': { schema: HealthSchema } } } },
});

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
  api.openapi(overview, (c) => reply(c, OverviewSchema, service.draws.overview()));
};
