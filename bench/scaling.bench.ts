/**
 * How cost grows with the history (issue 9): feature engineering, 5-fold walk-forward CV and
 * prediction at 1×, 4× and 16× the real current-era history. Beyond the real draws the history is
 * continued with seeded uniform draws on the following draw dates. Peers in the same run, on the same
 * data: numpy builds the same feature matrix from the same draws (checked cell for cell), and
 * scikit-learn runs the same CV on the same matrix (the layout of `pbi features export`; at 1× it is
 * that export) and predicts the same row — up to 4×: its boosting would take many minutes at 16×.
 *
 * (The DESIGN §7 row, the three models with 100 trees each on the real history, is
 * bench/training.bench.ts.)
 *
 * The scaling CV uses ensembles of 10 trees (stages) so that 16× fits in minutes; the growth, not the
 * absolute time, is what those rows are for. Prediction rows: the next draw's features plus the
 * three fitted models; the three models alone on that row (beside scikit-learn's three predict
 * calls); and a weighted set of 5 tickets from all seven strategies, cold (every strategy recomputes
 * from the history, nothing cached).
 *
 * Usage: tsx bench/scaling.bench.ts [--quick]   (--quick: 1× and 4×, 3 trees, scikit-learn at 1× only)
 * Lines carry `scale_group` and `scale_size` so the harness prints the growth.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextDrawDate } from '../src/domain/calendar.js';
import type { Draw } from '../src/domain/draw.js';
import { CURRENT_ERA } from '../src/domain/eras.js';
import { crossValidate } from '../src/ml/cv.js';
import {
  buildFeatureMatrix,
  type FeatureMatrix,
  formatFeatureCsv,
  nextDrawFeatures,
} from '../src/ml/features/index.js';
import type { FittedModel } from '../src/ml/regressor.js';
import { Rng } from '../src/ml/rng.js';
import { createRegressor, defaultParams } from '../src/ml/search-space.js';
import { TRAIN_ALL_MODELS, type ModelName } from '../src/domain/model-names.js';
import type { AppConfig } from '../src/services/context.js';
import { MLPredictionService } from '../src/services/ml-prediction-service.js';
import {
  createStrategy,
  createWeightedStrategy,
  DEFAULT_WEIGHTS,
  type MlPredictor,
  sampleTickets,
  type Target,
} from '../src/strategies/index.js';
import { STRATEGY_NAMES } from '../src/domain/strategy-names.js';
import { shutDownWorkers } from '../src/ml/parallel/pool.js';
import { extendWithUniformDraws } from './draw-history.js';
import { runPeer, sklearnLabel, sklearnStack } from './peers/python.js';

const quick = process.argv.includes('--quick');
const MULTIPLIERS = quick ? [1, 4] : [1, 4, 16];
const SCALE_TREES = quick ? 3 : 10;
const PEER_MAX_MULTIPLIER = quick ? 1 : 4;
const FOLDS = 5;
const SEED = 42;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-scaling-'));
const stack = sklearnStack();

interface SklearnResult {
  readonly rows: number;
  readonly features: number;
  readonly cv?: Record<string, { seconds: number; mean_mae: number }>;
  readonly cv_seconds?: number;
  readonly predict?: Record<string, number>;
  readonly predict_ms?: number;
}

const emit = (o: Record<string, unknown>) => console.log(`BENCH ${JSON.stringify(o)}`);
const log = (s: string) => process.stderr.write(`${s}\n`);
const r3 = (x: number) => Math.round(x * 1000) / 1000;

function stats(times: number[]): { median_ms: number; p99_ms: number; n: number } {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { median_ms: r3(at(0.5)), p99_ms: r3(at(0.99)), n: s.length };
}

/** The real history, exported the way a user would: a fresh database, `pbi init`, `pbi features export`. */
function exportRealHistory(file: string): Draw[] {
  const config: AppConfig = Object.freeze({
    dbPath: path.join(tmp, 'real.db'),
    bundledDataDir: path.join(root, 'data', 'powerball'),
    backupDir: path.join(tmp, 'backups'),
    backupKeep: 1,
    updateUrl: 'http://127.0.0.1:9/',
    httpTimeoutMs: 1000,
  });
  const service = MLPredictionService.open(config);
  try {
    service.draws.init();
    service.features.exportCsv(file);
    return service.draws.list();
  } finally {
    service.close();
  }
}

/** 5-fold CV of the three models; returns the total time and each model's CV MAE per output. */
function cvAll(
  m: FeatureMatrix,
  trees: number,
): { ms: number; perModel: Record<string, number>; mae: Record<string, number[]> } {
  const perModel: Record<string, number> = {};
  const mae: Record<string, number[]> = {};
  let total = 0;
  // The three models `pbi train` trains by default (lasso is trained only when asked for).
  for (const name of TRAIN_ALL_MODELS) {
    const params = name === 'ridge' ? defaultParams(name) : { ...defaultParams(name), n_estimators: trees };
    const t0 = performance.now();
    const r = crossValidate(createRegressor(name, params), m.x, m.y, { folds: FOLDS, seed: SEED });
    const ms = performance.now() - t0;
    perModel[name] = r3(ms);
    mae[name] = r.meanMae;
    total += ms;
    log(`  ${name}: ${(ms / 1000).toFixed(2)} s, MAE ${r.overall.toFixed(3)}`);
  }
  return { ms: total, perModel, mae };
}

function peerCv(csv: string, trees: number): SklearnResult | null {
  if (!stack) return null;
  try {
    return runPeer<SklearnResult>('sklearn_cv.py', [
      '--matrix',
      csv,
      '--trees',
      String(trees),
      '--predict',
      '--repeat',
      '30',
    ]);
  } catch (error) {
    log(`scikit-learn peer skipped: ${(error as Error).message}`);
    return null;
  }
}

/** numpy's time for the same feature matrix, or null (no numpy, or its matrix differs from ours). */
function peerFeatures(
  drawsCsv: string,
  exportCsv: string,
  repeat: number,
): { median_ms: number; numpy: string } | null {
  if (!stack) return null;
  try {
    return runPeer('features_numpy.py', [
      '--draws',
      drawsCsv,
      '--check',
      exportCsv,
      '--repeat',
      String(repeat),
    ]);
  } catch (error) {
    log(`numpy feature peer skipped: ${(error as Error).message}`);
    return null;
  }
}

const peerFields = (ms: number | undefined) =>
  stack && ms !== undefined ? { peer_ms: r3(ms), peer: sklearnLabel(stack) } : {};

try {
  const realCsv = path.join(tmp, 'features-1x.csv');
  const realAll = exportRealHistory(realCsv);
  const real = realAll.filter((d) => d.date >= CURRENT_ERA.from);
  log(
    `real current-era history: ${real.length} draws; peer: ${stack ? sklearnLabel(stack) : 'none (legacy figures)'}`,
  );

  for (const k of MULTIPLIERS) {
    const draws = extendWithUniformDraws(real, real.length * k, SEED + k);
    const label = `${k}x history (${draws.length} draws)`;
    log(`${label}`);

    // Feature engineering over the whole history.
    const iterations = quick ? 5 : k >= 16 ? 10 : 30;
    buildFeatureMatrix(draws);
    const ft: number[] = [];
    let m = buildFeatureMatrix(draws);
    for (let i = 0; i < iterations; i++) {
      const t0 = performance.now();
      m = buildFeatureMatrix(draws);
      ft.push(performance.now() - t0);
    }
    // The matrix as `pbi features export` writes it (at 1x it is that export) and the draws it came
    // from: numpy builds the same matrix from the same draws, checked cell for cell against it.
    const csv = k === 1 ? realCsv : path.join(tmp, `features-${k}x.csv`);
    if (k !== 1) fs.writeFileSync(csv, formatFeatureCsv(m));
    const drawsCsv = path.join(tmp, `draws-${k}x.csv`);
    fs.writeFileSync(
      drawsCsv,
      `draw_date,white_1,white_2,white_3,white_4,white_5,powerball\n${draws
        .map((d) => `${d.date},${d.whites.join(',')},${d.powerball}`)
        .join('\n')}\n`,
    );
    const numpy = peerFeatures(drawsCsv, csv, iterations);
    emit({
      work: `scaling: feature engineering, ${label}`,
      ...stats(ft),
      scale_group: 'feature engineering',
      scale_size: draws.length,
      ...(numpy ? { peer_ms: r3(numpy.median_ms), peer: `numpy ${numpy.numpy}` } : {}),
    });

    // CV of the three models on the same matrix, ours then scikit-learn's.
    const cv = cvAll(m, SCALE_TREES);
    // scikit-learn's gradient boosting is the slow part (minutes at 16x), so its scaling stops at 4x.
    const peer = k <= PEER_MAX_MULTIPLIER ? peerCv(csv, SCALE_TREES) : null;
    if (peer && peer.rows !== m.x.rows) throw new Error(`peer read ${peer.rows} rows, ours ${m.x.rows}`);
    emit({
      work: `scaling: 5-fold CV ridge + RF + GBR (${SCALE_TREES} trees each), ${k}x history (${m.x.rows} rows)`,
      median_ms: Math.round(cv.ms),
      n: 1,
      per_model_ms: cv.perModel,
      scale_group: `5-fold CV (${SCALE_TREES} trees)`,
      scale_size: m.x.rows,
      ...peerFields(peer?.cv_seconds === undefined ? undefined : peer.cv_seconds * 1000),
    });

    // Fit the three models on every row (not timed: that is training), then predict.
    const fitted: { name: ModelName; model: FittedModel; cvMae: number[] }[] = TRAIN_ALL_MODELS.map(
      (name) => ({
        name,
        model: createRegressor(
          name,
          name === 'ridge' ? defaultParams(name) : { ...defaultParams(name), n_estimators: SCALE_TREES },
        ).fit(m.x, m.y, { seed: SEED }),
        cvMae: cv.mae[name] as number[],
      }),
    );
    const target: Target = { date: nextDrawDate((draws[draws.length - 1] as Draw).date), era: CURRENT_ERA };
    const mlPredictor: MlPredictor = {
      predict(history, t) {
        const f = nextDrawFeatures(history, t.date);
        const x = { rows: 1, cols: f.row.length, data: f.row };
        return fitted.map((fm, version) => ({
          name: fm.name,
          version,
          outputs: Array.from(fm.model.predict(x).data),
          cvMae: fm.cvMae,
        }));
      },
    };

    const predIterations = quick ? 5 : k >= 16 ? 15 : 40;
    mlPredictor.predict(draws, target);
    const mlTimes: number[] = [];
    for (let i = 0; i < predIterations; i++) {
      const t0 = performance.now();
      mlPredictor.predict(draws, target);
      mlTimes.push(performance.now() - t0);
    }
    emit({
      work: `scaling: ML prediction of the next draw (its features + 3 models), ${label}`,
      ...stats(mlTimes),
      scale_group: 'ML prediction of the next draw (features + models)',
      scale_size: draws.length,
    });
    // The models alone on that one row: what scikit-learn's three predict calls do.
    const f = nextDrawFeatures(draws, target.date);
    const row = { rows: 1, cols: f.row.length, data: f.row };
    const predictTimes: number[] = [];
    for (let i = 0; i <= predIterations * 5; i++) {
      const t0 = performance.now();
      for (const fm of fitted) fm.model.predict(row);
      if (i > 0) predictTimes.push(performance.now() - t0);
    }
    emit({
      work: `scaling: 3 fitted models predict one row (ridge + RF + GBR, ${SCALE_TREES} trees), ${label}`,
      ...stats(predictTimes),
      scale_group: 'models predict one row',
      scale_size: m.x.rows,
      ...peerFields(peer?.predict_ms),
    });

    const setTimes: number[] = [];
    for (let i = 0; i <= predIterations; i++) {
      const weighted = createWeightedStrategy(
        STRATEGY_NAMES.map((name) => ({
          strategy: createStrategy(name, { mlPredictor }),
          weight: DEFAULT_WEIGHTS[name],
        })),
      );
      const t0 = performance.now();
      const tickets = sampleTickets(weighted.distribution(draws, target), CURRENT_ERA, 5, new Rng(i));
      const ms = performance.now() - t0;
      if (tickets.length !== 5) throw new Error(`expected 5 tickets, got ${tickets.length}`);
      if (i > 0) setTimes.push(ms); // the first one warms up the JIT
    }
    emit({
      work: `scaling: weighted set of 5, all 7 strategies, cold, ${label}`,
      ...stats(setTimes),
      scale_group: 'weighted set of 5, cold',
      scale_size: draws.length,
    });
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
  await shutDownWorkers();
}
