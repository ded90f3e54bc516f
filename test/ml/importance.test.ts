import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { impurityImportances, mae, permutationImportance, rankFeatures } from '../../src/ml/importance.js';
import type { DenseMatrix } from '../../src/ml/matrix.js';
import { BoostingModel, ForestModel, LinearModel, TreeModel } from '../../src/ml/models/index.js';
import { RidgeRegressor } from '../../src/ml/ridge.js';
import { Rng } from '../../src/ml/rng.js';

interface TreeJson {
  childrenLeft: number[];
  childrenRight: number[];
  feature: number[];
  threshold: number[];
  value: number[];
  nodeWeight: number[];
  impurity: number[];
  nOutputs: number;
}
const ref = JSON.parse(fs.readFileSync('test/fixtures/importance/reference.json', 'utf8')) as {
  X: number[];
  Y: number[];
  rows: number;
  cols: number;
  tree: { model: TreeJson; importances: number[] };
  forest: { trees: TreeJson[]; importances: number[] };
  boosting: { init: number[]; learningRate: number; stages: TreeJson[]; importances: number[] };
};
const X: DenseMatrix = { rows: ref.rows, cols: ref.cols, data: Float64Array.from(ref.X) };
const Y: DenseMatrix = { rows: ref.rows, cols: 2, data: Float64Array.from(ref.Y) };
const Y0: DenseMatrix = {
  rows: ref.rows,
  cols: 1,
  data: Float64Array.from({ length: ref.rows }, (_, r) => ref.Y[r * 2] as number),
};

function tree(t: TreeJson, withStats: boolean): TreeModel {
  return new TreeModel({
    ...t,
    nFeatures: ref.cols,
    nodeWeight: withStats ? t.nodeWeight : null,
    impurity: withStats ? t.impurity : null,
  });
}

function expectClose(actual: Float64Array | null, expected: number[], digits: number): void {
  expect(actual).not.toBeNull();
  expect(actual?.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual?.[i]).toBeCloseTo(e, digits));
}

describe('impurity importances match scikit-learn', () => {
  it('decision tree (multi-output), from stored node statistics and from a pass over the data', () => {
    expectClose(impurityImportances(tree(ref.tree.model, true)), ref.tree.importances, 12);
    expectClose(impurityImportances(tree(ref.tree.model, false), { x: X, y: Y }), ref.tree.importances, 9);
  });

  it('random forest: mean of the trees’ normalized importances', () => {
    const forest = new ForestModel(ref.forest.trees.map((t) => tree(t, true)));
    expectClose(impurityImportances(forest), ref.forest.importances, 12);
    // Without stored stats the pass uses every row, not each tree's bootstrap: close, not equal.
    const approx = impurityImportances(new ForestModel(ref.forest.trees.map((t) => tree(t, false))), {
      x: X,
      y: Y,
    });
    expect(
      rankFeatures(approx ?? [], ['a', 'b', 'c', 'd', 'e'])
        .slice(0, 2)
        .map((s) => s.feature),
    ).toEqual(['a', 'b']);
  });

  it('gradient boosting: stored stats, and residual-by-residual recomputation', () => {
    const b = (withStats: boolean) =>
      new BoostingModel({
        nFeatures: ref.cols,
        nOutputs: 1,
        init: ref.boosting.init,
        learningRate: ref.boosting.learningRate,
        stages: ref.boosting.stages.map((t) => [tree(t, withStats)]),
      });
    expectClose(impurityImportances(b(true)), ref.boosting.importances, 12);
    expectClose(impurityImportances(b(false), { x: X, y: Y0 }), ref.boosting.importances, 8);
  });

  it('has none for a linear model and asks for data when a tree stores no statistics', () => {
    expect(
      impurityImportances(new LinearModel({ coef: [1, 2], intercept: [0], nFeatures: 2, nOutputs: 1 })),
    ).toBeNull();
    expect(() => impurityImportances(tree(ref.tree.model, false))).toThrow(/training data/);
  });
});

describe('permutation importance', () => {
  // y is built from `signal` (strongly) and `weak`; `noise` plays no part in it.
  const rng = new Rng(3);
  const n = 400;
  const names = ['noise', 'signal', 'weak'];
  const xd = new Float64Array(n * 3);
  const yd = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < 3; c++) xd[r * 3 + c] = rng.nextFloat() * 10;
    yd[r] = 4 * (xd[r * 3 + 1] as number) + 0.5 * (xd[r * 3 + 2] as number) + (rng.nextFloat() - 0.5);
  }
  const x = { rows: n, cols: 3, data: xd };
  const y = { rows: n, cols: 1, data: yd };
  const train = { rows: 300, cols: 3, data: xd.slice(0, 900) };
  const test = { rows: 100, cols: 3, data: xd.slice(900) };
  const model = new RidgeRegressor({ alpha: 1 }).fit(
    train,
    { rows: 300, cols: 1, data: yd.slice(0, 300) },
    { seed: 1 },
  );

  it('ranks the feature the target was built from first and scores pure noise near zero', () => {
    const before = Float64Array.from(test.data);
    const { baselineMae, scores } = permutationImportance({
      predict: (m) => model.predict(m),
      x: test,
      y: { rows: 100, cols: 1, data: yd.slice(300) },
      featureNames: names,
      repeats: 5,
      seed: 11,
    });
    expect(test.data).toEqual(before);
    const by = Object.fromEntries(scores.map((s) => [s.feature, s]));
    const ranked = rankFeatures(
      scores.map((s) => s.importance),
      names,
    );
    expect(ranked.map((s) => s.feature)).toEqual(['signal', 'weak', 'noise']);
    expect(by.signal?.importance).toBeGreaterThan(10 * baselineMae);
    expect(Math.abs(by.noise?.importance ?? 1)).toBeLessThan(0.05 * baselineMae + 0.01);
  });

  it('is seeded: the same seed gives the same scores', () => {
    const run = (seed: number) =>
      permutationImportance({ predict: (m) => model.predict(m), x, y, featureNames: names, seed }).scores;
    expect(run(5)).toEqual(run(5));
  });

  it('rejects mismatched names, rows and repeats', () => {
    const predict = (m: DenseMatrix) => model.predict(m);
    expect(() => permutationImportance({ predict, x, y, featureNames: ['a'], seed: 1 })).toThrow(
      /feature names/,
    );
    expect(() =>
      permutationImportance({
        predict,
        x,
        y: { rows: 1, cols: 1, data: new Float64Array(1) },
        featureNames: names,
        seed: 1,
      }),
    ).toThrow(/rows/);
    expect(() => permutationImportance({ predict, x, y, featureNames: names, seed: 1, repeats: 0 })).toThrow(
      /repeats/,
    );
    expect(
      mae(
        { rows: 1, cols: 2, data: Float64Array.of(1, 2) },
        { rows: 1, cols: 2, data: Float64Array.of(2, 4) },
      ),
    ).toBe(1.5);
  });
});
