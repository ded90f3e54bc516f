/**
 * How uploads load a running server: `pbi serve` (in its own process) on a fresh
 * database, then
 *   (a) the latency of GET /api/health, polled every 10 ms, while one 8 MB single-line draw file
 *       is uploaded and parsed (a request that waits long means the event loop was blocked);
 *   (b) the server's peak resident memory (VmHWM) after six such uploads at once.
 * Each upload is refused (one 8 MB line is no draw file); what is measured is what refusing it
 * costs the server. `--valid` uploads a valid file of that size instead (the server's history as
 * indented JSON, padded with blanks; a dry run), which is parsed in a worker and answered 200. Prints one JSON object. `--sources` runs the server from the TypeScript sources
 * (tsx, in every worker thread too) instead of the build (`npm run build` first), which costs more.
 * Usage: npx tsx scripts/upload-load.ts [--mb 8] [--parallel 6] [--sources] [--valid]
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const ROOT = path.resolve(import.meta.dirname, '..');
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MB = arg('--mb', 8);
const PARALLEL = arg('--parallel', 6);

/** The server's peak and current resident memory in MB, from /proc. */
function memoryOf(pid: number): { peakMb: number; rssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) };
}

/**
 * Uploads `body` `count` times at once, from a worker thread: encoding and sending megabytes would
 * otherwise delay this thread's health requests and be blamed on the server. Returns the statuses.
 */
function upload(base: string, body: string, count = 1): Promise<number[]> {
  const code = `
    const { workerData: w, parentPort } = require('node:worker_threads');
    const one = async () => {
      const res = await fetch(w.url, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: w.body });
      await res.arrayBuffer();
      return res.status;
    };
    Promise.all(Array.from({ length: w.count }, one)).then((s) => parentPort.postMessage(s));
  `;
  const url = `${base}/api/draws/import?dryRun=true`;
  const worker = new Worker(code, { eval: true, workerData: { url, body, count } });
  return new Promise((resolve, reject) => {
    worker.once('message', (statuses: number[]) => {
      resolve(statuses);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** Polls /api/health every 10 ms until `done` settles; returns the latencies in ms. */
async function pollHealth(base: string, done: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    const t0 = performance.now();
    await (await fetch(`${base}/api/health`)).arrayBuffer();
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
  return latencies;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-upload-load-'));
  const pbi = process.argv.includes('--sources')
    ? ['--import', 'tsx', path.join(ROOT, 'src/main/cli.ts')]
    : [path.join(ROOT, 'bin/pbi.js')];
  // A valid upload is the stored history: load the bundled one first.
  if (process.argv.includes('--valid'))
    execFileSync(process.execPath, [...pbi, '--db', path.join(dir, 'x.db'), 'init'], { cwd: ROOT });
  const server = spawn(process.execPath, [...pbi, '--db', path.join(dir, 'x.db'), 'serve', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const base = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /on (http:\/\/[^\s]+)/.exec(out);
        if (m) resolve((m[1] as string).replace(/\/$/, ''));
      });
      server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
    });
    // One line of MB megabytes: digits and commas, as a careless export might look; or, with
    // --valid, the server's own history as indented JSON, padded with blanks to MB megabytes.
    const valid = process.argv.includes('--valid');
    const history = valid ? await (await fetch(`${base}/api/draws/export/json`)).text() : '';
    const pretty = JSON.stringify(JSON.parse(history || '[]'), null, 2);
    const line = valid
      ? pretty + ' '.repeat(Math.max(0, MB * 1024 * 1024 - pretty.length))
      : '1,'.repeat((MB * 1024 * 1024) / 2);
    await (await fetch(`${base}/api/health`)).arrayBuffer(); // the first request warms the route up
    const idle = await pollHealth(base, new Promise((r) => setTimeout(r, 2000)));
    const before = memoryOf(server.pid as number);

    const one = upload(base, line);
    const during = await pollHealth(base, one);
    const [oneStatus] = await one;

    const many = upload(base, line, PARALLEL);
    const duringMany = await pollHealth(base, many);
    const statuses = await many;
    const after = memoryOf(server.pid as number);

    const stats = (xs: number[]) => ({
      requests: xs.length,
      maxMs: Math.round(Math.max(...xs)),
      medianMs: Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN),
    });
    console.log(
      JSON.stringify(
        {
          uploadMb: MB,
          load: os.loadavg().map((x) => Math.round(x * 10) / 10),
          healthIdle: stats(idle),
          healthDuringOneUpload: stats(during),
          oneUploadStatus: oneStatus,
          healthDuringParallelUploads: stats(duringMany),
          parallel: PARALLEL,
          parallelStatuses: statuses,
          serverMemoryBefore: before,
          serverMemoryAfter: after,
        },
        null,
        2,
      ),
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
