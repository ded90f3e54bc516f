/**
 * Training (as `pbi train`) as an asynchronous job: the request is checked at once (400 for an
 * unknown model or parameter), then the job runs in a worker thread; poll `GET /jobs/{id}` or stream
 * `GET /jobs/{id}/events`. The job's result is the training report with the new versions.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { runTask } from '../../../services/job-worker.js';
import type { RouteModule } from '../deps.js';
import { inBodyTerms, json } from '../errors.js';
import { errorResponses, JobSchema } from '../schemas.js';
import { MAX_SEED } from '../../../domain/limits.js';

const Param = z.union([z.number(), z.string(), z.boolean(), z.null()]);

const train = createRoute({
  method: 'post',
  path: '/train',
  tags: ['models'],
  summary: 'Start training (cross-validate, fit on all rows, register new versions) as a job',
  security: [{ bearerToken: [] }],
  request: {
    body: {
      content: {
        'application/json': {
          schema: z.object({
            model: z
              .enum(['ridge', 'random_forest', 'gradient_boosting', 'lasso', 'all'])
              .optional()
              .openapi({ default: 'all' }),
            params: z
              .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a parameter name'), Param)
              .optional()
              .openapi({
                description: 'hyperparameters, e.g. { "alpha": 0.5, "n_estimators": 50 }',
                example: { alpha: 0.5 },
              }),
            folds: z.number().int().min(2).max(100).optional().openapi({ default: 5 }),
            seed: z.number().int().min(0).max(MAX_SEED).optional().openapi({ default: 42 }),
            activate: z.boolean().optional().openapi({
              description:
                'true forces activation; false never activates; omitted: active only when the CV MAE beats both naive baselines and the active version',
            }),
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

export const trainingRoutes: RouteModule = (api, { service, jobs }) => {
  api.openapi(train, (c) => {
    const body = c.req.valid('json');
    const request = {
      ...(body.model !== undefined && { model: body.model }),
      ...(body.params !== undefined && { params: body.params }),
      ...(body.folds !== undefined && { folds: body.folds }),
      ...(body.seed !== undefined && { seed: body.seed }),
      ...(body.activate !== undefined && { activate: body.activate }),
    };
    // A bad model or parameter is a 400 now, not a failed job later.
    try {
      service.training.plan(request);
    } catch (error) {
      throw inBodyTerms(error, ['model', 'params', 'folds', 'seed', 'activate']);
    }
    const job = jobs.start('train', body, (report, signal) =>
      runTask(service, { kind: 'train', request }, report, { signal }),
    );
    return json(c, job, 202);
  });
};
