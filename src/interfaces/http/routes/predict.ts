/**
 * Generating and judging predictions: strategies, predict, evaluate, backtest (a job), weights,
 * and the legacy migration runs.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { PREDICT_STRATEGIES } from '../../../domain/strategy-names.js';
import { runTask } from '../../../services/job-worker.js';
import type { RouteModule } from '../deps.js';
import { json } from '../errors.js';
import { AnyObject, errorResponses, IsoDateSchema, JobSchema } from '../schemas.js';
import { MAX_SEED } from '../../../domain/limits.js';

const strategies = createRoute({
  method: 'get',
  path: '/strategies',
  tags: ['predictions'],
  summary:
    'The strategies, what each believes and how strongly it shrinks toward uniform, with the current weights',
  responses: {
    200: { description: 'strategies and weights', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(422),
  },
});

const predict = createRoute({
  method: 'post',
  path: '/predict',
  tags: ['predictions'],
  summary: 'Generate and store one prediction set (as `pbi predict`); every ticket has the same jackpot odds',
  security: [{ bearerToken: [] }],
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            count: z.number().int().min(1).max(100).optional().openapi({ default: 5 }),
            strategy: z.enum(PREDICT_STRATEGIES).optional().openapi({ default: 'weighted' }),
            seed: z.number().int().min(0).max(MAX_SEED).optional(),
            forDate: IsoDateSchema.optional(),
            strength: z.union([z.string(), z.number()]).optional().openapi({
              default: 'calibrated',
              description:
                'belief strength: calibrated (backtest-chosen shrinkage), raw (unshrunk), or the weight of the raw belief from 0 to 1',
            }),
          }),
        },
      },
    },
  },
  responses: {
    201: { description: 'the stored set', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(400, 401, 404, 422),
  },
});

const evaluate = createRoute({
  method: 'post',
  path: '/evaluate',
  tags: ['evaluation'],
  summary:
    'Score stored predictions whose draw has happened and update the strategy weights (as `pbi evaluate`)',
  security: [{ bearerToken: [] }],
  responses: {
    200: { description: 'evaluation report', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(401, 422),
  },
});

const backtest = createRoute({
  method: 'post',
  path: '/backtest',
  tags: ['evaluation'],
  summary:
    'Start a walk-forward backtest (as `pbi backtest`) as a job; poll /jobs/{id} or stream /jobs/{id}/events for the report',
  security: [{ bearerToken: [] }],
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            strategy: z
              .enum([...PREDICT_STRATEGIES, 'all'])
              .optional()
              .openapi({ default: 'all' }),
            from: IsoDateSchema.optional(),
            to: IsoDateSchema.optional(),
            seed: z.number().int().min(0).max(MAX_SEED).optional(),
          }),
        },
      },
    },
  },
  responses: {
    202: { description: 'the queued job', content: { 'application/json': { schema: JobSchema } } },
    ...errorResponses(400, 401),
  },
});

const weights = createRoute({
  method: 'get',
  path: '/weights',
  tags: ['evaluation'],
  summary: 'Every stored strategy-weight update, oldest first, with the scores that caused it',
  responses: {
    200: {
      description: 'weight history',
      content: { 'application/json': { schema: z.object({ history: z.array(AnyObject) }) } },
    },
  },
});

const legacyAccuracy = createRoute({
  method: 'get',
  path: '/evaluation/legacy',
  tags: ['evaluation'],
  summary:
    "The product's stored scores per source beside the legacy accuracy records `pbi migrate` brought over (labelled legacy, " +
    'as the legacy wrote them), each checked against the stored draw and scored our way on the same tickets; ' +
    'records newest draw first, a page at a time',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(0).max(100_000).optional().openapi({ default: 1000 }),
      offset: z.coerce.number().int().min(0).optional().openapi({ default: 0 }),
    }),
  },
  responses: {
    ...errorResponses(400),
    200: {
      description: 'product scores and legacy accuracy',
      content: {
        'application/json': {
          schema: z.object({
            product: z.array(AnyObject),
            legacy: z.object({
              models: z.array(AnyObject),
              records: z.array(AnyObject),
              total: z.number().int(),
            }),
            notice: z.string(),
          }),
        },
      },
    },
  },
});

const migrations = createRoute({
  method: 'get',
  path: '/migrations',
  tags: ['migration'],
  summary: 'Legacy migration runs (`pbi migrate`): when, from where, counts, checksums and rejected records',
  responses: {
    200: {
      description: 'migration runs',
      content: { 'application/json': { schema: z.object({ runs: z.array(AnyObject) }) } },
    },
  },
});

export const predictRoutes: RouteModule = (api, { service, jobs }) => {
  api.openapi(strategies, (c) =>
    json(c, {
      strategies: service.predictor.describeStrategies(),
      weights: service.predictor.weights(),
    }),
  );
  api.openapi(predict, (c) => json(c, service.predictor.generate(c.req.valid('json')), 201));
  api.openapi(evaluate, (c) => json(c, service.evaluation.evaluate()));
  api.openapi(backtest, (c) => {
    const body = c.req.valid('json');
    const request = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    const job = jobs.start('backtest', request, (report, signal) =>
      runTask(service, { kind: 'backtest', request }, report, { signal }),
    );
    return json(c, job, 202);
  });
  api.openapi(weights, (c) => json(c, { history: service.evaluation.weightHistory() }));
  api.openapi(migrations, (c) => json(c, { runs: service.migration.runs() }));
  api.openapi(legacyAccuracy, (c) => {
    const q = c.req.valid('query');
    return json(c, service.evaluation.comparison({ limit: q.limit ?? 1000, offset: q.offset ?? 0 }));
  });
};
