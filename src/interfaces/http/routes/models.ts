/**
 * The model registry (as `pbi models list|show|activate|prune|predict`) and training (as
 * `pbi train`), which registers its versions. Training is an asynchronous job: the request is
 * checked at once (400 for an unknown model or parameter), then the job runs in a worker thread;
 * poll `GET /jobs/{id}` or stream `GET /jobs/{id}/events`; its result is the training report.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { allHyperparameterSpecs } from '../../../services/model-schema.js';
import { MAX_SEED } from '../../../domain/limits.js';
import { JobSchema } from '../contract/jobs.js';
import {
  HyperparameterSchemasSchema,
  ModelListSchema,
  ModelPredictReportSchema,
  PerformanceSchema,
  PruneReportSchema,
  ShowModelSchema,
  VersionDetailsSchema,
  VersionViewSchema,
} from '../contract/models.js';
import type { RouteModule } from '../deps.js';
import { reply } from '../reply.js';
import { errorResponses, getRoute, ok, pathId, pathText, readRoute, writeRoute } from '../schemas.js';
import { readUpload } from '../upload.js';

const Ref = z.object({
  ref: pathText('ref', 80, { example: 'ridge@2', description: 'NAME or NAME@VERSION' }),
});
const Name = z.object({
  name: pathText('name', 64, { example: 'ridge' }),
});

const list = readRoute(
  { path: '/models', tag: 'models', summary: 'Every registered model with its active version' },
  ModelListSchema,
  'models',
);

const show = getRoute(
  {
    path: '/models/{ref}',
    tag: 'models',
    summary: '`NAME`: the model and all its versions; `NAME@VERSION`: one version with its folds',
  },
  { params: Ref },
  {
    ...ok(ShowModelSchema, '{ kind: "model", details } or { kind: "version", version }'),
    ...errorResponses(400, 404),
  },
);

const versionDetails = getRoute(
  {
    path: '/models/{name}/versions/{version}',
    tag: 'models',
    summary:
      "One version: hyperparameters, verdict against the baselines, the run that trained it with its data digest, the search it came from, and its aliases' moves",
  },
  {
    params: Name.extend({
      version: pathId('version'),
    }),
  },
  { ...ok(VersionDetailsSchema, 'the version and its lineage'), ...errorResponses(400, 404) },
);

const performance = getRoute(
  {
    path: '/models/{name}/performance',
    tag: 'models',
    summary: 'Per-fold metrics and naive baselines of every version (the MAE chart)',
  },
  { params: Name },
  { ...ok(PerformanceSchema, 'performance'), ...errorResponses(400, 404) },
);

const activate = createRoute({
  method: 'post',
  path: '/models/{ref}/activate',
  tags: ['models'],
  summary: 'Make NAME@VERSION the active version',
  security: [{ bearerToken: [] }],
  request: { params: Ref },
  responses: { ...ok(VersionViewSchema, 'the activated version'), ...errorResponses(400, 401, 404) },
});

const prune = writeRoute(
  {
    path: '/models/prune',
    tag: 'models',
    summary:
      'Delete all but the newest `keep` versions; never the active one nor, unless forced, one that predictions refer to',
  },
  z.object({
    keep: z.number().int().min(1).max(1000),
    model: z.string().min(1).max(64).optional(),
    force: z.boolean().optional(),
  }),
  { ...ok(PruneReportSchema, 'deleted and kept versions'), ...errorResponses(400, 401, 404) },
);

const predict = createRoute({
  method: 'post',
  path: '/models/{ref}/predict',
  tags: ['models'],
  summary:
    'Run a stored model on feature rows sent as CSV (header = feature names, or x0..xN for legacy models); raw outputs',
  security: [{ bearerToken: [] }],
  request: {
    params: Ref,
    body: {
      description: 'CSV content (text/csv), or multipart/form-data with a `file` field',
      content: {
        'text/csv': { schema: { type: 'string' } },
        'multipart/form-data': {
          schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } },
        },
      },
    },
  },
  responses: {
    ...ok(ModelPredictReportSchema, 'raw outputs per row'),
    ...errorResponses(400, 401, 404, 413, 422),
  },
});

const hyperparameters = readRoute(
  {
    path: '/train/hyperparameters',
    tag: 'models',
    summary: 'Every hyperparameter each trainable model accepts: type, default, bounds (the train form)',
  },
  HyperparameterSchemasSchema,
  'hyperparameters by model',
);

const Param = z.union([z.number(), z.string(), z.boolean(), z.null()]);

const train = writeRoute(
  {
    path: '/train',
    tag: 'models',
    summary: 'Start training (cross-validate, fit on all rows, register new versions) as a job',
  },
  z.object({
    model: z
      .enum(['ridge', 'random_forest', 'gradient_boosting', 'lasso', 'all'])
      .optional()
      .openapi({ default: 'all' }),
    params: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a parameter name'), Param)
      .optional()
      .openapi({
        description:
          'hyperparameters (GET /train/hyperparameters lists them), e.g. { "alpha": 0.5, "n_estimators": 50 }',
        example: { alpha: 0.5 },
      }),
    folds: z.number().int().min(2).max(100).optional().openapi({ default: 5 }),
    seed: z.number().int().min(0).max(MAX_SEED).optional().openapi({ default: 42 }),
    activate: z.boolean().optional().openapi({
      description:
        'true forces activation; false never activates; omitted: active only when the CV MAE beats both naive baselines and the active version',
    }),
  }),
  { ...ok(JobSchema, 'the queued job', 202), ...errorResponses(400, 401) },
  { bodyRequired: false },
);

export const modelRoutes: RouteModule = (api, { service, jobs, runTask, uploadLimitBytes }) => {
  api.openapi(list, (c) => reply(c, ModelListSchema, { models: service.models.list() }));
  api.openapi(versionDetails, (c) => {
    const { name, version } = c.req.valid('param');
    return reply(c, VersionDetailsSchema, service.models.versionDetails(name, version));
  });
  api.openapi(show, (c) => reply(c, ShowModelSchema, service.models.show(c.req.valid('param').ref)));
  api.openapi(performance, (c) =>
    reply(c, PerformanceSchema, service.models.performance(c.req.valid('param').name)),
  );
  api.openapi(activate, (c) =>
    reply(c, VersionViewSchema, service.models.activate(c.req.valid('param').ref)),
  );
  api.openapi(prune, (c) => reply(c, PruneReportSchema, service.models.prune(c.req.valid('json'))));
  api.openapi(predict, async (c) => {
    const upload = await readUpload(c, uploadLimitBytes);
    return reply(
      c,
      ModelPredictReportSchema,
      service.models.predictCsv(c.req.valid('param').ref, upload.text, upload.name),
    );
  });
  api.openapi(hyperparameters, (c) =>
    reply(c, HyperparameterSchemasSchema, { models: allHyperparameterSpecs() }),
  );
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
    service.training.plan(request);
    const job = jobs.start('train', body, (report, signal) =>
      runTask(service, { kind: 'train', request }, report, { signal }),
    );
    return reply(c, JobSchema, job, 202);
  });
};
