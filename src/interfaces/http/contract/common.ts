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
