/**
 * Shared by the two CSV formats: splits the file into records, checks field counts, and turns each
 * row into a draw candidate or a row error with its line.
 */
import type { DrawInput } from '../../domain/draw.js';
import { type CsvRecord, csvRecords } from './csv-records.js';
import { MAX_RECORDS, tooManyRecords } from './limits.js';
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

/**
 * The header and the data records of a CSV text.
 * @throws PbiError (TOO_LARGE) past MAX_RECORDS records, before reading further.
 */
export function splitCsv(
  text: string,
  source = 'the file',
): { header: CsvRecord | undefined; rest: CsvRecord[] } {
  let header: CsvRecord | undefined;
  const rest: CsvRecord[] = [];
  for (const record of csvRecords(text)) {
    if (header === undefined) header = record;
    else {
      if (rest.length >= MAX_RECORDS) throw tooManyRecords(source, record.line);
      rest.push(record);
    }
  }
  return { header, rest };
}
