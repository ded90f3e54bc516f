/**
 * Draw history: list, a page newest first, summary, enter / replace / delete one draw, import an
 * uploaded file (with a dry run that previews the changes), update from the official export, and
 * export the history as CSV or JSON.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { decodeUpload } from '../../../domain/text.js';
import { MAX_LINE_BYTES } from '../../../services/draw-import/limits.js';
import {
  AddDrawReportSchema,
  DrawListSchema,
  DrawPageSchema,
  HistorySummarySchema,
  ImportReportSchema,
  RemoveDrawReportSchema,
  UpdateReportSchema,
} from '../contract/draws.js';
import type { RouteModule } from '../deps.js';
import { fieldsIn, type FieldPlaces } from '../errors.js';
import { reply } from '../reply.js';
import {
  errorResponses,
  getRoute,
  IsoDateSchema,
  jsonBody,
  ok,
  QueryBool,
  queryInt,
  readRoute,
  writeRoute,
} from '../schemas.js';
import { readUploadBytes } from '../upload.js';

/** The draw's date is in the path of a replace or delete. */
const IN_PATH: FieldPlaces = { date: 'path' };
/** An upload's options are query flags. */
const IN_QUERY: FieldPlaces = { skipInvalid: 'query', overwrite: 'query', format: 'query' };

/** Uploads up to this many bytes are parsed inline (the bundled history is ~170 KB). */
export const INLINE_PARSE_BYTES = 256 * 1024;

const FORMATS = ['auto', 'ny', 'csv', 'json'] as const;

/** The CLI's names in the draw services' errors → this API's. */
const listDraws = getRoute(
  { path: '/draws', tag: 'draws', summary: 'Stored draws, oldest first (the newest `last` when given)' },
  { query: z.object({ last: queryInt(1, 100_000).optional() }) },
  { ...ok(DrawListSchema, 'draws'), ...errorResponses(400) },
);

const history = getRoute(
  {
    path: '/draws/history',
    tag: 'draws',
    summary: 'A page of the history, newest first, between two dates, each draw with its rule era',
  },
  {
    query: z.object({
      from: IsoDateSchema.optional().openapi({ description: 'first draw date (inclusive)' }),
      to: IsoDateSchema.optional().openapi({ description: 'last draw date (inclusive)' }),
      limit: queryInt(1, 500).optional().openapi({ default: 50 }),
      offset: queryInt(0, 1_000_000).optional().openapi({ default: 0 }),
    }),
  },
  { ...ok(DrawPageSchema, 'a page of draws'), ...errorResponses(400) },
);

const exportHistory = getRoute(
  {
    path: '/draws/export/{format}',
    tag: 'draws',
    summary: 'The whole history as a file the importers read back: CSV (the bundled layout) or JSON',
  },
  {
    params: z.object({
      format: z.enum(['csv', 'json']).openapi({ param: { name: 'format', in: 'path' } }),
    }),
  },
  {
    200: {
      description: 'a download (Content-Disposition: attachment)',
      content: {
        'text/csv': {
          schema: z.string().openapi({ description: 'draw_date,white_1..white_5,powerball,multiplier' }),
        },
        'application/json': { schema: DrawListSchema.shape.draws },
      },
    },
    ...errorResponses(400),
  },
);

const summary = readRoute(
  {
    path: '/draws/summary',
    tag: 'draws',
    summary: 'History size, range, current era, hottest and coldest numbers, next draw date (as `pbi init`)',
  },
  HistorySummarySchema,
  'summary',
);

const importDraws = createRoute({
  method: 'post',
  path: '/draws/import',
  tags: ['draws'],
  summary:
    'Import an uploaded draw file (as `pbi draws import`): all-or-nothing unless skipInvalid; dryRun previews the changes without writing',
  security: [{ bearerToken: [] }],
  request: {
    query: z.object({
      format: z.enum(FORMATS).optional(),
      skipInvalid: QueryBool.optional(),
      overwrite: QueryBool.optional(),
      dryRun: QueryBool.optional().openapi({
        description: 'report new / changed / unchanged / refused rows and write nothing',
      }),
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
  responses: { ...ok(ImportReportSchema, 'import report'), ...errorResponses(400, 401, 413) },
});

const DrawNumbers = {
  whites: z.array(z.number().int()).length(5),
  powerball: z.number().int(),
  multiplier: z.number().int().nullable().optional(),
  doublePlay: z
    .object({ whites: z.array(z.number().int()).length(5), powerball: z.number().int() })
    .nullable()
    .optional()
    .openapi({ description: 'the Double Play draw (from 2021-08-23), when known' }),
};

const addDraw = writeRoute(
  {
    path: '/draws',
    tag: 'draws',
    summary:
      'Enter one draw by hand (as `pbi draws add`); `overwrite: true` replaces a stored draw of that date',
  },
  z.object({
    date: z.string().min(1).max(40).openapi({ example: '2025-05-31' }),
    ...DrawNumbers,
    overwrite: z.boolean().optional(),
  }),
  { ...ok(AddDrawReportSchema, 'stored (or unchanged)'), ...errorResponses(400, 401, 409) },
);

const DateParam = z.object({
  date: IsoDateSchema.openapi({ param: { name: 'date', in: 'path' } }),
});

const replaceDraw = createRoute({
  method: 'put',
  path: '/draws/{date}',
  tags: ['draws'],
  summary: 'Replace the stored draw of a date with these numbers (or store it when absent)',
  security: [{ bearerToken: [] }],
  request: {
    params: DateParam,
    body: jsonBody(z.object(DrawNumbers)),
  },
  responses: { ...ok(AddDrawReportSchema, 'stored'), ...errorResponses(400, 401) },
});

const deleteDraw = createRoute({
  method: 'delete',
  path: '/draws/{date}',
  tags: ['draws'],
  summary:
    'Delete the stored draw of a date, with the ticket results and prediction scores computed against it',
  security: [{ bearerToken: [] }],
  request: { params: DateParam },
  responses: { ...ok(RemoveDrawReportSchema, 'the deleted draw'), ...errorResponses(400, 401, 404) },
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
    ...ok(UpdateReportSchema, 'import report with url and bytes'),
    ...errorResponses(400, 401, 413, 502),
  },
});

export const drawRoutes: RouteModule = (api, { service, runTask, uploadLimitBytes }) => {
  // Large uploads are parsed one at a time: each parse worker loads its own copy of the modules and
  // of the text, so parallel ones would multiply the server's memory.
  const parseQueue = new SerialQueue();

  api.openapi(listDraws, (c) => {
    const { last } = c.req.valid('query');
    return reply(c, DrawListSchema, {
      total: service.draws.count(),
      draws: service.draws.list(last),
    });
  });

  api.openapi(history, (c) => {
    const q = c.req.valid('query');
    const page = service.draws.page({
      ...(q.from !== undefined && { from: q.from as never }),
      ...(q.to !== undefined && { to: q.to as never }),
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
    return reply(c, DrawPageSchema, page);
  });

  api.openapi(exportHistory, (c) => {
    const { format } = c.req.valid('param');
    const body = service.draws.exportHistory(format);
    return c.body(body, 200, {
      'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="powerball-draws.${format}"`,
    }) as never;
  });

  api.openapi(addDraw, (c) => {
    const body = c.req.valid('json');
    return reply(c, AddDrawReportSchema, service.draws.add(body));
  });

  api.openapi(replaceDraw, (c) => {
    const { date } = c.req.valid('param');
    const body = c.req.valid('json');
    return reply(
      c,
      AddDrawReportSchema,
      fieldsIn(c, IN_PATH, () => service.draws.add({ ...body, date, overwrite: true })),
    );
  });

  api.openapi(deleteDraw, (c) => {
    const { date } = c.req.valid('param');
    return reply(
      c,
      RemoveDrawReportSchema,
      fieldsIn(c, IN_PATH, () => service.draws.remove(date)),
    );
  });

  api.openapi(updateDraws, async (c) => {
    const q = c.req.valid('query');
    const report = await fieldsIn(c, IN_QUERY, () =>
      service.draws.update({
        ...(q.skipInvalid !== undefined && { skipInvalid: q.skipInvalid }),
        ...(q.overwrite !== undefined && { overwrite: q.overwrite }),
      }),
    );
    return reply(c, UpdateReportSchema, report);
  });

  api.openapi(summary, (c) => reply(c, HistorySummarySchema, service.draws.summary()));

  api.openapi(importDraws, async (c) => {
    const q = c.req.valid('query');
    const upload = await readUploadBytes(c, uploadLimitBytes, { maxLineBytes: MAX_LINE_BYTES });
    const options = {
      format: q.format ?? 'auto',
      ...(q.skipInvalid !== undefined && { skipInvalid: q.skipInvalid }),
      ...(q.overwrite !== undefined && { overwrite: q.overwrite }),
      ...(q.dryRun !== undefined && { dryRun: q.dryRun }),
    } as const;
    // A large upload is decoded, parsed and checked in a worker thread, so other requests keep
    // being answered meanwhile; a small one (any real draw history) costs less than starting a thread.
    const { name, bytes } = upload;
    const report = await fieldsIn(c, IN_QUERY, () =>
      bytes.length > INLINE_PARSE_BYTES
        ? parseQueue.run(() =>
            runTask(service, { kind: 'import', request: { bytes, source: name, options } }, () => {}),
          )
        : service.draws.importText(decodeUpload(bytes, name, true), name, options),
    );
    return reply(c, ImportReportSchema, report as never);
  });
};

/** Runs async jobs one after another, in the order they were given. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Jobs given and not yet settled (the one running included). */
  pending = 0;

  run<T>(job: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(job).finally(() => this.pending--);
    this.tail = result.catch(() => {});
    return result;
  }
}
