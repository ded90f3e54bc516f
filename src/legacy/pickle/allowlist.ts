/**
 * The only globals a legacy pickle may name. Each maps to a canonical name and to how the parser
 * rebuilds it as plain data; nothing is ever imported or called. Anything else is refused with the
 * global's name (a pickle that names `os.system` is an attack, not a legacy file).
 *
 * Several module paths map to one canonical name because scikit-learn, numpy and Python 2 moved
 * their classes over the years (`sklearn.linear_model.ridge` → `sklearn.linear_model._ridge`,
 * `numpy.core` → `numpy._core`, `__builtin__` → `builtins`, `copy_reg` → `copyreg`).
 */

/**
 * - `class`: an instance becomes a `PyObject` (constructor args + BUILD state);
 * - `value`: may appear only as a value (a class passed as an argument), never be called;
 * - `builder`: a constructor or function the parser re-implements as pure data (datetime, numpy ...).
 */
export type AllowRole = 'class' | 'value' | 'builder';

export interface AllowEntry {
  readonly canonical: string;
  readonly role: AllowRole;
}

const table = new Map<string, AllowEntry>();

function allow(role: AllowRole, canonical: string, ...written: string[]): void {
  for (const w of [canonical, ...written]) table.set(w, { canonical, role });
}

// Python builtins and the standard library pieces pickles use for plain data.
allow('builder', 'builtins.set', '__builtin__.set');
allow('builder', 'builtins.frozenset', '__builtin__.frozenset');
allow('builder', 'builtins.bytearray', '__builtin__.bytearray');
allow('builder', 'builtins.bytes', '__builtin__.bytes');
allow('builder', 'builtins.list', '__builtin__.list');
allow('builder', 'builtins.dict', '__builtin__.dict');
allow('builder', 'builtins.tuple', '__builtin__.tuple');
allow('value', 'builtins.object', '__builtin__.object');
allow('builder', 'collections.OrderedDict');
allow('builder', '_codecs.encode');
allow('builder', 'copyreg._reconstructor', 'copy_reg._reconstructor');
allow('builder', 'copyreg.__newobj__', 'copy_reg.__newobj__');
allow('builder', 'datetime.datetime');
allow('builder', 'datetime.date');
allow('builder', 'datetime.timedelta');
allow('builder', 'datetime.timezone');

// numpy arrays, dtypes and scalars.
allow('builder', 'numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct');
allow('builder', 'numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar');
allow('builder', 'numpy.core.numeric._frombuffer', 'numpy._core.numeric._frombuffer');
allow('builder', 'numpy.dtype');
allow('value', 'numpy.ndarray');
// RandomState objects (GradientBoosting keeps `_rng`): data only, never re-seeded or used here.
allow('class', 'numpy.random._pickle.__randomstate_ctor', 'numpy.random.__RandomState_ctor');
allow('class', 'numpy.random._pickle.__bit_generator_ctor');
allow('value', 'numpy.random.mtrand.RandomState');
allow('value', 'numpy.random._mt19937.MT19937');

// joblib's array wrapper: its array bytes follow inline in the stream.
allow(
  'class',
  'joblib.numpy_pickle.NumpyArrayWrapper',
  'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
);

// The scikit-learn estimators we convert, and what they hold.
allow('class', 'sklearn.pipeline.Pipeline');
allow(
  'class',
  'sklearn.preprocessing.StandardScaler',
  'sklearn.preprocessing._data.StandardScaler',
  'sklearn.preprocessing.data.StandardScaler',
);
allow(
  'class',
  'sklearn.linear_model.Ridge',
  'sklearn.linear_model._ridge.Ridge',
  'sklearn.linear_model.ridge.Ridge',
);
allow(
  'class',
  'sklearn.tree.DecisionTreeRegressor',
  'sklearn.tree._classes.DecisionTreeRegressor',
  'sklearn.tree.tree.DecisionTreeRegressor',
);
allow('class', 'sklearn.tree.Tree', 'sklearn.tree._tree.Tree');
allow(
  'class',
  'sklearn.ensemble.RandomForestRegressor',
  'sklearn.ensemble._forest.RandomForestRegressor',
  'sklearn.ensemble.forest.RandomForestRegressor',
);
allow(
  'class',
  'sklearn.ensemble.GradientBoostingRegressor',
  'sklearn.ensemble._gb.GradientBoostingRegressor',
  'sklearn.ensemble.gradient_boosting.GradientBoostingRegressor',
);
allow('class', 'sklearn.multioutput.MultiOutputRegressor');
allow('class', 'sklearn.dummy.DummyRegressor');
for (const loss of ['LeastSquaresError', 'LeastAbsoluteError', 'HuberLossFunction', 'QuantileLossFunction']) {
  allow(
    'class',
    `sklearn.ensemble.${loss}`,
    `sklearn.ensemble._gb_losses.${loss}`,
    `sklearn.ensemble.gradient_boosting.${loss}`,
  );
}
// scikit-learn >= 1.3 keeps a `_loss` object from sklearn._loss instead of `loss_`.
for (const loss of ['HalfSquaredError', 'AbsoluteError', 'PinballLoss', 'HuberLoss']) {
  allow('class', `sklearn._loss.${loss}`, `sklearn._loss.loss.${loss}`);
}
allow('class', 'sklearn._loss.IdentityLink', 'sklearn._loss.link.IdentityLink');
allow('class', 'sklearn._loss.Interval', 'sklearn._loss.link.Interval');

/** The allowlist entry for `module.name`, or undefined if the global is refused. */
export function allowed(module: string, name: string): AllowEntry | undefined {
  return table.get(`${module}.${name}`);
}

/** The allowlist entry for a joined `module.name` as recorded in a `PyGlobal`. */
export function allowedWritten(written: string): AllowEntry | undefined {
  return table.get(written);
}

/** Every allowed `module.name` (for documentation and tests). */
export function allowedGlobals(): string[] {
  return [...table.keys()].sort();
}
