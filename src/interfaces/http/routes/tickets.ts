/**
 * My tickets (as `pbi tickets …`): record, import, list, show, check, remove, summary.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ValidationError } from '../../../domain/errors.js';
import type { RouteModule } from '../deps.js';
import { fieldsIn, json } from '../errors.js';
import {
  AddTicketReportSchema,
  PlayedTicketSchema,
  PlayListSchema,
  PlaySetReportSchema,
  RemovedTicketSchema,
  StoredPlaySchema,
  TicketCheckReportSchema,
  TicketImportReportSchema,
  TicketPageSchema,
  TicketSummarySchema,
} from '../contract/tickets.js';
import {
  errorResponses,
  getRoute,
  jsonBody,
  ok,
  pathId,
  QueryBool,
  queryInt,
  readRoute,
  writeRoute,
} from '../schemas.js';
import { readUpload } from '../upload.js';

const Status = z.enum(['all', 'upcoming', 'checked']);
const IdParam = z.object({ id: pathId('id') });
const AddOns = {
  draws: z
    .number()
    .int()
    .min(1)
    .max(156)
    .optional()
    .openapi({ description: 'consecutive draws (default 1)' }),
  powerPlay: z.boolean().optional(),
  doublePlay: z.boolean().optional().openapi({ description: 'draws from 2021-08-23 only' }),
  note: z.string().max(500).nullable().optional(),
};
const list = getRoute(
  {
    path: '/tickets',
    tag: 'tickets',
    summary: 'Recorded tickets with their plays and results, newest first draw first, paged',
  },
  {
    query: z.object({
      status: Status.optional(),
      limit: queryInt(1, 1000).optional(),
      offset: queryInt(0, 1_000_000_000).optional(),
    }),
  },
  { ...ok(TicketPageSchema, 'a page of tickets'), ...errorResponses(400) },
);

const plays = getRoute(
  {
    path: '/tickets/plays',
    tag: 'tickets',
    summary: 'Every play by draw date: upcoming (not drawn yet) or checked (with its result)',
  },
  { query: z.object({ status: Status.optional() }) },
  { ...ok(PlayListSchema, 'plays'), ...errorResponses(400) },
);

const summary = readRoute(
  {
    path: '/tickets/summary',
    tag: 'tickets',
    summary:
      'Plays, spent, won, net by month and year; expected return (exact odds, jackpot excluded) beside actual; best win; running totals',
  },
  TicketSummarySchema,
  'the summary',
);

const show = getRoute(
  { path: '/tickets/{id}', tag: 'tickets', summary: 'One ticket with the result of each of its draws' },
  { params: IdParam },
  { ...ok(PlayedTicketSchema, 'the ticket'), ...errorResponses(400, 404) },
);

const add = writeRoute(
  {
    path: '/tickets',
    tag: 'tickets',
    summary: 'Record a played ticket (as `pbi tickets add`); plays of stored draws are checked at once',
  },
  z.object({
    date: z.string().min(1).max(40).openapi({ description: 'first draw date', example: '2026-08-08' }),
    whites: z.array(z.number().int()).length(5),
    powerball: z.number().int(),
    ...AddOns,
  }),
  {
    ...ok(AddTicketReportSchema, 'the stored ticket and how many plays were checked'),
    ...errorResponses(400, 401),
  },
);

const fromSet = writeRoute(
  {
    path: '/tickets/from-set',
    tag: 'tickets',
    summary: 'Play every ticket of a stored prediction set for its draw (as `pbi tickets add --from-set`)',
  },
  z.object({ setId: z.string().min(1).max(200), ...AddOns }),
  { ...ok(PlaySetReportSchema, 'the stored tickets'), ...errorResponses(400, 401, 404) },
);

const importTickets = createRoute({
  method: 'post',
  path: '/tickets/import',
  tags: ['tickets'],
  summary: 'Import an uploaded ticket CSV (format in the README): all-or-nothing unless skipInvalid',
  security: [{ bearerToken: [] }],
  request: {
    query: z.object({ skipInvalid: QueryBool.optional(), dryRun: QueryBool.optional() }),
    body: {
      description: 'multipart/form-data with a `file` field, or the raw CSV (text/csv)',
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: { file: { type: 'string', format: 'binary' } },
            required: ['file'],
          },
        },
        'text/csv': { schema: { type: 'string' } },
      },
    },
  },
  responses: { ...ok(TicketImportReportSchema, 'import report'), ...errorResponses(400, 401, 413) },
});

const check = createRoute({
  method: 'post',
  path: '/tickets/check',
  tags: ['tickets'],
  summary: 'Check plays whose draw is stored but which have no result yet (normally none)',
  security: [{ bearerToken: [] }],
  responses: {
    ...ok(TicketCheckReportSchema, 'how many were checked, how many wait for their draw'),
    ...errorResponses(401),
  },
});

const jackpot = createRoute({
  method: 'put',
  path: '/tickets/plays/{id}/jackpot',
  tags: ['tickets'],
  summary: 'Record the jackpot share a play won (the jackpot is pari-mutuel); null clears it',
  security: [{ bearerToken: [] }],
  request: {
    params: IdParam,
    body: jsonBody(z.object({ amount: z.number().int().positive().nullable() })),
  },
  responses: { ...ok(StoredPlaySchema, 'the play'), ...errorResponses(400, 401, 404) },
});

const remove = createRoute({
  method: 'delete',
  path: '/tickets/{id}',
  tags: ['tickets'],
  summary: 'Delete a ticket with its plays and results',
  security: [{ bearerToken: [] }],
  request: { params: IdParam },
  responses: { ...ok(RemovedTicketSchema, 'the removed ticket'), ...errorResponses(400, 401, 404) },
});

type AddOnBody = { draws?: number; powerPlay?: boolean; doublePlay?: boolean; note?: string | null };
const addOns = (b: AddOnBody) => ({
  ...(b.draws !== undefined && { draws: b.draws }),
  ...(b.powerPlay !== undefined && { powerPlay: b.powerPlay }),
  ...(b.doublePlay !== undefined && { doublePlay: b.doublePlay }),
  ...(b.note !== undefined && { note: b.note }),
});

export const ticketRoutes: RouteModule = (api, { service, uploadLimitBytes }) => {
  api.openapi(list, (c) => {
    const q = c.req.valid('query');
    return json(
      c,
      service.tickets.list({
        ...(q.status !== undefined && { status: q.status }),
        ...(q.limit !== undefined && { limit: q.limit }),
        ...(q.offset !== undefined && { offset: q.offset }),
      }),
    );
  });
  api.openapi(plays, (c) => json(c, { plays: service.tickets.plays(c.req.valid('query').status ?? 'all') }));
  api.openapi(summary, (c) => json(c, service.tickets.summary()));
  api.openapi(show, (c) => json(c, service.tickets.show(c.req.valid('param').id)));
  api.openapi(add, (c) => {
    const b = c.req.valid('json');
    return json(
      c,
      service.tickets.add({ date: b.date, whites: b.whites, powerball: b.powerball, ...addOns(b) }),
    );
  });
  api.openapi(fromSet, (c) => {
    const b = c.req.valid('json');
    return json(c, service.tickets.playSet(b.setId, addOns(b)));
  });
  api.openapi(importTickets, async (c) => {
    const q = c.req.valid('query');
    const upload = await readUpload(c, uploadLimitBytes);
    if (upload.text.trim().length === 0)
      throw new ValidationError(
        'the uploaded file is empty',
        [{ where: 'body', reason: 'empty' }],
        'MALFORMED_FILE',
      );
    return json(
      c,
      fieldsIn(c, { skipInvalid: 'query', dryRun: 'query' }, () =>
        service.tickets.importText(upload.text, upload.name, {
          ...(q.skipInvalid !== undefined && { skipInvalid: q.skipInvalid }),
          ...(q.dryRun !== undefined && { dryRun: q.dryRun }),
        }),
      ),
    );
  });
  api.openapi(check, (c) => json(c, service.tickets.check()));
  api.openapi(jackpot, (c) =>
    json(c, service.tickets.setJackpot(c.req.valid('param').id, c.req.valid('json').amount)),
  );
  api.openapi(remove, (c) => json(c, { removed: service.tickets.remove(c.req.valid('param').id) }));
};
