/**
 * What every draw-file reader produces: candidate rows with their line numbers, plus the lines that
 * could not even be read as a draw. Rule checks (eras, calendar, duplicates) happen afterwards in one
 * place, the draw service, so every format is validated the same way.
 */
import type { DrawInput } from '../../domain/draw.js';

export type DrawFileFormat = 'ny' | 'csv' | 'json';

export const DRAW_FILE_FORMATS: readonly DrawFileFormat[] = ['ny', 'csv', 'json'];

export interface ParsedRow {
  /** 1-based line of the file where the row starts. */
  readonly line: number;
  readonly input: DrawInput;
}

export interface RowError {
  readonly line: number;
  readonly reason: string;
}

export interface ParsedFile {
  readonly format: DrawFileFormat;
  readonly rows: readonly ParsedRow[];
  /** Lines that could not be read as a draw (bad date text, not a number, wrong field count). */
  readonly errors: readonly RowError[];
}

/** Thrown inside a row reader: the row is reported with this reason. */
export class RowProblem extends Error {}
