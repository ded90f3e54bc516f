/**
 * JSON draw files: an array of `{ date, whites, powerball, multiplier }` (multiplier optional or
 * null; whites in any order; the date in any spelling `parseDrawDate` accepts). The shape of each
 * element is checked with zod; the rules (ranges, calendar) by `createDraw` like every format.
 * Errors carry the line where the element starts.
 */
import { z } from 'zod';
import { PbiError } from '../../domain/errors.js';
import { parseDrawDate } from './draw-dates.js';
import { type ParsedFile, type ParsedRow, type RowError, RowProblem } from './types.js';

const DrawJson = z.object({
  date: z.string({ error: 'date must be a string' }),
  whites: z.array(z.number({ error: 'whites must be numbers' }), { error: 'whites must be an array' }),
  powerball: z.number({ error: 'powerball must be a number' }),
  multiplier: z.number({ error: 'multiplier must be a number or null' }).nullable().optional(),
});

/** True when the content looks like JSON (used by format detection). */
export function looksLikeJson(text: string): boolean {
  return /^\uFEFF?\s*[[{]/.test(text);
}

/**
 * @throws PbiError MALFORMED_FILE when the text is not JSON or not an array.
 */
export function readJsonFile(text: string, source: string): ParsedFile {
  const src = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(src);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = lineOfError(src, message);
    throw new PbiError('MALFORMED_FILE', `${source} is not valid JSON: ${message}`, [
      { where: line === null ? source : `${source}:${line}`, reason: 'invalid JSON' },
    ]);
  }
  if (!Array.isArray(data))
    throw new PbiError('MALFORMED_FILE', `${source}: expected a JSON array of draws`, [
      { where: `${source}:1`, reason: 'not an array' },
    ]);
  const lines = elementLines(src);
  const rows: ParsedRow[] = [];
  const errors: RowError[] = [];
  data.forEach((item: unknown, index) => {
    const line = lines[index] ?? 1;
    const parsed = DrawJson.safeParse(item);
    if (!parsed.success) {
      const reason = parsed.error.issues
        .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
        .join('; ');
      errors.push({ line, reason: `draw #${index + 1}: ${reason}` });
      return;
    }
    try {
      const v = parsed.data;
      rows.push({
        line,
        input: {
          date: parseDrawDate(v.date),
          whites: v.whites,
          powerball: v.powerball,
          multiplier: v.multiplier ?? null,
        },
      });
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      errors.push({ line, reason: `draw #${index + 1}: ${error.message}` });
    }
  });
  return { format: 'json', rows, errors };
}

/** The 1-based line where each element of the top-level array starts. */
export function elementLines(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let expecting = false;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') line++;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expecting && !/\s/.test(c) && c !== ']') {
      out.push(line);
      expecting = false;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      depth++;
      if (depth === 1) expecting = true;
    } else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 1) expecting = true;
  }
  return out;
}

function lineOfError(text: string, message: string): number | null {
  const lineCol = /line (\d+)/.exec(message);
  if (lineCol) return Number(lineCol[1]);
  const pos = /position (\d+)/.exec(message);
  if (!pos) return null;
  return text.slice(0, Number(pos[1])).split('\n').length;
}
