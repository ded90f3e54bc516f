import { describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { denseMatrix, type DenseMatrix } from '../../src/ml/matrix.js';
import {
  BoostingModel,
  ForestModel,
  LinearModel,
  MultiOutputModel,
  PipelineModel,
  StandardScaler,
  TreeModel,
  deserializeModel,
  peekModelKind,
  serializeModel,
} from '../../src/ml/models/index.js';
import type { FittedModel } from '../../src/ml/regressor.js';

const m = (rows: number, cols: number, values: number[]): DenseMatrix =>
  denseMatrix(rows, cols, Float64Array.from(values));

/** A depth-1 tree on feature 0: x0 <= t → left value, else right value (2 outputs). */
function stump(t: number, left: [number, number], right: [number, number], nFeatures = 2): TreeModel {
  return new TreeModel({
    nFeatures,
    nOutputs: 2,
    childrenLeft: [1, -1, -1],
    childrenRight: [2, -1, -1],
    feature: [0, -2, -2],
    threshold: [t, -2, -2],
    value: [0, 0, ...left, ...right],
  });
}

function expectModelError(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PbiError);
    expect((e as PbiError).code).toBe('MODEL');
    return;
  }
  throw new Error('expected a MODEL error');
}

describe('fitted models', () => {
  it('a tree compares the float32 value of the feature with the float64 threshold, like scikit-learn', () => {
    // 0.1 as float32 is 0.10000000149..., above the float64 threshold 0.1000000001: goes right.
    const tree = stump(0.1000000001, [1, 2], [3, 4]);
    const y = tree.predict(m(3, 2, [0.1, 0, 0.05, 0, 0.2, 0]));
    expect(Array.from(y.data)).toEqual([3, 4, 1, 2, 3, 4]);
    expect(tree.leafCount).toBe(2);
    expect(tree.depth).toBe(1);
  });

  it('a forest is the mean of its trees and boosting is init + learning rate × the trees', () => {
    const a = stump(0.5, [1, 10], [2, 20]);
    const b = stump(1.5, [3, 30], [5, 50]);
    const x = m(3, 2, [0, 0, 1, 0, 2, 0]);
    const forest = new ForestModel([a, b]);
    expect(Array.from(forest.predict(x).data)).toEqual([2, 20, 2.5, 25, 3.5, 35]);
    const single = (t: number, l: number, r: number): TreeModel =>
      new TreeModel({
        nFeatures: 2,
        nOutputs: 1,
        childrenLeft: [1, -1, -1],
        childrenRight: [2, -1, -1],
        feature: [0, -2, -2],
        threshold: [t, -2, -2],
        value: [0, l, r],
      });
    const boost = new BoostingModel({
      nFeatures: 2,
      nOutputs: 2,
      init: [10, 100],
      learningRate: 0.5,
      stages: [
        [single(0.5, 2, 4), single(0.5, -2, -4)],
        [single(1.5, 1, 3), single(1.5, 0, 8)],
      ],
    });
    // Row x0=1: stage 1 gives (4, -4), stage 2 gives (1, 0) → 10 + .5(4+1), 100 + .5(-4+0).
    expect(Array.from(boost.predict(x).data)).toEqual([11.5, 99, 12.5, 98, 13.5, 102]);
  });

  it('a pipeline scales then predicts, and a multi-output model stacks its models side by side', () => {
    const scaler = new StandardScaler({ nFeatures: 2, mean: [1, 2], scale: [2, 4] });
    const lin = new LinearModel({ nFeatures: 2, nOutputs: 1, coef: [1, 1], intercept: [0.5] });
    const pipe = new PipelineModel([scaler, lin]);
    const x = m(2, 2, [3, 6, 1, 2]);
    expect(Array.from(pipe.predict(x).data)).toEqual([2.5, 0.5]);
    const lin2 = new LinearModel({ nFeatures: 2, nOutputs: 1, coef: [2, 0], intercept: [0] });
    const multi = new MultiOutputModel([pipe, lin2]);
    expect(multi.nOutputs).toBe(2);
    expect(Array.from(multi.predict(x).data)).toEqual([2.5, 6, 0.5, 2]);
    expect(Array.from(x.data)).toEqual([3, 6, 1, 2]);
  });

  it('rejects inconsistent parameters and inputs of the wrong width', () => {
    expectModelError(() => new LinearModel({ nFeatures: 2, nOutputs: 1, coef: [1], intercept: [0] }));
    // A child pointing back at its parent would loop forever.
    expectModelError(
      () =>
        new TreeModel({
          nFeatures: 1,
          nOutputs: 1,
          childrenLeft: [1, 0],
          childrenRight: [1, -1],
          feature: [0, 0],
          threshold: [0, 0],
          value: [0, 0],
        }),
    );
    expectModelError(
      () =>
        new PipelineModel([
          new StandardScaler({ nFeatures: 3, mean: null, scale: null }),
          stump(0, [0, 0], [0, 0]),
        ]),
    );
    expectModelError(() => new MultiOutputModel([stump(0, [0, 0], [0, 0])], 'multi_output'));
    expect(() => stump(0, [0, 0], [0, 0]).predict(m(1, 3, [0, 0, 0]))).toThrow(/expects 2 features/);
  });
});

function sampleModels(): FittedModel[] {
  const a = stump(0.5, [1.1, 10.3], [2.7, 20.9]);
  const b = stump(1.5, [3.3, 30.1], [5.5, 50.5]);
  const scaler = new StandardScaler({ nFeatures: 2, mean: [0.3, 0.7], scale: null });
  const single = new TreeModel({
    nFeatures: 2,
    nOutputs: 1,
    childrenLeft: [1, -1, -1],
    childrenRight: [2, -1, -1],
    feature: [1, -2, -2],
    threshold: [0.25, -2, -2],
    value: [0, Math.PI, -Math.E],
    nodeWeight: [3, 1, 2],
    impurity: [0.5, 0, 0],
  });
  return [
    new LinearModel({
      kind: 'ridge',
      nFeatures: 2,
      nOutputs: 2,
      coef: [0.1, 0.2, 0.3, 1 / 3],
      intercept: [1e-17, 7],
    }),
    scaler,
    a,
    new ForestModel([a, b]),
    new BoostingModel({
      nFeatures: 2,
      nOutputs: 1,
      init: [0.123],
      learningRate: 0.1,
      stages: [[single], [single]],
    }),
    new PipelineModel([scaler, new ForestModel([a, b])]),
    new MultiOutputModel([single, new PipelineModel([scaler, single])]),
    new MultiOutputModel([a, single], 'stacked_outputs'),
  ];
}

describe('model artifacts', () => {
  const x = m(4, 2, [0.1, 0.2, 0.9, 0.3, 1.7, -0.4, 2.5, 0.26]);

  it.each(sampleModels().map((model) => [model.kind, model] as const))(
    '%s round-trips with bit-identical predictions',
    (_k, model) => {
      const bytes = serializeModel(model);
      const back = deserializeModel(bytes, model.kind);
      expect(back.kind).toBe(model.kind);
      expect(back.constructor).toBe(model.constructor);
      expect(back.nFeatures).toBe(model.nFeatures);
      expect(back.nOutputs).toBe(model.nOutputs);
      expect(Buffer.from(back.predict(x).data.buffer).equals(Buffer.from(model.predict(x).data.buffer))).toBe(
        true,
      );
      expect(peekModelKind(bytes)).toEqual({ kind: model.kind, formatVersion: 1 });
      // Serializing the loaded model gives the same bytes: nothing is lost or reordered.
      expect(Buffer.from(serializeModel(back)).equals(Buffer.from(bytes))).toBe(true);
    },
  );

  it('loads from a buffer at an odd byte offset', () => {
    const bytes = serializeModel(sampleModels()[3] as FittedModel);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const back = deserializeModel(shifted.subarray(1));
    expect(back.predict(x).data).toEqual((sampleModels()[3] as FittedModel).predict(x).data);
  });

  it('rejects wrong kind, other versions, corrupt and truncated bytes with a MODEL error', () => {
    const bytes = serializeModel(sampleModels()[3] as FittedModel);
    expectModelError(() => deserializeModel(bytes, 'gradient_boosting'));
    expectModelError(() => deserializeModel(new TextEncoder().encode('{"kind":"random_forest"}')));
    expectModelError(() => deserializeModel(bytes.subarray(0, bytes.length - 8)));
    const version = bytes.slice();
    version[4] = 2;
    expectModelError(() => deserializeModel(version));
    // Flipping any single byte after the prefix is caught (checksum), so is one in the prefix.
    for (let i = 0; i < bytes.length; i += 7) {
      const bad = bytes.slice();
      bad[i] = (bad[i] as number) ^ 0x10;
      expectModelError(() => deserializeModel(bad));
    }
    expectModelError(() => deserializeModel(new Uint8Array(0)));
  });

  it('rejects a well-formed artifact whose content is inconsistent', () => {
    // Re-sign a header edited to point an array outside the binary part: the checksum passes, the
    // reference check must not.
    const bytes = serializeModel(sampleModels()[2] as FittedModel);
    const dv = new DataView(bytes.buffer);
    const h = dv.getUint32(8, true);
    const header = new TextDecoder().decode(bytes.subarray(20, 20 + h));
    const edited = header.replace('"n":3', '"n":9');
    expect(edited).not.toBe(header);
    const enc = new TextEncoder().encode(edited);
    expect(enc.length).toBe(h);
    const bad = bytes.slice();
    bad.set(enc, 20);
    const withCrc = rechecksum(bad);
    expectModelError(() => deserializeModel(withCrc));
  });
});

function rechecksum(bytes: Uint8Array): Uint8Array {
  // Local CRC so the test does not trust the implementation under test.
  let crc = -1;
  for (let i = 20; i < bytes.length; i++) {
    crc ^= bytes[i] as number;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  new DataView(bytes.buffer).setUint32(16, (crc ^ -1) >>> 0, true);
  return bytes;
}
