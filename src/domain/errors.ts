/**
 * One error base class with a machine code (STYLE §6). The code decides the HTTP status and the CLI
 * exit code through the single table below; nothing else maps errors.
 */

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

/** The base of every error the product throws on purpose. */
export class PbiError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly ErrorIssue[];

  constructor(code: ErrorCode, message: string, issues: readonly ErrorIssue[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.issues = issues;
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
  constructor(message: string, issues: readonly ErrorIssue[] = [], code: ErrorCode = 'INVALID_INPUT') {
    super(code, message, issues);
  }
}

export class NotFoundError extends PbiError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class ConflictError extends PbiError {
  constructor(message: string, issues: readonly ErrorIssue[] = []) {
    super('CONFLICT', message, issues);
  }
}

export class InsufficientDataError extends PbiError {
  constructor(message: string) {
    super('INSUFFICIENT_DATA', message);
  }
}

export class DatabaseError extends PbiError {
  constructor(message: string, options?: ErrorOptions) {
    super('DATABASE', message, [], options);
  }
}

/** Wraps anything thrown that is not a PbiError, keeping it as the cause. */
export function toPbiError(error: unknown): PbiError {
  if (error instanceof PbiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PbiError('INTERNAL', message, [], { cause: error });
}

/**
 * A request refused field by field, its message built from the issues, so that each interface can
 * name the fields in its own terms (`--param alpha` on the command line, `params.alpha` in the API)
 * with {@link FieldError.renamed}. Services name fields by the request's own field paths.
 */
export class FieldError extends ValidationError {
  constructor(
    /** What was refused, without naming a field (`invalid hyperparameters`). */
    readonly summary: string,
    issues: readonly ErrorIssue[],
    code: ErrorCode = 'INVALID_INPUT',
  ) {
    super(`${summary}: ${issues.map((i) => `${i.where}: ${i.reason}`).join('; ')}`, issues, code);
  }

  /** The same error with every field renamed (`name` returns its argument for fields it keeps). */
  renamed(name: (where: string) => string): FieldError {
    return new FieldError(
      this.summary,
      this.issues.map((i) => ({ ...i, where: name(i.where) })),
      this.code,
    );
  }
}
