/**
 * The shared contract of every `Regressor` (STYLE §1): each implementation's test calls
 * `runRegressorConformance({ name, create })`.
 */
import { describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { denseMatrix, selectRows, type DenseMatrix } from '../../src/ml/matrix.js';
import { deserializeModel, serializeModel } from '../../src/ml/models/index.js';
import type { Regressor } from '../../src/ml/regressor.js';
import { Rng } from '../../src/ml/rng.js';

export interface RegressorConformanceOptions {
  readonly name: string;
  /** A fresh regressor with small, fast hyperparameters. */
  readonly create: () => Regressor;
}

/** A relation every regressor here can learn: two outputs, one linear, one a smooth step. */
export function syntheticProblem(rows: number, seed: number): { x: DenseMatrix; y: DenseMatrix } {
  const rng = new Rng(seed);
  const p = 6;
  const x = new Float64Array(rows * p);
  const y = new Float64Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < p; j++) x[r * p + j] = rng.nextFloat() * 10 - 5;
    const x0 = x[r * p] as number;
    const x1 = x[r * p + 1] as number;
    const x2 = x[r * p + 2] as number;
    y[r * 2] = 3 * x0 - 2 * x1 + 0.1 * (rng.nextFloat() - 0.5);
    y[r * 2 + 1] = (x2 > 0 ? 10 : -10) + x0 + 0.1 * (rng.nextFloat() - 0.5);
  }
  return { x: denseMatrix(rows, p, x), y: denseMatrix(rows, 2, y) };
}

function mae(a: DenseMatrix, b: DenseMatrix): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs((a.data[i] as number) - (b.data[i] as number));
  return s / a.data.length;
}

export function runRegressorConformance({ name, create }: RegressorConformanceOptions): void {
  describe(`Regressor conformance: ${name}`, () => {
    const { x, y } = syntheticProblem(300, 11);
    const train = Array.from({ length: 240 }, (_, i) => i);
    const test = Array.from({ length: 60 }, (_, i) => 240 + i);
    const xTrain = selectRows(x, train);
    const yTrain = selectRows(y, train);
    const xTest = selectRows(x, test);
    const yTest = selectRows(y, test);

    it('predicts one row per input row and one column per target', () => {
      const reg = create();
      const model = reg.fit(xTrain, yTrain, { seed: 1 });
      expect(model.kind === reg.kind || (reg.kind === 'ridge' && model.kind === 'ridge')).toBe(true);
      expect(model.nFeatures).toBe(6);
      expect(model.nOutputs).toBe(2);
      const pred = model.predict(xTest);
      expect(pred.rows).toBe(60);
      expect(pred.cols).toBe(2);
      expect(pred.data.length).toBe(120);
      expect(pred.data.every(Number.isFinite)).toBe(true);
      const one = model.predict(selectRows(xTest, [5]));
      expect(Array.from(one.data)).toEqual(Array.from(pred.data.subarray(10, 12)));
    });

    it('never mutates its inputs', () => {
      const xCopy = Float64Array.from(xTrain.data);
      const yCopy = Float64Array.from(yTrain.data);
      const model = create().fit(xTrain, yTrain, { seed: 3 });
      const xtCopy = Float64Array.from(xTest.data);
      model.predict(xTest);
      expect(xTrain.data).toEqual(xCopy);
      expect(yTrain.data).toEqual(yCopy);
      expect(xTest.data).toEqual(xtCopy);
    });

    it('is deterministic for a seed', () => {
      const a = create().fit(xTrain, yTrain, { seed: 42 }).predict(xTest);
      const b = create().fit(xTrain, yTrain, { seed: 42 }).predict(xTest);
      expect(Array.from(b.data)).toEqual(Array.from(a.data));
    });

    it('round-trips through its artifact with identical predictions', () => {
      const model = create().fit(xTrain, yTrain, { seed: 5 });
      const bytes = serializeModel(model);
      const back = deserializeModel(bytes, model.kind);
      expect(Array.from(back.predict(xTest).data)).toEqual(Array.from(model.predict(xTest).data));
    });

    it('learns a simple relation much better than predicting the training mean', () => {
      const model = create().fit(xTrain, yTrain, { seed: 9 });
      const meanPred = new Float64Array(yTest.data.length);
      for (let o = 0; o < 2; o++) {
        let m = 0;
        for (let r = 0; r < yTrain.rows; r++) m += yTrain.data[r * 2 + o] as number;
        m /= yTrain.rows;
        for (let r = 0; r < yTest.rows; r++) meanPred[r * 2 + o] = m;
      }
      const modelMae = mae(model.predict(xTest), yTest);
      const baseMae = mae(denseMatrix(yTest.rows, 2, meanPred), yTest);
      expect(modelMae).toBeLessThan(0.5 * baseMae);
    });

    it('reports progress from 0 to 1 without going backwards', () => {
      const seen: number[] = [];
      create().fit(xTrain, yTrain, { seed: 1, onProgress: (f) => seen.push(f) });
      expect(seen.length).toBeGreaterThan(0);
      for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] as number);
      expect(seen[seen.length - 1]).toBe(1);
      expect(seen.every((f) => f >= 0 && f <= 1)).toBe(true);
    });

    // Only for regressors with the capability (registered, not skipped, for the others).
    if (create().fitPrefixes !== undefined)
      it('fits prefixes as fit does on each prefix', () => {
        const reg = create();
        const ends = [60, 150, 150, 240];
        const models = [...(reg.fitPrefixes?.(xTrain, yTrain, ends, { seed: 4 }) ?? [])];
        expect(models).toHaveLength(ends.length);
        ends.forEach((end, i) => {
          const rows = Array.from({ length: end }, (_, r) => r);
          const alone = reg
            .fit(selectRows(xTrain, rows), selectRows(yTrain, rows), { seed: 4 })
            .predict(xTest);
          const shared = models[i]?.predict(xTest).data ?? new Float64Array();
          // Equal up to rounding: the outputs here are of order 10.
          alone.data.forEach((v, j) => expect(Math.abs((shared[j] as number) - v)).toBeLessThan(1e-9));
        });
      });

    it('rejects mismatched shapes and non-finite values with a PbiError naming the problem', () => {
      const reg = create();
      expect(() => reg.fit(xTrain, yTest, { seed: 1 })).toThrow(PbiError);
      const bad = Float64Array.from(xTrain.data);
      bad[13] = Number.NaN;
      expect(() => reg.fit(denseMatrix(xTrain.rows, xTrain.cols, bad), yTrain, { seed: 1 })).toThrow(
        /row 2, column 1/,
      );
      const model = reg.fit(xTrain, yTrain, { seed: 1 });
      expect(() => model.predict(denseMatrix(1, 5))).toThrow(PbiError);
    });
  });
}
