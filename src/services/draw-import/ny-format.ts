/**
 * The New York open-data export ("Lottery Powerball Winning Numbers: Beginning 2010"):
 * `Draw Date,Winning Numbers,Multiplier`, dates `MM/DD/YYYY`, six space-separated numbers with the
 * Powerball last. Newer exports add a Double Play column (`double_play_winning_numbers`, six numbers
 * like the main draw, empty where unknown), read into the draw's Double Play numbers; the older
 * export quotes every field.
 */
import { parseMultiplier, parseNumberGroup, headerKey, type CsvRecord } from './csv-records.js';
import { readRows } from './csv-table.js';
import { parseDrawDate } from './draw-dates.js';
import { type ParsedFile, RowProblem } from './types.js';

interface NyColumns {
  readonly date: number;
  readonly numbers: number;
  readonly multiplier: number;
  readonly doublePlay: number;
}

/** The NY columns of a header, or null when it is not a NY export. */
export function nyColumns(header: readonly string[]): NyColumns | null {
  const keys = header.map(headerKey);
  const date = keys.indexOf('draw_date');
  const numbers = keys.indexOf('winning_numbers');
  if (date < 0 || numbers < 0) return null;
  return {
    date,
    numbers,
    multiplier: keys.indexOf('multiplier'),
    doublePlay: keys.indexOf('double_play_winning_numbers'),
  };
}

/** Reads a NY export whose header `nyColumns` recognised. */
export function readNyFile(header: CsvRecord, rest: readonly CsvRecord[], columns: NyColumns): ParsedFile {
  return readRows('ny', header, rest, (fields) => {
    const date = parseDrawDate(fields[columns.date] ?? '');
    const numbers = parseNumberGroup(fields[columns.numbers] ?? '', 'Winning Numbers');
    if (numbers.length !== 6)
      throw new RowProblem(
        `Winning Numbers holds ${numbers.length} numbers; expected 6 (five white balls, then the Powerball)`,
      );
    const doublePlay = columns.doublePlay >= 0 ? parseDoublePlay(fields[columns.doublePlay] ?? '') : null;
    return {
      date,
      whites: numbers.slice(0, 5),
      powerball: numbers[5] as number,
      multiplier: columns.multiplier >= 0 ? parseMultiplier(fields[columns.multiplier]) : null,
      ...(doublePlay && { doublePlay }),
    };
  });
}

/** The Double Play column: empty (unknown) or six numbers, the Powerball last. */
function parseDoublePlay(text: string): { whites: number[]; powerball: number } | null {
  if (text.trim() === '') return null;
  const numbers = parseNumberGroup(text, 'double_play_winning_numbers');
  if (numbers.length !== 6)
    throw new RowProblem(
      `double_play_winning_numbers holds ${numbers.length} numbers; expected 6 (five white balls, then the Powerball)`,
    );
  return { whites: numbers.slice(0, 5), powerball: numbers[5] as number };
}
