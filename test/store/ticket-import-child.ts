/**
 * A child process for the ticket reliability tests: imports batches of tickets from CSV, each batch
 * one import (one transaction), through the ticket service.
 * Usage: node ticket-import-child.mjs DB_FILE WRITER_ID COUNT|forever (bundled to plain JS first)
 * Batch i of writer W holds 50 + i % 50 tickets noted `W:i`, each for 4 draws from 2026-07-01, so the
 * parent can check every batch is whole. Prints `imported i` after each batch when COUNT is forever.
 */
import path from 'node:path';
import { TicketService } from '../../src/services/ticket-service.js';
import { openStore } from '../../src/store/store.js';

const [file, writer, countText] = process.argv.slice(2);
if (!file || !writer || !countText) throw new Error('usage: ticket-import-child DB WRITER COUNT|forever');
const forever = countText === 'forever';
const count = forever ? Number.POSITIVE_INFINITY : Number(countText);

const store = openStore(file);
const config = Object.freeze({
  dbPath: file,
  bundledDataDir: path.resolve('data/powerball'),
  backupDir: path.join(path.dirname(file), 'backups'),
  backupKeep: 1,
  updateUrl: 'http://127.0.0.1:9/',
  httpTimeoutMs: 1000,
});
const tickets = new TicketService({ config, store, clock: { now: () => new Date('2026-08-06T12:00:00Z') } });
let failures = 0;
for (let i = 0; i < count; i++) {
  const size = 50 + (i % 50);
  const lines = ['first_draw_date,white_1,white_2,white_3,white_4,white_5,powerball,draws,power_play,note'];
  for (let k = 0; k < size; k++)
    lines.push(
      `2026-07-01,${1 + (k % 13)},${20 + (i % 7)},${30 + (k % 9)},${45 + (i % 5)},${60 + (k % 9)},${1 + ((i + k) % 26)},4,${k % 2 ? 'yes' : 'no'},${writer}:${i}`,
    );
  try {
    tickets.importText(`${lines.join('\n')}\n`, `${writer}-${i}.csv`);
  } catch (error) {
    failures++;
    process.stderr.write(`writer ${writer} batch ${i}: ${(error as Error).message}\n`);
  }
  if (forever) process.stdout.write(`imported ${i}\n`);
}
store.close();
process.exitCode = failures === 0 ? 0 : 1;
