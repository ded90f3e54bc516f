/**
 * The statistics a backtest reports: means with an interval only where one is valid for the number
 * of draws, and one multiple-comparison family (Holm) over every test of every strategy.
 */

/** Below this many draws no interval of a mean is reported: the t interval needs the sample mean near normal. */
export const MIN_INTERVAL_DRAWS = 30;
export const TOO_FEW_FOR_INTERVAL = 'too few draws for an interval';

export interface MeanEstimate {
  readonly mean: number;
  readonly sd: number;
  readonly n: number;
  /** 95% confidence interval of the mean, or null when `n` is too small for a valid one. */
  readonly ci95: readonly [number, number] | null;
  /** How the interval was made, or why there is none. */
  readonly interval: string;
}

/** Upper 97.5% quantile of Student's t with `df` degrees of freedom (Cornish–Fisher; < 1e-4 off from df 10). */
export function t975(df: number): number {
  const z = 1.959963984540054;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return (
    z +
    (z3 + z) / (4 * df) +
    (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) +
    (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3)
  );
}

export function meanEstimate(values: ArrayLike<number>): MeanEstimate {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, n: 0, ci95: null, interval: TOO_FEW_FOR_INTERVAL };
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i] as number;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  if (n < MIN_INTERVAL_DRAWS) {
    return {
      mean,
      sd,
      n,
      ci95: null,
      interval: `${TOO_FEW_FOR_INTERVAL} (${n}; a t interval needs at least ${MIN_INTERVAL_DRAWS})`,
    };
  }
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { mean, sd, n, ci95: [mean - half, mean + half], interval: `Student t interval over ${n} draws` };
}

/**
 * Holm's step-down adjustment: adjusted p-values in the input order. Controls the family-wise error
 * rate like Bonferroni, and never rejects less.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    out[i] = running;
  });
  return out;
}
