import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import {
  convertModelArtifact,
  convertPredictionModels,
  convertSklearn,
} from '../../src/legacy/convert/index.js';
import { readJoblibFile } from '../../src/legacy/joblib/index.js';
import { isObject, parsePickle, type PickleValue } from '../../src/legacy/pickle/index.js';
import { deserializeModel, serializeModel } from '../../src/ml/models/index.js';
import type { DenseMatrix } from '../../src/ml/matrix.js';
import type { TreeModel } from '../../src/ml/models/tree-model.js';
import { FIXTURES, fixture } from './helpers.js';

interface Case {
  file: string;
  path: string[];
  model: string;
  outputs: number;
  predictions: number[][];
}

const reference = JSON.parse(readFileSync(`${FIXTURES}/reference/predictions.json`, 'utf8')) as {
  cases: Case[];
  sklearn: string;
};
const rows = (JSON.parse(readFileSync(`${FIXTURES}/reference/X.json`, 'utf8')) as { rows: number[][] }).rows;
const X: DenseMatrix = {
  rows: rows.length,
  cols: rows[0]?.length ?? 0,
  data: Float64Array.from(rows.flat()),
};

function load(c: Case): PickleValue {
  let v = readJoblibFile(`${FIXTURES}/${c.file}`).value;
  for (const k of c.path) v = (v as Map<PickleValue, PickleValue>).get(k) as PickleValue;
  return v;
}

function maxError(y: DenseMatrix, expected: number[][]): number {
  let worst = 0;
  expected.forEach((row, r) =>
    row.forEach((e, j) => {
      worst = Math.max(worst, Math.abs((y.data[r * y.cols + j] as number) - e) / Math.max(1, Math.abs(e)));
    }),
  );
  return worst;
}

describe(`scikit-learn ${reference.sklearn} models converted to native models`, () => {
  it('the reference matrix includes inputs exactly on tree thresholds', () => {
    // The first split nodes of the reference tree: for each, one row holds exactly the threshold
    // (goes left) and one the next float32 above it (goes right), so a converter that compares
    // with < instead of <=, or in float64, predicts differently there.
    const treeCase = reference.cases.find((c) => c.model === 'tree' && c.file === 'reference/tree.joblib')!;
    const tree = convertSklearn(load(treeCase)) as unknown as TreeModel;
    expect(tree.kind).toBe('decision_tree');
    const nextFloat32 = (v: number): number => {
      const bits = new Int32Array(Float32Array.of(v).buffer);
      bits[0] = (bits[0] as number) + (v >= 0 ? 1 : -1);
      return new Float32Array(bits.buffer)[0] as number;
    };
    const splits = [...Array(Math.min(8, tree.nodeCount)).keys()].filter(
      (n) => (tree.feature[n] as number) >= 0,
    );
    expect(splits.length).toBeGreaterThanOrEqual(4);
    for (const n of splits) {
      const f = tree.feature[n] as number;
      const t = tree.threshold[n] as number;
      const column = rows.map((r) => r[f] as number);
      expect(column, `node ${n}: a row on the threshold`).toContain(t);
      expect(
        column.some((v) => Math.fround(v) === nextFloat32(t) && Math.fround(v) > t),
        `node ${n}: a row just above the threshold`,
      ).toBe(true);
    }
  });

  for (const c of reference.cases) {
    it(`${c.model} from ${c.file}${c.path.length ? ` [${c.path.join('.')}]` : ''} predicts what scikit-learn predicted (1e-9)`, () => {
      const model = convertSklearn(load(c));
      const y = model.predict(X);
      expect(y.rows).toBe(rows.length);
      expect(y.cols).toBe(c.outputs);
      expect(maxError(y, c.predictions)).toBeLessThanOrEqual(1e-9);
      // and keeps predicting it after a round trip through the artifact format
      const again = deserializeModel(serializeModel(model)).predict(X);
      expect([...again.data]).toEqual([...y.data]);
    });
  }

  it('converts both legacy model containers, joining whites and Powerball into six outputs', () => {
    const pm = convertPredictionModels(
      readJoblibFile(`${FIXTURES}/app-basic/data/prediction_models.joblib`).value,
    );
    expect(pm.problems).toEqual([]);
    expect(pm.sourceClasses).toEqual({
      white: 'sklearn.pipeline.Pipeline',
      powerball: 'sklearn.pipeline.Pipeline',
    });
    expect(pm.combined?.predict(X).cols).toBe(6);

    const art = convertModelArtifact(
      readJoblibFile(`${FIXTURES}/app-basic/models/gradient_boosting_20240117_180005.joblib`).value,
    );
    expect(art.modelType).toBe('gradient_boosting');
    expect(art.trainedAt).toBe('2024-01-17T18:00:05.000Z');
    const y = art.combined?.predict(X);
    const white = reference.cases.find((c) => c.model === 'gb_white' && c.file.startsWith('app-basic'));
    const pb = reference.cases.find((c) => c.model === 'gb_pb');
    expect(y && white && pb).toBeTruthy();
    if (!y || !white || !pb) return;
    const joined = white.predictions.map((r, i) => [...r, ...(pb.predictions[i] ?? [])]);
    expect(maxError(y, joined)).toBeLessThanOrEqual(1e-9);
  });

  it('reports a part it cannot convert instead of failing the whole artifact', () => {
    const root = readJoblibFile(`${FIXTURES}/app-basic/models/ridge_20240115_103000.joblib`).value as Map<
      PickleValue,
      PickleValue
    >;
    const broken = new Map(root);
    broken.set('powerball_pipeline', 'not a model');
    const r = convertModelArtifact(broken);
    expect(r.white).not.toBeNull();
    expect(r.powerball).toBeNull();
    expect(r.combined).toBeNull();
    expect(r.problems[0]).toMatch(/powerball_pipeline: not a scikit-learn estimator/);
  });

  it('refuses classes it does not convert with a MODEL error', () => {
    const tree = parsePickle(fixture('protocols/tree.p4.pkl')).value;
    expect(isObject(tree)).toBe(true);
    const treeState = isObject(tree) ? (tree.state as Map<PickleValue, PickleValue>).get('tree_') : null;
    const attempt = (): unknown => convertSklearn(treeState as PickleValue);
    expect(attempt).toThrow(PbiError);
    expect(attempt).toThrow(/cannot convert sklearn\.tree\.Tree/);
    try {
      attempt();
    } catch (e) {
      expect((e as PbiError).code).toBe('MODEL');
    }
  });

  it('refuses an estimator that was never fitted', () => {
    const unfitted: PickleValue = {
      kind: 'object',
      className: 'sklearn.linear_model.Ridge',
      written: 'x',
      args: [],
      kwargs: null,
      state: new Map([['alpha', 1]]),
    };
    expect(() => convertSklearn(unfitted)).toThrow(/no coef_: not a fitted estimator/);
  });
});
