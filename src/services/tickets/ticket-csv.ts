/**
 * The ticket CSV format (README "My tickets"): a header naming the columns, one ticket per line.
 *
 *   first_draw_date,white_1,white_2,white_3,white_4,white_5,powerball,draws,power_play,double_play,note
 *   2026-06-03,4,8,19,27,34,10,4,yes,no,office pool
 *
 * `first_draw_date` (or `date`) and the six numbers are required; `draws` (default 1),
 * `power_play` and `double_play` (yes/no, true/false, 1/0, empty = no) and `note` are optional.
 * Dates may be written as in draw files (YYYY-MM-DD, MM/DD/YYYY, …).
 */
import type { IsoDate } from '../../domain/dates.js';
import { csvRecords, headerKey, parseWholeNumber } from '../draw-import/csv-records.js';
import { parseDrawDate } from '../draw-import/draw-dates.js';
import { RowProblem } from '../draw-import/types.js';

export interface TicketCsvRow {
  readonly line: number;
  readonly firstDrawDate: IsoDate;
  readonly whites: number[];
  readonly powerball: number;
  readonly draws: number;
  readonly powerPlay: boolean;
  readonly doublePlay: boolean;
  readonly note: string | null;
}

export interface TicketCsv {
  readonly rows: readonly TicketCsvRow[];
  /** Lines that could not be read as a ticket, with the reason. */
  readonly errors: readonly { readonly line: number; readonly reason: string }[];
}

const REQUIRED = ['white_1', 'white_2', 'white_3', 'white_4', 'white_5', 'powerball'] as const;
const OPTIONAL = ['draws', 'power_play', 'double_play', 'note'] as const;

/** The format's header line, for messages and the README example. */
export const TICKET_CSV_HEADER =
  'first_draw_date,white_1,white_2,white_3,white_4,white_5,powerball,draws,power_play,double_play,note';

function yesNo(text: string, column: string): boolean {
  const t = text.trim().toLowerCase();
  if (['', 'no', 'n', 'false', '0'].includes(t)) return false;
  if (['yes', 'y', 'true', '1', 'x'].includes(t)) return true;
  throw new RowProblem(`${column} "${text}" is not yes or no`);
}

/**
 * Reads a ticket CSV.
 * @throws RowProblem (with line 1) when the header lacks a required column or names an unknown one.
 */
export function parseTicketCsv(text: string): TicketCsv {
  const records = [...csvRecords(text)];
  const header = records[0];
  if (!header) throw new RowProblem(`the file is empty; expected the header ${TICKET_CSV_HEADER}`);
  const keys = header.fields.map(headerKey);
  const col = (name: string) => keys.indexOf(name);
  const dateCol = col('first_draw_date') >= 0 ? col('first_draw_date') : col('date');
  const missing = [...(dateCol < 0 ? ['first_draw_date'] : []), ...REQUIRED.filter((c) => col(c) < 0)];
  const known = new Set<string>(['first_draw_date', 'date', ...REQUIRED, ...OPTIONAL]);
  const unknown = keys.filter((k) => k !== '' && !known.has(k));
  if (missing.length > 0 || unknown.length > 0)
    throw new RowProblem(
      [
        missing.length ? `missing column(s) ${missing.join(', ')}` : '',
        unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ') + `; expected the header ${TICKET_CSV_HEADER}`,
    );
  const rows: TicketCsvRow[] = [];
  const errors: { line: number; reason: string }[] = [];
  for (const record of records.slice(1)) {
    if (record.problem !== undefined) {
      errors.push({ line: record.line, reason: record.problem });
      continue;
    }
    const f = (i: number) => (i >= 0 ? (record.fields[i] ?? '') : '');
    try {
      if (record.fields.length > keys.length && record.fields.slice(keys.length).some((x) => x.trim() !== ''))
        throw new RowProblem(`expected ${keys.length} fields like the header, got ${record.fields.length}`);
      const numbers = REQUIRED.map((c) => parseWholeNumber(f(col(c)), c));
      const drawsText = f(col('draws')).trim();
      const note = f(col('note')).trim();
      rows.push({
        line: record.line,
        firstDrawDate: parseDrawDate(f(dateCol)),
        whites: numbers.slice(0, 5),
        powerball: numbers[5] as number,
        draws: drawsText === '' ? 1 : parseWholeNumber(drawsText, 'draws'),
        powerPlay: yesNo(f(col('power_play')), 'power_play'),
        doublePlay: yesNo(f(col('double_play')), 'double_play'),
        note: note === '' ? null : note,
      });
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      errors.push({ line: record.line, reason: error.message });
    }
  }
  return { rows, errors };
}
