/**
 * The weighted ensemble (STYLE §2): itself a Strategy, holding strategies and mixing their
 * distributions with weights that `pbi evaluate` learns.
 */
import type { Draw } from '../domain/draw.js';
import { ValidationError } from '../domain/errors.js';
import { HistoryCache } from './history.js';
import type { CompositeDistribution, Distribution, Strategy, SumConstraint, Target } from './strategy.js';
import type { StrategyName } from '../domain/strategy-names.js';

/** The legacy app's starting weights (DESIGN §3). */
export const DEFAULT_WEIGHTS: Readonly<Record<StrategyName, number>> = {
  frequency: 0.2,
  recency: 0.15,
  trends: 0.15,
  combo: 0.15,
  sum: 0.15,
  dow: 0.1,
  ml: 0.1,
};

export interface WeightedComponent {
  readonly strategy: Strategy;
  readonly weight: number;
}

/** A Strategy whose distribution carries its components. */
export interface WeightedStrategy extends Strategy {
  readonly components: readonly WeightedComponent[];
  distribution(history: readonly Draw[], target: Target): CompositeDistribution;
}

/**
 * Mixes the components' distributions: p(n) = Σ w_k p_k(n) with weights renormalized to sum to 1.
 * The ticket constraint is that of the heaviest component that has one.
 * @throws ValidationError when there are no components or the weights are not positive.
 */
export function createWeightedStrategy(components: readonly WeightedComponent[]): WeightedStrategy {
  const total = components.reduce((a, c) => a + c.weight, 0);
  if (components.length === 0 || !(total > 0) || components.some((c) => !(c.weight >= 0))) {
    throw new ValidationError(
      'the weighted strategy needs at least one component and non-negative weights summing above 0',
    );
  }
  const normalized = components.map((c) => ({ strategy: c.strategy, weight: c.weight / total }));
  const cache = new HistoryCache<CompositeDistribution>();
  return {
    name: 'weighted',
    belief: 'a mixture of the strategies, each weighted by how well it has predicted recent draws',
    components: normalized,
    distribution(history, target) {
      return cache.get(history, `${target.date}|${target.era.id}`, () => mix(normalized, history, target));
    },
  };
}

function mix(
  components: readonly WeightedComponent[],
  history: readonly Draw[],
  target: Target,
): CompositeDistribution {
  const { whiteMax, powerballMax } = target.era;
  const whites = new Float64Array(whiteMax + 1);
  const powerball = new Float64Array(powerballMax + 1);
  const parts: { name: string; weight: number; distribution: Distribution }[] = [];
  let uniformShare = 0;
  let constraint: SumConstraint | undefined;
  let constraintWeight = -1;
  for (const { strategy, weight } of components) {
    const d = strategy.distribution(history, target);
    parts.push({ name: strategy.name, weight, distribution: d });
    for (let n = 1; n <= whiteMax; n++) whites[n] = (whites[n] as number) + weight * (d.whites[n] as number);
    for (let n = 1; n <= powerballMax; n++)
      powerball[n] = (powerball[n] as number) + weight * (d.powerball[n] as number);
    uniformShare += weight * d.shrinkage.uniformWeight;
    if (d.constraint && weight > constraintWeight) {
      constraint = d.constraint;
      constraintWeight = weight;
    }
  }
  return Object.freeze({
    whites,
    powerball,
    shrinkage: {
      kind: 'mixture' as const,
      uniformWeight: uniformShare,
      description: `weighted mixture of ${parts.length} strategies; in effect ${(uniformShare * 100).toFixed(1)}% uniform`,
    },
    ...(constraint ? { constraint } : {}),
    components: parts,
  });
}

/**
 * Each component's share of a ticket: for each of its six numbers, the component's weighted
 * probability of that number over the mixture's, averaged over the six. Shares sum to 1.
 */
export function contributions(
  d: CompositeDistribution,
  whites: readonly number[],
  powerball: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of d.components) out[c.name] = 0;
  const add = (pick: (x: Distribution) => Float64Array, n: number) => {
    const total = pick(d)[n] as number;
    for (const c of d.components) {
      out[c.name] = (out[c.name] as number) + (c.weight * (pick(c.distribution)[n] as number)) / total / 6;
    }
  };
  for (const w of whites) add((x) => x.whites, w);
  add((x) => x.powerball, powerball);
  return out;
}
