/**
 * Native fitted models and their artifact format.
 *
 * For the legacy converter (scikit-learn → native), call these constructors; every array may be a
 * typed array or a plain number array (integer arrays may also be BigInt64Array, as numpy intp),
 * and typed arrays of the right type are taken over without a copy:
 *
 * - `new StandardScaler({ nFeatures, mean, scale })` — `mean_` / `scale_`, or null when with_mean /
 *   with_std is False.
 * - `new LinearModel({ kind: 'linear', nFeatures, nOutputs, coef, intercept })` — Ridge/LinearRegression;
 *   `coef` row-major nOutputs × nFeatures (a 1-D `coef_` is nOutputs = 1), `intercept` one per output
 *   (a scalar `intercept_` becomes `[intercept_]`).
 * - `new TreeModel({ nFeatures, nOutputs, childrenLeft, childrenRight, feature, threshold, value,
 *   nodeWeight?, impurity? })` — from `tree_`: `children_left`, `children_right`, `feature`,
 *   `threshold`, `value[:, :, 0]` flattened row-major (nodeCount × nOutputs), optionally
 *   `weighted_n_node_samples` and `impurity`. Predicts with `Math.fround(x[f]) <= threshold`, exactly
 *   as scikit-learn (which casts X to float32).
 * - `new ForestModel(trees)` — RandomForestRegressor: `estimators_` converted with TreeModel.
 * - `new BoostingModel({ nFeatures, nOutputs, init, learningRate, stages })` — GradientBoostingRegressor:
 *   `init` = the init estimator's constant prediction per output (DummyRegressor mean; zeros for
 *   init='zero'), `stages[s] = [tree of estimators_[s][0]]`.
 * - `new MultiOutputModel(models, 'multi_output')` — MultiOutputRegressor: one single-output model per
 *   output, in `estimators_` order. `new MultiOutputModel(models, 'stacked_outputs')` joins models
 *   with several outputs each (e.g. the legacy white-ball pipeline and the Powerball pipeline).
 * - `new PipelineModel(steps)` — Pipeline: transformers first, then the final model; each step's
 *   outputs feed the next.
 *
 * Each constructor checks shapes and throws PbiError('MODEL') on inconsistent input. Any of them
 * round-trips through `serializeModel` / `deserializeModel` with bit-identical predictions.
 */
export { BoostingModel, type BoostingModelInit } from './boosting-model.js';
export { ForestModel } from './forest-model.js';
export { LinearModel, type LinearModelInit } from './linear-model.js';
export { MultiOutputModel } from './multi-output-model.js';
export { PipelineModel } from './pipeline-model.js';
export { StandardScaler, type StandardScalerInit } from './standard-scaler.js';
export { TREE_LEAF, TreeModel, type TreeModelInit } from './tree-model.js';
export { MODEL_FORMAT_VERSION, crc32, deserializeModel, peekModelKind, serializeModel } from './artifact.js';
