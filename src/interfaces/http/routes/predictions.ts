/**
 * Predictions: the strategies, generating a set (as `pbi predict`), and the stored sets (as
 * `pbi predictions list|show`) with their scores once their draw happened.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { PREDICT_STRATEGIES } from '../../../domain/strategy-names.js';
import { MAX_SEED } from '../../../domain/limits.js';
import {
  PredictionPageSchema,
  PredictionReportSchema,
  PredictionSetViewSchema,
  SetDetailSchema,
  SetPageSchema,
  SetScoresSchema,
  StrategiesSchema,
} from '../contract/predictions.js';
import type { RouteModule } from '../deps.js';
import { reply } from '../reply.js';
import {
  errorResponses,
  getRoute,
  IsoDateSchema,
  ok,
  pathText,
  QueryBool,
  queryInt,
  writeRoute,
} from '../schemas.js';

/** The query service's CLI names → this API's. */
const filters = z.object({
  model: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: 'model name or strategy (the set source)' }),
  current: QueryBool.optional().openapi({ description: "only each source's current set" }),
  since: IsoDateSchema.optional().openapi({ description: 'created on or after this UTC day' }),
  until: IsoDateSchema.optional().openapi({ description: 'created before this UTC day' }),
  forDate: IsoDateSchema.optional().openapi({ description: 'only sets for this draw date' }),
  limit: queryInt(1, 1000).optional().openapi({ description: 'page size (default 20 sets, 100 tickets)' }),
  offset: queryInt(0, 1_000_000_000).optional(),
});

const strategies = createRoute({
  method: 'get',
  path: '/strategies',
  tags: ['predictions'],
  summary:
    'The strategies, what each believes and how strongly it shrinks toward uniform, with the current weights',
  responses: { ...ok(StrategiesSchema, 'strategies and weights'), ...errorResponses(422) },
});

const predict = writeRoute(
  {
    path: '/predict',
    tag: 'predictions',
    summary:
      'Generate and store one prediction set (as `pbi predict`); every ticket has the same jackpot odds',
  },
  z.object({
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
  { ...ok(PredictionReportSchema, 'the stored set', 201), ...errorResponses(400, 401, 404, 422) },
);

/** A page of stored predictions under the shared filters (sets or tickets). */
const filteredList = <S extends z.ZodType>(path: string, summary: string, page: S, description: string) =>
  getRoute(
    { path, tag: 'predictions', summary },
    { query: filters },
    { ...ok(page, description), ...errorResponses(400) },
  );

const listSets = filteredList(
  '/predictions',
  'Stored prediction sets with their tickets, newest first, filtered and paged',
  SetPageSchema,
  'a page of sets',
);

const listTickets = filteredList(
  '/predictions/tickets',
  'Stored predictions one row per ticket, with their set facts, filtered and paged',
  PredictionPageSchema,
  'a page of tickets',
);

const setScores = getRoute(
  {
    path: '/predictions/scores',
    tag: 'predictions',
    summary:
      'How the given sets did once their draw happened (matches, prize tiers, dollars), from the stored scores',
  },
  {
    query: z.object({
      sets: z
        .string()
        .min(1)
        .max(10_000)
        .openapi({ description: 'comma-separated set ids (up to 100)' })
        .transform((s) => s.split(',').filter((x) => x.length > 0))
        .refine((xs) => xs.length <= 100, 'at most 100 set ids'),
    }),
  },
  {
    ...ok(SetScoresSchema, 'one summary per set, in the order asked'),
    ...errorResponses(400, 404),
  },
);

const SetId = z.object({ setId: pathText('setId', 200) });

/** One stored set by its id, in one of its views. */
const oneSet = <S extends z.ZodType>(path: string, summary: string, view: S, description: string) =>
  getRoute(
    { path, tag: 'predictions', summary },
    { params: SetId },
    { ...ok(view, description), ...errorResponses(404) },
  );

const showSet = oneSet(
  '/predictions/{setId}',
  'One set with its tickets and each strategy’s contribution',
  PredictionSetViewSchema,
  'the set',
);

const setDetail = oneSet(
  '/predictions/{setId}/detail',
  'One set with its tickets and each ticket’s score against its draw (none until evaluated)',
  SetDetailSchema,
  'the set and its scores',
);

type Filters = z.infer<typeof filters>;
const options = (q: Filters, defaultLimit: number) => ({
  ...(q.model !== undefined && { model: q.model }),
  ...(q.current !== undefined && { current: q.current }),
  ...(q.since !== undefined && { since: q.since }),
  ...(q.until !== undefined && { until: q.until }),
  ...(q.forDate !== undefined && { forDate: q.forDate }),
  limit: q.limit ?? defaultLimit,
  ...(q.offset !== undefined && { offset: q.offset }),
});

export const predictionRoutes: RouteModule = (api, { service }) => {
  api.openapi(strategies, (c) =>
    reply(c, StrategiesSchema, {
      strategies: service.predictor.describeStrategies(),
      weights: service.predictor.weights(),
    }),
  );
  api.openapi(predict, (c) =>
    reply(c, PredictionReportSchema, service.predictor.generate(c.req.valid('json')), 201),
  );
  api.openapi(listSets, (c) =>
    reply(c, SetPageSchema, service.predictions.list(options(c.req.valid('query'), 20))),
  );
  api.openapi(listTickets, (c) =>
    reply(c, PredictionPageSchema, service.predictions.listPredictions(options(c.req.valid('query'), 100))),
  );
  api.openapi(setScores, (c) =>
    reply(c, SetScoresSchema, { scores: service.evaluation.setScores(c.req.valid('query').sets) }),
  );
  api.openapi(showSet, (c) =>
    reply(c, PredictionSetViewSchema, service.predictions.show(c.req.valid('param').setId)),
  );
  api.openapi(setDetail, (c) =>
    reply(c, SetDetailSchema, service.predictions.detail(c.req.valid('param').setId)),
  );
};
