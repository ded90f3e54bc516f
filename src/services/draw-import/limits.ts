/**
 * Bounds of one draw file: a real history has a few thousand draws (two or three a week since
 * 1992), so a file with far more records is refused before it fills memory, and an error report
 * lists the first problems with a count of the rest rather than every line of a broken file.
 */
import { PbiError } from '../../domain/errors.js';

/** Most records (rows) one draw file may hold. */
export const MAX_RECORDS = 100_000;

/** Problems listed in an error report; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 100;

/** @returns the TOO_LARGE error for a file with more than MAX_RECORDS records. */
export function tooManyRecords(source: string, line: number): PbiError {
  return new PbiError(
    'TOO_LARGE',
    `${source} has more than ${MAX_RECORDS} records (line ${line}); a draw history has a few thousand`,
    [{ where: `${source}:${line}`, reason: `over ${MAX_RECORDS} records` }],
  );
}

/**
 * Longest line a CSV draw file may have, in bytes. A real line (date, six numbers, multiplier,
 * Double Play, the NY export's quotes) is under 100 bytes; this leaves room for extra columns a
 * spreadsheet adds while refusing a runaway line long before it is read whole.
 */
export const MAX_LINE_BYTES = 16 * 1024;

/** Largest draw file or download accepted (the full history is about 150 KB). */
export const MAX_DRAW_FILE_BYTES = 50 * 1024 * 1024;
