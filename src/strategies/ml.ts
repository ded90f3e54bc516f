/**
 * ml: the active trained regressors know where each sorted white ball and the Powerball will fall,
 * to within their cross-validated error.
 */
import type { Draw } from '../domain/draw.js';
import { UNIFORM_WEIGHT, CHOSEN_BY } from './calibration.js';
import { type MixtureStrategyOptions, mixtureStrategy } from './mixture-strategy.js';
import { normalizeInPlace } from './probability.js';
import type { Strategy, Target } from './strategy.js';

/** One active model's prediction for the target draw. */
export interface MlModelOutput {
  readonly name: string;
  readonly version: number;
  /** Six outputs: the five whites in ascending order, then the Powerball. */
  readonly outputs: readonly number[];
  /** Cross-validated mean absolute error of each output (same order). */
  readonly cvMae: readonly number[];
}

/**
 * Runs the active models on the features of the target draw (built from `history` only).
 * @throws PbiError (NOT_FOUND) when no model is trained, telling the user to run `pbi train`.
 */
export interface MlPredictor {
  predict(history: readonly Draw[], target: Target): readonly MlModelOutput[];
}

/** For a normal error, MAE = σ·√(2/π); so σ = MAE·√(π/2). */
const MAE_TO_SD = Math.sqrt(Math.PI / 2);

/** A discretized Gaussian over 1..max, normalized. */
export function gaussianKernel(mean: number, sd: number, max: number): Float64Array {
  const out = new Float64Array(max + 1);
  const s = Math.max(sd, 0.5);
  for (let n = 1; n <= max; n++) out[n] = Math.exp(-((n - mean) ** 2) / (2 * s * s));
  return normalizeInPlace(out);
}

/**
 * Each model's five white outputs become five Gaussian kernels (sd from that output's CV MAE),
 * averaged; its Powerball output one kernel. Models are averaged with equal weight.
 */
export function modelOutputsToBelief(
  models: readonly MlModelOutput[],
  target: Target,
): { whites: Float64Array; powerball: Float64Array } {
  const { whiteMax, powerballMax } = target.era;
  const whites = new Float64Array(whiteMax + 1);
  const powerball = new Float64Array(powerballMax + 1);
  for (const m of models) {
    for (let i = 0; i < 5; i++) {
      const k = gaussianKernel(m.outputs[i] ?? 0, (m.cvMae[i] ?? whiteMax / 4) * MAE_TO_SD, whiteMax);
      for (let n = 1; n <= whiteMax; n++) whites[n] = (whites[n] as number) + (k[n] as number);
    }
    const k = gaussianKernel(m.outputs[5] ?? 0, (m.cvMae[5] ?? powerballMax / 4) * MAE_TO_SD, powerballMax);
    for (let n = 1; n <= powerballMax; n++) powerball[n] = (powerball[n] as number) + (k[n] as number);
  }
  return { whites: normalizeInPlace(whites), powerball: normalizeInPlace(powerball) };
}

/** The ml strategy over a predictor (the service supplies one backed by the model registry). */
export function createMlStrategy(predictor: MlPredictor, options: MixtureStrategyOptions = {}): Strategy {
  return mixtureStrategy(
    {
      name: 'ml',
      belief:
        'the active trained regressors know where each sorted white ball and the Powerball will fall, to within their cross-validated error',
      uniformWeight: UNIFORM_WEIGHT.ml,
      chosenBy: CHOSEN_BY,
      raw(_eraHistory, target, history) {
        return modelOutputsToBelief(predictor.predict(history, target), target);
      },
    },
    options,
  );
}
