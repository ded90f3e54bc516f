/**
 * Long-running work (training) as jobs a client can poll or stream: each job has an id, a status,
 * a progress fraction with a message, and its result or error once finished. Jobs run one at a time
 * (training uses every core it can; two at once would only halve each other's speed), the rest wait
 * in order. Jobs live in memory: they are a view of work in progress, the results themselves are
 * stored by the services the job calls.
 */
import { ConflictError, type ErrorIssue, NotFoundError, toPbiError } from '../domain/errors.js';
import type { Clock } from './context.js';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobError {
  readonly code: string;
  readonly message: string;
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
  /** Jobs allowed to wait behind the running one; more are refused. */
  readonly maxQueued?: number;
}

interface JobRecord {
  snapshot: JobSnapshot;
  readonly run: (report: ProgressReporter) => unknown;
  readonly listeners: Set<JobListener>;
  readonly done: Promise<JobSnapshot>;
  resolve: (job: JobSnapshot) => void;
}

export class JobService {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly queue: JobRecord[] = [];
  private running: JobRecord | null = null;
  private counter = 0;
  private readonly keepFinished: number;
  private readonly maxQueued: number;

  constructor(
    private readonly clock: Clock,
    options: JobServiceOptions = {},
  ) {
    this.keepFinished = options.keepFinished ?? 50;
    this.maxQueued = options.maxQueued ?? 10;
  }

  /**
   * Queues a job and returns its first snapshot at once. `run` may be synchronous or return a
   * promise; what it returns (or throws, as a PbiError) becomes the job's result (or error).
   * @throws ConflictError when `maxQueued` jobs are already waiting.
   */
  start(kind: string, params: unknown, run: (report: ProgressReporter) => unknown): JobSnapshot {
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

  /** Resolves when no job is queued or running (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.running || this.queue.length > 0) {
      const pending = this.running ?? this.queue[0];
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
    if (this.running) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = next;
    void this.execute(next).finally(() => {
      this.running = null;
      this.forgetOld();
      this.pump();
    });
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
      const result = await record.run(report);
      this.update(record, {
        status: 'succeeded',
        finishedAt: this.clock.now().toISOString(),
        progress: { fraction: 1, message: 'done' },
        result: result ?? null,
      });
    } catch (error) {
      const e = toPbiError(error);
      this.update(record, {
        status: 'failed',
        finishedAt: this.clock.now().toISOString(),
        error: { code: e.code, message: e.message, issues: e.issues },
      });
    }
    record.listeners.clear();
    record.resolve(record.snapshot);
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter(
      (r) => r.snapshot.status === 'succeeded' || r.snapshot.status === 'failed',
    );
    for (const r of finished.slice(0, Math.max(0, finished.length - this.keepFinished))) {
      this.jobs.delete(r.snapshot.id);
    }
  }
}
