/**
 * How strongly each strategy shrinks toward uniform: the weight λ of the uniform distribution in
 * p = (1 − λ)·raw + λ·uniform. Chosen by `scripts/tune-shrinkage.ts`, a walk-forward backtest over
 * the real current era (bundled history): for each strategy the λ on the grid with the highest mean
 * log-likelihood ratio against uniform. Raw beliefs lose to chance on real draws (the issue measured
 * −0.35 nats/draw for last-100 frequencies), so the chosen weights are high; re-run the script after
 * changing a raw belief.
 */
import type { StrategyName } from './strategy.js';

/** λ = 1 is left out on purpose: a strategy that is pure chance has nothing to say. */
export const SHRINKAGE_GRID = [0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99] as const;

/**
 * Measured 2026-11-26 over the 1,390 current-era draws (mean LLR vs uniform in nats/draw, 95% CI):
 * unshrunk (λ = 0) → chosen λ:
 * - frequency −0.110 [−0.137, −0.082] → λ 0.95: +0.0004 [−0.0009, +0.0016]
 * - recency   −0.617 [−0.679, −0.556] → λ 0.98: +0.0005 [−0.0008, +0.0017]
 * - trends    −0.463 [−0.518, −0.408] → λ 0.98: +0.0004 [−0.0006, +0.0014]
 * - combo     −0.509 [−0.560, −0.457] → λ 0.99: −0.0002 [−0.0007, +0.0003] (every λ < 1 loses a little)
 * - sum       +0.0000 [−0.0023, +0.0024] → λ 0.5: +0.0003 [−0.0009, +0.0014] (its marginals are nearly uniform)
 * - dow       −0.228 [−0.268, −0.188] → λ 0.95: +0.0007 [−0.0011, +0.0025]
 * - ml        out of sample only (scripts/tune-shrinkage.ts --ml-only): ridge, random forest and gradient
 *             boosting (legacy defaults) fitted on the rows before 2021, per-output MAE from 2020,
 *             scored on the 843 draws from 2021 on: −0.188 [−0.231, −0.146] → λ 0.99: −0.0000
 *             [−0.0004, +0.0003] (random forest + gradient boosting alone: −0.273 → −0.0001).
 */
export const UNIFORM_WEIGHT: Readonly<Record<StrategyName, number>> = {
  frequency: 0.95,
  recency: 0.98,
  trends: 0.98,
  combo: 0.99,
  sum: 0.5,
  dow: 0.95,
  ml: 0.99,
};

export const CHOSEN_BY = 'chosen by walk-forward backtest on the real current era';
