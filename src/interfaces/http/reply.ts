/**
 * Answers with JSON checked at compile time against the route's response schema: the value (from a
 * typed service) must fit what the schema documents in /api/openapi.json, so the contract and the
 * answers cannot drift apart unnoticed. Services return readonly data; the check allows that. Hinted
 * texts leave in the API's words, their hints listed in `hints`.
 */
import type { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { answered } from './hints.js';
import type { Hinted } from '../../domain/hints.js';

/** `T` with every array and property readonly, all the way down. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends readonly (infer U)[]
    ? readonly DeepReadonly<U>[]
    : T extends object
      ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
      : T;

/** `T` where any text may also hold hints (the reply words them). */
type MaySay<T> = T extends string
  ? T | Hinted
  : T extends readonly (infer U)[]
    ? readonly MaySay<U>[]
    : T extends object
      ? { readonly [K in keyof T]: MaySay<T[K]> }
      : T;

/** What a service may hand to `reply` for `schema` (hinted texts where it has text). */
export type Answer<S extends z.ZodType> = MaySay<DeepReadonly<z.input<S>>>;

export function reply<S extends z.ZodType>(
  c: Context,
  _schema: S,
  value: Answer<S>,
  status: ContentfulStatusCode = 200,
): never {
  return c.json(answered(c.req.method, value) as object, status) as never;
}
