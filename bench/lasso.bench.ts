/**
 * Lasso benchmark: 5-fold walk-forward cross-validation of scikit-learn-compatible Lasso (src/ml/lasso.ts)
 * on the feature matrix of the real history (test/fixtures/sklearn/matrix.csv, or --matrix FILE), at
 * the default alpha 1 and at 0.1 and 0.01, where coordinate descent needs hundreds of passes (0.01:
 * all 1000, the max_iter) per output. No budget was set for it; the peer is scikit-learn's
 * `Lasso` on the same matrix and folds (scripts/sklearn-lasso-reference.py --bench), when
 * `/usr/bin/python3` has scikit-learn. Both run on one thread.
 *
 * Usage: tsx bench/lasso.bench.ts [--quick] [--matrix FILE] [--no-peer]
 * Prints one `BENCH {json}` line per alpha, with the CV MAE of both sides (they agree to ~1e-12).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crossValidate } from '../src/ml/cv.js';
import { LassoRegressor } from '../src/ml/lasso.js';
import { MATRIX_CSV, readMatrixCsv } from '../test/ml/sklearn-fixture.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const noPeer = argv.includes('--no-peer');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const matrixArg = argv.indexOf('--matrix');
const matrixPath =
  matrixArg >= 0 && argv[matrixArg + 1] ? path.resolve(argv[matrixArg + 1] as string) : MATRIX_CSV;
const ALPHAS = quick ? ['1', '0.1'] : ['1', '0.1', '0.01'];
const runs = quick ? 1 : 3;

interface PeerResult {
  sklearn_version: string;
  alphas: Record<string, { seconds: number; mean_mae: number }>;
}

function sklearnPeer(): PeerResult | null {
  if (noPeer) return null;
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import sklearn'], { stdio: 'ignore' });
  if (probe.status !== 0) return null;
  const run = spawnSync(
    '/usr/bin/python3',
    [
      path.join(root, 'scripts', 'sklearn-lasso-reference.py'),
      '--bench',
      '--matrix',
      matrixPath,
      '--alphas',
      ALPHAS.join(','),
      '--repeats',
      String(runs),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) {
    process.stderr.write(`scikit-learn peer failed: ${run.stderr}\n`);
    return null;
  }
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as PeerResult;
}

const { x, y } = readMatrixCsv(matrixPath);
const size = `${x.rows}x${x.cols}`;
const load = os.loadavg()[0] as number;
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
const ours: { alpha: string; ms: number; cpuMs: number; mae: number }[] = [];
for (const alpha of ALPHAS) {
  const times: number[] = [];
  const cpu: number[] = [];
  let mae = Number.NaN;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = crossValidate(new LassoRegressor({ alpha: Number(alpha) }), x, y, { folds: 5, seed: 42 });
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    mae = res.overall;
  }
  ours.push({ alpha, ms: median(times), cpuMs: median(cpu), mae });
}
const peer = sklearnPeer();
for (const r of ours) {
  const line: Record<string, unknown> = {
    work: `5-fold CV lasso alpha=${r.alpha} (${size})`,
    median_ms: Number(r.ms.toFixed(1)),
    n: runs,
    mae: Number(r.mae.toFixed(6)),
    cpu_ms: Number(r.cpuMs.toFixed(1)),
    load_avg_1m: Number(load.toFixed(2)),
  };
  const p = peer?.alphas[r.alpha];
  if (peer && p) {
    line.peer_ms = Number((p.seconds * 1000).toFixed(1));
    line.peer = `scikit-learn ${peer.sklearn_version} Lasso`;
    line.peer_mae = Number(p.mean_mae.toFixed(6));
  }
  console.log(`BENCH ${JSON.stringify(line)}`);
}
