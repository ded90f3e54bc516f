/**
 * The feature set (as `pbi features`) and the database check (as `pbi db check`).
 */
import { createRoute } from '@hono/zod-openapi';
import { FeatureSetInfoSchema, IntegrityReportSchema } from '../../contract/analysis.js';
import type { RouteModule } from '../../deps.js';
import { json } from '../../errors.js';
import { errorResponses } from '../../schemas.js';

const features = createRoute({
  method: 'get',
  path: '/features',
  tags: ['features'],
  summary: 'The feature set: names, windows, warm-up, targets, rows of the stored history',
  responses: {
    200: { description: 'feature set', content: { 'application/json': { schema: FeatureSetInfoSchema } } },
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
  responses: {
    200: { description: 'report', content: { 'application/json': { schema: IntegrityReportSchema } } },
  },
});

export const featureRoutes: RouteModule = (api, { service }) => {
  api.openapi(features, (c) => json(c, service.features.info()));
  api.openapi(featuresCsv, (c) => {
    const csv = service.features.csv();
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="features-${csv.featureSet}.csv"`);
    return c.body(csv.text, 200) as never;
  });
  api.openapi(dbCheck, (c) => json(c, service.database.check()));
};
