/**
 * The smallest view of a SQLite database the legacy readers need (STYLE §3): the service passes in
 * an object backed by the store's connection module, which is the only importer of better-sqlite3.
 * Readers issue only fixed SELECT / PRAGMA statements.
 */

export interface LegacySqlSource {
  /** Runs a read-only statement and returns every row as a column → value object. */
  all(sql: string): readonly Record<string, unknown>[];
}

/** Names of the tables in the database. */
export function tableNames(db: LegacySqlSource): Set<string> {
  return new Set(db.all("SELECT name FROM sqlite_master WHERE type = 'table'").map((r) => String(r['name'])));
}

/** Column names of a table (empty when the table does not exist). */
export function columnNames(db: LegacySqlSource, table: string): Set<string> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) return new Set();
  return new Set(db.all(`PRAGMA table_info(${table})`).map((r) => String(r['name'])));
}

/** A text cell, or null for NULL/empty. Numbers are stringified (SQLite is dynamically typed). */
export function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return null;
}

/** A numeric cell, or null. Numeric strings count (SQLite may store REAL as TEXT). */
export function real(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** An integer cell, or null. */
export function int(v: unknown): number | null {
  const n = real(v);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** A boolean cell: 0/1, 'true'/'false' in any case, or null. */
export function bool(v: unknown): boolean | null {
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v) !== 0;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true' || s === '1' || s === 't' || s === 'yes') return true;
    if (s === 'false' || s === '0' || s === 'f' || s === 'no') return false;
  }
  return null;
}

/** JSON text parsed, or an error; NULL/empty is `{ value: null }`. */
export function json(v: unknown): { readonly value: unknown } | { readonly error: string } {
  if (v === null || v === undefined || v === '') return { value: null };
  if (typeof v !== 'string') return { error: 'not JSON text' };
  try {
    return { value: JSON.parse(v) as unknown };
  } catch (e) {
    return { error: `malformed JSON (${e instanceof Error ? e.message.slice(0, 60) : 'parse error'})` };
  }
}
