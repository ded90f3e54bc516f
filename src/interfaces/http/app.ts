/**
 * The HTTP JSON API under /api and the dashboard, in one Hono app. A thin layer: every route validates
 * its request with a zod schema, calls MLPredictionService (the same services as the CLI) and returns
 * JSON; errors go through the one handler in errors.ts.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { PbiError } from '../../domain/errors.js';
import type { JobService } from '../../services/job-service.js';
import { runTask } from '../../services/job-worker.js';
import type { MLPredictionService } from '../../services/ml-prediction-service.js';
import type { ApiDeps, RouteModule, TaskRunner } from './deps.js';
import { notFound, onError, validationHook } from './errors.js';
import { ROUTE_MODULES } from './routes/index.js';
import { loopbackGuard, requireTokenForWrites } from './security.js';
import { loadStaticFiles, serveDashboard } from './static.js';

export const API_VERSION = '1';

export interface AppOptions {
  readonly service: MLPredictionService;
  /** Token required by mutating endpoints; null or absent = none (loopback only). */
  readonly token?: string | null;
  /** True when the server listens on a loopback address only (enables the Host/Origin guard). */
  readonly loopbackOnly?: boolean;
  /** Folder of the built dashboard; null serves the API alone. */
  readonly staticDir?: string | null;
  /** Largest upload in bytes (default 8 MiB). */
  readonly uploadLimitBytes?: number;
  /** Largest JSON request body in bytes (default 256 KiB). */
  readonly jsonLimitBytes?: number;
  /** Job runner (default: the service's own). */
  readonly jobs?: JobService;
  /**
   * Runs each job's task (default `runTask`, in a worker thread). Tests whose subject is not the
   * worker pass one that runs in their own thread, skipping the worker's start-up.
   */
  readonly runTask?: TaskRunner;
  /** Where internal errors are logged (default stderr). */
  readonly log?: (message: string) => void;
  /** Extra route modules (tests). */
  readonly modules?: readonly RouteModule[];
}

export interface PbiApp {
  readonly app: OpenAPIHono;
  /** The /api sub-app: its OpenAPI registry holds every route's schemas (the document's source). */
  readonly api: OpenAPIHono;
  readonly jobs: JobService;
}

/** Builds the app. Nothing listens yet: see server.ts, or call `app.request()` in tests. */
export function createApp(options: AppOptions): PbiApp {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const service = options.service;
  const jobs = options.jobs ?? service.jobs;
  const uploadLimitBytes = options.uploadLimitBytes ?? 8 * 1024 * 1024;
  const jsonLimitBytes = options.jsonLimitBytes ?? 256 * 1024;
  const deps: ApiDeps = { service, jobs, runTask: options.runTask ?? runTask, uploadLimitBytes };

  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.onError(onError(log));

  if (options.loopbackOnly ?? true) app.use('*', loopbackGuard());
  app.use('*', async (c, next) => {
    await next();
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    c.header('x-frame-options', 'DENY');
  });

  const api = new OpenAPIHono({ defaultHook: validationHook });
  api.use('*', requireTokenForWrites(options.token ?? null));
  // Uploads (draw files, model input) may be large; every other body is small JSON.
  const tooLarge = (limit: number) => () => {
    throw new PbiError('TOO_LARGE', `request body is larger than the limit of ${limit} bytes`, [
      { where: 'body', reason: `over ${limit} bytes` },
    ]);
  };
  api.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // An upload's route counts its body as it streams in (readUpload), refusing it early; this
    // middleware would buffer a chunked one whole first.
    if (/\/draws\/import$|\/tickets\/import$|\/models\/[^/]+\/predict$/.test(c.req.path)) return next();
    return bodyLimit({ maxSize: jsonLimitBytes, onError: tooLarge(jsonLimitBytes) })(c, next);
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'Required on mutating endpoints when the server was started with a token.',
  });
  for (const register of [...ROUTE_MODULES, ...(options.modules ?? [])]) register(api, deps);
  api.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'Powerball Insights API',
      version: API_VERSION,
      description:
        'Draw history, statistics, models, predictions and honest evaluation. Draws are random and independent: ' +
        'the jackpot odds are 1 in 292,201,338 whatever any model says. Errors are `{ error: { code, message, issues } }`.',
    },
    servers: [{ url: '/api' }],
  });
  api.notFound(notFound);
  app.route('/api', api);
  app.all('/api/*', notFound);

  if (options.staticDir !== null && options.staticDir !== undefined) {
    app.use('*', serveDashboard(loadStaticFiles(options.staticDir)));
  }
  app.notFound(notFound);
  return { app, api, jobs };
}
