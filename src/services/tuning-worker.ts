/**
 * One tuning trial = walk-forward cross-validation of one model with one set of hyperparameters.
 * `evaluateTrial` is the pure unit of work; `TrialPool` runs trials on worker threads (this same
 * file is the worker's entry), so a search uses every core. Trials are independent: an exception
 * in one becomes that trial's failure, and a crashed worker is replaced.
 *
 * Why threads at the trial level: every trial refits from scratch on the same matrix, so trials
 * parallelize with no shared state and one copy of the data, while a fit that spreads its trees over
 * threads pays a hand-off per fit. Inside a trial worker each fit runs on one thread; when trials
 * run in the calling thread (`workers: 1`), fits keep their own threading. bench/tune.bench.ts
 * measures both.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { crossValidate, type CrossValidationResult } from '../ml/cv.js';
import type { DenseMatrix } from '../ml/matrix.js';
import type { ModelName } from '../domain/model-names.js';
import { createRegressor, type ParamSet } from '../ml/search-space.js';
import type { FoldMetrics } from '../domain/fold-metrics.js';

export interface TrialTask {
  readonly id: number;
  readonly model: ModelName;
  readonly params: ParamSet;
  readonly seed: number;
  readonly folds: number;
  /** The expected sorted draw of a random ticket of the era, scored as the `order_statistics` baseline. */
  readonly constantBaseline?: readonly number[];
  /** Threads each fit may use (default: the regressor's own default). Trial workers fit on one. */
  readonly threads?: number;
}

export type TrialResult =
  | {
      readonly id: number;
      readonly ok: true;
      readonly folds: readonly FoldMetrics[];
      readonly durationMs: number;
    }
  | { readonly id: number; readonly ok: false; readonly error: string; readonly durationMs: number };

/** Short target names in metric keys (`mae_w1` … `mae_pb`), as `pbi train` records them. */
export const TARGET_KEYS = ['w1', 'w2', 'w3', 'w4', 'w5', 'pb'] as const;

/**
 * Fold records in the registry's shape, the same keys `pbi train` stores: `mae`, `mae_w1`…`mae_pb`,
 * and the same for the baselines `training_mean` and `order_statistics`.
 */
export function toFoldMetrics(cv: CrossValidationResult): FoldMetrics[] {
  const metrics = (overall: number, perTarget: readonly number[]) => {
    const out: Record<string, number> = { mae: overall };
    perTarget.forEach((v, k) => (out[`mae_${TARGET_KEYS[k] ?? `y${k}`}`] = v));
    return out;
  };
  return cv.folds.map((f) => {
    const baselines: Record<string, Record<string, number>> = {
      training_mean: metrics(f.baselines.trainMean.overall, f.baselines.trainMean.mae),
    };
    if (f.baselines.constant)
      baselines.order_statistics = metrics(f.baselines.constant.overall, f.baselines.constant.mae);
    return {
      fold: f.fold,
      trainSize: f.trainSize,
      testSize: f.testSize,
      metrics: metrics(f.overall, f.mae),
      baselines,
    };
  });
}

/** Cross-validates one trial (walk-forward, as `pbi train`). Never throws: a failure is the result. */
export function evaluateTrial(task: TrialTask, x: DenseMatrix, y: DenseMatrix): TrialResult {
  const t0 = performance.now();
  try {
    const regressor = createRegressor(task.model, task.params);
    // crossValidate passes the thread count to every fit. No wrapper around the regressor: it would
    // hide ridge's fitPrefixes, and a trial would then differ in its last digits between this
    // thread and a worker.
    const cv = crossValidate(regressor, x, y, {
      folds: task.folds,
      seed: task.seed,
      ...(task.threads === undefined ? {} : { threads: task.threads }),
      ...(task.constantBaseline ? { constantBaseline: task.constantBaseline } : {}),
    });
    if (!Number.isFinite(cv.overall)) throw new Error('the model predicted non-finite values');
    return { id: task.id, ok: true, folds: toFoldMetrics(cv), durationMs: performance.now() - t0 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { id: task.id, ok: false, error: message, durationMs: performance.now() - t0 };
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
  private cancelled = false;

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

  /**
   * Evaluates one trial; resolves with its result, failure included. `onStart` is called when a
   * thread takes the trial (trials queue in call order).
   */
  async run(task: TrialTask, onStart?: () => void): Promise<TrialResult> {
    const cancelled: TrialResult = { id: task.id, ok: false, error: 'cancelled', durationMs: 0 };
    if (this.cancelled) return cancelled;
    if (!this.init) {
      // Yield so a caller's progress output and other trials' bookkeeping interleave.
      await new Promise((r) => setImmediate(r));
      onStart?.();
      return evaluateTrial(task, this.x, this.y);
    }
    const worker = await this.acquire();
    if (this.cancelled) {
      this.release(worker);
      return cancelled;
    }
    onStart?.();
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
      // Trials already fill every core; a fit spreading over threads too would only contend.
      worker.postMessage({ ...task, threads: 1 });
    });
  }

  /**
   * Stops the search: queued trials resolve as cancelled without starting, running ones are
   * terminated (and resolve as failed).
   */
  cancel(): void {
    this.cancelled = true;
    const idle = new Set(this.idle);
    for (const w of this.all) if (!idle.has(w)) void w.terminate();
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
