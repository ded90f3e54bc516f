/**
 * The API's one error handler (STYLE §6): every failure leaves as `{ error: { code, message, issues } }`
 * with the HTTP status that src/domain/errors.ts assigns to the code. Framework errors (bad JSON,
 * unsupported media type, body too large, unknown route) are first turned into PbiErrors so they
 * follow the same table.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import {
  type ErrorCode,
  type ErrorIssue,
  FieldError,
  PbiError,
  toPbiError,
  ValidationError,
} from '../../domain/errors.js';
import { plainHintWords } from '../../domain/hints.js';
import { answered, type ApiHint, apiHintWords } from './hints.js';

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly issues: readonly ErrorIssue[];
    /** What the user can do about it, as data (its `words` are in `message`). */
    readonly hint?: ApiHint;
  };
}

const HTTP_EXCEPTION_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'INVALID_INPUT',
  401: 'UNAUTHORIZED',
  403: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  413: 'TOO_LARGE',
  415: 'INVALID_INPUT',
};

/** Maps anything thrown to a PbiError (framework exceptions included). */
export function asPbiError(error: unknown): PbiError {
  if (error instanceof HTTPException) {
    const code = HTTP_EXCEPTION_CODES[error.status] ?? (error.status >= 500 ? 'INTERNAL' : 'INVALID_INPUT');
    const message =
      error.status === 415
        ? 'unsupported media type: send the content type this endpoint documents'
        : error.message || `HTTP ${error.status}`;
    return new PbiError(code, message, [], { cause: error });
  }
  return toPbiError(error);
}

/** Writes the error response for `error`. */
export function errorResponse(c: Context, error: unknown): Response {
  const e = asPbiError(error);
  const hint = e.hint;
  return c.json(
    {
      error: {
        ...e.toJSON(),
        ...(hint && { hint: { ...hint, words: e.hintWords ?? plainHintWords(hint) } }),
      },
    } satisfies ErrorBody,
    e.httpStatus as ContentfulStatusCode,
  );
}

/** Hono's `onError`: maps, logs internal failures (never their stack to the client), answers. */
export function onError(log: (message: string) => void): ErrorHandler {
  return (error, c) => {
    const e = asPbiError(inApiTerms(error, c.req.method));
    if (e.code === 'INTERNAL') {
      log(
        `${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return c.json(
        {
          error: { code: e.code, message: 'internal error; see the server log', issues: [] },
        } satisfies ErrorBody,
        500,
      );
    }
    return errorResponse(c, e);
  };
}

/** Unknown routes under /api answer 404 NOT_FOUND in the same shape. */
export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, new PbiError('NOT_FOUND', `no endpoint ${c.req.method} ${c.req.path}`));

/** Turns zod's issues into field errors: `where` is the field path in the request part. */
export function zodIssues(error: ZodError, target: string): ErrorIssue[] {
  return error.issues.map((issue) => ({
    where: [target, ...issue.path.map(String)].join('.'),
    reason: issue.message,
  }));
}

const TARGET_NAMES: Record<string, string> = { json: 'body', form: 'body', param: 'path', query: 'query' };

/**
 * The validation hook of every route: a request that fails its schema becomes a 400 INVALID_INPUT
 * listing every field error (`where` is `query.count`, `body.whites.2`, `path.setId`, …).
 * @throws ValidationError when validation failed.
 */
export function validationHook(
  result: { target: string } & ({ success: true; data: unknown } | { success: false; error: ZodError }),
  _c: Context,
): void {
  if (result.success) return;
  const issues = zodIssues(result.error, TARGET_NAMES[result.target] ?? result.target);
  const first = issues[0];
  throw new ValidationError(first ? `invalid ${first.where}: ${first.reason}` : 'invalid request', issues);
}

/**
 * Answers with JSON. The route's response schema documents the shape (and the OpenAPI document is
 * built from it); the value comes from a typed service, so the framework's second compile-time
 * comparison of the two is skipped here rather than duplicated per route with casts.
 */
export function json(c: Context, value: unknown, status: ContentfulStatusCode = 200): never {
  return c.json(answered(c.req.method, value) as object, status) as never;
}

/** The part of a request a field is in, for a field not where its method puts it. */
export type FieldPlaces = Readonly<Record<string, 'path' | 'query' | 'body'>>;

/**
 * A service's field error worded as this API names request fields, the way the schema check does:
 * on a GET its fields are query fields (`window` → `query.window`), on a write body fields
 * (`params.alpha` → `body.params.alpha`); `places` says where other fields are (`date: 'path'`).
 * A hint in the message is worded in the API's terms (`use query.skipInvalid`).
 */
export function inApiTerms(error: unknown, method: string, places: FieldPlaces = {}): unknown {
  const part = method === 'GET' ? 'query' : 'body';
  const name = (where: string) => `${places[where.split('.')[0] as string] ?? part}.${where}`;
  const renamed = error instanceof FieldError && !error.worded ? error.renamed(name) : error;
  return renamed instanceof PbiError ? renamed.inWords(apiHintWords(name)) : renamed;
}

/**
 * Runs a service call of a route whose fields are not all where its method puts them (a path date,
 * query flags on an upload): a field error it throws leaves with each field in its place.
 */
export function fieldsIn<T>(c: Context, places: FieldPlaces, work: () => T): T {
  const word = (error: unknown) => inApiTerms(error, c.req.method, places);
  try {
    const out = work();
    if (out instanceof Promise)
      return out.catch((error: unknown) => {
        throw word(error);
      }) as T;
    return out;
  } catch (error) {
    throw word(error);
  }
}
