/**
 * `pbi db check`: SQLite's own integrity check plus the invariants the store promises. Each area adds
 * its invariant queries to INVARIANTS: a query that returns one row per violation with a `problem`.
 */
import { MONDAY_DRAWS_FROM } from '../domain/calendar.js';
import { ERAS, FIRST_DRAW_DATE } from '../domain/eras.js';
import type { Connection } from './connection.js';

export interface IntegrityReport {
  readonly ok: boolean;
  readonly problems: readonly string[];
  /** Worth knowing but not a broken invariant (a migration that was interrupted). */
  readonly notes?: readonly string[];
}

interface Invariant {
  readonly name: string;
  /** Returns rows of `{ problem: string }`, one per violation. */
  readonly sql: string;
}

/** `CASE` picking a column of the era in force on `draw_date` (ERAS are constants, not user input). */
function eraMax(field: 'whiteMax' | 'powerballMax'): string {
  const arms = [...ERAS]
    .reverse()
    .map((e) => `WHEN draw_date >= '${e.from}' THEN ${e[field]}`)
    .join(' ');
  return `(CASE ${arms} ELSE 0 END)`;
}

const INVARIANTS: Invariant[] = [
  {
    name: 'draws are sorted and in range',
    sql: `SELECT 'draw ' || draw_date || ' has invalid numbers' AS problem FROM draws
          WHERE NOT (white_1 >= 1 AND white_1 < white_2 AND white_2 < white_3 AND white_3 < white_4 AND white_4 < white_5 AND powerball >= 1)`,
  },
  {
    name: "draw numbers are within their era's ranges",
    sql: `SELECT 'draw ' || draw_date || ' has white ' || white_5 || ' / Powerball ' || powerball ||
                 ' but its era allows ' || ${eraMax('whiteMax')} || ' / ' || ${eraMax('powerballMax')} AS problem
          FROM draws WHERE white_5 > ${eraMax('whiteMax')} OR powerball > ${eraMax('powerballMax')}`,
  },
  {
    name: 'draws fall on draw days',
    sql: `SELECT 'draw ' || draw_date || ' is not on a draw day' AS problem FROM draws
          WHERE date(draw_date) IS NULL OR draw_date < '${FIRST_DRAW_DATE}'
             OR NOT (strftime('%w', draw_date) IN ('3', '6') OR (strftime('%w', draw_date) = '1' AND draw_date >= '${MONDAY_DRAWS_FROM}'))`,
  },
];

/**
 * An invariant that needs the domain's rules (prize tables, the draw calendar) rather than SQL:
 * returns one problem per violation.
 */
interface CodeInvariant {
  readonly name: string;
  readonly run: (db: Connection) => readonly string[];
}

const CODE_INVARIANTS: CodeInvariant[] = [];

/** Adds an invariant computed in code (called by repositories' modules at load). */
export function registerCodeInvariant(invariant: CodeInvariant): void {
  if (!CODE_INVARIANTS.some((i) => i.name === invariant.name)) CODE_INVARIANTS.push(invariant);
}

/** Adds invariant checks (called by repositories' modules at load). */
export function registerInvariant(invariant: Invariant): void {
  if (!INVARIANTS.some((i) => i.name === invariant.name)) INVARIANTS.push(invariant);
}

export function checkIntegrity(db: Connection): IntegrityReport {
  const problems: string[] = [];
  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  for (const row of integrity)
    if (row.integrity_check !== 'ok') problems.push(`sqlite integrity_check: ${row.integrity_check}`);
  const fk = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  for (const row of fk) problems.push(`orphan row ${row.rowid} in ${row.table} (missing ${row.parent})`);
  for (const inv of INVARIANTS) {
    for (const row of db.prepare(inv.sql).all() as { problem: string }[])
      problems.push(`${inv.name}: ${row.problem}`);
  }
  for (const inv of CODE_INVARIANTS) for (const p of inv.run(db)) problems.push(`${inv.name}: ${p}`);
  // Interrupted migrations do not break an invariant (each source is written all-or-nothing), but
  // a user should know a migration did not finish.
  const notes = (
    db
      .prepare(
        "SELECT id, source_dir, started_at FROM migration_runs WHERE status = 'running' OR json_extract(report, '$.interrupted') = 1 ORDER BY id",
      )
      .all() as { id: number; source_dir: string; started_at: string }[]
  ).map(
    (r) =>
      `migration run ${r.id} of ${r.source_dir} (started ${r.started_at}) was interrupted; run pbi migrate again to finish it`,
  );
  return { ok: problems.length === 0, problems, ...(notes.length > 0 ? { notes } : {}) };
}
