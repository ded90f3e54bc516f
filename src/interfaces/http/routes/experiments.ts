/**
 * Experiments (as `pbi runs list|show|compare`, `pbi models importance`, `pbi models aliases`):
 * tracked runs, their comparison, feature importance (a job: it refits the model on a fold) and
 * alias history.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { parseMetricFilter } from '../../../services/experiment-service.js';
import type { RouteModule } from '../deps.js';
import { json } from '../errors.js';
import { reply } from '../reply.js';
import {
  AliasHistorySchema,
  ExperimentListSchema,
  RunComparisonSchema,
  RunDetailsSchema,
  RunPageSchema,
  RunRegistrationSchema,
} from '../contract/experiments.js';
import {
  errorResponses,
  getRoute,
  JobSchema,
  jsonBody,
  pathId,
  pathText,
  queryInt,
  readRoute,
  writeRoute,
} from '../schemas.js';
import { MAX_SEED } from '../../../domain/limits.js';

const experiments = readRoute(
  { path: '/experiments', tag: 'experiments', summary: 'Every experiment with its run count' },
  ExperimentListSchema,
  'experiments',
);

const listRuns = getRoute(
  { path: '/runs', tag: 'experiments', summary: 'Tracked runs, filtered and ordered (as `pbi runs list`)' },
  {
    query: z.object({
      experiment: z.string().min(1).max(100).optional(),
      model: z.string().min(1).max(64).optional(),
      status: z.enum(['running', 'finished', 'failed']).optional(),
      kind: z.string().min(1).max(40).optional(),
      parent: queryInt(1, 2 ** 31).optional(),
      where: z.string().max(200).optional().openapi({
        description: 'metric filters separated by commas, e.g. `mae<10,baseline_training_mean_mae>=3`',
      }),
      orderBy: z
        .string()
        .min(1)
        .max(100)
        .optional()
        .openapi({ description: 'a metric key; `-key` for descending' }),
      limit: queryInt(1, 10_000).optional(),
      offset: queryInt(0, 1_000_000_000).optional(),
    }),
  },
  {
    200: {
      description: 'runs and the next page offset',
      content: {
        'application/json': { schema: RunPageSchema },
      },
    },
    ...errorResponses(400, 404),
  },
);

const compareRuns = getRoute(
  {
    path: '/runs/compare',
    tag: 'experiments',
    summary: 'Params and metrics of several runs side by side (as `pbi runs compare`)',
  },
  {
    query: z.object({
      ids: z
        .string()
        .regex(/^\d+(,\d+)+$/, 'expected two or more run ids separated by commas')
        .transform((s) => s.split(',').map(Number))
        .refine((ids) => ids.every(Number.isSafeInteger), 'a run id is larger than any run id can be')
        .openapi({ example: '3,7' }),
    }),
  },
  {
    200: { description: 'comparison', content: { 'application/json': { schema: RunComparisonSchema } } },
    ...errorResponses(400, 404),
  },
);

const RunId = z.object({ id: pathId('id') });

const showRun = getRoute(
  {
    path: '/runs/{id}',
    tag: 'experiments',
    summary: 'One run with its metric history and child runs (as `pbi runs show`)',
  },
  { params: RunId },
  {
    200: { description: 'run', content: { 'application/json': { schema: RunDetailsSchema } } },
    ...errorResponses(400, 404),
  },
);

const registerRun = createRoute({
  method: 'post',
  path: '/runs/{id}/register',
  tags: ['experiments'],
  summary:
    'Register the model a run produced (its own artifact: same bytes, same hyperparameters) as a new version, with the run in its lineage; active only if it beats the baselines and the active version, unless `activate` says otherwise',
  security: [{ bearerToken: [] }],
  request: {
    params: RunId,
    body: jsonBody(
      z.object({
        activate: z.boolean().optional().openapi({
          description: 'true: make it active anyway; false: register it inactive',
        }),
      }),
      false,
    ),
  },
  responses: {
    201: {
      description: 'the new version',
      content: { 'application/json': { schema: RunRegistrationSchema } },
    },
    ...errorResponses(400, 401, 404, 409),
  },
});

const importance = createRoute({
  method: 'post',
  path: '/models/{ref}/importance',
  tags: ['experiments'],
  summary:
    'Start computing feature importance of a stored model (impurity for trees, permutation on the last fold) as a job',
  security: [{ bearerToken: [] }],
  request: {
    params: z.object({
      ref: pathText('ref', 80, { example: 'random_forest@2' }),
    }),
    body: jsonBody(
      z.object({
        repeats: z.number().int().min(1).max(50).optional().openapi({ default: 5 }),
        seed: z.number().int().min(0).max(MAX_SEED).optional(),
      }),
      false,
    ),
  },
  responses: {
    202: { description: 'the queued job', content: { 'application/json': { schema: JobSchema } } },
    ...errorResponses(400, 401, 404),
  },
});

const Value = z.union([z.number(), z.string().max(40), z.boolean(), z.null()]);

const tune = writeRoute(
  {
    path: '/tune',
    tag: 'experiments',
    summary:
      'Start a hyperparameter search (as `pbi tune`) as a job: every trial is a tracked run; the result ranks them',
  },
  z.object({
    model: z.enum(['ridge', 'random_forest', 'gradient_boosting', 'lasso']),
    search: z.enum(['grid', 'random']),
    trials: z.number().int().min(1).max(500).optional(),
    params: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a parameter name'),
        z.array(Value).min(1).max(50),
      )
      .optional()
      .openapi({
        description: 'the search space: values to try per parameter (others at their defaults)',
        example: { alpha: [0.1, 1, 10] },
      }),
    experiment: z.string().min(1).max(100).optional(),
    seed: z.number().int().min(0).max(MAX_SEED).optional(),
    folds: z.number().int().min(2).max(20).optional(),
    registerBest: z.boolean().optional(),
  }),
  {
    202: { description: 'the queued job', content: { 'application/json': { schema: JobSchema } } },
    ...errorResponses(400, 401),
  },
);

const aliases = getRoute(
  {
    path: '/models/{name}/aliases',
    tag: 'experiments',
    summary: "A model's aliases and every move of them (which version was active when)",
  },
  {
    params: z.object({
      name: pathText('name', 64),
    }),
  },
  {
    200: {
      description: 'aliases and history',
      content: { 'application/json': { schema: AliasHistorySchema } },
    },
    ...errorResponses(400, 404),
  },
);

export const experimentRoutes: RouteModule = (api, { service, jobs, runTask }) => {
  api.openapi(experiments, (c) => json(c, { experiments: service.experiments.experiments() }));
  api.openapi(listRuns, (c) => {
    const q = c.req.valid('query');
    const { where, ...rest } = q;
    const request = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    return json(
      c,
      service.experiments.listRuns({
        ...request,
        ...(where !== undefined && {
          where: where
            .split(',')
            .filter((w) => w.trim() !== '')
            .map((w) => parseMetricFilter(w, 'where')),
        }),
      }),
    );
  });
  api.openapi(compareRuns, (c) => json(c, service.experiments.compareRuns(c.req.valid('query').ids)));
  api.openapi(showRun, (c) => json(c, service.experiments.showRun(c.req.valid('param').id)));
  api.openapi(registerRun, (c) => {
    const { activate } = c.req.valid('json');
    return reply(
      c,
      RunRegistrationSchema,
      service.experiments.registerRun(c.req.valid('param').id, activate),
      201,
    );
  });
  api.openapi(importance, (c) => {
    const model = c.req.valid('param').ref;
    service.models.show(model); // an unknown model or version is a 404 now, not a failed job
    const request = { model, ...c.req.valid('json') };
    return json(
      c,
      jobs.start('importance', request, (report, signal) =>
        runTask(service, { kind: 'importance', request }, report, { signal }),
      ),
      202,
    );
  });
  api.openapi(tune, (c) => {
    const body = c.req.valid('json');
    const { params, ...rest } = body;
    const request = {
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      model: body.model,
      search: body.search,
      ...(params !== undefined && { params }),
    };
    // A bad space or more work than the limit is a 400 now, not a failed job (or a dead server) later.
    service.experiments.planTune(request);
    // The search runs its trials on worker threads of its own; this thread only coordinates.
    const job = jobs.start('tune', body, (report, signal) =>
      service.experiments.tune({
        ...request,
        signal,
        onProgress: (done, total, trial) =>
          report(
            done / total,
            `trial ${done}/${total}: ${trial.status}${trial.mae === null ? '' : `, MAE ${trial.mae.toFixed(3)}`}`,
          ),
      }),
    );
    return json(c, job, 202);
  });
  api.openapi(aliases, (c) => json(c, service.experiments.aliasHistory(c.req.valid('param').name)));
};
