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
