/**
 * A small RFC 4180 record reader. Why not a CSV library: the files we read are small, the only
 * quoting they use is `"…"` with `""` for a quote (the older NY export quotes every field), and we
 * need the line number where each record starts for error reports; every malformed case (an
 * unterminated quote, text after a closing quote, a field longer than any draw field) becomes a row
 * error with its line instead of an exception from inside a parser.
 *
 * It yields one record at a time and cuts each field out of the text with one `slice` (never
 * growing a string a character at a time, which cost ~40 bytes per character in V8's string
 * ropes: 1.9 GB for a 50 MB line), so memory stays linear in the input. A field longer than
 * MAX_FIELD_CHARS is reported at once and the rest of its line skipped without being kept.
 */
import { RowProblem } from './types.js';

export interface CsvRecord {
  /** 1-based line where the record starts. */
  readonly line: number;
  /** The fields, unquoted; `problem` is set instead when the quoting is broken. */
  readonly fields: readonly string[];
  readonly problem?: string;
}

/** Longer than any field of a valid draw file (a header cell, a date, "01 02 03 04 05 06"). */
export const MAX_FIELD_CHARS = 256;

const isSpace = (c: number) => c === 0x20 || c === 0x09;

/** Splits CSV text into records, one at a time; blank lines are skipped. A leading BOM is ignored. */
export function* csvRecords(text: string): Generator<CsvRecord> {
  const src = text;
  const n = src.length;
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let problem: string | undefined;
    let fieldStart = i;
    let field: string | null = null; // set once a quoted field has closed
    let afterQuote = false;
    let done = false;
    while (i < n && !done) {
      const c = src.charCodeAt(i);
      if (c === 0x22 /* " */ && !afterQuote && src.slice(fieldStart, i).trim() === '') {
        // A quoted field: its pieces between doubled quotes, joined once at the end.
        const pieces: string[] = [];
        let pieceStart = i + 1;
        const open = i;
        i++;
        let closed = false;
        while (i < n) {
          const q = src.charCodeAt(i);
          if (q === 0x22) {
            if (src.charCodeAt(i + 1) === 0x22) {
              pieces.push(src.slice(pieceStart, i + 1));
              i += 2;
              pieceStart = i;
              continue;
            }
            pieces.push(src.slice(pieceStart, i));
            i++;
            closed = true;
            break;
          }
          if (q === 0x0a || (q === 0x0d && src.charCodeAt(i + 1) !== 0x0a)) line++;
          if (i - open > MAX_FIELD_CHARS) break;
          i++;
        }
        if (!closed && i - open > MAX_FIELD_CHARS) {
          problem ??= `a field is longer than ${MAX_FIELD_CHARS} characters`;
          i = skipLine(src, i);
          line++;
          done = true;
          break;
        }
        if (!closed) {
          pieces.push(src.slice(pieceStart, i));
          problem = 'unterminated quoted field';
        }
        field = pieces.join('');
        afterQuote = true;
        continue;
      }
      if (c === 0x2c /* , */) {
        fields.push(field ?? src.slice(fieldStart, i));
        field = null;
        afterQuote = false;
        fieldStart = i + 1;
      } else if (c === 0x0a || c === 0x0d) {
        if (c === 0x0d && src.charCodeAt(i + 1) === 0x0a) i++;
        line++;
        done = true;
        i++;
        break;
      } else if (afterQuote && !isSpace(c)) {
        problem ??= 'text after a closing quote';
      } else if (!afterQuote && i - fieldStart >= MAX_FIELD_CHARS) {
        problem ??= `a field is longer than ${MAX_FIELD_CHARS} characters`;
        i = skipLine(src, i);
        line++;
        done = true;
        break;
      }
      i++;
    }
    if (problem !== undefined && problem.startsWith('a field is longer')) {
      yield { line: start, fields: [], problem };
      continue;
    }
    const end = done ? lineContentEnd(src, i) : i;
    fields.push(field ?? src.slice(fieldStart, Math.max(fieldStart, end)));
    if (fields.length === 1 && (fields[0] as string).trim() === '' && problem === undefined) continue;
    yield problem === undefined ? { line: start, fields } : { line: start, fields, problem };
  }
}

/** Index just after the end of the line holding `i` (past `\n`, `\r\n` or `\r`). */
function skipLine(src: string, i: number): number {
  const nl = src.indexOf('\n', i);
  const cr = src.indexOf('\r', i);
  const at = nl < 0 ? cr : cr < 0 ? nl : Math.min(nl, cr);
  if (at < 0) return src.length;
  return src.charCodeAt(at) === 0x0d && src.charCodeAt(at + 1) === 0x0a ? at + 2 : at + 1;
}

/** Where the last field of a record ends, given `i` just after its line break. */
function lineContentEnd(src: string, i: number): number {
  let end = i - 1;
  if (src.charCodeAt(end) === 0x0a && src.charCodeAt(end - 1) === 0x0d) end--;
  return end;
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
