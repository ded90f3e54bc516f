/**
 * Worker thread entry of the pool (pool.ts): runs units of a batch until the shared counter runs out,
 * then posts the results and flags itself finished. Claims a batch with a compare-and-swap so a batch
 * the caller already finished alone (and cancelled) is skipped.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { boostGroup, type BoostingBatch } from '../gradient-boosting.js';
import { growForestTree, type ForestBatch } from '../random-forest.js';
import { TreeGrower } from '../tree/tree-grower.js';
import { ACTIVE, FINISHED, PENDING, type BatchMessage, type ResultMessage } from './pool.js';

const port = (workerData as { port: MessagePort }).port;

function runner(kind: BatchMessage['kind'], batch: unknown): (i: number) => unknown {
  if (kind === 'forest') {
    const j = batch as ForestBatch;
    const grower = new TreeGrower(j.binned, j.nOutputs, j.params.bootstrap);
    return (i) => growForestTree(j, i, grower);
  }
  const j = batch as BoostingBatch;
  const grower = new TreeGrower(j.binned, 1, false);
  return (i) => boostGroup(j, i, grower);
}

parentPort?.on('message', (msg: BatchMessage) => {
  const ctl = new Int32Array(msg.control);
  const at = 2 + msg.slot;
  if (Atomics.compareExchange(ctl, at, PENDING, ACTIVE) !== PENDING) return;
  const results: [number, unknown][] = [];
  let reply: ResultMessage;
  try {
    const run = runner(msg.kind, msg.batch);
    for (;;) {
      const i = Atomics.add(ctl, 0, 1);
      if (i >= msg.units) break;
      results.push([i, run(i)]);
      Atomics.add(ctl, 1, 1);
    }
    reply = { ok: true, results, batchId: msg.batchId };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e), results, batchId: msg.batchId };
  }
  port.postMessage(reply);
  Atomics.store(ctl, at, FINISHED);
  Atomics.notify(ctl, at);
});

parentPort?.postMessage('ready');
