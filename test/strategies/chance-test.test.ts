/**
 * Tests of the significance test itself: valid at any number of draws (a 2-draw backtest is not
 * "significant"; under chance the family rejects at most α of the time at n = 2, 10 and 200) and
 * still able to see a real edge (an oracle is detected within 10 draws).
 */
import { describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.js';
import type { Draw } from '../../src/domain/draw.js';
import { CURRENT_ERA } from '../../src/domain/eras.js';
import { Rng } from '../../src/ml/rng.js';
import { FAMILY_ALPHA, runBacktest, strategySeed } from '../../src/strategies/backtest.js';
import { ChanceAccumulator, ChanceDraws, mcPValue, sortedPValue } from '../../src/strategies/chance-test.js';
import {
  createStrategy,
  createWeightedStrategy,
  DEFAULT_WEIGHTS,
  sampleTickets,
} from '../../src/strategies/index.js';
import { mixtureShrinkage, normalizeInPlace, uniform } from '../../src/strategies/probability.js';
import { holmAdjust } from '../../src/strategies/statistics.js';
import type { Distribution, Strategy } from '../../src/strategies/strategy.js';
import { loadBundledDraws } from './bundled-draws.js';

const draws = loadBundledDraws();
const era = CURRENT_ERA;

function randomResult(rng: Rng): { whites: number[]; powerball: number } {
  const whites = new Set<number>();
  while (whites.size < 5) whites.add(rng.nextInt(era.whiteMax) + 1);
  return { whites: [...whites], powerball: rng.nextInt(era.powerballMax) + 1 };
}

/** A fixed belief leaning to high numbers: not uniform, so its log score varies under chance. */
const skewed: Distribution = {
  whites: normalizeInPlace(
    Float64Array.from({ length: era.whiteMax + 1 }, (_, i) => (i === 0 ? 0 : 1 + i / 20)),
  ),
  powerball: normalizeInPlace(
    Float64Array.from({ length: era.powerballMax + 1 }, (_, i) => (i === 0 ? 0 : 1 + i / 10)),
  ),
  shrinkage: mixtureShrinkage(0, 'fixed'),
};
const flat: Distribution = {
  whites: uniform(era.whiteMax),
  powerball: uniform(era.powerballMax),
  shrinkage: mixtureShrinkage(1, 'chance'),
};

describe('Monte Carlo p-values', () => {
  it('agree between the sorted and the plain count, and count the observation itself', () => {
    const rng = new Rng(3);
    const replays = Float64Array.from({ length: 999 }, () => Math.floor(rng.nextFloat() * 20));
    const sorted = Float64Array.from(replays).sort();
    for (const x of [-1, 0, 3, 9.5, 10, 19, 25]) expect(sortedPValue(sorted, x)).toBe(mcPValue(replays, x));
    expect(mcPValue(replays, 100)).toBeCloseTo(2 / 1000, 12);
  });
});

describe('the significance test is valid at any number of draws', () => {
  it('(a) the weighted strategy over the last 2 real draws is not significant and has no interval', () => {
    const names = ['frequency', 'recency', 'trends', 'combo', 'sum', 'dow'] as const;
    const weighted = createWeightedStrategy(
      names.map((n) => ({ strategy: createStrategy(n), weight: DEFAULT_WEIGHTS[n] })),
    );
    const last2 = draws.at(-2)!.date;
    const r = runBacktest({ strategies: [weighted], draws, era, from: last2, seed: 42 });
    const w = r.results[0]!;
    expect(r.draws).toBe(2);
    expect(w.significant).toBe(false);
    expect(w.llr.ci95).toBeNull();
    expect(w.verdict).toMatch(/too few draws for an interval/);
    expect(Math.min(...w.tests.map((t) => t.adjustedP))).toBeGreaterThan(FAMILY_ALPHA);
    // Even uncorrected, two draws cannot make the log score look extreme.
    expect(w.tests.find((t) => t.key === 'log-score')!.pValue).toBeGreaterThan(0.05);
  });

  it('(b) under chance, a uniform and a skewed strategy are called significant in at most 5% of 2,000 histories', () => {
    const histories = 2000;
    const sequences = 10_000;
    for (const n of [2, 10, 200]) {
      const chance = new ChanceDraws(era, sequences, strategySeed(7, '#chance'));
      // Both strategies sample their tickets as the backtest does; the tickets and the replays do not
      // depend on what is drawn, so all 2,000 histories share them exactly as 2,000 backtests would.
      const strategies = [flat, skewed].map((d, i) => ({
        d,
        rng: new Rng(100 + i),
        acc: new ChanceAccumulator(era, sequences, histories),
      }));
      const truth = new Rng(1000 + n);
      for (let t = 0; t < n; t++) {
        chance.next();
        const actual = Array.from({ length: histories }, () => randomResult(truth));
        for (const s of strategies) {
          const tickets = sampleTickets(s.d, era, 10, s.rng, { withProbability: false });
          s.acc.add(actual, { whites: s.d.whites, powerball: s.d.powerball, tickets }, chance);
        }
      }
      let familyRejections = 0;
      let logScoreRejections = 0;
      for (let h = 0; h < histories; h++) {
        const tests = strategies.flatMap((s) => s.acc.tests(h));
        if (holmAdjust(tests.map((t) => t.pValue)).some((p) => p <= FAMILY_ALPHA)) familyRejections++;
        // The skewed strategy's raw log-score test alone must hold its level too.
        if (strategies[1]!.acc.tests(h)[0]!.pValue <= 0.05) logScoreRejections++;
      }
      const mcError = 3 * Math.sqrt((0.05 * 0.95) / histories); // three standard errors
      expect(familyRejections / histories, `family, n = ${n}`).toBeLessThanOrEqual(0.05 + mcError);
      expect(logScoreRejections / histories, `log score, n = ${n}`).toBeLessThanOrEqual(0.05 + mcError);
      // …and is not vacuous: the raw log-score test does reject near its level.
      if (n >= 10) expect(logScoreRejections / histories, `log score, n = ${n}`).toBeGreaterThan(0.02);
    }
  }, 60_000);

  it('(c) an oracle that puts extra mass on the drawn numbers is detected within 10 draws, among 7 strategies', () => {
    const byDate = new Map(draws.map((d) => [d.date, d]));
    const oracle: Strategy = {
      name: 'oracle',
      belief: 'peeks at the result',
      distribution(_history, target): Distribution {
        const d = byDate.get(target.date) as Draw;
        const whites = uniform(era.whiteMax).map((v, i) => (i > 0 && d.whites.includes(i) ? 3 * v : v));
        const powerball = uniform(era.powerballMax).map((v, i) => (i === d.powerball ? 3 * v : v));
        return {
          whites: normalizeInPlace(whites),
          powerball: normalizeInPlace(powerball),
          shrinkage: mixtureShrinkage(0, 'oracle'),
        };
      },
    };
    const others = (['frequency', 'recency', 'trends', 'combo', 'sum', 'dow'] as const).map((n) =>
      createStrategy(n),
    );
    const from = draws.at(-10)!.date as IsoDate;
    const r = runBacktest({ strategies: [oracle, ...others], draws, era, from, seed: 5 });
    expect(r.draws).toBe(10);
    expect(r.family.tests).toBe(84);
    const o = r.results[0]!;
    expect(o.significant).toBe(true);
    expect(o.verdict).toMatch(/log score of the drawn numbers better than chance/);
    expect(r.results.slice(1).every((s) => !s.significant)).toBe(true);
  });
});
