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
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { crossValidate } from '../ml/cv.js';
import type { DenseMatrix } from '../ml/matrix.js';
import type { ModelName } from '../domain/model-names.js';
import type { FoldMetrics } from '../domain/fold-metrics.js';
import { type WorkerStart, workerStart } from '../ml/parallel/worker-start.js';
import { createRegressor, type ParamSet } from '../ml/search-space.js';
import { toFoldMetrics } from './fold-metrics.js';

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

/** This module is the trial workers' entry. */
const ENTRY = new URL(import.meta.url);

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
    this.init = this.size > 1 && workerStart(ENTRY) ? { pbiTuning: true, x: shared(x), y: shared(y) } : null;
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
    const start = workerStart(ENTRY) as WorkerStart;
    const w = new Worker(start.script, { eval: start.eval, workerData: this.init });
    this.all.add(w);
    return w;
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
