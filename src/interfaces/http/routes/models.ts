/**
 * The model registry (as `pbi models list|show|activate|prune|predict`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { RouteModule } from '../deps.js';
import { json } from '../errors.js';
import { AnyObject, errorResponses } from '../schemas.js';
import { readUpload } from '../upload.js';

const Ref = z.object({
  ref: z
    .string()
    .min(1)
    .max(80)
    .openapi({ param: { name: 'ref', in: 'path' }, example: 'ridge@2', description: 'NAME or NAME@VERSION' }),
});
const Name = z.object({
  name: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'name', in: 'path' }, example: 'ridge' }),
});

const list = createRoute({
  method: 'get',
  path: '/models',
  tags: ['models'],
  summary: 'Every registered model with its active version',
  responses: {
    200: {
      description: 'models',
      content: { 'application/json': { schema: z.object({ models: z.array(AnyObject) }) } },
    },
  },
});

const show = createRoute({
  method: 'get',
  path: '/models/{ref}',
  tags: ['models'],
  summary: '`NAME`: the model and all its versions; `NAME@VERSION`: one version with its folds',
  request: { params: Ref },
  responses: {
    200: {
      description: '{ kind: "model", details } or { kind: "version", version }',
      content: { 'application/json': { schema: AnyObject } },
    },
    ...errorResponses(400, 404),
  },
});

const performance = createRoute({
  method: 'get',
  path: '/models/{name}/performance',
  tags: ['models'],
  summary: 'Per-fold metrics and naive baselines of every version (the MAE chart)',
  request: { params: Name },
  responses: {
    200: { description: 'performance', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(400, 404),
  },
});

const activate = createRoute({
  method: 'post',
  path: '/models/{ref}/activate',
  tags: ['models'],
  summary: 'Make NAME@VERSION the active version',
  security: [{ bearerToken: [] }],
  request: { params: Ref },
  responses: {
    200: { description: 'the activated version', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(400, 401, 404),
  },
});

const prune = createRoute({
  method: 'post',
  path: '/models/prune',
  tags: ['models'],
  summary:
    'Delete all but the newest `keep` versions; never the active one nor, unless forced, one that predictions refer to',
  security: [{ bearerToken: [] }],
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            keep: z.number().int().min(1).max(1000),
            model: z.string().min(1).max(64).optional(),
            force: z.boolean().optional(),
          }),
        },
      },
    },
  },
  responses: {
    200: { description: 'deleted and kept versions', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(400, 401, 404),
  },
});

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
    200: { description: 'raw outputs per row', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(400, 401, 404, 413, 422),
  },
});

export const modelRoutes: RouteModule = (api, { service, uploadLimitBytes }) => {
  api.openapi(list, (c) => json(c, { models: service.models.list() }));
  api.openapi(show, (c) => json(c, service.models.show(c.req.valid('param').ref)));
  api.openapi(performance, (c) => json(c, service.models.performance(c.req.valid('param').name)));
  api.openapi(activate, (c) => json(c, service.models.activate(c.req.valid('param').ref)));
  api.openapi(prune, (c) => json(c, service.models.prune(c.req.valid('json'))));
  api.openapi(predict, async (c) => {
    const upload = await readUpload(c, uploadLimitBytes);
    return json(c, service.models.predictCsv(c.req.valid('param').ref, upload.text, upload.name));
  });
};
