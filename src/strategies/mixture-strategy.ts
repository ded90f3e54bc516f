/**
 * The shape every one of the seven strategies shares: a raw belief computed from the history of the
 * target's era, mixed with the uniform distribution (shrinkage), cached per history array.
 */
import type { Draw } from '../domain/draw.js';
import { HistoryCache, sameRangeSuffix } from './history.js';
import { mixtureShrinkage, mixWithUniform } from './probability.js';
import type { Distribution, Strategy, SumConstraint, Target } from './strategy.js';

/** A strategy's raw belief before shrinkage: each array sums to 1 over 1..max. */
export interface RawBelief {
  readonly whites: Float64Array;
  readonly powerball: Float64Array;
  readonly constraint?: SumConstraint;
}

export interface MixtureStrategyOptions {
  /** Weight of the uniform distribution, 0..1 (1 = pure chance). */
  readonly uniformWeight?: number;
}

export interface MixtureStrategySpec {
  readonly name: string;
  readonly belief: string;
  readonly uniformWeight: number;
  /** How `uniformWeight` was chosen (shown to users). */
  readonly chosenBy: string;
  /**
   * The raw belief. `eraHistory` holds only draws under the target era's number ranges; `history`
   * is everything before the target (for strategies that look at dates).
   */
  raw(eraHistory: readonly Draw[], target: Target, history: readonly Draw[]): RawBelief;
}

/** Builds a cached, shrunk strategy from its raw belief. */
export function mixtureStrategy(spec: MixtureStrategySpec, options: MixtureStrategyOptions = {}): Strategy {
  const lambda = options.uniformWeight ?? spec.uniformWeight;
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`uniformWeight must be in [0, 1], got ${lambda}`);
  const chosenBy = options.uniformWeight === undefined ? spec.chosenBy : 'set by the caller';
  const shrinkage = mixtureShrinkage(lambda, chosenBy);
  const cache = new HistoryCache<Distribution>();
  return {
    name: spec.name,
    belief: spec.belief,
    distribution(history: readonly Draw[], target: Target): Distribution {
      return cache.get(history, `${target.date}|${target.era.id}`, () => {
        const raw = spec.raw(sameRangeSuffix(history, target.era), target, history);
        const d: Distribution = {
          whites: mixWithUniform(raw.whites, lambda),
          powerball: mixWithUniform(raw.powerball, lambda),
          shrinkage,
          ...(raw.constraint ? { constraint: raw.constraint } : {}),
        };
        return Object.freeze(d);
      });
    },
  };
}
