/**
 * Turns the content of a draw file into candidate rows with their line numbers. Validation against
 * the rules (eras, calendar) happens afterwards, in one place (`createDraw`).
 */
import type { DrawInput } from '../../domain/draw.js';
import { parseIsoDate } from '../../domain/dates.js';
import { PbiError } from '../../domain/errors.js';

export type DrawFileFormat = 'ny' | 'csv' | 'json';

export interface ParsedRow {
  readonly line: number;
  readonly input: DrawInput;
}

export interface ParsedFile {
  readonly format: DrawFileFormat;
  readonly rows: readonly ParsedRow[];
  /** Lines that could not even be read as a draw. */
  readonly errors: readonly { line: number; reason: string }[];
}

/**
 * @throws PbiError MALFORMED_FILE (empty, no header) or UNKNOWN_FORMAT.
 */
export function parseDrawFile(text: string, source: string, format: DrawFileFormat | 'auto'): ParsedFile {
  if (text.trim() === '')
    throw new PbiError('MALFORMED_FILE', `${source} is empty`, [{ where: source, reason: 'empty file' }]);
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const header = (lines[0] ?? '').toLowerCase();
  if (format !== 'auto' && format !== 'csv') {
    throw new PbiError('UNKNOWN_FORMAT', `format ${format} is not supported yet`);
  }
  if (!header.startsWith('draw_date,white_1')) {
    throw new PbiError('UNKNOWN_FORMAT', `${source}: unrecognised header "${lines[0] ?? ''}"`, [
      { where: `${source}:1`, reason: 'unknown header' },
    ]);
  }
  const rows: ParsedRow[] = [];
  const errors: { line: number; reason: string }[] = [];
  lines.forEach((raw, i) => {
    if (i === 0 || raw.trim() === '') return;
    const f = raw.split(',');
    try {
      const nums = f.slice(1, 7).map(Number);
      rows.push({
        line: i + 1,
        input: {
          date: parseIsoDate(f[0] ?? ''),
          whites: nums.slice(0, 5),
          powerball: nums[5] ?? NaN,
          multiplier: f[7] ? Number(f[7]) : null,
        },
      });
    } catch (error) {
      errors.push({ line: i + 1, reason: (error as Error).message });
    }
  });
  return { format: 'csv', rows, errors };
}
