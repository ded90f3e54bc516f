/**
 * How strongly each strategy shrinks toward uniform: the weight λ of the uniform distribution in
 * p = (1 − λ)·raw + λ·uniform. Chosen by `scripts/tune-shrinkage.ts`, a walk-forward backtest over
 * the real current era (bundled history): for each strategy the λ on the grid with the highest mean
 * log-likelihood ratio against uniform. Raw beliefs lose to chance on real draws (the issue measured
 * −0.35 nats/draw for last-100 frequencies), so the chosen weights are high; re-run the script after
 * changing a raw belief.
 */
import type { StrategyName } from '../domain/strategy-names.js';

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

/** One measured point of a strategy's mean log-likelihood ratio against uniform at a shrinkage. */
export interface MeasuredPoint {
  readonly uniformWeight: number;
  readonly llr: number;
  readonly ci95: readonly [number, number];
  readonly draws: number;
  /** What the draws were, for display. */
  readonly scope: string;
}

const era = (uniformWeight: number, llr: number, lo: number, hi: number): MeasuredPoint => ({
  uniformWeight,
  llr,
  ci95: [lo, hi],
  draws: 1390,
  scope: 'current-era draws',
});
const mlOutOfSample = (uniformWeight: number, llr: number, lo: number, hi: number): MeasuredPoint => ({
  uniformWeight,
  llr,
  ci95: [lo, hi],
  draws: 843,
  scope: 'draws from 2021 on, out of sample (models fitted before 2021)',
});

/**
 * The stored backtest behind the calibrated weights: `scripts/tune-shrinkage.ts` re-run 2026-12-02
 * over the bundled history (mean LLR in nats/draw with its 95% Student t interval), λ = 0 being the
 * raw belief. What a chosen strength costs is read from here.
 */
export const MEASURED_LLR: Readonly<Record<StrategyName, readonly MeasuredPoint[]>> = {
  frequency: [
    era(0, -0.1097, -0.1374, -0.0821),
    era(0.5, -0.0226, -0.0355, -0.0097),
    era(0.7, -0.0066, -0.0143, 0.0011),
    era(0.8, -0.0021, -0.0072, 0.0031),
    era(0.9, 0.0001, -0.0024, 0.0027),
    era(0.95, 0.0004, -0.0009, 0.0016),
    era(0.98, 0.0002, -0.0003, 0.0007),
    era(0.99, 0.0001, -0.0001, 0.0004),
  ],
  recency: [
    era(0, -0.6171, -0.6787, -0.5556),
    era(0.5, -0.1367, -0.1659, -0.1074),
    era(0.7, -0.0456, -0.0632, -0.0279),
    era(0.8, -0.0182, -0.0301, -0.0063),
    era(0.9, -0.0028, -0.0089, 0.0032),
    era(0.95, 0.0002, -0.0029, 0.0032),
    era(0.98, 0.0005, -0.0008, 0.0017),
    era(0.99, 0.0003, -0.0003, 0.0009),
  ],
  trends: [
    era(0, -0.4629, -0.5181, -0.4076),
    era(0.5, -0.0955, -0.1203, -0.0706),
    era(0.7, -0.0307, -0.0455, -0.0159),
    era(0.8, -0.0118, -0.0217, -0.002),
    era(0.9, -0.0016, -0.0065, 0.0034),
    era(0.95, 0.0003, -0.0022, 0.0028),
    era(0.98, 0.0004, -0.0006, 0.0014),
    era(0.99, 0.0002, -0.0003, 0.0007),
  ],
  combo: [
    era(0, -0.5086, -0.5599, -0.4574),
    era(0.5, -0.1278, -0.1527, -0.1029),
    era(0.7, -0.0486, -0.0637, -0.0335),
    era(0.8, -0.0229, -0.0331, -0.0127),
    era(0.9, -0.0066, -0.0117, -0.0014),
    era(0.95, -0.002, -0.0046, 0.0006),
    era(0.98, -0.0005, -0.0016, 0.0006),
    era(0.99, -0.0002, -0.0007, 0.0003),
  ],
  sum: [
    era(0, 0, -0.0023, 0.0024),
    era(0.5, 0.0003, -0.0009, 0.0014),
    era(0.7, 0.0002, -0.0005, 0.0009),
    era(0.8, 0.0002, -0.0003, 0.0006),
    era(0.9, 0.0001, -0.0001, 0.0003),
    era(0.95, 0, -0.0001, 0.0002),
    era(0.98, 0, 0, 0.0001),
    era(0.99, 0, 0, 0),
  ],
  dow: [
    era(0, -0.228, -0.2681, -0.1878),
    era(0.5, -0.0458, -0.0639, -0.0276),
    era(0.7, -0.0133, -0.0241, -0.0026),
    era(0.8, -0.0042, -0.0114, 0.0029),
    era(0.9, 0.0002, -0.0034, 0.0038),
    era(0.95, 0.0007, -0.0011, 0.0025),
    era(0.98, 0.0004, -0.0003, 0.0011),
    era(0.99, 0.0002, -0.0001, 0.0006),
  ],
  ml: [
    mlOutOfSample(0, -0.1873, -0.2297, -0.1449),
    mlOutOfSample(0.5, -0.0412, -0.06, -0.0224),
    mlOutOfSample(0.7, -0.0145, -0.0255, -0.0035),
    mlOutOfSample(0.8, -0.0064, -0.0136, 0.0009),
    mlOutOfSample(0.9, -0.0016, -0.0052, 0.002),
    mlOutOfSample(0.95, -0.0004, -0.0022, 0.0014),
    mlOutOfSample(0.98, -0.0001, -0.0008, 0.0006),
    mlOutOfSample(0.99, 0, -0.0004, 0.0003),
  ],
};
