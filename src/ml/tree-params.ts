/** Hyperparameter parsing shared by the tree ensembles. */
import { ValidationError } from '../domain/errors.js';
import { numberParam } from './fit-input.js';

/**
 * Upper bounds of every tree hyperparameter: far above anything useful on a few thousand draws, low
 * enough that one request cannot ask for more trees than the heap holds.
 */
export const MAX_TREES = 2000;
export const MAX_DEPTH = 64;
export const MAX_SAMPLES = 1_000_000;

/** scikit-learn's max_features: a fraction in (0, 1], a count > 1, 'sqrt' or 'log2'. */
export type MaxFeatures = number | 'sqrt' | 'log2';

/**
 * Number of features examined per node, as scikit-learn computes it.
 * @throws ValidationError for anything else.
 */
export function resolveMaxFeatures(value: MaxFeatures, nFeatures: number): number {
  if (value === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(nFeatures)));
  if (value === 'log2') return Math.max(1, Math.floor(Math.log2(nFeatures)));
  const v = numberParam('maxFeatures', value, { min: 0, exclusiveMin: true });
  if (v <= 1) return Math.max(1, Math.floor(v * nFeatures));
  if (!Number.isInteger(v)) throw new ValidationError(`maxFeatures > 1 must be an integer count, got ${v}`);
  return Math.min(v, nFeatures);
}

/** Checks the tree-shape hyperparameters common to both ensembles. */
export function checkTreeParams(p: {
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxFeatures: MaxFeatures;
  maxBins: number;
}): void {
  if (p.maxDepth !== null) numberParam('maxDepth', p.maxDepth, { min: 1, max: MAX_DEPTH, integer: true });
  numberParam('minSamplesSplit', p.minSamplesSplit, { min: 2, max: MAX_SAMPLES, integer: true });
  numberParam('minSamplesLeaf', p.minSamplesLeaf, { min: 1, max: MAX_SAMPLES, integer: true });
  numberParam('maxBins', p.maxBins, { min: 2, max: 255, integer: true });
  if (p.maxFeatures !== 'sqrt' && p.maxFeatures !== 'log2') {
    numberParam('maxFeatures', p.maxFeatures, { min: 0, max: MAX_SAMPLES, exclusiveMin: true });
  }
}
