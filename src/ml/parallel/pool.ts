/**
 * Spreads independent units of work (the trees of a forest, the outputs of a boosting run) over
 * worker threads while keeping `Regressor.fit` synchronous: the calling thread takes units too,
 * from a shared atomic counter, then blocks (Atomics.wait) until the workers that joined have
 * finished and reads their results synchronously (receiveMessageOnPort). A worker that has not
 * started yet (still booting) is cancelled instead of waited for, and any unit a worker failed to
 * return is redone locally, so results never depend on threads: each unit carries its own seed.
 *
 * One `runUnits` call is a batch: its description (`ForestBatch`, `BoostingBatch`) goes to every
 * worker once. ("Job" is kept for the background jobs a client polls, services/job-service.ts.)
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { workerStart } from './worker-start.js';

/** The kinds of batch a worker knows how to run (see worker.ts). */
export type BatchKind = 'forest' | 'boosting';

/** Message from the pool to a worker. */
export interface BatchMessage {
  readonly kind: BatchKind;
  readonly batch: unknown;
  readonly units: number;
  /** Int32 control block: [0] next unit, [1] units done, [2 + slot] state of each worker. */
  readonly control: SharedArrayBuffer;
  readonly slot: number;
  /** Echoed in the reply, so a late reply to an abandoned batch is never taken for another's. */
  readonly batchId: number;
}

/** Message from a worker back to the pool. */
export interface ResultMessage {
  readonly ok: boolean;
  readonly error?: string;
  readonly results: [number, unknown][];
  readonly batchId: number;
}

/** Worker states in the control block. */
export const PENDING = 0;
export const ACTIVE = 1;
export const CANCELLED = 2;
export const FINISHED = 3;

interface PoolWorker {
  readonly worker: Worker;
  readonly port: MessagePort;
  alive: boolean;
  /** Settles when the worker has loaded its code (or died). */
  readonly ready: Promise<void>;
}

const pool: PoolWorker[] = [];
let lastBatchId = 0;
/** A worker that finishes no unit for this long is given up on (its units are redone locally). */
const STALL_MS = 300_000;
/** Units whose results came from worker threads, since the process started (for tests and benches). */
let remoteUnits = 0;

/** How many units worker threads have returned so far. */
export function remoteUnitCount(): number {
  return remoteUnits;
}

/** Threads to use: the requested number, else the machine's parallelism, at most 4. */
export function resolveThreads(requested?: number): number {
  if (requested !== undefined && Number.isInteger(requested) && requested >= 1) return requested;
  return Math.max(1, Math.min(4, availableParallelism()));
}

function spawn(): PoolWorker | null {
  const fromSource = new URL(import.meta.url).pathname.endsWith('.ts');
  const start = workerStart(new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url));
  if (!start) return null;
  const { port1, port2 } = new MessageChannel();
  try {
    const worker = new Worker(start.script, {
      eval: start.eval,
      workerData: { port: port2 },
      transferList: [port2],
    });
    let settle = (): void => undefined;
    const ready = new Promise<void>((resolve) => (settle = resolve));
    const pw: PoolWorker = { worker, port: port1, alive: true, ready };
    worker.on('message', (m) => m === 'ready' && settle());
    worker.on('error', () => {
      pw.alive = false;
      settle();
    });
    worker.on('exit', () => {
      pw.alive = false;
      settle();
    });
    // After the listeners: adding a 'message' listener refs the worker again. Unreferenced, idle
    // workers never keep a finished process alive.
    worker.unref();
    port1.unref();
    return pw;
  } catch {
    return null;
  }
}

function workers(count: number): PoolWorker[] {
  for (let i = pool.length - 1; i >= 0; i--) if (!pool[i]?.alive) pool.splice(i, 1);
  while (pool.length < count) {
    const w = spawn();
    if (!w) break;
    pool.push(w);
  }
  return pool.slice(0, count);
}

/**
 * Starts the worker threads now, so their start-up overlaps other work; the promise settles when
 * they have loaded their code (or failed to).
 */
export async function warmUpWorkers(threads?: number): Promise<void> {
  const ws = workers(resolveThreads(threads) - 1);
  // Idle workers are unreferenced; hold them while waiting, or the process could end meanwhile.
  for (const w of ws) w.worker.ref();
  try {
    await Promise.all(ws.map((w) => w.ready));
  } finally {
    for (const w of ws) w.worker.unref();
  }
}

/** Stops every worker thread (tests and benchmarks that want a clean exit). */
export async function shutDownWorkers(): Promise<void> {
  const all = pool.splice(0, pool.length);
  await Promise.all(all.map((w) => w.worker.terminate()));
}

export interface RunUnitsSpec<R> {
  readonly kind: BatchKind;
  /** Structured-cloneable description of the work, identical for every unit. */
  readonly batch: unknown;
  readonly units: number;
  readonly threads?: number;
  /** Runs unit i on the calling thread. */
  readonly local: (i: number) => R;
  /** Rebuilds a unit's result received from a worker (class instances arrive as plain data). */
  readonly revive: (value: unknown) => R;
  /** Called with the number of units done so far (non-decreasing). */
  readonly onDone?: (done: number) => void;
}

/** Runs `units` independent units and returns their results in unit order. */
export function runUnits<R>(spec: RunUnitsSpec<R>): R[] {
  const { units, local } = spec;
  const results = new Array<R | undefined>(units);
  const threads = Math.min(resolveThreads(spec.threads), units);
  const helpers = threads > 1 ? workers(threads - 1) : [];
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (2 + helpers.length)));
  const batchId = ++lastBatchId;
  helpers.forEach((w, slot) => {
    const msg: BatchMessage = {
      kind: spec.kind,
      batch: spec.batch,
      units,
      control: ctl.buffer as SharedArrayBuffer,
      slot,
      batchId,
    };
    w.worker.postMessage(msg);
  });
  let reported = 0;
  const report = (done: number): void => {
    if (done > reported) {
      reported = done;
      spec.onDone?.(done);
    }
  };
  for (;;) {
    const i = Atomics.add(ctl, 0, 1);
    if (i >= units) break;
    results[i] = local(i);
    report(Atomics.add(ctl, 1, 1) + 1);
  }
  helpers.forEach((w, slot) => {
    const at = 2 + slot;
    if (Atomics.compareExchange(ctl, at, PENDING, CANCELLED) === PENDING) return; // never started
    // Wait while the worker makes progress; a worker that died mid-batch (its 'exit' event cannot
    // arrive while this thread blocks) or stalls for STALL_MS is abandoned and its units redone here.
    let lastDone = Atomics.load(ctl, 1);
    let lastChange = Date.now();
    while (Atomics.load(ctl, at) !== FINISHED) {
      Atomics.wait(ctl, at, ACTIVE, 200);
      const done = Atomics.load(ctl, 1);
      if (done !== lastDone) {
        lastDone = done;
        lastChange = Date.now();
      } else if (!w.alive || Date.now() - lastChange > STALL_MS) {
        w.alive = false;
        void w.worker.terminate();
        return;
      }
    }
    for (;;) {
      const msg = receiveMessageOnPort(w.port)?.message as ResultMessage | undefined;
      if (!msg) return;
      if (msg.batchId !== batchId) continue; // a reply to an earlier, abandoned batch
      for (const [i, value] of msg.results) {
        if (Number.isInteger(i) && i >= 0 && i < units && results[i] === undefined) {
          results[i] = spec.revive(value);
          remoteUnits++;
        }
      }
      return;
    }
  });
  for (let i = 0; i < units; i++) if (results[i] === undefined) results[i] = local(i);
  report(units);
  return results as R[];
}
