/**
 * A child process for the reliability tests: stores prediction sets into a database.
 * Usage: node --import tsx test/store/writer-child.ts DB_FILE WRITER_ID COUNT|forever|hold (the test
 * bundles it to plain JS first)
 * Each set is tagged in `notes` with `WRITER:INDEX` and holds 1 + INDEX % 7 tickets, so the parent
 * can check every set is complete. Prints `begin N` before and `stored N` after each set when COUNT
 * is `forever` (stdout to a pipe is synchronous on Linux, so the parent sees each line at once).
 * `hold`: stores sets 0..2, then stores set 3 inside an open transaction, prints
 * `holding 3 visible=<sets this connection sees>` and blocks until killed: a kill certainly mid-write.
 */
import type { IsoDate } from '../../src/domain/dates.js';
import { openStore } from '../../src/store/store.js';

const [file, writer, countText] = process.argv.slice(2);
if (!file || !writer || !countText) throw new Error('usage: writer-child DB WRITER COUNT|forever');
const forever = countText === 'forever';
const hold = countText === 'hold';
const count = forever ? Number.POSITIVE_INFINITY : hold ? 3 : Number(countText);

const store = openStore(file);
let failures = 0;
function storeSet(i: number): void {
  const size = 1 + (i % 7);
  store.predictions.storePredictions({
    source: `writer-${writer}`,
    targetDrawDate: '2026-01-03' as IsoDate,
    createdAt: new Date(Date.UTC(2026, 0, 2, 0, 0, 0, i)).toISOString(),
    seed: i,
    weights: { frequency: 0.5, ml: 0.5 },
    notes: `${writer}:${i}`,
    tickets: Array.from({ length: size }, (_, k) => ({
      whites: [1 + k, 10 + k, 20 + k, 30 + k, 40 + ((i + k) % 29)],
      powerball: 1 + ((i + k) % 26),
      probability: 1e-8,
      contributions: { frequency: 0.5, ml: 0.5 },
    })),
  });
}

for (let i = 0; i < count; i++) {
  if (forever) process.stdout.write(`begin ${i}\n`);
  try {
    storeSet(i);
  } catch (error) {
    failures++;
    process.stderr.write(`writer ${writer} set ${i}: ${(error as Error).message}\n`);
  }
  if (forever) process.stdout.write(`stored ${i}\n`);
}
if (hold) {
  store.transaction(() => {
    storeSet(3);
    const visible = store.predictions.findSets({ source: `writer-${writer}`, limit: 100 }).items.length;
    process.stdout.write(`holding 3 visible=${visible}\n`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until SIGKILL
  });
}
store.close();
process.stdout.write(`done ${writer} failures=${failures}\n`);
process.exitCode = failures === 0 ? 0 : 1;
