/**
 * Pieces shared by several resources' response schemas.
 */
import { z } from '@hono/zod-openapi';

/** A JSON value (hyperparameters, migration reports: their shape is the producer's). */
export const JsonValueSchema: z.ZodType<unknown> = z.unknown().openapi({ description: 'any JSON value' });

/** Name → number (weights, metrics, contributions). */
export const NumberMap = z.record(z.string(), z.number());

/** A page of items (`hasMore`: a next page exists). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    offset: z.number().int(),
    limit: z.number().int(),
    hasMore: z.boolean(),
  });
}

export const PrizeTierSchema = z.enum(['5+PB', '5', '4+PB', '4', '3+PB', '3', '2+PB', '1+PB', 'PB']);

/** What the user can do next (domain/hints.ts), with `words`: the phrase of the answer's text that says it. */
export const HintSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('fetch-draws') }),
    z.object({ kind: z.literal('import-valid-rows') }),
    z.object({ kind: z.literal('import-valid-lines') }),
    z.object({ kind: z.literal('overwrite-draw'), with: z.string() }),
    z.object({ kind: z.literal('force-activate'), done: z.literal(true).optional() }),
    z.object({
      kind: z.literal('train-model'),
      first: z.literal(true).optional(),
      for: z.literal('ml-strategy').optional(),
    }),
    z.object({ kind: z.literal('load-history') }),
    z.object({ kind: z.literal('evaluate') }),
  ])
  .and(z.object({ words: z.string() }))
  .openapi('Hint');

/** The hints in an answer's texts, each once (absent when there are none). */
export const HintListSchema = z
  .array(HintSchema)
  .optional()
  .openapi({ description: 'what the user can do next, as data: each hint once, its words as in the texts' });

/** A hint as answers carry it. */
export type ApiHint = z.infer<typeof HintSchema>;
