/**
 * Small builders for strategy tests: synthetic histories on real draw days of the current era.
 */
import { nextDrawDate } from '../../src/domain/calendar.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { createDraw, type Draw } from '../../src/domain/draw.js';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import type { MlPredictor } from '../../src/strategies/ml.js';
import type { Target } from '../../src/strategies/strategy.js';

/** Draws on consecutive draw days from 2020-01-01, from [whites..., powerball] rows. */
export function history(rows: readonly (readonly number[])[]): { draws: readonly Draw[]; next: Target } {
  let date = nextDrawDate('2019-12-31' as IsoDate);
  const draws: Draw[] = [];
  for (const r of rows) {
    draws.push(createDraw({ date, whites: r.slice(0, 5), powerball: r[5] as number }, null));
    date = nextDrawDate(date);
  }
  return { draws: Object.freeze(draws), next: { date, era: CURRENT_ERA } };
}

/** Index of the largest value over 1..n. */
export function argmax(a: Float64Array): number {
  let best = 1;
  for (let i = 2; i < a.length; i++) if ((a[i] as number) > (a[best] as number)) best = i;
  return best;
}

/**
 * A predictor computed from the history alone (means of each sorted position over the last 20 draws
 * of the era), standing in for the registry-backed one the service builds; the registry path is
 * covered by the prediction service tests.
 */
export const historyMeanPredictor: MlPredictor = {
  predict(h: readonly Draw[]) {
    const era = h.filter((d) => d.date >= CURRENT_ERA.from).slice(-20);
    const outputs = [0, 1, 2, 3, 4].map((i) =>
      era.length ? era.reduce((a, d) => a + (d.whites[i] as number), 0) / era.length : 12 * (i + 1),
    );
    outputs.push(era.length ? era.reduce((a, d) => a + d.powerball, 0) / era.length : 13);
    return [{ name: 'history-mean', version: 1, outputs, cvMae: [5, 7, 8, 7, 5, 6] }];
  },
};
