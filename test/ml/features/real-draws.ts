/** The bundled real draw history, read directly (no database) for the feature tests. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IsoDate } from '../../../src/domain/dates.js';
import type { Draw } from '../../../src/domain/draw.js';
import type { Whites } from '../../../src/domain/ticket.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every bundled draw, oldest first. */
export function realDraws(): Draw[] {
  const text = fs.readFileSync(path.join(root, 'data/powerball/draws.csv'), 'utf8');
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const c = line.split(',');
      return {
        date: c[0] as IsoDate,
        whites: c.slice(1, 6).map(Number) as unknown as Whites,
        powerball: Number(c[6]),
        multiplier: c[7] ? Number(c[7]) : null,
      };
    });
}
