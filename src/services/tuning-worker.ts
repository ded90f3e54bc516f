/**
 * One tuning trial = walk-forward cross-validation of one model with one set of hyperparameters.
 * `evaluateTrial` is the pure unit of work; `TrialPool` runs trials on worker threads (this same
 * file is the worker's entry), so a search uses every core. Trials are independent: an exception
 * in one becomes that trial's failure, and a crashed worker is replaced.
 *
 * Why threads at the trial level: every trial refits from scratch on the same matrix, so trials
 * parallelize perfectly, while the regressors themselves fit on one thread.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { DenseMatrix } from '../ml/matrix.js';
import { createRegressor, type ModelName, type ParamSet } from '../ml/search-space.js';

export interface TrialTask {
  readonly id: number;
  readonly model: ModelName;
  readonly params: ParamSet;
  readonly seed: number;
  readonly folds: number;
}

/** Metrics of one fold: MAE over all six targets, per target, and of the training-mean baseline. */
export interface FoldResult {
  readonly fold: number;
  readonly trainSize: number;
  readonly testSize: number;
  readonly mae: number;
  readonly maePerTarget: readonly number[];
  readonly baselineMae: number;
  readonly fitMs: number;
}

export type TrialResult =
  | {
      readonly id: number;
      readonly ok: true;
      readonly folds: readonly FoldResult[];
      readonly durationMs: number;
    }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly durationMs: number };

/**
 * scikit-learn's `TimeSeriesSplit(n_splits=k)`: k expanding-window folds, each tested on the
 * `n / (k + 1)` rows that follow its training rows.
 */
export function walkForwardFolds(n: number, k: number): { trainEnd: number; testEnd: number }[] {
  const testSize = Math.floor(n / (k + 1));
  const out: { trainEnd: number; testEnd: number }[] = [];
  for (let i = 0; i < k; i++) {
    const trainEnd = n - (k - i) * testSize;
    out.push({ trainEnd, testEnd: trainEnd + testSize });
  }
  return out;
}

function rows(m: DenseMatrix, from: number, to: number): DenseMatrix {
  return { rows: to - from, cols: m.cols, data: m.data.subarray(from * m.cols, to * m.cols) };
}

/** Cross-validates one trial. Never throws: a failure is the result. */
export function evaluateTrial(
  task: TrialTask,
  x: DenseMatrix,
  y: DenseMatrix,
  now = () => performance.now(),
): TrialResult {
  const t0 = now();
  try {
    const regressor = createRegressor(task.model, task.params);
    const k = y.cols;
    const folds: FoldResult[] = [];
    const splits = walkForwardFolds(x.rows, task.folds);
    if ((splits[0]?.trainEnd ?? 0) < 2 || (splits[0]?.testEnd ?? 0) <= (splits[0]?.trainEnd ?? 0))
      throw new Error(`${x.rows} rows are too few for ${task.folds} folds`);
    splits.forEach(({ trainEnd, testEnd }, fold) => {
      const f0 = now();
      const model = regressor.fit(rows(x, 0, trainEnd), rows(y, 0, trainEnd), { seed: task.seed });
      const fitMs = now() - f0;
      const test = rows(x, trainEnd, testEnd);
      const pred = model.predict(test);
      const mean = new Float64Array(k);
      for (let r = 0; r < trainEnd; r++)
        for (let j = 0; j < k; j++) mean[j] = (mean[j] as number) + (y.data[r * k + j] as number);
      for (let j = 0; j < k; j++) mean[j] = (mean[j] as number) / trainEnd;
      const perTarget = new Array<number>(k).fill(0);
      let base = 0;
      for (let r = 0; r < test.rows; r++) {
        for (let j = 0; j < k; j++) {
          const truth = y.data[(trainEnd + r) * k + j] as number;
          perTarget[j] = (perTarget[j] as number) + Math.abs((pred.data[r * k + j] as number) - truth);
          base += Math.abs((mean[j] as number) - truth);
        }
      }
      const n = test.rows;
      const per = perTarget.map((s) => s / n);
      const mae = per.reduce((s, v) => s + v, 0) / k;
      if (!Number.isFinite(mae)) throw new Error(`fold ${fold}: the model predicted non-finite values`);
      folds.push({
        fold,
        trainSize: trainEnd,
        testSize: n,
        mae,
        maePerTarget: per,
        baselineMae: base / (n * k),
        fitMs,
      });
    });
    return { id: task.id, ok: true, folds, durationMs: now() - t0 };
  } catch (error) {
    return {
      id: task.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
      durationMs: now() - t0,
    };
  }
}

/** Copies a matrix into shared memory, so every worker reads it without a copy of its own. */
function shared(m: DenseMatrix): { rows: number; cols: number; buffer: SharedArrayBuffer } {
  const buffer = new SharedArrayBuffer(m.data.byteLength);
  new Float64Array(buffer).set(m.data);
  return { rows: m.rows, cols: m.cols, buffer };
}

interface WorkerInit {
  readonly pbiTuning: true;
  readonly x: { rows: number; cols: number; buffer: SharedArrayBuffer };
  readonly y: { rows: number; cols: number; buffer: SharedArrayBuffer };
}

/** Runs trials on up to `size` worker threads (in this thread when size is 1 or workers cannot start). */
export class TrialPool {
  readonly size: number;
  private readonly init: WorkerInit | null;
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly waiting: ((w: Worker) => void)[] = [];

  constructor(
    private readonly x: DenseMatrix,
    private readonly y: DenseMatrix,
    size: number = Math.min(2, availableParallelism()),
  ) {
    this.size = Math.max(1, Math.floor(size));
    this.init = this.size > 1 && workerEntry() ? { pbiTuning: true, x: shared(x), y: shared(y) } : null;
  }

  /** Whether trials run on worker threads. */
  get threaded(): boolean {
    return this.init !== null;
  }

  /** Evaluates one trial; resolves with its result, failure included. */
  async run(task: TrialTask): Promise<TrialResult> {
    if (!this.init) {
      // Yield so a caller's progress output and other trials' bookkeeping interleave.
      await new Promise((r) => setImmediate(r));
      return evaluateTrial(task, this.x, this.y);
    }
    const worker = await this.acquire();
    const t0 = performance.now();
    return new Promise<TrialResult>((resolve) => {
      const done = (result: TrialResult, healthy: boolean) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (healthy) this.release(worker);
        else this.replace(worker);
        resolve(result);
      };
      const onMessage = (result: TrialResult) => done(result, true);
      const onError = (error: Error) =>
        done(
          {
            id: task.id,
            ok: false,
            error: `worker crashed: ${error.message}`,
            durationMs: performance.now() - t0,
          },
          false,
        );
      const onExit = (code: number) =>
        done(
          {
            id: task.id,
            ok: false,
            error: `worker exited with code ${code}`,
            durationMs: performance.now() - t0,
          },
          false,
        );
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage(task);
    });
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    if (this.all.size < this.size) return Promise.resolve(this.spawn());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  private replace(w: Worker): void {
    this.all.delete(w);
    void w.terminate();
    const next = this.waiting.shift();
    if (next) next(this.spawn());
  }

  private spawn(): Worker {
    const start = workerEntry() as WorkerStart;
    const w = new Worker(start.script, {
      eval: start.eval,
      workerData: { ...this.init, tsxApi: start.tsxApi, entry: import.meta.url },
    });
    this.all.add(w);
    return w;
  }
}

/** The ESM entry of tsx's API (`tsx/esm/api`, import condition). @throws when tsx is not installed. */
function resolveTsxApi(): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('tsx/esm/api');
  // vitest's module runner has no import.meta.resolve; read the package's export map instead.
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const entry = pkg.exports['./esm/api']?.import.default;
  if (!entry) throw new Error('tsx has no ./esm/api export');
  return pathToFileURL(path.join(path.dirname(pkgFile), entry)).href;
}

/** How to start a worker running this module, or null when it cannot run in a worker. */
type WorkerStart = { readonly script: URL | string; readonly eval: boolean; readonly tsxApi?: string };

/**
 * The worker entry: this module compiled to JavaScript. Under a TypeScript runner (tsx, for the
 * benchmarks) the module is a `.ts` file a bare worker cannot load, so a small bootstrap registers
 * tsx in the worker first; where tsx cannot be found (an installed package without dev
 * dependencies runs the .js build anyway), trials run in this thread.
 */
function workerEntry(): WorkerStart | null {
  const url = new URL(import.meta.url);
  if (url.pathname.endsWith('.js')) return { script: url, eval: false };
  try {
    const tsxApi = resolveTsxApi();
    return {
      script: `const { workerData } = require('node:worker_threads');
        import(workerData.tsxApi).then((m) => { m.register(); return import(workerData.entry); });`,
      eval: true,
      tsxApi,
    };
  } catch {
    return null;
  }
}

// Worker side: wrap the shared matrices once, then evaluate trials as they arrive.
if (!isMainThread && parentPort && (workerData as WorkerInit | null)?.pbiTuning) {
  const init = workerData as WorkerInit;
  const x: DenseMatrix = { rows: init.x.rows, cols: init.x.cols, data: new Float64Array(init.x.buffer) };
  const y: DenseMatrix = { rows: init.y.rows, cols: init.y.cols, data: new Float64Array(init.y.buffer) };
  const port = parentPort;
  port.on('message', (task: TrialTask) => port.postMessage(evaluateTrial(task, x, y)));
}
