/**
 * The one question every strategy answers (DESIGN §3): given the draws before a target draw, how
 * likely is each white number and each Powerball number of the target's era? Strategies return
 * distributions, never tickets, so every one of them is scored the same way: the log-likelihood of
 * what was actually drawn against the uniform baseline.
 */
import type { IsoDate } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import type { RuleEra } from '../domain/eras.js';

/** The draw a distribution is for. */
export interface Target {
  readonly date: IsoDate;
  readonly era: RuleEra;
}

/** How a strategy pulls its raw belief toward the uniform distribution. */
export interface Shrinkage {
  /** `mixture`: p = (1 − λ)·raw + λ·uniform. */
  readonly kind: 'mixture' | 'none';
  /** λ, the weight of the uniform distribution in the mixture (1 = pure chance). */
  readonly uniformWeight: number;
  /** One sentence: how strongly and how λ was chosen. */
  readonly description: string;
}

export interface SumConstraint {
  /** Inclusive range of the sum of the five whites that sampled tickets must fall in. */
  readonly sumRange: readonly [number, number];
}

/**
 * Probabilities for one target draw. Index 0 is unused so that `whites[n]` is the probability of
 * number n; `whites` sums to 1 over 1..whiteMax and `powerball` over 1..powerballMax.
 */
export interface Distribution {
  readonly whites: Float64Array;
  readonly powerball: Float64Array;
  readonly shrinkage: Shrinkage;
  /** A constraint on whole tickets, honoured when sampling (not part of the per-number scores). */
  readonly constraint?: SumConstraint;
}

/** A source of distributions. Implementations must use only `history`, never the target's result. */
export interface Strategy {
  readonly name: string;
  /** One line: what this strategy believes about the next draw. */
  readonly belief: string;
  /**
   * @param history every known draw strictly before `target.date`, oldest first.
   * @throws PbiError when the strategy cannot answer (for example ml without a trained model).
   */
  distribution(history: readonly Draw[], target: Target): Distribution;
}

/** A strategy whose answer is a mixture of other strategies (the weighted ensemble). */
export interface CompositeDistribution extends Distribution {
  /** The components' distributions and the normalized weights used, in the same order. */
  readonly components: readonly {
    readonly name: string;
    readonly weight: number;
    readonly distribution: Distribution;
  }[];
}
