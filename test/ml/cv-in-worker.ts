/**
 * Cross-validation of a tree ensemble at its defaults on the real matrix, run in a worker thread.
 * It is the longest synchronous stretch of the suite (close to a minute on a busy 2-core machine):
 * run in the test's own thread it blocks the event loop, and vitest's worker fails the whole run
 * with "Timeout calling onTaskUpdate" when a report to the runner waits more than 60 s for its
 * answer. Here the test thread only awaits a message.
 */
import { Worker } from 'node:worker_threads';
import { workerStart } from '../../src/ml/parallel/worker-start.js';

export interface CvJob {
  readonly model: 'random_forest' | 'gradient_boosting';
  readonly folds: number;
  readonly seed: number;
}

export interface CvSummary {
  readonly overall: number;
  readonly folds: readonly { readonly overall: number }[];
}

export function crossValidateInWorker(job: CvJob): Promise<CvSummary> {
  const start = workerStart(new URL('./cv-worker.ts', import.meta.url));
  if (!start) throw new Error('cannot start a worker thread running TypeScript (is tsx installed?)');
  return new Promise((resolve, reject) => {
    const worker = new Worker(start.script, { eval: start.eval, workerData: job });
    let result: CvSummary | null = null;
    worker.once('message', (m: CvSummary) => (result = m));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      result ? resolve(result) : reject(new Error(`the cross-validation worker exited with code ${code}`)),
    );
  });
}
