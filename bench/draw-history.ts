/**
 * Histories for the benchmarks: the real current-era draws (the bundled file, validated by the same
 * loader the tests use), extended with seeded uniform draws on the following draw dates so every size
 * is a realistic single-era history.
 */
import { nextDrawDate } from '../src/domain/calendar.js';
import type { Draw } from '../src/domain/draw.js';
import { CURRENT_ERA } from '../src/domain/eras.js';
import type { Whites } from '../src/domain/ticket.js';
import { Rng } from '../src/ml/rng.js';
import { BUNDLED_DRAWS_CSV, loadBundledDraws } from '../test/strategies/bundled-draws.js';

/** The bundled draws of the current era, oldest first. */
export function currentEraDraws(): Draw[] {
  return loadBundledDraws(BUNDLED_DRAWS_CSV).filter((d) => d.date >= CURRENT_ERA.from);
}

/** The first `n` of `real`, then seeded uniform draws on the next draw dates until there are `n`. */
export function extendWithUniformDraws(real: readonly Draw[], n: number, seed: number): Draw[] {
  const out = real.slice(0, n);
  const rng = new Rng(seed);
  let date = (out[out.length - 1] as Draw).date;
  while (out.length < n) {
    date = nextDrawDate(date);
    const whites = Array.from(rng.sampleWithoutReplacement(CURRENT_ERA.whiteMax, 5), (v) => v + 1).sort(
      (a, b) => a - b,
    );
    out.push({
      date,
      whites: whites as unknown as Whites,
      powerball: rng.nextInt(CURRENT_ERA.powerballMax) + 1,
      multiplier: null,
    });
  }
  return out;
}
