/**
 * Feature importance, pure functions of a fitted model and data.
 *
 * - Impurity-based (mean decrease in impurity, scikit-learn's `feature_importances_`): for trees,
 *   forests, boosting and pipelines/multi-output models that end in them. Uses the per-node
 *   impurity and weighted sample counts when the tree stores them (converted scikit-learn trees do);
 *   otherwise they are recomputed by routing the given training rows down each tree (squared error;
 *   for boosting, against the residuals of the stages before). The recomputed figures use every row,
 *   not the bootstrap or subsample each tree saw, so they approximate rather than equal scikit-learn's.
 * - Permutation importance (any model): how much the mean absolute error grows when one feature's
 *   column is shuffled, averaged over repeats; a feature the model does not use scores ~0.
 */
import { ValidationError } from '../domain/errors.js';
import type { DenseMatrix } from './matrix.js';
import { BoostingModel } from './models/boosting-model.js';
import { ForestModel } from './models/forest-model.js';
import { MultiOutputModel } from './models/multi-output-model.js';
import { PipelineModel } from './models/pipeline-model.js';
import { TREE_LEAF, TreeModel } from './models/tree-model.js';
import type { FittedModel } from './regressor.js';
import { Rng } from './rng.js';

export interface FeatureScore {
  readonly feature: string;
  readonly importance: number;
  /** Standard deviation over permutation repeats (0 for impurity importances). */
  readonly std: number;
}

/** Training rows, needed only when a tree does not store per-node impurity. */
export interface TrainingData {
  readonly x: DenseMatrix;
  readonly y: DenseMatrix;
}

/** True when the model (or the last step of a pipeline) is made of trees. */
export function hasTrees(model: FittedModel): boolean {
  if (model instanceof TreeModel || model instanceof ForestModel || model instanceof BoostingModel)
    return true;
  if (model instanceof PipelineModel) return hasTrees(model.steps[model.steps.length - 1] as FittedModel);
  if (model instanceof MultiOutputModel) return model.models.every(hasTrees);
  return false;
}

/**
 * Mean decrease in impurity per feature, normalized to sum to 1 (all zeros when no tree splits).
 * @returns null when the model has no trees (for example ridge).
 * @throws ValidationError when a tree lacks stored impurities and no training data was given, or
 *   the data does not match the model.
 */
export function impurityImportances(model: FittedModel, data?: TrainingData): Float64Array | null {
  if (!hasTrees(model)) return null;
  if (data) checkData(model, data);
  return normalize(rawImportances(model, data));
}

/**
 * Permutation importance: for each feature, the mean (over `repeats` shuffles) increase of the mean
 * absolute error over all outputs when that column is shuffled. Never mutates `x`.
 * @throws ValidationError on mismatched shapes, bad names or repeats < 1.
 */
export function permutationImportance(options: {
  readonly predict: (x: DenseMatrix) => DenseMatrix;
  readonly x: DenseMatrix;
  readonly y: DenseMatrix;
  readonly featureNames: readonly string[];
  readonly repeats?: number;
  readonly seed: number;
}): { baselineMae: number; scores: FeatureScore[] } {
  const { x, y, featureNames } = options;
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new ValidationError(`repeats must be ≥ 1, got ${repeats}`);
  if (featureNames.length !== x.cols)
    throw new ValidationError(`${featureNames.length} feature names for ${x.cols} columns`);
  if (y.rows !== x.rows) throw new ValidationError(`x has ${x.rows} rows but y has ${y.rows}`);
  if (x.rows < 2) throw new ValidationError('permutation importance needs at least 2 rows');
  const rng = new Rng(options.seed);
  const work = { rows: x.rows, cols: x.cols, data: Float64Array.from(x.data) };
  const baselineMae = mae(options.predict(work), y);
  const column = new Float64Array(x.rows);
  const order = new Int32Array(x.rows);
  const scores: FeatureScore[] = [];
  for (let f = 0; f < x.cols; f++) {
    for (let r = 0; r < x.rows; r++) column[r] = work.data[r * x.cols + f] as number;
    const deltas: number[] = [];
    for (let k = 0; k < repeats; k++) {
      for (let r = 0; r < x.rows; r++) order[r] = r;
      rng.shuffle(order);
      for (let r = 0; r < x.rows; r++) work.data[r * x.cols + f] = column[order[r] as number] as number;
      deltas.push(mae(options.predict(work), y) - baselineMae);
    }
    for (let r = 0; r < x.rows; r++) work.data[r * x.cols + f] = column[r] as number;
    const mean = deltas.reduce((s, d) => s + d, 0) / repeats;
    const std = Math.sqrt(deltas.reduce((s, d) => s + (d - mean) ** 2, 0) / repeats);
    scores.push({ feature: featureNames[f] as string, importance: mean, std });
  }
  return { baselineMae, scores };
}

/** Scores by feature name, largest first (ties by name, so the order is stable). */
export function rankFeatures(values: ArrayLike<number>, featureNames: readonly string[]): FeatureScore[] {
  if (values.length !== featureNames.length)
    throw new ValidationError(`${featureNames.length} feature names for ${values.length} importances`);
  return featureNames
    .map((feature, i) => ({ feature, importance: values[i] as number, std: 0 }))
    .sort((a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature));
}

/** Mean absolute error over every output and row. */
export function mae(pred: DenseMatrix, y: DenseMatrix): number {
  if (pred.rows !== y.rows || pred.cols !== y.cols)
    throw new ValidationError(`predictions are ${pred.rows}x${pred.cols}, targets ${y.rows}x${y.cols}`);
  let s = 0;
  for (let i = 0; i < y.data.length; i++) s += Math.abs((pred.data[i] as number) - (y.data[i] as number));
  return y.data.length ? s / y.data.length : 0;
}

function checkData(model: FittedModel, data: TrainingData): void {
  if (data.x.cols !== model.nFeatures)
    throw new ValidationError(`model has ${model.nFeatures} features, data has ${data.x.cols}`);
  if (data.y.rows !== data.x.rows)
    throw new ValidationError(`x has ${data.x.rows} rows but y has ${data.y.rows}`);
}

function normalize(v: Float64Array): Float64Array {
  let s = 0;
  for (const a of v) s += a;
  if (s > 0) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / s;
  return v;
}

/** Unnormalized importances, the way scikit-learn averages them for each kind of model. */
function rawImportances(model: FittedModel, data: TrainingData | undefined): Float64Array {
  if (model instanceof TreeModel) return normalize(treeImportances(model, data));
  if (model instanceof ForestModel) {
    // scikit-learn: mean over trees (with a split) of each tree's normalized importances.
    const acc = new Float64Array(model.nFeatures);
    let n = 0;
    for (const t of model.trees) {
      if (t.nodeCount <= 1) continue;
      addInto(acc, normalize(treeImportances(t, data)));
      n++;
    }
    return scale(acc, n);
  }
  if (model instanceof BoostingModel) return boostingImportances(model, data);
  if (model instanceof PipelineModel) {
    // Earlier steps (scalers) map feature i to feature i; route the data through them for the pass.
    const last = model.steps[model.steps.length - 1] as FittedModel;
    let x = data?.x;
    if (x) for (const s of model.steps.slice(0, -1)) x = s.predict(x);
    if (last.nFeatures !== model.nFeatures)
      throw new ValidationError(
        'a pipeline that changes the number of features has no per-feature importances',
      );
    return rawImportances(last, data && x ? { x, y: data.y } : undefined);
  }
  if (model instanceof MultiOutputModel) {
    const acc = new Float64Array(model.nFeatures);
    let col = 0;
    for (const m of model.models) {
      const sub = data ? { x: data.x, y: columns(data.y, col, m.nOutputs) } : undefined;
      addInto(acc, normalize(rawImportances(m, sub)));
      col += m.nOutputs;
    }
    return scale(acc, model.models.length);
  }
  throw new ValidationError(`no impurity importances for a ${model.kind} model`);
}

function boostingImportances(model: BoostingModel, data: TrainingData | undefined): Float64Array {
  const acc = new Float64Array(model.nFeatures);
  let n = 0;
  const needsData = model.stages.some((s) => s.some((t) => !hasNodeStats(t)));
  let residual: Float64Array | null = null;
  let xf: Float32Array | null = null;
  if (needsData) {
    if (!data) throw missingData();
    const k = model.nOutputs;
    residual = Float64Array.from(data.y.data);
    for (let r = 0; r < data.y.rows; r++)
      for (let j = 0; j < k; j++)
        residual[r * k + j] = (residual[r * k + j] as number) - (model.init[j] as number);
    xf = Float32Array.from(data.x.data);
  }
  for (const stage of model.stages) {
    let col = 0;
    for (const t of stage) {
      if (t.nodeCount > 1) {
        const imp =
          hasNodeStats(t) || !data || !residual
            ? treeImportances(t)
            : statsPass(t, xf as Float32Array, data.x.rows, residual, model.nOutputs, col);
        addInto(acc, imp);
        n++;
      }
      col += t.nOutputs;
    }
    if (residual && xf && data) {
      // Later stages were fit to what this stage left over.
      const pred = new Float64Array(residual.length);
      let c = 0;
      for (const t of stage) {
        t.accumulate(xf, data.x.rows, pred, model.nOutputs, c, model.learningRate);
        c += t.nOutputs;
      }
      for (let i = 0; i < residual.length; i++) residual[i] = (residual[i] as number) - (pred[i] as number);
    }
  }
  return scale(acc, n);
}

function hasNodeStats(t: TreeModel): boolean {
  return t.nodeWeight !== null && t.impurity !== null;
}

function missingData(): ValidationError {
  return new ValidationError(
    'this model does not store per-node impurities; give its training data to compute importances',
  );
}

/** One tree's impurity decrease per feature, divided by the root's weight (scikit-learn, unnormalized). */
function treeImportances(t: TreeModel, data?: TrainingData): Float64Array {
  if (hasNodeStats(t)) return fromStats(t, t.nodeWeight as Float64Array, t.impurity as Float64Array);
  if (!data) throw missingData();
  return statsPass(t, Float32Array.from(data.x.data), data.x.rows, data.y.data, data.y.cols, 0);
}

function fromStats(t: TreeModel, w: Float64Array, imp: Float64Array): Float64Array {
  const out = new Float64Array(t.nFeatures);
  for (let i = 0; i < t.nodeCount; i++) {
    const l = t.childrenLeft[i] as number;
    if (l === TREE_LEAF) continue;
    const r = t.childrenRight[i] as number;
    const f = t.feature[i] as number;
    out[f] =
      (out[f] as number) +
      (w[i] as number) * (imp[i] as number) -
      (w[l] as number) * (imp[l] as number) -
      (w[r] as number) * (imp[r] as number);
  }
  const root = w[0] as number;
  if (root > 0) for (let f = 0; f < out.length; f++) out[f] = (out[f] as number) / root;
  return out;
}

/**
 * Recomputes node counts and squared-error impurity (mean over the tree's outputs) by routing rows
 * down the tree. `y` is row-major with `yCols` columns; the tree's outputs are columns
 * `col .. col + t.nOutputs - 1`.
 */
function statsPass(
  t: TreeModel,
  xf: Float32Array,
  rows: number,
  y: Float64Array,
  yCols: number,
  col: number,
): Float64Array {
  const k = t.nOutputs;
  const n = t.nodeCount;
  const count = new Float64Array(n);
  const sum = new Float64Array(n * k);
  const sumSq = new Float64Array(n * k);
  const p = t.nFeatures;
  for (let r = 0; r < rows; r++) {
    let node = 0;
    for (;;) {
      count[node] = (count[node] as number) + 1;
      for (let j = 0; j < k; j++) {
        const v = y[r * yCols + col + j] as number;
        sum[node * k + j] = (sum[node * k + j] as number) + v;
        sumSq[node * k + j] = (sumSq[node * k + j] as number) + v * v;
      }
      const l = t.childrenLeft[node] as number;
      if (l === TREE_LEAF) break;
      node =
        (xf[r * p + (t.feature[node] as number)] as number) <= (t.threshold[node] as number)
          ? l
          : (t.childrenRight[node] as number);
    }
  }
  const imp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = count[i] as number;
    if (c === 0) continue;
    let s = 0;
    for (let j = 0; j < k; j++) {
      const m = (sum[i * k + j] as number) / c;
      s += Math.max(0, (sumSq[i * k + j] as number) / c - m * m);
    }
    imp[i] = s / k;
  }
  return fromStats(t, count, imp);
}

function columns(m: DenseMatrix, from: number, n: number): DenseMatrix {
  const out = new Float64Array(m.rows * n);
  for (let r = 0; r < m.rows; r++)
    for (let j = 0; j < n; j++) out[r * n + j] = m.data[r * m.cols + from + j] as number;
  return { rows: m.rows, cols: n, data: out };
}

function addInto(acc: Float64Array, v: Float64Array): void {
  for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + (v[i] as number);
}

function scale(acc: Float64Array, n: number): Float64Array {
  if (n > 0) for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) / n;
  return acc;
}
