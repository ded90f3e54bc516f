/** Reads the committed scikit-learn fixtures (test/fixtures/sklearn), so tests need no Python. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { denseMatrix, type DenseMatrix } from '../../src/ml/matrix.js';

const DIR = fileURLToPath(new URL('../fixtures/sklearn/', import.meta.url));

/** The committed real feature matrix (1,290 × 434, exported by `pbi features export`). */
export const MATRIX_CSV = DIR + 'matrix.csv';

/**
 * Reads a feature matrix CSV in the layout of `pbi features export` (draw_date, features, six
 * targets). The tests and the training benchmarks share this one reader.
 */
export function readMatrixCsv(file: string): { names: string[]; x: DenseMatrix; y: DenseMatrix } {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  const header = (lines[0] as string).split(',');
  const p = header.length - 7;
  const n = lines.length - 1;
  const x = new Float64Array(n * p);
  const y = new Float64Array(n * 6);
  for (let r = 0; r < n; r++) {
    const cells = (lines[r + 1] as string).split(',');
    for (let j = 0; j < p; j++) x[r * p + j] = Number(cells[j + 1]);
    for (let k = 0; k < 6; k++) y[r * 6 + k] = Number(cells[p + 1 + k]);
  }
  return { names: header.slice(1, p + 1), x: denseMatrix(n, p, x), y: denseMatrix(n, 6, y) };
}

/** A feature matrix CSV of the committed fixtures (test/fixtures/sklearn). */
export function loadMatrix(file = 'matrix.csv'): { names: string[]; x: DenseMatrix; y: DenseMatrix } {
  return readMatrixCsv(DIR + file);
}

export interface SklearnFold {
  train: number;
  test: number;
  mae: number[];
  overall: number;
  train_mean_mae: number[];
}

export interface SklearnReference {
  sklearn_version: string;
  rows: number;
  features: number;
  ridge: { coef: number[][]; intercept: number[]; predictions: number[][] };
  time_series_split: Record<
    string,
    { train_end: number; test_start: number; test_end: number; contiguous: boolean }[]
  >;
  cv: Record<
    'ridge' | 'random_forest' | 'gradient_boosting',
    { folds: SklearnFold[]; mean_mae: number; seconds: number }
  >;
}

export function loadReference(file = 'reference.json'): SklearnReference {
  return JSON.parse(readFileSync(DIR + file, 'utf8')) as SklearnReference;
}
