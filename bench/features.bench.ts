/**
 * Feature engineering benchmark (DESIGN §7: ≤ 10 ms for 5,000 draws; the legacy Python took
 * 200–500 ms). The real current-era history is extended with seeded uniform synthetic draws on the
 * following draw dates, so every size is a realistic single-era history.
 *
 * Usage: tsx bench/features.bench.ts [--quick]
 * Prints one `BENCH {json}` line per size.
 */
import type { Draw } from '../src/domain/draw.js';
import { buildFeatureMatrix } from '../src/ml/features/index.js';
import { currentEraDraws, extendWithUniformDraws } from './draw-history.js';

const quick = process.argv.includes('--quick');

function measure(
  draws: readonly Draw[],
  iterations: number,
): { median: number; p99: number; min: number; cols: number } {
  let cols = 0;
  for (let i = 0; i < Math.min(20, iterations); i++) cols = buildFeatureMatrix(draws).x.cols; // warm up the JIT
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    buildFeatureMatrix(draws);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { median: at(0.5), p99: at(0.99), min: times[0] as number, cols };
}

const real = currentEraDraws();
const cases: { work: string; n: number; budget?: number }[] = [
  { work: 'feature engineering, 5,000 draws', n: 5000, budget: 10 },
  { work: `feature engineering, real history 1x (${real.length} draws)`, n: real.length },
  { work: `feature engineering, real history 4x (${real.length * 4} draws)`, n: real.length * 4 },
  { work: `feature engineering, real history 16x (${real.length * 16} draws)`, n: real.length * 16 },
];
for (const c of cases) {
  const draws = extendWithUniformDraws(real, c.n, 42);
  const iterations = quick ? 15 : c.n > 10_000 ? 30 : 100;
  const r = measure(draws, iterations);
  const line: Record<string, unknown> = {
    work: c.work,
    median_ms: Number(r.median.toFixed(3)),
    p99_ms: Number(r.p99.toFixed(3)),
    // The floor without preemption by other processes (medians on a loaded machine are mostly waiting).
    min_ms: Number(r.min.toFixed(3)),
    n: iterations,
    draws: c.n,
    features: r.cols,
  };
  if (c.budget !== undefined) line.budget_ms = c.budget;
  console.log(`BENCH ${JSON.stringify(line)}`);
}
