/**
 * Training benchmark (DESIGN §7): 5-fold walk-forward cross-validation of ridge + random forest +
 * gradient boosting (100 trees each, the legacy defaults) on the feature matrix of the real history
 * (the committed `pbi features export` in test/fixtures/sklearn/matrix.csv, or --matrix FILE).
 * Budget (DESIGN §7): ≤ 10 s on 2 cores, and faster than every peer on the same matrix in the same run. Two peers, each
 * only where `/usr/bin/python3` has it (otherwise the row says so on stderr and goes without):
 * scikit-learn, through scripts/sklearn-reference.py, times the same three cross-validations
 * (n_jobs=-1, so it may use both cores as we do); XGBoost, through bench/peers/xgboost_cv.py,
 * times the two tree ensembles in the same shapes with its histogram method (256 bins, 2 threads).
 * Each peer's time and ratio is printed; scikit-learn's is the row's main peer, XGBoost's rides in
 * `other_peers`.
 *
 * Usage: tsx bench/training.bench.ts [--quick] [--matrix FILE] [--no-peer]
 * Prints `BENCH {json}` lines: one per model and one for the three together. Each also carries the
 * process CPU time (cpu_ms: about threads × median_ms when the threads really ran in parallel), the
 * units of work done by worker threads (remote_units) and the load average at the start, since on a
 * busy machine wall time says little.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crossValidate } from '../src/ml/cv.js';
import { GradientBoostingRegressor } from '../src/ml/gradient-boosting.js';
import { remoteUnitCount, resolveThreads, shutDownWorkers, warmUpWorkers } from '../src/ml/parallel/pool.js';
import { RandomForestRegressor } from '../src/ml/random-forest.js';
import type { Regressor } from '../src/ml/regressor.js';
import { RidgeRegressor } from '../src/ml/ridge.js';
import { MATRIX_CSV, readMatrixCsv } from '../test/ml/sklearn-fixture.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const noPeer = argv.includes('--no-peer');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const matrixArg = argv.indexOf('--matrix');
const matrixPath =
  matrixArg >= 0 && argv[matrixArg + 1] ? path.resolve(argv[matrixArg + 1] as string) : MATRIX_CSV;

interface PeerResult {
  total_seconds: number;
  sklearn_version: string;
  models: Record<'ridge' | 'random_forest' | 'gradient_boosting', { seconds: number; mean_mae: number }>;
}

/** scikit-learn's time for the same three cross-validations, or null when it is not installed. */
function sklearnPeer(): PeerResult | null {
  if (noPeer) return null;
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import sklearn'], { stdio: 'ignore' });
  if (probe.status !== 0) return null;
  const run = spawnSync(
    '/usr/bin/python3',
    [path.join(root, 'scripts', 'sklearn-reference.py'), 'bench', '--matrix', matrixPath, '--jobs', '-1'],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) {
    process.stderr.write(`scikit-learn peer failed: ${run.stderr}\n`);
    return null;
  }
  const line = run.stdout.trim().split('\n').pop() as string;
  return JSON.parse(line) as PeerResult;
}

interface XgboostResult {
  xgboost: string;
  threads: number;
  cv: Record<'random_forest' | 'gradient_boosting', { seconds: number; mean_mae: number }>;
}

/** XGBoost's time for the two tree ensembles' cross-validations, or null when it is not installed. */
function xgboostPeer(): XgboostResult | null {
  if (noPeer) return null;
  if (quick) {
    // Its forest alone takes about a minute; quick runs are for CI.
    process.stderr.write('XGBoost peer skipped in --quick mode\n');
    return null;
  }
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import xgboost'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    process.stderr.write(
      'XGBoost peer skipped: /usr/bin/python3 cannot import xgboost (apt-get install python3-xgboost)\n',
    );
    return null;
  }
  const run = spawnSync(
    '/usr/bin/python3',
    [path.join(root, 'bench', 'peers', 'xgboost_cv.py'), '--matrix', matrixPath, '--threads', '2'],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  if (run.status !== 0) {
    process.stderr.write(`XGBoost peer failed: ${run.stderr}\n`);
    return null;
  }
  const line = run.stdout.trim().split('\n').pop() as string;
  return JSON.parse(line) as XgboostResult;
}

const { x, y } = readMatrixCsv(matrixPath);
const size = `${x.rows}x${x.cols}`;
const models: [key: 'ridge' | 'random_forest' | 'gradient_boosting', create: () => Regressor][] = [
  ['ridge', () => new RidgeRegressor()],
  ['random_forest', () => new RandomForestRegressor()],
  ['gradient_boosting', () => new GradientBoostingRegressor()],
];

await warmUpWorkers();
const runs = quick ? 1 : 3;
const times: Record<string, number[]> = { ridge: [], random_forest: [], gradient_boosting: [], total: [] };
const cpu: Record<string, number[]> = { ridge: [], random_forest: [], gradient_boosting: [], total: [] };
const remote: Record<string, number> = { ridge: 0, random_forest: 0, gradient_boosting: 0 };
const load = os.loadavg()[0] as number;
const maes: Record<string, number> = {};
for (let i = 0; i < runs; i++) {
  let total = 0;
  let totalCpu = 0;
  for (const [key, create] of models) {
    const r0 = remoteUnitCount();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const res = crossValidate(create(), x, y, { folds: 5, seed: 42 });
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const cpuMs = (c.user + c.system) / 1000;
    total += ms;
    totalCpu += cpuMs;
    times[key]?.push(ms);
    cpu[key]?.push(cpuMs);
    remote[key] = remoteUnitCount() - r0;
    maes[key] = res.overall;
  }
  times.total?.push(total);
  cpu.total?.push(totalCpu);
}
await shutDownWorkers();

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
const peer = sklearnPeer();
const peerName = peer ? `scikit-learn ${peer.sklearn_version} (n_jobs=-1)` : undefined;
const xgb = xgboostPeer();
const xgbName = xgb ? `XGBoost ${xgb.xgboost} (hist, ${xgb.threads} threads)` : undefined;
for (const [key] of models) {
  const line: Record<string, unknown> = {
    work: `5-fold CV ${key.replace('_', ' ')} (${size})`,
    median_ms: Number(median(times[key] as number[]).toFixed(1)),
    n: runs,
    mae: Number((maes[key] as number).toFixed(4)),
    cpu_ms: Number(median(cpu[key] as number[]).toFixed(1)),
    remote_units: remote[key],
  };
  if (peer) {
    line.peer_ms = Number((peer.models[key].seconds * 1000).toFixed(1));
    line.peer = peerName;
    line.peer_mae = Number(peer.models[key].mean_mae.toFixed(4));
  }
  if (xgb && key !== 'ridge') {
    const m = xgb.cv[key];
    line.other_peers = [
      {
        peer: xgbName,
        peer_ms: Number((m.seconds * 1000).toFixed(1)),
        peer_mae: Number(m.mean_mae.toFixed(4)),
      },
    ];
  }
  console.log(`BENCH ${JSON.stringify(line)}`);
}
const total = median(times.total as number[]);
const totalLine: Record<string, unknown> = {
  work: `5-fold CV of ridge + random forest + gradient boosting, 100 trees each (${size})`,
  median_ms: Number(total.toFixed(1)),
  budget_ms: 10_000,
  n: runs,
  cpu_ms: Number(median(cpu.total as number[]).toFixed(1)),
  threads: resolveThreads(),
  load_avg_1m: Number(load.toFixed(2)),
};
if (peer) {
  const peerMs = Object.values(peer.models).reduce((s, m) => s + m.seconds * 1000, 0);
  totalLine.peer_ms = Number(peerMs.toFixed(1));
  totalLine.peer = peerName;
  process.stderr.write(
    `scikit-learn ${peerMs.toFixed(0)} ms, ours ${total.toFixed(0)} ms: ${(peerMs / total).toFixed(1)}x faster\n`,
  );
}
if (xgb) {
  // XGBoost has no ridge here: its total is the two ensembles, against ours with ridge included.
  const xgbMs = (xgb.cv.random_forest.seconds + xgb.cv.gradient_boosting.seconds) * 1000;
  totalLine.other_peers = [{ peer: `${xgbName} forest + boosting`, peer_ms: Number(xgbMs.toFixed(1)) }];
  process.stderr.write(
    `XGBoost ${xgbMs.toFixed(0)} ms (forest + boosting), ours ${total.toFixed(0)} ms: ${(xgbMs / total).toFixed(1)}x faster\n`,
  );
}
console.log(`BENCH ${JSON.stringify(totalLine)}`);
