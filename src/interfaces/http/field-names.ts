/**
 * The services word their errors for the command line (`--folds`, `--overwrite`, `DATE`). Over
 * HTTP the same problems must name the API's fields (`body.folds`, `overwrite: true`,
 * `body.date`): a route runs its service call through `apiFields` with its own table, and every
 * issue and message leaves with the request's names.
 */
import { PbiError } from '../../domain/errors.js';

/** CLI name (flag, argument or issue location) → the API's name. */
export type FieldNames = Readonly<Record<string, string>>;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The error with CLI names replaced by the API's; other errors unchanged. */
export function renameFields(error: unknown, names: FieldNames): unknown {
  if (!(error instanceof PbiError)) return error;
  const keys = Object.keys(names).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return error;
  const pattern = new RegExp(
    keys.map((k) => (/^\w/.test(k) ? `\\b${escape(k)}\\b` : escape(k))).join('|'),
    'g',
  );
  const rename = (text: string) => text.replace(pattern, (m) => names[m] ?? m);
  const issues = error.issues.map((i) => ({
    where: names[i.where] ?? rename(i.where),
    reason: rename(i.reason),
  }));
  const message = rename(error.message);
  if (message === error.message && issues.every((i, n) => i.where === error.issues[n]?.where)) return error;
  return new PbiError(error.code, message, issues, { cause: error });
}

/** Runs `work`; an error it throws leaves with the API's field names. */
export function apiFields<T>(names: FieldNames, work: () => T): T {
  try {
    const out = work();
    if (out instanceof Promise)
      return out.catch((error: unknown) => {
        throw renameFields(error, names);
      }) as T;
    return out;
  } catch (error) {
    throw renameFields(error, names);
  }
}
