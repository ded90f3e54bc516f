/**
 * Judging predictions: evaluate (score what was drawn and update the weights), the backtest (a
 * job), the weights history and the legacy accuracy beside the product's scores.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { PREDICT_STRATEGIES } from '../../../domain/strategy-names.js';
import { MAX_SEED } from '../../../domain/limits.js';
import {
  EvaluationComparisonSchema,
  EvaluationReportSchema,
  WeightHistorySchema,
} from '../contract/evaluation.js';
import { JobSchema } from '../contract/jobs.js';
import type { RouteModule } from '../deps.js';
import { reply } from '../reply.js';
import { errorResponses, getRoute, IsoDateSchema, ok, readRoute, writeRoute } from '../schemas.js';

const evaluate = createRoute({
  method: 'post',
  path: '/evaluate',
  tags: ['evaluation'],
  summary:
    'Score stored predictions whose draw has happened and update the strategy weights (as `pbi evaluate`)',
  security: [{ bearerToken: [] }],
  responses: { ...ok(EvaluationReportSchema, 'evaluation report'), ...errorResponses(401, 422) },
});

const backtest = writeRoute(
  {
    path: '/backtest',
    tag: 'evaluation',
    summary:
      'Start a walk-forward backtest (as `pbi backtest`) as a job; poll /jobs/{id} or stream /jobs/{id}/events for the report',
  },
  z.object({
    strategy: z
      .enum([...PREDICT_STRATEGIES, 'all'])
      .optional()
      .openapi({ default: 'all' }),
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
    seed: z.number().int().min(0).max(MAX_SEED).optional(),
  }),
  { ...ok(JobSchema, 'the queued job', 202), ...errorResponses(400, 401) },
  { bodyRequired: false },
);

const weights = readRoute(
  {
    path: '/weights',
    tag: 'evaluation',
    summary: 'Every stored strategy-weight update, oldest first, with the scores that caused it',
  },
  WeightHistorySchema,
  'weight history',
);

const legacyAccuracy = getRoute(
  {
    path: '/evaluation/legacy',
    tag: 'evaluation',
    summary:
      "The product's stored scores per source beside the legacy accuracy records `pbi migrate` brought over (labelled legacy, " +
      'as the legacy wrote them), each checked against the stored draw and scored our way on the same tickets; ' +
      'records newest draw first, a page at a time',
  },
  {
    query: z.object({
      limit: z.coerce.number().int().min(0).max(100_000).optional().openapi({ default: 1000 }),
      offset: z.coerce.number().int().min(0).optional().openapi({ default: 0 }),
    }),
  },
  { ...errorResponses(400), ...ok(EvaluationComparisonSchema, 'product scores and legacy accuracy') },
);

export const evaluationRoutes: RouteModule = (api, { service, jobs, runTask }) => {
  api.openapi(evaluate, (c) => reply(c, EvaluationReportSchema, service.evaluation.evaluate()));
  api.openapi(backtest, (c) => {
    const body = c.req.valid('json');
    const request = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    // A bad range or strategy is a 400 now, not a failed job later.
    service.backtest.check(request);
    const job = jobs.start('backtest', request, (report, signal) =>
      runTask(service, { kind: 'backtest', request }, report, { signal }),
    );
    return reply(c, JobSchema, job, 202);
  });
  api.openapi(weights, (c) => reply(c, WeightHistorySchema, { history: service.evaluation.weightHistory() }));
  api.openapi(legacyAccuracy, (c) => {
    const q = c.req.valid('query');
    return reply(
      c,
      EvaluationComparisonSchema,
      service.evaluation.comparison({ limit: q.limit ?? 1000, offset: q.offset ?? 0 }),
    );
  });
};
