/**
 * Request and response schemas shared by the routes (STYLE §8: validate at the edge). The OpenAPI
 * document is generated from these.
 */
import { createRoute, type RouteConfig, z } from '@hono/zod-openapi';
import { HintListSchema, HintSchema } from './contract/common.js';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'INVALID_INPUT' }),
      message: z.string(),
      issues: z.array(z.object({ where: z.string(), reason: z.string() })),
      hint: HintSchema.optional().openapi({
        description: 'what the user can do about it; its words are in message',
      }),
    }),
  })
  .openapi('Error');

export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a real calendar date')
  .openapi({ type: 'string', format: 'date', example: '2025-05-31' });

export const DrawSchema = z
  .object({
    date: IsoDateSchema,
    whites: z.array(z.number().int()).length(5),
    powerball: z.number().int(),
    multiplier: z.number().int().nullable(),
    doublePlay: z
      .object({ whites: z.array(z.number().int()).length(5), powerball: z.number().int() })
      .optional()
      .openapi({ description: 'the Double Play numbers, present when stored' }),
  })
  .openapi('Draw');

export const EraSchema = z
  .object({
    id: IsoDateSchema,
    from: IsoDateSchema,
    to: IsoDateSchema.nullable(),
    whiteMax: z.number().int(),
    powerballMax: z.number().int(),
  })
  .openapi('RuleEra');

export const ImportReportSchema = z
  .object({
    source: z.string(),
    format: z.string(),
    rows: z.number().int(),
    inserted: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    conflicts: z.array(
      z.object({ line: z.number().int(), date: IsoDateSchema, stored: DrawSchema, incoming: DrawSchema }),
    ),
    rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
    playsChecked: z
      .number()
      .int()
      .openapi({ description: "played tickets' plays checked because their draw arrived or changed" }),
  })
  .openapi('ImportReport');

export const JobSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    params: z.unknown(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
    progress: z.object({ fraction: z.number(), message: z.string() }),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    result: z.unknown(),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        issues: z.array(z.object({ where: z.string(), reason: z.string() })),
      })
      .nullable(),
    hints: HintListSchema,
  })
  .openapi('Job');

/** A JSON request body of `schema` (required unless `required` is false), for `request` of a route. */
export function jsonBody<S extends z.ZodType>(schema: S, required = true) {
  return { required, content: { 'application/json': { schema } } };
}

/** A text path parameter `name` of 1 to `max` characters. */
export function pathText(name: string, max: number, doc: { example?: string; description?: string } = {}) {
  return z
    .string()
    .min(1)
    .max(max)
    .openapi({ param: { name, in: 'path' }, ...doc });
}

/** A path parameter `name` that is a whole number ≥ 1 (an id or a version). */
export function pathId(name: string) {
  return z.coerce
    .number()
    .int('expected a whole number')
    .min(1)
    .openapi({ param: { name, in: 'path' }, type: 'integer' });
}

/** The standard error responses, for `responses` of a route. */
export function errorResponses(...statuses: number[]) {
  const out: Record<
    number,
    { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }
  > = {};
  const text: Record<number, string> = {
    400: 'invalid request (field errors in `issues`)',
    401: 'missing or wrong token',
    404: 'not found',
    409: 'conflicts with stored data',
    413: 'upload too large',
    422: 'not enough data, or a model cannot be used',
    502: 'download failed',
  };
  for (const s of statuses) {
    out[s] = { description: text[s] ?? 'error', content: { 'application/json': { schema: ErrorSchema } } };
  }
  return out;
}

/** Query booleans: `true`/`1`/`false`/`0`. */
export const QueryBool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .openapi({ type: 'boolean' });

/** A whole number in a query string. */
export function queryInt(min: number, max: number) {
  return z.coerce
    .number()
    .int('expected a whole number')
    .min(min, `expected at least ${min}`)
    .max(max, `expected at most ${max}`)
    .openapi({ type: 'integer', minimum: min, maximum: max });
}

/** What every route declares: its path, its one tag and its one-line summary. */
export interface RouteMeta {
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
}

/** A route's JSON success response: `schema` under `status` (200 unless said). */
export const ok = <S extends z.ZodType>(schema: S, description: string, status = 200) => ({
  [status]: { description, content: { 'application/json': { schema } } },
});

/**
 * A token-protected route that takes a JSON body (POST unless said): the shape of the write routes.
 * `responses` as `createRoute` takes them.
 */
export const writeRoute = <B extends z.ZodType, R extends RouteConfig['responses']>(
  route: RouteMeta & { readonly method?: 'post' | 'put' },
  body: B,
  responses: R,
  options: { readonly bodyRequired?: boolean } = {},
) =>
  createRoute({
    method: route.method ?? 'post',
    path: route.path,
    tags: [route.tag],
    summary: route.summary,
    security: [{ bearerToken: [] }],
    request: { body: jsonBody(body, options.bodyRequired ?? true) },
    responses,
  });

/** A GET route that takes `request` (path, query) and answers `responses`. */
export const getRoute = <Q extends RouteConfig['request'], R extends RouteConfig['responses']>(
  route: RouteMeta,
  request: Q,
  responses: R,
) =>
  createRoute({
    method: 'get',
    path: route.path,
    tags: [route.tag],
    summary: route.summary,
    request,
    responses,
  });

/** A GET route without parameters that answers `schema`: the shape of the plain read routes. */
export const readRoute = <S extends z.ZodType>(route: RouteMeta, schema: S, description: string) =>
  getRoute(route, {}, ok(schema, description));
