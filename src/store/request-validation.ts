/**
 * Validation of the requests the store's repositories receive (what a caller asks to store), as
 * opposed to integrity.ts, which checks what the database already holds. Each check records the
 * problems it finds (with the field named) instead of throwing, so a request is checked whole and
 * rejected with every problem.
 */
import { ValidationError, type ErrorCode, type ErrorIssue } from '../domain/errors.js';

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A request field being checked: collects issues and normalized values. */
export class RequestChecker {
  readonly issues: ErrorIssue[] = [];

  add(where: string, reason: string): void {
    this.issues.push({ where, reason });
  }

  addAll(issues: readonly ErrorIssue[]): void {
    this.issues.push(...issues);
  }

  get ok(): boolean {
    return this.issues.length === 0;
  }

  /**
   * UTC ISO-8601 timestamp normalized to `YYYY-MM-DDTHH:MM:SS.sssZ`, so stored timestamps sort as
   * text. Returns null (and records the problem) when invalid.
   */
  timestamp(value: unknown, where: string): string | null {
    if (typeof value !== 'string' || !TIMESTAMP_RE.test(value) || Number.isNaN(Date.parse(value))) {
      this.add(
        where,
        `${describe(value)} is not an ISO-8601 timestamp with a time zone (e.g. 2026-01-31T20:00:00Z)`,
      );
      return null;
    }
    return new Date(Date.parse(value)).toISOString();
  }

  /** A strict YYYY-MM-DD that is a real day. */
  date(value: unknown, where: string): string | null {
    if (typeof value !== 'string' || !DATE_RE.test(value) || !isRealIsoDay(value)) {
      this.add(where, `${describe(value)} is not a date in YYYY-MM-DD form`);
      return null;
    }
    return value;
  }

  /** A non-empty string of at most `max` characters. */
  text(value: unknown, where: string, max: number, pattern?: RegExp): string | null {
    if (typeof value !== 'string' || value.length === 0) {
      this.add(where, 'expected a non-empty string');
      return null;
    }
    if (value.length > max) {
      this.add(where, `longer than ${max} characters`);
      return null;
    }
    if (pattern && !pattern.test(value)) {
      this.add(where, `"${value}" does not match ${pattern.source}`);
      return null;
    }
    return value;
  }

  /** A string that may be empty, of at most `max` characters. */
  optionalText(value: unknown, where: string, max: number): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') {
      this.add(where, 'expected a string');
      return null;
    }
    if (value.length > max) {
      this.add(where, `longer than ${max} characters`);
      return null;
    }
    return value;
  }

  /** A safe integer in [min, max]. */
  integer(value: unknown, where: string, min: number, max = Number.MAX_SAFE_INTEGER): number | null {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      this.add(
        where,
        `${describe(value)} is not a whole number ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}–${max}`}`,
      );
      return null;
    }
    return value;
  }

  /** A finite number in [min, max]. */
  number(value: unknown, where: string, min: number, max = Number.POSITIVE_INFINITY): number | null {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.add(
        where,
        `${describe(value)} is not a finite number ${max === Number.POSITIVE_INFINITY ? `≥ ${min}` : `in [${min}, ${max}]`}`,
      );
      return null;
    }
    return value;
  }

  boolean(value: unknown, where: string): boolean | null {
    if (typeof value !== 'boolean') {
      this.add(where, `${describe(value)} is not true or false`);
      return null;
    }
    return value;
  }

  /** A plain object (not null, not an array). */
  object(value: unknown, where: string): Record<string, unknown> | null {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.add(where, 'expected an object');
      return null;
    }
    return value as Record<string, unknown>;
  }

  array(value: unknown, where: string): readonly unknown[] | null {
    if (!Array.isArray(value)) {
      this.add(where, 'expected an array');
      return null;
    }
    return value;
  }

  /**
   * @throws ValidationError listing every problem when any was found.
   */
  throwIfAny(what: string, code: ErrorCode = 'INVALID_INPUT'): void {
    if (this.issues.length === 0) return;
    const head = this.issues
      .slice(0, 3)
      .map((i) => `${i.where}: ${i.reason}`)
      .join('; ');
    const more = this.issues.length > 3 ? ` (and ${this.issues.length - 3} more)` : '';
    throw new ValidationError(`${what} rejected, nothing stored: ${head}${more}`, this.issues, code);
  }
}

function isRealIsoDay(text: string): boolean {
  const t = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === text;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (value === undefined) return 'a missing value';
  if (typeof value === 'object')
    return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}
