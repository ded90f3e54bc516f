/**
 * scikit-learn estimators (as the pickle parser's plain-data tree) → native fitted models. Only the
 * fitted attributes prediction needs are read; everything else (hyperparameters, RNG state) is
 * ignored. A converted model predicts what scikit-learn predicted (tested to 1e-9 against
 * reference predictions computed by scikit-learn itself).
 */
import { PbiError } from '../../domain/errors.js';
import {
  BoostingModel,
  ForestModel,
  LinearModel,
  MultiOutputModel,
  PipelineModel,
  StandardScaler,
  TreeModel,
} from '../../ml/models/index.js';
import type { FittedModel } from '../../ml/regressor.js';
import {
  attr,
  isNdArray,
  isObject,
  ndArrayToNumbers,
  sequenceItems,
  toNumber,
  type NdArray,
  type PickleValue,
  type PyObject,
} from '../pickle/values.js';

function modelError(message: string): PbiError {
  return new PbiError('MODEL', message);
}

function need(obj: PyObject, name: string): PickleValue {
  const v = attr(obj, name);
  if (v === undefined) throw modelError(`${obj.className} has no ${name}: not a fitted estimator`);
  return v;
}

function array(obj: PyObject, name: string): NdArray {
  const v = need(obj, name);
  if (!isNdArray(v)) throw modelError(`${obj.className}.${name} is not a numpy array`);
  return v;
}

function numbers(a: NdArray, what: string): Float64Array {
  const n = ndArrayToNumbers(a);
  if (!n) throw modelError(`${what} is not numeric`);
  return n;
}

function integer(obj: PyObject, name: string): number | undefined {
  const v = toNumber(attr(obj, name));
  return v !== undefined && Number.isInteger(v) ? v : undefined;
}

function field(nodes: NdArray, name: string): NdArray {
  const cols = nodes.data;
  const f = cols instanceof Map ? cols.get(name) : undefined;
  if (!f) throw modelError(`Tree nodes have no field ${name}`);
  return f;
}

/** `Tree` → TreeModel: REDUCE(Tree, (n_features, n_classes, n_outputs)) + BUILD {nodes, values}. */
function convertTree(tree: PickleValue, nFeaturesHint: number | undefined): TreeModel {
  if (!isObject(tree, 'sklearn.tree.Tree')) throw modelError('tree_ is not a scikit-learn Tree');
  const nFeatures = toNumber(tree.args[0]) ?? nFeaturesHint;
  const nOutputs = toNumber(tree.args[2]);
  const nodes = array(tree, 'nodes');
  const values = array(tree, 'values');
  if (nFeatures === undefined || nOutputs === undefined)
    throw modelError('Tree without n_features / n_outputs');
  const nodeCount = nodes.shape[0] ?? 0;
  // values: (node_count, n_outputs, max_n_classes); regression has max_n_classes = 1.
  const [vn, vo, vc] = values.shape;
  if (vn !== nodeCount || vo !== nOutputs || (vc ?? 1) < 1) {
    throw modelError(
      `Tree values of shape (${values.shape.join(', ')}) do not match ${nodeCount} nodes × ${nOutputs} outputs`,
    );
  }
  const all = numbers(values, 'Tree values');
  const classes = vc ?? 1;
  const value = new Float64Array(nodeCount * nOutputs);
  for (let i = 0; i < nodeCount * nOutputs; i++) value[i] = all[i * classes] as number;
  const ints = (name: string): BigInt64Array | Float64Array => {
    const d = field(nodes, name).data;
    if (d instanceof BigInt64Array) return d;
    return numbers(field(nodes, name), `Tree ${name}`);
  };
  return new TreeModel({
    nFeatures,
    nOutputs,
    childrenLeft: ints('left_child'),
    childrenRight: ints('right_child'),
    feature: ints('feature'),
    threshold: numbers(field(nodes, 'threshold'), 'Tree threshold'),
    value,
    nodeWeight: numbers(field(nodes, 'weighted_n_node_samples'), 'Tree weights'),
    impurity: numbers(field(nodes, 'impurity'), 'Tree impurity'),
  });
}

function convertDecisionTree(est: PyObject): TreeModel {
  return convertTree(need(est, 'tree_'), integer(est, 'n_features_in_') ?? integer(est, 'n_features_'));
}

function convertScaler(est: PyObject): StandardScaler {
  const mean = attr(est, 'mean_');
  const scale = attr(est, 'scale_');
  const meanArr = isNdArray(mean) ? numbers(mean, 'StandardScaler.mean_') : null;
  const scaleArr = isNdArray(scale) ? numbers(scale, 'StandardScaler.scale_') : null;
  const withMean = attr(est, 'with_mean') !== false;
  const withStd = attr(est, 'with_std') !== false;
  const nFeatures = integer(est, 'n_features_in_') ?? meanArr?.length ?? scaleArr?.length;
  if (nFeatures === undefined) throw modelError('StandardScaler without n_features_in_: not fitted');
  return new StandardScaler({
    nFeatures,
    mean: withMean ? meanArr : null,
    scale: withStd ? scaleArr : null,
  });
}

function convertRidge(est: PyObject): LinearModel {
  const coefArr = array(est, 'coef_');
  const coef = numbers(coefArr, `${est.className}.coef_`);
  const nOutputs = coefArr.shape.length === 2 ? (coefArr.shape[0] as number) : 1;
  const nFeatures = coefArr.shape.length === 2 ? (coefArr.shape[1] as number) : coef.length;
  const ic = attr(est, 'intercept_');
  const intercept = isNdArray(ic)
    ? numbers(ic, `${est.className}.intercept_`)
    : new Float64Array(nOutputs).fill(toNumber(ic) ?? 0);
  return new LinearModel({ kind: 'linear', nFeatures, nOutputs, coef, intercept });
}

function dummyConstant(est: PickleValue, nOutputs: number): Float64Array {
  if (est === 'zero') return new Float64Array(nOutputs);
  if (!isObject(est, 'sklearn.dummy.DummyRegressor')) {
    const name = isObject(est) ? est.className : String(est);
    throw modelError(
      `GradientBoostingRegressor init_ ${name} is not a constant (DummyRegressor or 'zero'): unsupported`,
    );
  }
  const c = attr(est, 'constant_');
  const values = isNdArray(c)
    ? numbers(c, 'DummyRegressor.constant_')
    : toNumber(c) !== undefined
      ? Float64Array.of(toNumber(c) as number)
      : null;
  if (!values || values.length !== nOutputs)
    throw modelError('DummyRegressor.constant_ does not match the outputs');
  return values;
}

function convertBoosting(est: PyObject): BoostingModel {
  const estimators = array(est, 'estimators_');
  const items = estimators.data;
  if (!Array.isArray(items)) throw modelError('GradientBoostingRegressor.estimators_ is not an object array');
  const perStage = estimators.shape[1] ?? 1;
  if (perStage !== 1)
    throw modelError(`GradientBoostingRegressor with ${perStage} trees per stage is not a regressor`);
  const trees = items.map((t) => {
    if (!isObject(t, 'sklearn.tree.DecisionTreeRegressor'))
      throw modelError('GradientBoostingRegressor stage is not a DecisionTreeRegressor');
    return convertDecisionTree(t);
  });
  const nFeatures = integer(est, 'n_features_in_') ?? trees[0]?.nFeatures;
  if (nFeatures === undefined) throw modelError('GradientBoostingRegressor has no stages');
  const learningRate = toNumber(need(est, 'learning_rate'));
  if (learningRate === undefined) throw modelError('GradientBoostingRegressor.learning_rate is not a number');
  return new BoostingModel({
    nFeatures,
    nOutputs: 1,
    init: dummyConstant(need(est, 'init_'), 1),
    learningRate,
    stages: trees.map((t) => [t]),
  });
}

function convertDummy(est: PyObject): LinearModel {
  const c = attr(est, 'constant_');
  const constant = isNdArray(c)
    ? numbers(c, 'DummyRegressor.constant_')
    : Float64Array.of(toNumber(c) ?? NaN);
  const nFeatures = integer(est, 'n_features_in_') ?? 0;
  return new LinearModel({
    kind: 'linear',
    nFeatures,
    nOutputs: constant.length,
    coef: new Float64Array(nFeatures * constant.length),
    intercept: constant,
  });
}

function list(est: PyObject, name: string): readonly PickleValue[] {
  const v = need(est, name);
  const items = sequenceItems(v) ?? (isNdArray(v) && Array.isArray(v.data) ? v.data : undefined);
  if (!items) throw modelError(`${est.className}.${name} is not a list`);
  return items;
}

/**
 * Converts a fitted scikit-learn estimator (Pipeline, StandardScaler, Ridge, DecisionTreeRegressor,
 * RandomForestRegressor, GradientBoostingRegressor, MultiOutputRegressor, DummyRegressor).
 * @throws PbiError (MODEL) for any other class, an unfitted estimator or inconsistent arrays.
 */
export function convertSklearn(value: PickleValue): FittedModel {
  if (!isObject(value)) throw modelError('not a scikit-learn estimator');
  switch (value.className) {
    case 'sklearn.pipeline.Pipeline': {
      const steps: FittedModel[] = [];
      for (const step of list(value, 'steps')) {
        const pair = sequenceItems(step);
        const est = pair?.[1];
        if (est === undefined) throw modelError('Pipeline step is not a (name, estimator) pair');
        if (est === null || est === 'passthrough') continue;
        steps.push(convertSklearn(est));
      }
      if (steps.length === 0) throw modelError('Pipeline has no steps');
      return steps.length === 1 ? (steps[0] as FittedModel) : new PipelineModel(steps);
    }
    case 'sklearn.preprocessing.StandardScaler':
      return convertScaler(value);
    case 'sklearn.linear_model.Ridge':
      return convertRidge(value);
    case 'sklearn.tree.DecisionTreeRegressor':
      return convertDecisionTree(value);
    case 'sklearn.ensemble.RandomForestRegressor':
      return new ForestModel(
        list(value, 'estimators_').map((t) => {
          if (!isObject(t, 'sklearn.tree.DecisionTreeRegressor'))
            throw modelError('RandomForestRegressor member is not a DecisionTreeRegressor');
          return convertDecisionTree(t);
        }),
      );
    case 'sklearn.ensemble.GradientBoostingRegressor':
      return convertBoosting(value);
    case 'sklearn.multioutput.MultiOutputRegressor':
      return new MultiOutputModel(list(value, 'estimators_').map(convertSklearn), 'multi_output');
    case 'sklearn.dummy.DummyRegressor':
      return convertDummy(value);
    default:
      throw modelError(
        `cannot convert ${value.className}: only Pipeline, StandardScaler, Ridge, trees, forests, gradient boosting and MultiOutputRegressor are supported`,
      );
  }
}
