/**
 * Belief strength: how much of a strategy's raw belief goes into its distribution, the rest being
 * uniform: p = s·raw + (1 − s)·uniform. `calibrated` (the default) is each strategy's backtest-chosen
 * s (calibration.ts), `raw` is s = 1, and any number in [0, 1] is taken as s itself.
 */
import { FieldError } from '../domain/errors.js';
import { MEASURED_LLR, type MeasuredPoint, UNIFORM_WEIGHT } from './calibration.js';
import type { StrategyName } from '../domain/strategy-names.js';

export type Strength =
  | { readonly kind: 'calibrated' }
  | { readonly kind: 'raw' }
  | { readonly kind: 'weight'; readonly value: number };

export const CALIBRATED: Strength = Object.freeze({ kind: 'calibrated' });

/**
 * Parses `calibrated`, `raw` or a number in [0, 1].
 * @throws FieldError naming request field `field` for anything else.
 */
export function parseStrength(value: string | number | undefined, field = 'strength'): Strength {
  if (value === undefined || value === 'calibrated') return CALIBRATED;
  if (value === 'raw') return { kind: 'raw' };
  const text = String(value).trim();
  const n = typeof value === 'number' ? value : /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw new FieldError(
      (name) =>
        `${name(field)} must be calibrated, raw, or a number from 0 to 1 (the weight of the raw belief against uniform), got "${String(value)}"`,
      [
        {
          where: field,
          reason: Number.isFinite(n) ? 'outside [0, 1]' : 'expected calibrated, raw or a number',
        },
      ],
    );
  }
  return { kind: 'weight', value: n };
}

/** How a strength is shown and stored: `calibrated`, `raw` or the number. */
export function strengthLabel(s: Strength): string {
  return s.kind === 'weight' ? String(s.value) : s.kind;
}

/** λ, the weight of uniform, for one strategy at a strength. */
export function uniformWeightAt(s: Strength, name: StrategyName): number {
  if (s.kind === 'calibrated') return UNIFORM_WEIGHT[name];
  if (s.kind === 'raw') return 0;
  return 1 - s.value;
}

export interface StrengthCost {
  readonly strategy: StrategyName;
  /** The strength asked for, as the weight of the raw belief. */
  readonly beliefWeight: number;
  /** The nearest measured point (exact when `measuredAt` equals `beliefWeight`). */
  readonly measuredAt: number;
  readonly llr: number;
  readonly ci95: readonly [number, number];
  readonly draws: number;
  /** One line, for example "raw frequency: −0.1097 nats/draw against chance, 95% CI −0.1374 to −0.0821 …". */
  readonly text: string;
}

const signed = (x: number) => (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(4);

/** What a strategy's belief at a strength cost on the real current era, from the stored backtest. */
export function strengthCost(s: Strength, name: StrategyName): StrengthCost {
  const lambda = uniformWeightAt(s, name);
  const curve = MEASURED_LLR[name];
  const nearest = curve.reduce((best: MeasuredPoint, p) =>
    Math.abs(p.uniformWeight - lambda) < Math.abs(best.uniformWeight - lambda) ? p : best,
  );
  const beliefWeight = 1 - lambda;
  const measuredAt = 1 - nearest.uniformWeight;
  const exact = Math.abs(nearest.uniformWeight - lambda) < 1e-9;
  const label =
    s.kind === 'raw'
      ? `raw ${name}`
      : `${name} at strength ${+beliefWeight.toFixed(4)}${s.kind === 'calibrated' ? ' (calibrated)' : ''}`;
  const where = `walk-forward over ${nearest.draws.toLocaleString('en-US')} real ${nearest.scope}`;
  const text =
    `${label}: ${signed(nearest.llr)} nats/draw against chance, 95% CI ${signed(nearest.ci95[0])} to ${signed(nearest.ci95[1])} (${where}` +
    (exact ? ')' : `; measured at strength ${+measuredAt.toFixed(4)}, the nearest stored point)`);
  return {
    strategy: name,
    beliefWeight,
    measuredAt,
    llr: nearest.llr,
    ci95: nearest.ci95,
    draws: nearest.draws,
    text,
  };
}

/** The one line that says why the calibrated default is close to uniform. */
export const WHY_CALIBRATED =
  'Why calibrated is close to uniform: on the real draws every raw belief scores below chance (raw frequency −0.11, recency −0.62 nats/draw), ' +
  'so the backtest keeps only the small share of each belief that does not lose; the draws are random and no strength changes the odds.';
