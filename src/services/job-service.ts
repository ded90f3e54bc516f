/**
 * Long-running work (training) as jobs a client can poll or stream: each job has an id, a status,
 * a progress fraction with a message, and its result or error once finished. At most
 * `maxConcurrent` jobs run at once (one by default: training uses every core it can, two at once
 * would only halve each other's speed), the rest wait in order; a queued or running job can be
 * cancelled (its work gets an AbortSignal: worker threads are terminated). Jobs live in memory: they are a view of work in progress, the results themselves are
 * stored by the services the job calls.
 */
import { ConflictError, type ErrorIssue, NotFoundError, PbiError, toPbiError } from '../domain/errors.js';
import type { Said } from '../domain/hints.js';
import type { Clock } from './context.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A job that has ended, one way or another. */
export function isFinished(status: JobStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'cancelled';
}

export interface JobError {
  readonly code: string;
  /** The message, its hints (what to do next) as data for the interface to word. */
  readonly message: Said;
  readonly issues: readonly ErrorIssue[];
}

/** What a client sees of a job at one moment. */
export interface JobSnapshot {
  readonly id: string;
  readonly kind: string;
  /** The request that started the job, as given. */
  readonly params: unknown;
  readonly status: JobStatus;
  /** 0..1, and what the job is doing now. */
  readonly progress: { readonly fraction: number; readonly message: string };
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly result: unknown;
  readonly error: JobError | null;
}

/** Reports progress from inside a job: fraction 0..1 and a short message. */
export type ProgressReporter = (fraction: number, message: string) => void;

export type JobListener = (job: JobSnapshot) => void;

export interface JobServiceOptions {
  /** Finished jobs kept for polling; the oldest are forgotten first. */
  readonly keepFinished?: number;
  /** Jobs allowed to wait behind the running ones; more are refused. */
  readonly maxQueued?: number;
  /** Jobs that run at the same time (default 1). */
  readonly maxConcurrent?: number;
}

/** The work of a job: reports progress, and stops early (or is stopped) when `signal` aborts. */
export type JobRun = (report: ProgressReporter, signal: AbortSignal) => unknown;

interface JobRecord {
  snapshot: JobSnapshot;
  readonly run: JobRun;
  readonly abort: AbortController;
  readonly listeners: Set<JobListener>;
  readonly done: Promise<JobSnapshot>;
  resolve: (job: JobSnapshot) => void;
}

export class JobService {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly queue: JobRecord[] = [];
  private readonly running = new Set<JobRecord>();
  private counter = 0;
  private readonly keepFinished: number;
  private readonly maxQueued: number;
  private readonly maxConcurrent: number;

  constructor(
    private readonly clock: Clock,
    options: JobServiceOptions = {},
  ) {
    this.keepFinished = options.keepFinished ?? 50;
    this.maxQueued = options.maxQueued ?? 10;
    this.maxConcurrent = Math.max(1, options.maxConcurrent ?? 1);
  }

  /**
   * Queues a job and returns its first snapshot at once. `run` may be synchronous or return a
   * promise; what it returns (or throws, as a PbiError) becomes the job's result (or error).
   * @throws ConflictError when `maxQueued` jobs are already waiting.
   */
  start(kind: string, params: unknown, run: JobRun): JobSnapshot {
    if (this.queue.length >= this.maxQueued) {
      throw new ConflictError(
        `${this.queue.length} jobs are already waiting; try again when one has finished`,
        [{ where: 'jobs', reason: 'queue full' }],
      );
    }
    this.counter += 1;
    const id = `${kind}-${this.counter}`;
    let resolve: (job: JobSnapshot) => void = () => {};
    const done = new Promise<JobSnapshot>((r) => (resolve = r));
    const record: JobRecord = {
      snapshot: {
        id,
        kind,
        params,
        status: 'queued',
        progress: { fraction: 0, message: 'queued' },
        createdAt: this.clock.now().toISOString(),
        startedAt: null,
        finishedAt: null,
        result: null,
        error: null,
      },
      run,
      abort: new AbortController(),
      listeners: new Set(),
      done,
      resolve,
    };
    this.jobs.set(id, record);
    this.queue.push(record);
    // Start on the next tick so the caller can answer with the id before the work begins.
    setImmediate(() => this.pump());
    return record.snapshot;
  }

  /** @throws NotFoundError when no job has that id (or it was forgotten). */
  get(id: string): JobSnapshot {
    return this.record(id).snapshot;
  }

  /** Every known job, newest first. */
  list(): JobSnapshot[] {
    return [...this.jobs.values()].map((r) => r.snapshot).reverse();
  }

  /** Resolves with the final snapshot once the job has finished. @throws NotFoundError. */
  wait(id: string): Promise<JobSnapshot> {
    return this.record(id).done;
  }

  /**
   * Calls `listener` on every change of the job until it finishes; returns the unsubscribe function.
   * @throws NotFoundError.
   */
  subscribe(id: string, listener: JobListener): () => void {
    const record = this.record(id);
    record.listeners.add(listener);
    return () => record.listeners.delete(listener);
  }

  /**
   * Cancels a job: a queued one leaves the queue at once, a running one is told to stop (its worker
   * threads are terminated) and is marked cancelled when its work has stopped.
   * @throws NotFoundError; ConflictError when the job has already finished.
   */
  async cancel(id: string): Promise<JobSnapshot> {
    const record = this.record(id);
    if (isFinished(record.snapshot.status))
      throw new ConflictError(`job ${id} has already ${record.snapshot.status}; nothing to cancel`, [
        { where: 'id', reason: `job ${record.snapshot.status}` },
      ]);
    const queued = this.queue.indexOf(record);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.finish(record, { status: 'cancelled', error: cancelledError(id).toJSON() });
      this.forgetOld();
      return record.snapshot;
    }
    this.update(record, { progress: { ...record.snapshot.progress, message: 'cancelling' } });
    record.abort.abort();
    return record.done;
  }

  /** Resolves when no job is queued or running (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.queue.length > 0) {
      const pending = [...this.running][0] ?? this.queue[0];
      if (pending) await pending.done;
    }
  }

  private record(id: string): JobRecord {
    const record = this.jobs.get(id);
    if (!record) throw new NotFoundError(`no job ${id}`);
    return record;
  }

  private update(record: JobRecord, patch: Partial<JobSnapshot>): void {
    record.snapshot = Object.freeze({ ...record.snapshot, ...patch });
    for (const listener of record.listeners) listener(record.snapshot);
  }

  private pump(): void {
    while (this.running.size < this.maxConcurrent) {
      const next = this.queue.shift();
      if (!next) return;
      this.running.add(next);
      void this.execute(next).finally(() => {
        this.running.delete(next);
        this.forgetOld();
        this.pump();
      });
    }
  }

  private finish(record: JobRecord, patch: Partial<JobSnapshot>): void {
    this.update(record, { finishedAt: this.clock.now().toISOString(), ...patch });
    record.listeners.clear();
    record.resolve(record.snapshot);
  }

  private async execute(record: JobRecord): Promise<void> {
    this.update(record, {
      status: 'running',
      startedAt: this.clock.now().toISOString(),
      progress: { fraction: 0, message: 'starting' },
    });
    let lastEmit = 0;
    const report: ProgressReporter = (fraction, message) => {
      const f = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
      // Throttle: a training loop may report thousands of times; clients need a few per second.
      const now = Date.now();
      if (f < 1 && now - lastEmit < 50 && message === record.snapshot.progress.message) return;
      lastEmit = now;
      this.update(record, { progress: { fraction: f, message } });
    };
    try {
      const result = await record.run(report, record.abort.signal);
      if (record.abort.signal.aborted)
        this.finish(record, { status: 'cancelled', error: cancelledError(record.snapshot.id).toJSON() });
      else
        this.finish(record, {
          status: 'succeeded',
          progress: { fraction: 1, message: 'done' },
          result: result ?? null,
        });
    } catch (error) {
      const e = record.abort.signal.aborted ? cancelledError(record.snapshot.id) : toPbiError(error);
      this.finish(record, {
        status: record.abort.signal.aborted ? 'cancelled' : 'failed',
        error: { code: e.code, message: e.said, issues: e.issues },
      });
    }
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((r) => isFinished(r.snapshot.status));
    for (const r of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) {
      this.jobs.delete(r.snapshot.id);
    }
  }
}

function cancelledError(id: string): PbiError {
  return new PbiError('CANCELLED', `job ${id} was cancelled`);
}
