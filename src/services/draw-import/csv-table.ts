/**
 * Shared by the two CSV formats: splits the file into records, checks field counts, and turns each
 * row into a draw candidate or a row error with its line.
 */
import type { DrawInput } from '../../domain/draw.js';
import { type CsvRecord, csvRecords } from './csv-records.js';
import { type DrawFileFormat, type ParsedFile, type ParsedRow, type RowError, RowProblem } from './types.js';

/** Reads the data rows after the header with `mapRow`, collecting errors per line. */
export function readRows(
  format: DrawFileFormat,
  header: CsvRecord,
  rest: readonly CsvRecord[],
  mapRow: (fields: readonly string[]) => DrawInput,
): ParsedFile {
  const rows: ParsedRow[] = [];
  const errors: RowError[] = [];
  const width = header.fields.length;
  for (const record of rest) {
    if (record.problem !== undefined) {
      errors.push({ line: record.line, reason: record.problem });
      continue;
    }
    const fields = trimTrailingEmpty(record.fields, width);
    if (fields.length !== width) {
      errors.push({
        line: record.line,
        reason: `expected ${width} fields like the header, got ${record.fields.length}`,
      });
      continue;
    }
    try {
      rows.push({ line: record.line, input: mapRow(fields) });
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      errors.push({ line: record.line, reason: error.message });
    }
  }
  return { format, rows, errors };
}

/** Spreadsheets often pad rows with empty trailing cells; those are not extra fields. */
function trimTrailingEmpty(fields: readonly string[], width: number): readonly string[] {
  let end = fields.length;
  while (end > width && (fields[end - 1] as string).trim() === '') end--;
  return end === fields.length ? fields : fields.slice(0, end);
}

export function splitCsv(text: string): { header: CsvRecord | undefined; rest: CsvRecord[] } {
  const records = csvRecords(text);
  return { header: records[0], rest: records.slice(1) };
}
