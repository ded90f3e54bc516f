/**
 * The real draw history as validated `Draw`s: for tests the pinned copy (test/fixtures/draws/pinned,
 * last draw 2026-08-05), whose numbers they may state; for the benchmarks and the shrinkage tuning
 * script the shipped data/powerball/draws.csv, whatever it holds today.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IsoDate } from '../../src/domain/dates.js';
import { createDraw, type Draw } from '../../src/domain/draw.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The shipped history, refreshed by users and the project. */
export const BUNDLED_DRAWS_CSV = path.resolve(HERE, '../../data/powerball/draws.csv');
/** A folder laid out as data/powerball, never refreshed: 3,838 draws, the last on 2026-08-05. */
export const PINNED_HISTORY_DIR = path.resolve(HERE, '../fixtures/draws/pinned');
export const PINNED_DRAWS_CSV = path.join(PINNED_HISTORY_DIR, 'draws.csv');

const cache = new Map<string, readonly Draw[]>();

/** Every draw of `file` (default: the pinned copy), oldest first. */
export function loadBundledDraws(file = PINNED_DRAWS_CSV): readonly Draw[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1);
  const draws = Object.freeze(
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
  cache.set(file, draws);
  return draws;
}

/** What the shipped data/powerball holds today (tests of the shipped files derive from it). */
export function shippedHistory(): { count: number; last: Draw; nyRows: number } {
  const draws = loadBundledDraws(BUNDLED_DRAWS_CSV);
  const ny = fs.readFileSync(path.join(path.dirname(BUNDLED_DRAWS_CSV), 'draws-ny-format.csv'), 'utf8');
  return { count: draws.length, last: draws.at(-1) as Draw, nyRows: ny.trim().split(/\r?\n/).length - 1 };
}
