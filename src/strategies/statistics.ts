/**
 * The few statistics a backtest reports: means with normal 95% intervals and exact binomial tests.
 */

export interface MeanEstimate {
  readonly mean: number;
  readonly sd: number;
  readonly n: number;
  /** 95% confidence interval of the mean (normal approximation, n ≥ 30 in practice). */
  readonly ci95: readonly [number, number];
}

export function meanEstimate(values: ArrayLike<number>): MeanEstimate {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, n: 0, ci95: [NaN, NaN] };
  let s = 0;
  for (let i = 0; i < n; i++) s += values[i] as number;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const half = (1.96 * sd) / Math.sqrt(n);
  return { mean, sd, n, ci95: [mean - half, mean + half] };
}

function logBinomialPmf(k: number, n: number, p: number, logChoose: Float64Array): number {
  if (p <= 0) return k === 0 ? 0 : -Infinity;
  if (p >= 1) return k === n ? 0 : -Infinity;
  return (logChoose[k] as number) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** Exact two-sided binomial test: P(a count at most as likely as `k`) under Binomial(n, p). */
export function binomialTwoSidedP(k: number, n: number, p: number): number {
  if (n === 0) return 1;
  const logChoose = new Float64Array(n + 1);
  let acc = 0;
  for (let i = 1; i <= n; i++) {
    acc += Math.log(n - i + 1) - Math.log(i);
    logChoose[i] = acc;
  }
  const observed = logBinomialPmf(k, n, p, logChoose);
  let total = 0;
  for (let i = 0; i <= n; i++) {
    const l = logBinomialPmf(i, n, p, logChoose);
    if (l <= observed + 1e-7) total += Math.exp(l);
  }
  return Math.min(1, total);
}
