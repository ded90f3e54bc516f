/**
 * The one table of globals a legacy pickle may name, and how each is rebuilt as plain data; the
 * allowlist (allowlist.ts) is read from it, so a global is allowed exactly when it has a
 * reconstructor. Nothing is ever imported or called: a reconstructor re-implements the little a
 * data file needs (a set from a list, a datetime from its packed bytes, a numpy array from its
 * buffer). A pickle that names anything else (`os.system`) is an attack, not a legacy file.
 *
 * Several module paths map to one canonical name because scikit-learn, numpy and Python 2 moved
 * their classes over the years (`sklearn.linear_model.ridge` → `sklearn.linear_model._ridge`,
 * `numpy.core` → `numpy._core`, `__builtin__` → `builtins`, `copy_reg` → `copyreg`).
 */
import { buildDate, buildDateTime, buildTimedelta, buildTimezone } from './datetime.js';
import { MAP_ENTRY, OBJECT_COST, SLOT } from './limits.js';
import { arrayFromBytes, dtypeFromTypestr, isDType, scalarFromBytes, shapeOf } from './numpy.js';
import { copyItems, encode, iterable, type Build, type ReconstructContext } from './reconstruct-context.js';
import { isRecord, sequenceItems, type NdArray, type PickleValue, type PySet } from './values.js';

/**
 * - `class`: an instance becomes a `PyObject` (constructor args + BUILD state);
 * - `value`: may appear only as a value (a class passed as an argument), never be called;
 * - `builder`: a constructor or function rebuilt as pure data by `build`.
 */
export type Reconstructor =
  | { readonly role: 'class' }
  | { readonly role: 'value' }
  | { readonly role: 'builder'; readonly build: Build };

export interface ReconstructorRow {
  readonly reconstructor: Reconstructor;
  /** The name the tree records (`PyGlobal.name`, `PyObject.className`). */
  readonly canonical: string;
  /** Older or private module paths of the same global. */
  readonly aliases: readonly string[];
}

const CLASS: Reconstructor = { role: 'class' };
const VALUE: Reconstructor = { role: 'value' };
const builder = (build: Build): Reconstructor => ({ role: 'builder', build });
const row = (reconstructor: Reconstructor, canonical: string, ...aliases: string[]): ReconstructorRow => ({
  reconstructor,
  canonical,
  aliases,
});

const buildSet: Build = (c: ReconstructContext, [a0], name): PySet => ({
  kind: 'set',
  frozen: name === 'builtins.frozenset',
  items: a0 === undefined ? [] : copyItems(c, a0),
});

const buildList: Build = (c: ReconstructContext, [a0]) => (a0 === undefined ? [] : copyItems(c, a0));

// c.tuple charges the copy.
const buildTuple: Build = (c: ReconstructContext, [a0]) =>
  c.tuple(a0 === undefined ? [] : iterable(c, a0).slice());

/** dict(mapping) or dict(pairs), and OrderedDict the same (a Map keeps insertion order). */
const buildDict: Build = (c: ReconstructContext, [a0], name) => {
  const m = new Map<PickleValue, PickleValue>();
  if (a0 instanceof Map) {
    c.charge(a0.size * MAP_ENTRY);
    for (const [k, v] of a0) m.set(k, v);
  } else if (a0 !== undefined) {
    const pairs = iterable(c, a0);
    c.charge(pairs.length * MAP_ENTRY);
    for (const pair of pairs) {
      const kv = sequenceItems(pair);
      if (!kv || kv.length !== 2) c.fail('malformed', `${name} items are not pairs`);
      m.set(kv[0] as PickleValue, kv[1] as PickleValue);
    }
  }
  return m;
};

/** bytes() and bytearray() of bytes, of text and an encoding, or of a list of ints. */
const buildBytes: Build = (c: ReconstructContext, [a0, a1]) => {
  if (a0 === undefined) return new Uint8Array(0);
  if (a0 instanceof Uint8Array) {
    c.charge(a0.length + OBJECT_COST);
    return a0.slice();
  }
  if (typeof a0 === 'string') return encode(c, a0, typeof a1 === 'string' ? a1 : 'latin-1');
  // Charged like a copy of the list it walks: its cost is in time as much as in bytes.
  const items = iterable(c, a0);
  c.charge(items.length * SLOT + OBJECT_COST);
  const out = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const x = items[i];
    out[i] = typeof x === 'number' ? x & 0xff : 0;
  }
  return out;
};

const buildCodecsEncode: Build = (c: ReconstructContext, [a0, a1]) => {
  if (typeof a0 !== 'string') c.fail('malformed', '_codecs.encode of a non-string');
  return encode(c, a0, typeof a1 === 'string' ? a1 : 'utf-8');
};

/** copyreg._reconstructor(cls, object, None): protocols 0/1 spelling of "new instance of cls". */
const buildCopyregReconstructor: Build = (c: ReconstructContext, [a0, a1]) => {
  if (
    !isRecord(a0) ||
    a0.kind !== 'global' ||
    !isRecord(a1) ||
    a1.kind !== 'global' ||
    a1.name !== 'builtins.object'
  ) {
    c.fail('malformed', 'copyreg._reconstructor needs an allowlisted class and object');
  }
  return c.call(a0, [], null, 'new');
};

const buildCopyregNewobj: Build = (c: ReconstructContext, args) => {
  const cls = args[0];
  if (cls === undefined) c.fail('malformed', 'copyreg.__newobj__ without a class');
  return c.call(cls, args.slice(1), null, 'new');
};

/** _reconstruct(ndarray, (0,), b'b'): an empty array its BUILD fills in. */
const buildNdarrayPlaceholder: Build = (c: ReconstructContext, [a0]): NdArray => {
  if (!isRecord(a0) || a0.kind !== 'global' || a0.name !== 'numpy.ndarray')
    c.fail('malformed', '_reconstruct of something other than numpy.ndarray');
  return { kind: 'ndarray', dtype: dtypeFromTypestr('u1', c.at), shape: [0], data: new Uint8Array(0) };
};

const buildNumpyScalar: Build = (c: ReconstructContext, [a0, a1]) => {
  if (!isDType(a0)) c.fail('malformed', 'numpy scalar without a dtype');
  return scalarFromBytes(a0, typeof a1 === 'string' ? encode(c, a1, 'latin-1') : a1, c.at);
};

/** _frombuffer(buffer, dtype, shape, order): protocol 5 spelling of an array. */
const buildFromBuffer: Build = (c: ReconstructContext, [a0, a1, a2, a3]) => {
  if (!(a0 instanceof Uint8Array) || !isDType(a1) || a2 === undefined)
    c.fail('malformed', 'bad numpy _frombuffer arguments');
  return arrayFromBytes(a1, shapeOf(a2, c.at), a3 === 'F', a0, c.at);
};

export const RECONSTRUCTORS: readonly ReconstructorRow[] = [
  // Python builtins and the standard library pieces pickles use for plain data.
  row(builder(buildSet), 'builtins.set', '__builtin__.set'),
  row(builder(buildSet), 'builtins.frozenset', '__builtin__.frozenset'),
  row(builder(buildBytes), 'builtins.bytearray', '__builtin__.bytearray'),
  row(builder(buildBytes), 'builtins.bytes', '__builtin__.bytes'),
  row(builder(buildList), 'builtins.list', '__builtin__.list'),
  row(builder(buildDict), 'builtins.dict', '__builtin__.dict'),
  row(builder(buildTuple), 'builtins.tuple', '__builtin__.tuple'),
  row(VALUE, 'builtins.object', '__builtin__.object'),
  row(builder(buildDict), 'collections.OrderedDict'),
  row(builder(buildCodecsEncode), '_codecs.encode'),
  row(builder(buildCopyregReconstructor), 'copyreg._reconstructor', 'copy_reg._reconstructor'),
  row(builder(buildCopyregNewobj), 'copyreg.__newobj__', 'copy_reg.__newobj__'),
  row(builder(buildDateTime), 'datetime.datetime'),
  row(builder(buildDate), 'datetime.date'),
  row(builder(buildTimedelta), 'datetime.timedelta'),
  row(builder(buildTimezone), 'datetime.timezone'),

  // numpy arrays, dtypes and scalars.
  row(
    builder(buildNdarrayPlaceholder),
    'numpy.core.multiarray._reconstruct',
    'numpy._core.multiarray._reconstruct',
  ),
  row(builder(buildNumpyScalar), 'numpy.core.multiarray.scalar', 'numpy._core.multiarray.scalar'),
  row(builder(buildFromBuffer), 'numpy.core.numeric._frombuffer', 'numpy._core.numeric._frombuffer'),
  row(
    builder((c, [a0]) => dtypeFromTypestr(a0, c.at)),
    'numpy.dtype',
  ),
  row(VALUE, 'numpy.ndarray'),
  // RandomState objects (GradientBoosting keeps `_rng`): data only, never re-seeded or used here.
  row(CLASS, 'numpy.random._pickle.__randomstate_ctor', 'numpy.random.__RandomState_ctor'),
  row(CLASS, 'numpy.random._pickle.__bit_generator_ctor'),
  row(VALUE, 'numpy.random.mtrand.RandomState'),
  row(VALUE, 'numpy.random._mt19937.MT19937'),

  // joblib's array wrapper: its array bytes follow inline in the stream.
  row(
    CLASS,
    'joblib.numpy_pickle.NumpyArrayWrapper',
    'sklearn.externals.joblib.numpy_pickle.NumpyArrayWrapper',
  ),

  // The scikit-learn estimators we convert, and what they hold.
  row(CLASS, 'sklearn.pipeline.Pipeline'),
  row(
    CLASS,
    'sklearn.preprocessing.StandardScaler',
    'sklearn.preprocessing._data.StandardScaler',
    'sklearn.preprocessing.data.StandardScaler',
  ),
  row(
    CLASS,
    'sklearn.linear_model.Ridge',
    'sklearn.linear_model._ridge.Ridge',
    'sklearn.linear_model.ridge.Ridge',
  ),
  row(
    CLASS,
    'sklearn.tree.DecisionTreeRegressor',
    'sklearn.tree._classes.DecisionTreeRegressor',
    'sklearn.tree.tree.DecisionTreeRegressor',
  ),
  row(CLASS, 'sklearn.tree.Tree', 'sklearn.tree._tree.Tree'),
  row(
    CLASS,
    'sklearn.ensemble.RandomForestRegressor',
    'sklearn.ensemble._forest.RandomForestRegressor',
    'sklearn.ensemble.forest.RandomForestRegressor',
  ),
  row(
    CLASS,
    'sklearn.ensemble.GradientBoostingRegressor',
    'sklearn.ensemble._gb.GradientBoostingRegressor',
    'sklearn.ensemble.gradient_boosting.GradientBoostingRegressor',
  ),
  row(CLASS, 'sklearn.multioutput.MultiOutputRegressor'),
  row(CLASS, 'sklearn.dummy.DummyRegressor'),
  ...['LeastSquaresError', 'LeastAbsoluteError', 'HuberLossFunction', 'QuantileLossFunction'].map((loss) =>
    row(
      CLASS,
      `sklearn.ensemble.${loss}`,
      `sklearn.ensemble._gb_losses.${loss}`,
      `sklearn.ensemble.gradient_boosting.${loss}`,
    ),
  ),
  // scikit-learn >= 1.3 keeps a `_loss` object from sklearn._loss instead of `loss_`.
  ...['HalfSquaredError', 'AbsoluteError', 'PinballLoss', 'HuberLoss'].map((loss) =>
    row(CLASS, `sklearn._loss.${loss}`, `sklearn._loss.loss.${loss}`),
  ),
  row(CLASS, 'sklearn._loss.IdentityLink', 'sklearn._loss.link.IdentityLink'),
  row(CLASS, 'sklearn._loss.Interval', 'sklearn._loss.link.Interval'),
];
