/**
 * Runs a long job (training, a backtest, feature importance) in a worker thread, so the process that serves HTTP keeps
 * answering and can stream the job's progress while it runs. The worker opens its own connection to
 * the same database file (SQLite in WAL mode lets both read and write) and posts progress, then the
 * result or the error. Run from TypeScript sources (tests, benchmarks) the worker registers tsx
 * first; where no worker can be started at all, the job runs in this thread instead: same result,
 * progress arriving all at the end.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { workerStart } from '../ml/parallel/worker-start.js';
import { type ErrorIssue, type ErrorCode, PbiError, toPbiError } from '../domain/errors.js';
import { revived, type Said } from '../domain/hints.js';
import { decodeUpload } from '../domain/text.js';
import type { BacktestRequest, BacktestServiceReport } from './backtest-service.js';
import type { AppConfig, Clock } from './context.js';
import type { ImportanceReport } from './experiment-service.js';
import type { ProgressReporter } from './job-service.js';
import { MLPredictionService } from './ml-prediction-service.js';
import type { TrainReport, TrainRequest } from './training-service.js';
import type { ImportOptions, ImportReport } from './draw-service.js';

/** A job a worker can run: the request of a service method, without its progress callback. */
export type WorkerTask =
  | { readonly kind: 'train'; readonly request: Omit<TrainRequest, 'onProgress'> }
  | { readonly kind: 'backtest'; readonly request: Omit<BacktestRequest, 'onProgress'> }
  | {
      readonly kind: 'importance';
      readonly request: { readonly model: string; readonly repeats?: number; readonly seed?: number };
    }
  | {
      readonly kind: 'import';
      /** An uploaded file's bytes: decoded in the worker, and moved there (not copied). */
      readonly request: {
        readonly bytes: Uint8Array<ArrayBuffer>;
        readonly source: string;
        readonly options: ImportOptions;
      };
    };

export type WorkerTaskResult<T extends WorkerTask> = T extends { kind: 'train' }
  ? TrainReport
  : T extends { kind: 'backtest' }
    ? BacktestServiceReport
    : T extends { kind: 'import' }
      ? ImportReport
      : ImportanceReport;

interface WorkerInput {
  readonly pbiJob: true;
  readonly config: AppConfig;
  /** The parent's injected clock minus the system clock, so timestamps agree with the parent's. */
  readonly clockOffsetMs: number;
  readonly task: WorkerTask;
}

type WorkerMessage =
  | { readonly type: 'progress'; readonly fraction: number; readonly message: string }
  | { readonly type: 'done'; readonly result: unknown }
  | {
      readonly type: 'error';
      readonly error: { code: ErrorCode; message: Said; issues: readonly ErrorIssue[] };
    };

/** Runs one task on a service (the same code in the worker and in the fallback). */
function execute(service: MLPredictionService, task: WorkerTask, report: ProgressReporter): unknown {
  if (task.kind === 'train') {
    return service.training.train({ ...task.request, onProgress: (p) => report(p.fraction, p.message) });
  }
  if (task.kind === 'import') {
    const { bytes, source, options } = task.request;
    return service.draws.importText(decodeUpload(bytes, source, true), source, options);
  }
  if (task.kind === 'importance') {
    report(0, `refitting ${task.request.model} on the last fold and shuffling each feature`);
    const { model, ...options } = task.request;
    return service.experiments.importance(model, options);
  }
  return service.backtest.run({
    ...task.request,
    onProgress: (f) => report(f, `walking forward: ${Math.round(f * 100)}%`),
  });
}

export interface RunTaskOptions {
  /** Run in this thread even when a worker could start (tests of the fallback). */
  readonly inThread?: boolean;
  /** Aborting terminates the worker; the promise then rejects with CANCELLED. */
  readonly signal?: AbortSignal;
}

/**
 * Runs `task` for `service`'s database: in a worker thread when possible.
 * @throws the task's PbiError (re-created from the worker's message), or INTERNAL when the worker dies.
 */
export function runTask<T extends WorkerTask>(
  service: MLPredictionService,
  task: T,
  report: ProgressReporter,
  options: RunTaskOptions = {},
): Promise<WorkerTaskResult<T>> {
  const entry = options.inThread ? null : workerStart(new URL(import.meta.url));
  if (entry === null)
    return Promise.resolve().then(() => execute(service, task, report) as WorkerTaskResult<T>);
  const input: WorkerInput = {
    pbiJob: true,
    config: service.context.config,
    clockOffsetMs: service.context.clock.now().getTime() - Date.now(),
    task,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.script, {
      eval: entry.eval,
      workerData: input,
      transferList: task.kind === 'import' ? [task.request.bytes.buffer] : [],
    });
    let settled = false;
    const onAbort = () => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(new PbiError('CANCELLED', `the ${task.kind} job was cancelled`));
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('exit', () => options.signal?.removeEventListener('abort', onAbort));
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') report(m.fraction, m.message);
      else if (m.type === 'done') {
        settled = true;
        resolve(revived(m.result) as WorkerTaskResult<T>);
      } else {
        settled = true;
        reject(new PbiError(m.error.code, revived(m.error.message), m.error.issues));
      }
    });
    worker.on('error', (error) => {
      if (!settled) reject(toPbiError(error));
      settled = true;
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new PbiError('INTERNAL', `the ${task.kind} worker stopped (exit code ${code})`));
      settled = true;
    });
  });
}

// Worker side.
if (!isMainThread && parentPort && (workerData as WorkerInput | null)?.pbiJob === true) {
  const input = workerData as WorkerInput;
  const port = parentPort;
  const clock: Clock = { now: () => new Date(Date.now() + input.clockOffsetMs) };
  let service: MLPredictionService | null = null;
  try {
    service = MLPredictionService.open(input.config, clock);
    const result = execute(service, input.task, (fraction, message) =>
      port.postMessage({ type: 'progress', fraction, message } satisfies WorkerMessage),
    );
    port.postMessage({ type: 'done', result } satisfies WorkerMessage);
  } catch (error) {
    const e = toPbiError(error);
    port.postMessage({
      type: 'error',
      error: { code: e.code, message: e.said, issues: e.issues },
    } satisfies WorkerMessage);
  } finally {
    service?.close();
  }
}
