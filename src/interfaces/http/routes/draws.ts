/**
 * Draw history: list, summary, import an uploaded file.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ValidationError } from '../../../domain/errors.js';
import type { RouteModule } from '../deps.js';
import { json } from '../errors.js';
import {
  AnyObject,
  DrawSchema,
  errorResponses,
  ImportReportSchema,
  QueryBool,
  queryInt,
} from '../schemas.js';
import { readUpload } from '../upload.js';
import { runTask } from '../../../services/job-worker.js';

/** Uploads up to this many characters are parsed inline (the bundled history is ~170 KB). */
export const INLINE_PARSE_CHARS = 256 * 1024;

const FORMATS = ['auto', 'ny', 'csv', 'json'] as const;

const listDraws = createRoute({
  method: 'get',
  path: '/draws',
  tags: ['draws'],
  summary: 'Stored draws, oldest first (the newest `last` when given)',
  request: { query: z.object({ last: queryInt(1, 100_000).optional() }) },
  responses: {
    200: {
      description: 'draws',
      content: {
        'application/json': { schema: z.object({ total: z.number().int(), draws: z.array(DrawSchema) }) },
      },
    },
    ...errorResponses(400),
  },
});

const summary = createRoute({
  method: 'get',
  path: '/draws/summary',
  tags: ['draws'],
  summary: 'History size, range, current era, hottest and coldest numbers, next draw date (as `pbi init`)',
  responses: {
    200: {
      description: 'summary',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
    },
  },
});

const importDraws = createRoute({
  method: 'post',
  path: '/draws/import',
  tags: ['draws'],
  summary: 'Import an uploaded draw file (as `pbi draws import`): all-or-nothing unless skipInvalid',
  security: [{ bearerToken: [] }],
  request: {
    query: z.object({
      format: z.enum(FORMATS).optional(),
      skipInvalid: QueryBool.optional(),
      overwrite: QueryBool.optional(),
      dryRun: QueryBool.optional(),
    }),
    body: {
      description:
        'The file: multipart/form-data with a `file` field, or the raw content (text/csv, text/plain, application/json).',
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: { file: { type: 'string', format: 'binary' } },
            required: ['file'],
          },
        },
        'text/csv': { schema: { type: 'string' } },
        'text/plain': { schema: { type: 'string' } },
      },
    },
  },
  responses: {
    200: { description: 'import report', content: { 'application/json': { schema: ImportReportSchema } } },
    ...errorResponses(400, 401, 413),
  },
});

const addDraw = createRoute({
  method: 'post',
  path: '/draws',
  tags: ['draws'],
  summary: 'Enter one draw by hand (as `pbi draws add`)',
  security: [{ bearerToken: [] }],
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({
            date: z.string().min(1).max(40).openapi({ example: '2025-05-31' }),
            whites: z.array(z.number().int()).length(5),
            powerball: z.number().int(),
            multiplier: z.number().int().nullable().optional(),
            doublePlay: z
              .object({ whites: z.array(z.number().int()).length(5), powerball: z.number().int() })
              .nullable()
              .optional()
              .openapi({ description: 'the Double Play draw (from 2021-08-23), when known' }),
            overwrite: z.boolean().optional(),
          }),
        },
      },
    },
  },
  responses: {
    200: { description: 'stored (or unchanged)', content: { 'application/json': { schema: AnyObject } } },
    ...errorResponses(400, 401, 409),
  },
});

const updateDraws = createRoute({
  method: 'post',
  path: '/draws/update',
  tags: ['draws'],
  summary:
    "Download the official NY open-data export configured on the server and import it (as `pbi draws update`; the URL is the server's, never the client's)",
  security: [{ bearerToken: [] }],
  request: { query: z.object({ skipInvalid: QueryBool.optional(), overwrite: QueryBool.optional() }) },
  responses: {
    200: {
      description: 'import report with url and bytes',
      content: { 'application/json': { schema: AnyObject } },
    },
    ...errorResponses(400, 401, 413, 502),
  },
});

export const drawRoutes: RouteModule = (api, { service, uploadLimitBytes }) => {
  api.openapi(listDraws, (c) => {
    const { last } = c.req.valid('query');
    const draws = service.draws.list(last);
    return json(c, { total: service.draws.count(), draws });
  });

  api.openapi(addDraw, (c) => {
    const body = c.req.valid('json');
    return json(c, service.draws.add(body));
  });

  api.openapi(updateDraws, async (c) => {
    const q = c.req.valid('query');
    return json(
      c,
      await service.draws.update({
        ...(q.skipInvalid !== undefined && { skipInvalid: q.skipInvalid }),
        ...(q.overwrite !== undefined && { overwrite: q.overwrite }),
      }),
    );
  });

  api.openapi(summary, (c) => json(c, service.draws.summary()));

  api.openapi(importDraws, async (c) => {
    const q = c.req.valid('query');
    const upload = await readUpload(c, uploadLimitBytes);
    if (upload.text.trim().length === 0) {
      throw new ValidationError(
        'the uploaded file is empty',
        [{ where: 'body', reason: 'empty' }],
        'MALFORMED_FILE',
      );
    }
    const options = {
      format: q.format ?? 'auto',
      ...(q.skipInvalid !== undefined && { skipInvalid: q.skipInvalid }),
      ...(q.overwrite !== undefined && { overwrite: q.overwrite }),
      ...(q.dryRun !== undefined && { dryRun: q.dryRun }),
    } as const;
    // A large upload is parsed and checked in a worker thread, so other requests keep being
    // answered meanwhile; a small one (any real draw history) costs less than starting a thread.
    const report =
      upload.text.length > INLINE_PARSE_CHARS
        ? await runTask(
            service,
            { kind: 'import', request: { text: upload.text, source: upload.name, options } },
            () => {},
          )
        : service.draws.importText(upload.text, upload.name, options);
    return json(c, report);
  });
};
