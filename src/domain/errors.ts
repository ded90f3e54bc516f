/**
 * One error base class with a machine code (STYLE §6). The code decides the HTTP status and the CLI
 * exit code through the single table below; nothing else maps errors.
 */
import { type Hint, Hinted, type HintWords, type Said } from './hints.js';

/** Every machine code the product can report, with its HTTP status and CLI exit code. */
export const ERROR_CODES = {
  /** A value given by the user is invalid (a field, a flag, a row). */
  INVALID_INPUT: { http: 400, exit: 1 },
  /** A command line that cannot be parsed (unknown flag, missing argument). */
  USAGE: { http: 400, exit: 2 },
  /** A file or upload could not be parsed as the format it claims to be. */
  MALFORMED_FILE: { http: 400, exit: 1 },
  /** The format of a file could not be recognised. */
  UNKNOWN_FORMAT: { http: 400, exit: 1 },
  /** A draw import or store request failed validation; details list every problem. */
  IMPORT_REJECTED: { http: 400, exit: 1 },
  /** A draw date is not a real draw date (wrong weekday, before 1992-04-22, in the future). */
  INVALID_DRAW_DATE: { http: 400, exit: 1 },
  /** Numbers that break the rules of the era (range, count, duplicates). */
  INVALID_NUMBERS: { http: 400, exit: 1 },
  /** Something that was asked for does not exist. */
  NOT_FOUND: { http: 404, exit: 1 },
  /** The request conflicts with what is stored (for example a draw stored with other numbers). */
  CONFLICT: { http: 409, exit: 1 },
  /** An upload or file is larger than the limit. */
  TOO_LARGE: { http: 413, exit: 1 },
  /** Not enough data for what was asked (too few draws for the folds, no draws loaded). */
  INSUFFICIENT_DATA: { http: 422, exit: 1 },
  /** Missing or wrong token on a mutating endpoint. */
  UNAUTHORIZED: { http: 401, exit: 1 },
  /** The database file cannot be opened, is corrupt, not writable or from a newer schema. */
  DATABASE: { http: 500, exit: 1 },
  /** A network download failed (status, garbage, timeout). */
  NETWORK: { http: 502, exit: 1 },
  /** A legacy file is unreadable, hostile (a refused pickle global) or over a limit. */
  UNSAFE_PICKLE: { http: 400, exit: 1 },
  /** A stored model artifact or legacy model cannot be used. */
  MODEL: { http: 422, exit: 1 },
  /** A job was cancelled before it finished. */
  CANCELLED: { http: 409, exit: 1 },
  /** An unexpected internal failure. */
  INTERNAL: { http: 500, exit: 1 },
} as const satisfies Record<string, { http: number; exit: 1 | 2 }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem inside a failed request: which field or line, and why. */
export interface ErrorIssue {
  /** Where: a field path (`tickets[2].whites`), a flag (`--count`) or `file:line`. */
  readonly where: string;
  readonly reason: string;
}

/**
 * The base of every error the product throws on purpose. A message may hold a hint (what to do
 * next, {@link Hinted}): `message` is then in interface-free words until an interface words it
 * ({@link PbiError.inWords}).
 */
export class PbiError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly ErrorIssue[];
  /** The message as the service said it, hints as data. */
  readonly said: Said;

  constructor(code: ErrorCode, message: Said, issues: readonly ErrorIssue[] = [], options?: ErrorOptions) {
    super(String(message), options);
    this.name = new.target.name;
    this.code = code;
    this.issues = issues;
    this.said = message;
  }

  /** The hint of the message (what the user can do about it), if it has one. */
  get hint(): Hint | undefined {
    return typeof this.said === 'string' ? undefined : this.said.hints[0];
  }

  /** The words its hint was given by {@link PbiError.inWords} (null: not worded by an interface yet). */
  hintWords: string | null = null;

  /**
   * The same error (code, issues, cause) with its message's hint in `words`; itself when it has no
   * hint or an interface has worded it already.
   */
  inWords(words: HintWords): PbiError {
    const hint = this.hint;
    if (typeof this.said === 'string' || hint === undefined || this.hintWords !== null) return this;
    const copy = new PbiError(this.code, this.said, this.issues, { cause: this.cause });
    copy.message = this.said.worded(words);
    copy.hintWords = words(hint);
    return copy;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }

  get exitCode(): 1 | 2 {
    return ERROR_CODES[this.code].exit;
  }

  toJSON(): { code: ErrorCode; message: string; issues: readonly ErrorIssue[] } {
    return { code: this.code, message: this.message, issues: this.issues };
  }
}

/** Invalid value from a user: names the field or flag. */
export class ValidationError extends PbiError {
  constructor(message: Said, issues: readonly ErrorIssue[] = [], code: ErrorCode = 'INVALID_INPUT') {
    super(code, message, issues);
  }
}

export class NotFoundError extends PbiError {
  constructor(message: Said) {
    super('NOT_FOUND', message);
  }
}

export class ConflictError extends PbiError {
  constructor(message: Said, issues: readonly ErrorIssue[] = []) {
    super('CONFLICT', message, issues);
  }
}

export class InsufficientDataError extends PbiError {
  constructor(message: Said) {
    super('INSUFFICIENT_DATA', message);
  }
}

export class DatabaseError extends PbiError {
  constructor(message: Said, options?: ErrorOptions) {
    super('DATABASE', message, [], options);
  }
}

/** Wraps anything thrown that is not a PbiError, keeping it as the cause. */
export function toPbiError(error: unknown): PbiError {
  if (error instanceof PbiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PbiError('INTERNAL', message, [], { cause: error });
}

/** How an interface names a request field: `--window` on the command line, `query.window` in the API. */
export type FieldNamer = (field: string) => string;

/** Text about fields: plain (hints allowed), or built from the field names of whichever interface shows it. */
export type FieldText = string | Hinted | ((name: FieldNamer) => string);

/** One refused field: `where` is the request's own field path (`window`, `params.alpha`). */
export interface FieldIssue {
  readonly where: string;
  readonly reason: FieldText;
  /** `where` is a place in the data (`upload:3`), not a request field: no interface renames it. */
  readonly inData?: boolean;
}

const neutral: FieldNamer = (field) => field;
const worded = (text: FieldText, name: FieldNamer): string =>
  typeof text === 'function' ? text(name) : String(text);

/**
 * A request refused field by field. Services name fields by the request's own field paths and never
 * in one interface's terms; each interface words them with {@link FieldError.renamed} (`--param
 * alpha` and `--window` on the command line, `body.params.alpha` and `query.window` in the API).
 * The message is `summary` when it is built from the names or holds a hint, else `summary: field: reason; …`.
 */
export class FieldError extends ValidationError {
  /** What was refused (plain, or naming fields through the namer). */
  readonly summary: FieldText;
  /** The issues with their fields as the service named them. */
  readonly fields: readonly FieldIssue[];
  /** The interface has named the fields (renaming again starts from the service's names). */
  readonly worded: boolean;

  constructor(
    summary: FieldText,
    issues: readonly FieldIssue[],
    code: ErrorCode = 'INVALID_INPUT',
    name?: FieldNamer,
  ) {
    const n = name ?? neutral;
    const shown = issues.map((i) => ({
      where: i.inData ? i.where : n(i.where),
      reason: worded(i.reason, n),
    }));
    super(
      typeof summary === 'string'
        ? `${summary}: ${shown.map((i) => `${i.where}: ${i.reason}`).join('; ')}`
        : summary instanceof Hinted
          ? summary
          : summary(n),
      shown,
      code,
    );
    this.summary = summary;
    this.fields = issues;
    this.worded = name !== undefined;
  }

  /** The same error with every field named by `name` (which returns its argument for fields it keeps). */
  renamed(name: FieldNamer): FieldError {
    return new FieldError(this.summary, this.fields, this.code, name);
  }
}

/**
 * Runs a check of request field `field` (a date, a model reference) written for any value: a
 * ValidationError it throws leaves as a FieldError naming that field, its message and code kept.
 * @throws FieldError naming `field`.
 */
export function checkField<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ValidationError) || error instanceof FieldError) throw error;
    const { message } = error;
    throw new FieldError(
      () => message,
      error.issues.length > 0
        ? error.issues.map((i) => ({ ...i, where: field }))
        : [{ where: field, reason: message }],
      error.code,
    );
  }
}
