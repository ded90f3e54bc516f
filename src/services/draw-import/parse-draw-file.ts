/**
 * Turns the content of a draw file into candidate rows with their line numbers, detecting the format
 * from the content unless one is forced. Validation against the rules (eras, calendar, duplicates)
 * happens afterwards, in one place (the draw service, through `createDraw`).
 */
import { PbiError } from '../../domain/errors.js';
import { csvColumns, readCsvFile } from './csv-format.js';
import { splitCsv } from './csv-table.js';
import { looksLikeJson, readJsonFile } from './json-format.js';
import { nyColumns, readNyFile } from './ny-format.js';
import type { DrawFileFormat, ParsedFile } from './types.js';

export type { DrawFileFormat, ParsedFile, ParsedRow, RowError } from './types.js';
export { DRAW_FILE_FORMATS } from './types.js';

const NY_HEADER = 'Draw Date,Winning Numbers,Multiplier';
const CSV_HEADER = 'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier';

/**
 * Parses a draw file.
 * @throws PbiError MALFORMED_FILE (empty, a header and no rows, broken JSON, header of another
 * format than the one forced) or UNKNOWN_FORMAT (nothing recognisable).
 */
export function parseDrawFile(text: string, source: string, format: DrawFileFormat | 'auto'): ParsedFile {
  if (text.replace(/^\uFEFF/, '').trim() === '')
    throw new PbiError('MALFORMED_FILE', `${source} is empty`, [{ where: source, reason: 'empty file' }]);
  const json = looksLikeJson(text);
  if (format === 'json' || (format === 'auto' && json)) return nonEmpty(readJsonFile(text, source), source);
  if (json)
    throw new PbiError('MALFORMED_FILE', `${source} is JSON, not the ${format} format asked for`, [
      { where: `${source}:1`, reason: `expected ${format}` },
    ]);
  const { header, rest } = splitCsv(text, source);
  const fields = header?.fields ?? [];
  const headerLine = header?.line ?? 1;
  const shown = fields.join(',').slice(0, 120);
  const csv = csvColumns(fields);
  // A header with a separate Powerball column is a per-ball CSV even if it also has "Winning Numbers".
  const ny = csv !== null && csv.powerball >= 0 ? null : nyColumns(fields);
  if (format === 'ny' || (format === 'auto' && ny !== null)) {
    if (ny === null)
      throw new PbiError('MALFORMED_FILE', `${source}: header "${shown}" is not a NY export header`, [
        { where: `${source}:${headerLine}`, reason: `expected "${NY_HEADER}"` },
      ]);
    return nonEmpty(readNyFile(header!, rest, ny), source);
  }
  if (format === 'csv' || csv !== null) {
    const columns = csv ?? null;
    if (columns === null)
      throw new PbiError('MALFORMED_FILE', `${source}: header "${shown}" is not a draws CSV header`, [
        { where: `${source}:${headerLine}`, reason: `expected a header like "${CSV_HEADER}"` },
      ]);
    return nonEmpty(readCsvFile(header!, rest, columns), source);
  }
  throw new PbiError(
    'UNKNOWN_FORMAT',
    `${source}: unknown format (header "${shown}"); expected a NY export ("${NY_HEADER}"), a draws CSV ("${CSV_HEADER}" or the legacy n1..n5/wb1..wb5 columns) or a JSON array`,
    [{ where: `${source}:${headerLine}`, reason: 'unknown header' }],
  );
}

function nonEmpty(parsed: ParsedFile, source: string): ParsedFile {
  if (parsed.rows.length === 0 && parsed.errors.length === 0)
    throw new PbiError('MALFORMED_FILE', `${source} holds no draws`, [{ where: source, reason: 'no rows' }]);
  return parsed;
}
