/**
 * CSV files with one column per ball: the normalized history (`draw_date,white_1..white_5,powerball,
 * multiplier`, as bundled) and the legacy Python app's exports (`draw_date,n1..n5,powerball`,
 * `wb1..wb5,pb`, `N1..N5,Powerball`, any case), or a grouped column such as `"[1, 11, 18, 30, 41]"`
 * or `"1 11 18 30 41"`, with or without the Powerball as a sixth number. Dates in any spelling
 * `parseDrawDate` accepts. Other columns are ignored.
 */
import {
  type CsvRecord,
  headerKey,
  parseMultiplier,
  parseNumberGroup,
  parseWholeNumber,
} from './csv-records.js';
import { readRows } from './csv-table.js';
import { parseDrawDate } from './draw-dates.js';
import { type ParsedFile, RowProblem } from './types.js';

const DATE_KEYS = ['draw_date', 'date', 'drawdate', 'drawing_date', 'draw_day'];
const WHITE_KEY = /^(?:white|white_ball|wb|n|num|number|ball|w)_?([1-5])$/;
const POWERBALL_KEYS = ['powerball', 'pb', 'power_ball', 'powerball_number', 'pball', 'red_ball'];
const GROUP_KEYS = [
  'whites',
  'white_balls',
  'white_numbers',
  'numbers',
  'winning_numbers',
  'balls',
  'main_numbers',
  'combination',
];
const MULTIPLIER_KEYS = ['multiplier', 'power_play', 'powerplay', 'pp'];

export interface CsvColumns {
  readonly date: number;
  /** Five column indexes (white 1..5), or null when the whites are in one grouped column. */
  readonly whites: readonly number[] | null;
  readonly group: number;
  readonly powerball: number;
  readonly multiplier: number;
}

/** The columns of a per-ball CSV header, or null when the header is not one. */
export function csvColumns(header: readonly string[]): CsvColumns | null {
  const keys = header.map(headerKey);
  const find = (names: readonly string[]) => keys.findIndex((k) => names.includes(k));
  const date = find(DATE_KEYS);
  if (date < 0) return null;
  const whites = new Array<number>(5).fill(-1);
  keys.forEach((k, i) => {
    const m = WHITE_KEY.exec(k);
    if (m) whites[Number(m[1]) - 1] = i;
  });
  const allWhites = whites.every((i) => i >= 0);
  const group = find(GROUP_KEYS);
  const powerball = find(POWERBALL_KEYS);
  if (!allWhites && group < 0) return null;
  if (allWhites && powerball < 0) return null;
  return { date, whites: allWhites ? whites : null, group, powerball, multiplier: find(MULTIPLIER_KEYS) };
}

/** Reads a per-ball CSV whose header `csvColumns` recognised. */
export function readCsvFile(header: CsvRecord, rest: readonly CsvRecord[], columns: CsvColumns): ParsedFile {
  const headerName = (i: number) => (header.fields[i] ?? '').trim();
  return readRows('csv', header, rest, (fields) => {
    const date = parseDrawDate(fields[columns.date] ?? '');
    const pbText = columns.powerball >= 0 ? (fields[columns.powerball] ?? '') : '';
    let whites: number[];
    let powerball: number;
    if (columns.whites !== null) {
      whites = columns.whites.map((i) => parseWholeNumber(fields[i] ?? '', headerName(i)));
      powerball = parseWholeNumber(pbText, headerName(columns.powerball));
    } else {
      const name = headerName(columns.group);
      const numbers = parseNumberGroup(fields[columns.group] ?? '', name);
      if (numbers.length === 6) {
        whites = numbers.slice(0, 5);
        powerball = numbers[5] as number;
        if (pbText.trim() !== '') {
          const column = parseWholeNumber(pbText, headerName(columns.powerball));
          if (column !== powerball)
            throw new RowProblem(
              `${name} ends with Powerball ${powerball} but ${headerName(columns.powerball)} is ${column}`,
            );
        }
      } else if (numbers.length === 5) {
        if (columns.powerball < 0)
          throw new RowProblem(`${name} holds 5 numbers and the file has no Powerball column`);
        whites = numbers;
        powerball = parseWholeNumber(pbText, headerName(columns.powerball));
      } else {
        throw new RowProblem(
          `${name} holds ${numbers.length} numbers; expected 5 white balls (or 6 with the Powerball last)`,
        );
      }
    }
    return {
      date,
      whites,
      powerball,
      multiplier: columns.multiplier >= 0 ? parseMultiplier(fields[columns.multiplier]) : null,
    };
  });
}
