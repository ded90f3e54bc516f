/**
 * The bundled real draw history (data/powerball/draws.csv) as validated `Draw`s, for tests,
 * benchmarks and the shrinkage tuning script.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IsoDate } from '../../src/domain/dates.js';
import { createDraw, type Draw } from '../../src/domain/draw.js';

export const BUNDLED_DRAWS_CSV = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../data/powerball/draws.csv',
);

let cached: readonly Draw[] | undefined;

/** All bundled draws, oldest first. */
export function loadBundledDraws(): readonly Draw[] {
  if (cached) return cached;
  const lines = fs.readFileSync(BUNDLED_DRAWS_CSV, 'utf8').trim().split(/\r?\n/).slice(1);
  cached = Object.freeze(
    lines.map((line) => {
      const [date, w1, w2, w3, w4, w5, pb, mult] = line.split(',');
      return createDraw(
        {
          date: date as IsoDate,
          whites: [w1, w2, w3, w4, w5].map(Number),
          powerball: Number(pb),
          multiplier: mult ? Number(mult) : null,
        },
        null,
      );
    }),
  );
  return cached;
}
