/**
 * What the legacy SQLite readers share: the tables present, the rows read per table, the problems
 * found with their field readers, and one pass over a table's rows in rowid order.
 */
import { PbiError } from '../../domain/errors.js';
import { fieldReaders, type LegacyProblem } from './common.js';
import { int, tableNames, type LegacySqlSource } from './sqlite-source.js';

/** One row of a legacy table: its cells, its SQLite rowid and how problems name it (`row 17`). */
export interface LegacyTableRow {
  readonly cells: Readonly<Record<string, unknown>>;
  readonly rowId: number;
  readonly record: string;
}

/** One read of a legacy database: collects the problems and the rows read per table. */
export class LegacyTableReader {
  readonly tables: Set<string>;
  readonly problems: LegacyProblem[] = [];
  /** Rows read per table, skipped ones included. */
  readonly counts: { [table: string]: number } = {};
  readonly read: ReturnType<typeof fieldReaders>;

  constructor(private readonly db: LegacySqlSource) {
    this.tables = tableNames(db);
    this.read = fieldReaders(this.problems);
  }

  /** @throws PbiError (MALFORMED_FILE) naming `file` when none of `expected` is a table. */
  requireAnyTable(file: string, expected: readonly [string, ...string[]]): void {
    if (expected.some((t) => this.tables.has(t))) return;
    const names =
      expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : expected[0];
    throw new PbiError('MALFORMED_FILE', `not a legacy ${file}: no ${names} table`);
  }

  /** Every row of `table` in rowid order, its count noted; none when the table is absent. */
  rows(table: string): LegacyTableRow[] {
    if (!this.tables.has(table)) return [];
    const rows = this.db.all(`SELECT rowid AS _rowid, * FROM ${table} ORDER BY rowid`);
    this.counts[table] = rows.length;
    return rows.map((cells) => {
      const rowId = int(cells['_rowid']) ?? -1;
      return { cells, rowId, record: `row ${rowId}` };
    });
  }

  /** Notes that a record is left out, and why. */
  skip(source: string, record: string, field: string, reason: string): void {
    this.problems.push({ source, record, field, reason, skipped: true });
  }
}
