/**
 * The feature matrix as CSV (`pbi features export`, `pbi models predict --input`): `draw_date`, every
 * feature by name, then the six targets. Numbers are written in JavaScript's shortest round-trip
 * form, so parsing the file gives back exactly the matrix training saw.
 */
import { ValidationError, type ErrorIssue } from '../../domain/errors.js';
import type { DenseMatrix } from '../matrix.js';
import type { FeatureMatrix } from './build-features.js';

/** Renders the matrix as CSV text (header line, one line per row, trailing newline). */
export function formatFeatureCsv(m: FeatureMatrix): string {
  const lines: string[] = [['draw_date', ...m.names, ...m.targetNames].join(',')];
  const { x, y } = m;
  for (let r = 0; r < x.rows; r++) {
    const cells: string[] = [m.dates[r] as string];
    for (let c = 0; c < x.cols; c++) cells.push(String(x.data[r * x.cols + c]));
    for (let c = 0; c < y.cols; c++) cells.push(String(y.data[r * y.cols + c]));
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** A parsed feature CSV. */
export interface FeatureCsv {
  /** Feature column names, in file order (without `draw_date` and `target_*`). */
  readonly names: readonly string[];
  readonly x: DenseMatrix;
  /** The `draw_date` column when present. */
  readonly dates: readonly string[] | null;
  /** The `target_*` columns when present (their names in `targetNames`). */
  readonly y: DenseMatrix | null;
  readonly targetNames: readonly string[];
}

const MAX_ISSUES = 100;

function unquote(cell: string): string {
  const t = cell.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}

/**
 * Parses a feature CSV: a header of names, then numeric rows. `draw_date` and `target_*` columns are
 * kept apart from the features. Quoted cells are accepted, embedded commas are not (no name or number
 * needs one).
 * @throws ValidationError (MALFORMED_FILE) naming `source:line` and the column of every bad cell.
 */
export function parseFeatureCsv(text: string, source: string): FeatureCsv {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  const headerLine = lines[0];
  if (headerLine === undefined || headerLine.trim() === '') {
    throw new ValidationError(`${source} is empty: expected a header of feature names`, [], 'MALFORMED_FILE');
  }
  const header = headerLine
    .replace(/^\uFEFF/, '')
    .split(',')
    .map(unquote);
  const seen = new Set<string>();
  const issues: ErrorIssue[] = [];
  header.forEach((h, i) => {
    if (h === '') issues.push({ where: `${source}:1`, reason: `column ${i + 1} has no name` });
    else if (seen.has(h)) issues.push({ where: `${source}:1`, reason: `column "${h}" appears twice` });
    seen.add(h);
  });
  if (issues.length) throw new ValidationError(`${source}: bad header`, issues, 'MALFORMED_FILE');
  const dateCol = header.indexOf('draw_date');
  const featureCols: number[] = [];
  const targetCols: number[] = [];
  header.forEach((h, i) => {
    if (i === dateCol) return;
    (h.startsWith('target_') ? targetCols : featureCols).push(i);
  });
  const rows = lines.length - 1;
  const x = new Float64Array(rows * featureCols.length);
  const y = new Float64Array(rows * targetCols.length);
  const dates: string[] = [];
  for (let r = 0; r < rows; r++) {
    const lineNo = r + 2;
    const cells = (lines[r + 1] as string).split(',');
    if (cells.length !== header.length) {
      issues.push({
        where: `${source}:${lineNo}`,
        reason: `${cells.length} cells, header has ${header.length}`,
      });
      if (issues.length >= MAX_ISSUES) break;
      continue;
    }
    if (dateCol >= 0) dates.push(unquote(cells[dateCol] as string));
    const put = (cols: number[], out: Float64Array) => {
      for (let c = 0; c < cols.length; c++) {
        const col = cols[c] as number;
        const raw = unquote(cells[col] as string);
        const v = Number(raw);
        if (raw === '' || !Number.isFinite(v)) {
          issues.push({ where: `${source}:${lineNo}`, reason: `${header[col]}: "${raw}" is not a number` });
        }
        out[r * cols.length + c] = v;
      }
    };
    put(featureCols, x);
    put(targetCols, y);
    if (issues.length >= MAX_ISSUES) break;
  }
  if (issues.length) {
    throw new ValidationError(`${source}: ${issues.length} bad cell(s) or row(s)`, issues, 'MALFORMED_FILE');
  }
  return {
    names: featureCols.map((i) => header[i] as string),
    x: { rows, cols: featureCols.length, data: x },
    dates: dateCol >= 0 ? dates : null,
    y: targetCols.length ? { rows, cols: targetCols.length, data: y } : null,
    targetNames: targetCols.map((i) => header[i] as string),
  };
}
