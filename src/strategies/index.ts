/**
 * The strategies (DESIGN §3), built by name.
 */
import { createComboStrategy } from './combo.js';
import { createDowStrategy } from './dow.js';
import { createFrequencyStrategy } from './frequency.js';
import { createMlStrategy, type MlPredictor } from './ml.js';
import type { MixtureStrategyOptions } from './mixture-strategy.js';
import { createRecencyStrategy } from './recency.js';
import type { StrategyName } from '../domain/strategy-names.js';
import type { Strategy } from './strategy.js';
import { createSumStrategy } from './sum.js';
import { createTrendsStrategy } from './trends.js';

export * from './strategy.js';
export { DEFAULT_WEIGHTS, createWeightedStrategy, contributions, type WeightedStrategy } from './weighted.js';
export { sampleTickets, type SampledTicket } from './sampling.js';
export { logLikelihoodRatio, ticketProbability, whiteSetProbability, uniform } from './probability.js';
export type { MlPredictor, MlModelOutput } from './ml.js';

/** Builds one of the six history-only strategies, or ml over `mlPredictor`. */
export function createStrategy(
  name: StrategyName,
  deps: { readonly mlPredictor?: MlPredictor } = {},
  options: MixtureStrategyOptions = {},
): Strategy {
  switch (name) {
    case 'frequency':
      return createFrequencyStrategy(options);
    case 'recency':
      return createRecencyStrategy(options);
    case 'trends':
      return createTrendsStrategy(options);
    case 'combo':
      return createComboStrategy(options);
    case 'sum':
      return createSumStrategy(options);
    case 'dow':
      return createDowStrategy(options);
    case 'ml':
      if (!deps.mlPredictor) throw new Error('the ml strategy needs a model predictor');
      return createMlStrategy(deps.mlPredictor, options);
  }
}
