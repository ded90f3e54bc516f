/**
 * `POST /api/ask`: a plain-English question answered from the stored draws by the code of
 * `pbi analyze` (as `pbi ask`), and `GET /api/ask/examples` for the dashboard's Ask page.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { ASK_VIAS } from '../../../services/ask-service.js';
import { AskQuerySchema } from '../../../services/ask/ask-query.js';
import { exampleQuestions } from '../../../services/ask/ask-examples.js';
import type { RouteModule } from '../deps.js';
import { json } from '../errors.js';
import { ErrorSchema, errorResponses, jsonBody } from '../schemas.js';

export const AskBodySchema = z
  .object({
    // Longer than any question answered, so a long one reaches the service and is refused with reasons.
    question: z.string().max(20_000).openapi({ example: 'How often has 23 been drawn since March 2020?' }),
    via: z.enum(ASK_VIAS).optional().openapi({
      description:
        'auto: the parser, then the configured language model if any; parser or model: only that one',
    }),
  })
  .strict()
  .openapi('AskRequest');

const FigureSchema = z.object({
  name: z.string(),
  value: z.union([z.number(), z.string(), z.array(z.number()), z.array(z.string()), z.null()]),
  chance: z
    .number()
    .nullable()
    .openapi({ description: 'the same figure expected by chance, where one exists' }),
  era: z.string().nullable().openapi({ description: "the era's first draw date; null for the whole period" }),
});

export const AskAnswerSchema = z
  .object({
    question: z.string(),
    query: AskQuerySchema,
    path: z.union([
      z.object({ kind: z.literal('parser') }),
      z.object({ kind: z.literal('model'), endpoint: z.string(), model: z.string(), hosted: z.boolean() }),
    ]),
    sentence: z.string(),
    figures: z.array(FigureSchema),
    coverage: z
      .object({
        from: z.string(),
        to: z.string(),
        draws: z.number().int(),
        eras: z.array(
          z.object({
            id: z.string(),
            from: z.string(),
            to: z.string(),
            draws: z.number().int(),
            whiteMax: z.number().int(),
            powerballMax: z.number().int(),
          }),
        ),
      })
      .nullable(),
    command: z
      .string()
      .nullable()
      .openapi({ description: 'the pbi analyze command that prints the same figures' }),
    note: z.string(),
  })
  .openapi('AskAnswer');

const RefusalSchema = ErrorSchema.extend({
  error: ErrorSchema.shape.error.extend({
    suggestions: z.array(z.string()).optional().openapi({ description: 'questions of the forms understood' }),
  }),
}).openapi('AskRefusal');

const ask = createRoute({
  method: 'post',
  path: '/ask',
  tags: ['analysis'],
  summary:
    'Answer a question about the draw history in plain English; every figure is computed by the analysis code, per era, beside its chance value',
  security: [{ bearerToken: [] }],
  request: { body: jsonBody(AskBodySchema) },
  responses: {
    200: { description: 'the answer', content: { 'application/json': { schema: AskAnswerSchema } } },
    400: {
      description: 'refused: not understood, ambiguous, or impossible (with the nearest forms understood)',
      content: { 'application/json': { schema: RefusalSchema } },
    },
    ...errorResponses(401, 422, 502),
  },
});

const examples = createRoute({
  method: 'get',
  path: '/ask/examples',
  tags: ['analysis'],
  summary: 'Example questions, one per form understood, and whether a language model is configured',
  responses: {
    200: {
      description: 'examples',
      content: {
        'application/json': {
          schema: z.object({
            examples: z.array(z.string()),
            model: z.object({
              configured: z.boolean(),
              endpoint: z.string().nullable(),
              model: z.string().nullable(),
              hosted: z.boolean(),
            }),
          }),
        },
      },
    },
  },
});

export const askRoutes: RouteModule = (api, { service }) => {
  api.openapi(ask, async (c) => {
    const body = c.req.valid('json');
    return json(c, await service.ask.ask(body.question, body.via ? { via: body.via } : {}));
  });
  api.openapi(examples, (c) => json(c, { examples: exampleQuestions(), model: service.ask.modelInfo() }));
};
