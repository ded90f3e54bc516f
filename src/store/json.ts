/**
 * JSON values the store keeps in TEXT columns. Callers hand the store plain values; the store checks
 * they are well-formed (finite numbers, plain objects, no cycles) before anything is written, so a
 * stored JSON column always parses back to what was given.
 */
import type { ErrorIssue } from '../domain/errors.js';

const MAX_DEPTH = 64;

/** Lists why `value` is not well-formed JSON data (empty when it is). `where` names the field. */
export function jsonProblems(value: unknown, where: string): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, at: string, depth: number): void => {
    if (issues.length >= 20) return;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) issues.push({ where: at, reason: `${v} is not a finite number` });
      return;
    }
    if (typeof v !== 'object') {
      issues.push({ where: at, reason: `a ${typeof v} is not JSON data` });
      return;
    }
    if (depth > MAX_DEPTH) {
      issues.push({ where: at, reason: `nested deeper than ${MAX_DEPTH} levels` });
      return;
    }
    if (seen.has(v)) {
      issues.push({ where: at, reason: 'refers to itself (a cycle)' });
      return;
    }
    seen.add(v);
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${at}[${i}]`, depth + 1));
    } else {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        issues.push({ where: at, reason: 'only plain objects, arrays and primitives are JSON data' });
      } else {
        for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`, depth + 1);
      }
    }
    seen.delete(v);
  };
  walk(value, where, 0);
  return issues;
}

/** Lists why `value` is not a `{ name: finite number }` record (empty when it is). */
export function numberRecordProblems(value: unknown, where: string): ErrorIssue[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ where, reason: 'expected an object of name → number' }];
  const issues: ErrorIssue[] = [];
  for (const [k, x] of Object.entries(value)) {
    if (typeof x !== 'number' || !Number.isFinite(x))
      issues.push({ where: `${where}.${k}`, reason: `${String(x)} is not a finite number` });
  }
  return issues;
}

/** Parses a JSON column written by the store (trusted: checked on the way in). */
export function parseJsonColumn<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}
