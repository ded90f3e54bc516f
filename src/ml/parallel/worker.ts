/**
 * Worker thread entry of the pool (pool.ts): runs units of a job until the shared counter runs out,
 * then posts the results and flags itself finished. Claims a job with a compare-and-swap so a job
 * the caller already finished alone (and cancelled) is skipped.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { boostGroup, type BoostingJob } from '../gradient-boosting.js';
import { growForestTree, type ForestJob } from '../random-forest.js';
import { TreeGrower } from '../tree/tree-grower.js';
import { ACTIVE, FINISHED, PENDING, type JobMessage, type ResultMessage } from './pool.js';

const port = (workerData as { port: MessagePort }).port;

function runner(kind: JobMessage['kind'], job: unknown): (i: number) => unknown {
  if (kind === 'forest') {
    const j = job as ForestJob;
    const grower = new TreeGrower(j.binned, j.nOutputs, j.params.bootstrap);
    return (i) => growForestTree(j, i, grower);
  }
  const j = job as BoostingJob;
  const grower = new TreeGrower(j.binned, 1, false);
  return (i) => boostGroup(j, i, grower);
}

parentPort?.on('message', (msg: JobMessage) => {
  const ctl = new Int32Array(msg.control);
  const at = 2 + msg.slot;
  if (Atomics.compareExchange(ctl, at, PENDING, ACTIVE) !== PENDING) return;
  const results: [number, unknown][] = [];
  let reply: ResultMessage;
  try {
    const run = runner(msg.kind, msg.job);
    for (;;) {
      const i = Atomics.add(ctl, 0, 1);
      if (i >= msg.units) break;
      results.push([i, run(i)]);
      Atomics.add(ctl, 1, 1);
    }
    reply = { ok: true, results, jobId: msg.jobId };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e), results, jobId: msg.jobId };
  }
  port.postMessage(reply);
  Atomics.store(ctl, at, FINISHED);
  Atomics.notify(ctl, at);
});

parentPort?.postMessage('ready');
