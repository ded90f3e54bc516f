/**
 * A small RFC 4180 record splitter. Why not a CSV library: the files we read are small, the only
 * quoting they use is `"…"` with `""` for a quote (the older NY export quotes every field), and we
 * need the line number where each record starts for error reports — about forty lines here, no
 * dependency, and every malformed case (an unterminated quote, text after a closing quote) becomes
 * a row error with its line instead of an exception from inside a parser.
 */
import { RowProblem } from './types.js';

export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  /** The fields, unquoted; `problem` is set instead when the quoting is broken. */
  readonly fields: readonly string[];
  readonly problem?: string;
}

/** Splits CSV text into records; blank lines are skipped. A leading BOM is ignored. */
export function csvRecords(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let problem: string | undefined;
    let field = '';
    let quoted = false;
    let afterQuote = false;
    let endOfRecord = false;
    while (i < n && !endOfRecord) {
      const c = src[i] as string;
      if (quoted) {
        if (c === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          quoted = false;
          afterQuote = true;
        } else {
          if (c === '\n') line++;
          field += c;
        }
        i++;
        continue;
      }
      if (c === ',') {
        fields.push(field);
        field = '';
        afterQuote = false;
      } else if (c === '\n' || c === '\r') {
        if (c === '\r' && src[i + 1] === '\n') i++;
        line++;
        endOfRecord = true;
      } else if (c === '"' && field.trim() === '' && !afterQuote) {
        quoted = true;
        field = '';
      } else if (afterQuote && c !== ' ' && c !== '\t') {
        problem ??= 'text after a closing quote';
      } else if (!afterQuote) {
        field += c;
      }
      i++;
    }
    if (quoted) problem = 'unterminated quoted field';
    fields.push(field);
    if (fields.length === 1 && (fields[0] as string).trim() === '' && problem === undefined) continue;
    records.push(problem === undefined ? { line: start, fields } : { line: start, fields, problem });
  }
  return records;
}

/** Normalizes a header cell for matching: lower case, spaces and dashes as `_`. */
export function headerKey(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_');
}

/**
 * Reads a whole number as written in draw files (`7`, `07`, and `7.0` as pandas writes integer
 * columns that held a gap).
 * @throws RowProblem naming `what`.
 */
export function parseWholeNumber(text: string, what: string): number {
  const t = text.trim();
  if (!/^\d{1,3}(\.0+)?$/.test(t)) throw new RowProblem(`${what} "${text}" is not a whole number`);
  return Number.parseInt(t, 10);
}

/**
 * Splits a grouped numbers cell: `"1 11 18 30 41"`, `"[1, 11, 18, 30, 41]"`, `1-11-18-30-41`.
 * @throws RowProblem when a part is not a whole number.
 */
export function parseNumberGroup(text: string, what: string): number[] {
  const inner = text
    .trim()
    .replace(/^[[(]\s*/, '')
    .replace(/\s*[\])]$/, '');
  if (inner === '') throw new RowProblem(`${what} is empty`);
  return inner.split(/[\s,;|-]+/).map((part) => parseWholeNumber(part, `${what} value`));
}

/**
 * Reads a Power Play multiplier: empty, `NA`, `None`, `null` → null; `2` or `2X` → 2.
 * @throws RowProblem on anything else.
 */
export function parseMultiplier(text: string | undefined): number | null {
  const t = (text ?? '').trim();
  if (t === '' || /^(na|n\/a|none|null|nan|-)$/i.test(t)) return null;
  const m = /^(\d{1,2})(\.0+)?\s*x?$/i.exec(t);
  if (!m) throw new RowProblem(`multiplier "${text}" is not a number`);
  return Number.parseInt(m[1] as string, 10);
}
