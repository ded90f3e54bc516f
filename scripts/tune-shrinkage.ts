/**
 * Chooses each strategy's shrinkage toward uniform (src/strategies/calibration.ts) by walk-forward
 * backtest over the real current era: for every λ on the grid, the mean log-likelihood ratio of the
 * actual draws against uniform; prints a table and the best λ per strategy.
 *
 *   npx tsx scripts/tune-shrinkage.ts
 *
 * Also reproduces the reference figure: Laplace-smoothed frequencies over the last 100
 * draws, unshrunk, score about −0.35 nats per draw.
 */
import { CURRENT_ERA } from '../src/domain/eras.js';
import type { Draw } from '../src/domain/draw.js';
import { SHRINKAGE_GRID } from '../src/strategies/calibration.js';
import { createStrategy } from '../src/strategies/index.js';
import {
  countNumbers,
  logLikelihoodRatio,
  mixtureShrinkage,
  normalizeInPlace,
} from '../src/strategies/probability.js';
import { meanEstimate } from '../src/strategies/statistics.js';
import type { Distribution, Strategy, StrategyName } from '../src/strategies/strategy.js';
import { loadBundledDraws } from '../test/strategies/bundled-draws.js';

const draws = loadBundledDraws();
const era = CURRENT_ERA;
const first = draws.findIndex((d) => d.date >= era.from);

function score(strategy: Strategy): ReturnType<typeof meanEstimate> {
  const llr: number[] = [];
  for (let i = first; i < draws.length; i++) {
    const history = draws.slice(0, i);
    const d = strategy.distribution(history, { date: (draws[i] as Draw).date, era });
    llr.push(logLikelihoodRatio(d, draws[i] as Draw, era).total);
  }
  return meanEstimate(llr);
}

const last100: Strategy = {
  name: 'last-100 frequency (issue reference)',
  belief: '',
  distribution(history): Distribution {
    const c = countNumbers(history.slice(-100), era);
    for (let i = 1; i < c.whites.length; i++) c.whites[i] = (c.whites[i] as number) + 1;
    for (let i = 1; i < c.powerball.length; i++) c.powerball[i] = (c.powerball[i] as number) + 1;
    return {
      whites: normalizeInPlace(c.whites),
      powerball: normalizeInPlace(c.powerball),
      shrinkage: mixtureShrinkage(0, ''),
    };
  },
};
const ref = score(last100);
console.log(
  `${last100.name}: ${ref.mean.toFixed(4)} (95% CI ${ref.ci95[0].toFixed(4)} to ${ref.ci95[1].toFixed(4)}) over ${ref.n} draws`,
);

const names: StrategyName[] = ['frequency', 'recency', 'trends', 'combo', 'sum', 'dow'];
const grid = [0, ...SHRINKAGE_GRID];
for (const name of names) {
  let best = { lambda: 1, mean: 0 };
  const cells: string[] = [];
  for (const lambda of grid) {
    const e = score(createStrategy(name, {}, { uniformWeight: lambda }));
    cells.push(`λ=${lambda}: ${e.mean.toFixed(4)} [${e.ci95[0].toFixed(4)}, ${e.ci95[1].toFixed(4)}]`);
    if (e.mean > best.mean || (best.lambda === 1 && e.mean > best.mean)) best = { lambda, mean: e.mean };
  }
  console.log(`${name}:\n  ${cells.join('\n  ')}\n  best: λ=${best.lambda} (${best.mean.toFixed(4)})`);
}
