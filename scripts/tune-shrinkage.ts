/**
 * Chooses each strategy's shrinkage toward uniform (src/strategies/calibration.ts) by walk-forward
 * backtest over the real current era: for every λ on the grid, the mean log-likelihood ratio of the
 * actual draws against uniform; prints a table and the best λ per strategy.
 *
 *   npx tsx scripts/tune-shrinkage.ts [--ml-only]
 *
 * Also reproduces the reference figure: Laplace-smoothed frequencies over the last 100
 * draws, unshrunk, score about −0.35 nats per draw.
 */
import { CURRENT_ERA } from '../src/domain/eras.js';
import type { Draw } from '../src/domain/draw.js';
import { SHRINKAGE_GRID } from '../src/strategies/calibration.js';
import { sameRangeSuffix } from '../src/strategies/history.js';
import { createStrategy } from '../src/strategies/index.js';
import {
  countNumbers,
  logLikelihoodRatio,
  mixtureShrinkage,
  normalizeInPlace,
} from '../src/strategies/probability.js';
import { meanEstimate } from '../src/strategies/statistics.js';
import type { StrategyName } from '../src/domain/strategy-names.js';
import type { Distribution, Strategy } from '../src/strategies/strategy.js';
import { BUNDLED_DRAWS_CSV, loadBundledDraws } from '../test/strategies/bundled-draws.js';

const draws = loadBundledDraws(BUNDLED_DRAWS_CSV);
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
    const c = countNumbers(sameRangeSuffix(history, era).slice(-100), era);
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
  `${last100.name}: ${ref.mean.toFixed(4)} (95% CI ${ref.ci95?.[0].toFixed(4)} to ${ref.ci95?.[1].toFixed(4)}) over ${ref.n} draws`,
);

const onlyMl = process.argv.includes('--ml-only');
const names: StrategyName[] = onlyMl ? [] : ['frequency', 'recency', 'trends', 'combo', 'sum', 'dow'];
const grid = [0, ...SHRINKAGE_GRID];
for (const name of names) {
  let best = { lambda: 1, mean: 0 };
  const cells: string[] = [];
  for (const lambda of grid) {
    const e = score(createStrategy(name, {}, { uniformWeight: lambda }));
    cells.push(`λ=${lambda}: ${e.mean.toFixed(4)} [${e.ci95?.[0].toFixed(4)}, ${e.ci95?.[1].toFixed(4)}]`);
    if (e.mean > best.mean || (best.lambda === 1 && e.mean > best.mean)) best = { lambda, mean: e.mean };
  }
  console.log(`${name}:\n  ${cells.join('\n  ')}\n  best: λ=${best.lambda} (${best.mean.toFixed(4)})`);
}

// ml: only an out-of-sample test means anything, so the three regressors of the training pipeline
// (legacy default hyperparameters) are fitted on the feature rows before 2021, each output's MAE is
// measured on 2020 by the same regressor fitted before 2020 (as the registry's CV MAE would be),
// and the ml strategy — all three models averaged, as with three active models — is scored on every
// draw from 2021 on.
{
  const { buildFeatureMatrix } = await import('../src/ml/features/index.js');
  const { RidgeRegressor } = await import('../src/ml/ridge.js');
  const { RandomForestRegressor } = await import('../src/ml/random-forest.js');
  const { GradientBoostingRegressor } = await import('../src/ml/gradient-boosting.js');
  const { createMlStrategy } = await import('../src/strategies/ml.js');
  type Fitted = { predict(x: { rows: number; cols: number; data: Float64Array }): { data: Float64Array } };
  const era = draws.filter((d) => d.date >= CURRENT_ERA.from);
  const m = buildFeatureMatrix(era);
  const rowsBefore = (date: string) => m.dates.filter((d) => d < date).length;
  const lo = rowsBefore('2020-01-01');
  const hi = rowsBefore('2021-01-01');
  const slice = (a: number, b: number) => ({
    rows: b - a,
    cols: m.x.cols,
    data: m.x.data.subarray(a * m.x.cols, b * m.x.cols),
  });
  const regressors = [
    ['ridge', () => new RidgeRegressor()],
    ['random_forest', () => new RandomForestRegressor()],
    ['gradient_boosting', () => new GradientBoostingRegressor()],
  ] as const;
  const fitted = regressors.map(([name, make]) => {
    const fit = (rows: number): Fitted =>
      make().fit(slice(0, rows), { rows, cols: 6, data: m.y.data.subarray(0, rows * 6) }, { seed: 42 });
    const pred = fit(lo).predict(slice(lo, hi));
    const mae = [0, 1, 2, 3, 4, 5].map((j) => {
      let sum = 0;
      for (let r = 0; r < hi - lo; r++)
        sum += Math.abs((pred.data[r * 6 + j] as number) - (m.y.data[(lo + r) * 6 + j] as number));
      return sum / (hi - lo);
    });
    console.log(`  ${name}: MAE on 2020 ${mae.map((v) => v.toFixed(2)).join('/')}`);
    return { name, model: fit(hi), mae };
  });
  const index = new Map(m.dates.map((d, i) => [d, i] as const));
  const predictorOf = (models: typeof fitted) => ({
    predict(_history: readonly Draw[], target: { date: string }) {
      const i = index.get(target.date as never) as number;
      return models.map((f) => ({
        name: f.name,
        version: 1,
        outputs: Array.from(f.model.predict(slice(i, i + 1)).data),
        cvMae: f.mae,
      }));
    },
  });
  const start = draws.findIndex((d) => d.date >= '2021-01-01');
  for (const [label, models] of [
    ['ml (ridge + random forest + gradient boosting)', fitted],
    ['ml (random forest + gradient boosting)', fitted.slice(1)],
  ] as const) {
    let best = { lambda: 1, mean: -Infinity };
    const cells: string[] = [];
    for (const lambda of grid) {
      const s = createMlStrategy(predictorOf(models), { uniformWeight: lambda });
      const llr: number[] = [];
      for (let i = start; i < draws.length; i++) {
        const d = s.distribution(draws.slice(0, i), { date: (draws[i] as Draw).date, era: CURRENT_ERA });
        llr.push(logLikelihoodRatio(d, draws[i] as Draw, CURRENT_ERA).total);
      }
      const e = meanEstimate(llr);
      cells.push(`λ=${lambda}: ${e.mean.toFixed(4)} [${e.ci95?.[0].toFixed(4)}, ${e.ci95?.[1].toFixed(4)}]`);
      if (e.mean > best.mean) best = { lambda, mean: e.mean };
    }
    console.log(
      `${label}, scored on ${draws.length - start} later draws:\n  ${cells.join('\n  ')}\n  best: λ=${best.lambda} (${best.mean.toFixed(4)})`,
    );
  }
}
