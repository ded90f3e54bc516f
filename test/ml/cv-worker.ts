/**
 * The worker thread of `crossValidateInWorker` (cv-in-worker.ts): cross-validates one regressor,
 * at its defaults, on the committed real feature matrix and posts the fold and overall MAEs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { crossValidate } from '../../src/ml/cv.js';
import { GradientBoostingRegressor } from '../../src/ml/gradient-boosting.js';
import { RandomForestRegressor } from '../../src/ml/random-forest.js';
import { loadMatrix } from './sklearn-fixture.js';
import type { CvJob, CvSummary } from './cv-in-worker.js';

const job = workerData as CvJob;
const { x, y } = loadMatrix();
const regressor =
  job.model === 'random_forest' ? new RandomForestRegressor() : new GradientBoostingRegressor();
const res = crossValidate(regressor, x, y, { folds: job.folds, seed: job.seed });
const summary: CvSummary = { overall: res.overall, folds: res.folds.map((f) => ({ overall: f.overall })) };
parentPort?.postMessage(summary);
