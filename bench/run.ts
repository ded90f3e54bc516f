/**
 * The benchmark harness behind `npm run bench` and `pbi bench` (DESIGN §7, issue 9).
 *
 * Runs every `bench/*.bench.ts` (or those whose name contains one of the given words) as its own
 * child process — `node --import tsx FILE [--quick]` — so one benchmark's heap and JIT state never
 * colour another's. Each child prints lines `BENCH {json}` with {work, median_ms, p99_ms?, budget_ms?,
 * peer_ms?, peer?, n, unit?, scale_group?, scale_size?}. The harness preloads a tiny probe that prints
 * the child's own peak RSS (`process.resourceUsage().maxRSS`) when it exits: /usr/bin/time is not on
 * every machine. A benchmark that starts servers of its own may add `rss_mb` to report theirs.
 *
 * Prints one table (work, median, p99, budget, peer, ratio = peer ÷ ours, peak RSS), where a row
 * without a measured peer gets the legacy Python figure of DESIGN §7, then how cost grows with size,
 * and writes `bench/results.json` (or `--out FILE`) with the machine and its load during the run.
 *
 * Usage: tsx bench/run.ts [--quick] [--strict] [--json] [--out FILE] [--dir DIR]
 *                         [--write-doc [FILE]] [--from RESULTS.json] [NAME ...]
 *   --quick      fewer iterations and sizes (CI);   --strict  exit 1 when a median is over budget;
 *   --json       print the results document on stdout instead of the table;
 *   --dir        where the *.bench.ts files are (default bench/);
 *   --write-doc  also write docs/benchmarks.md (or FILE) from the results;
 *   --from       render (and --write-doc) an earlier results document instead of running.
 * Exits 1 when a benchmark fails (non-zero exit, or no BENCH line).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sklearnStack } from './peers/python.js';
import {
  type BenchLine,
  type Failure,
  renderDoc,
  renderScaling,
  renderTable,
  type Result,
  type ResultsDocument,
  scalingCurves,
  toResult,
} from './report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(ROOT, 'bench');

// Printed by the child itself at exit, on fd 1 synchronously so it cannot be lost.
const PROBE = `import fs from 'node:fs';
process.on('exit', () => {
  fs.writeSync(1, '\\nBENCH_RSS ' + JSON.stringify({ maxRSS_kb: process.resourceUsage().maxRSS }) + '\\n');
});`;

interface Options {
  readonly names: string[];
  readonly quick: boolean;
  readonly strict: boolean;
  readonly json: boolean;
  readonly out: string;
  readonly dir: string;
  readonly doc: string | null;
  readonly from: string | null;
}

function parseArgs(argv: readonly string[]): Options {
  const names: string[] = [];
  let quick = false;
  let strict = false;
  let json = false;
  let out = path.join(BENCH_DIR, 'results.json');
  let dir = BENCH_DIR;
  let doc: string | null = null;
  let from: string | null = null;
  const value = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--quick') quick = true;
    else if (a === '--strict') strict = true;
    else if (a === '--json') json = true;
    else if (a === '--out') out = path.resolve(value(++i, a));
    else if (a === '--dir') dir = path.resolve(value(++i, a));
    else if (a === '--from') from = path.resolve(value(++i, a));
    else if (a === '--write-doc') {
      const next = argv[i + 1];
      doc =
        next !== undefined && next.endsWith('.md')
          ? path.resolve((i++, next))
          : path.join(ROOT, 'docs', 'benchmarks.md');
    } else if (a.startsWith('--')) throw new Error(`unknown flag ${a}`);
    else names.push(a);
  }
  return { names, quick, strict, json, out, dir, doc, from };
}

function runChild(
  file: string,
  quick: boolean,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(PROBE)}`, file];
    if (quick) args.push('--quick');
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** Runs the benchmarks and builds the results document. */
async function run(opts: Options): Promise<ResultsDocument | null> {
  const files = fs
    .readdirSync(opts.dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => opts.names.length === 0 || opts.names.some((n) => f.includes(n)))
    .sort();
  if (files.length === 0) {
    console.error(`no benchmark matches ${opts.names.join(', ')}`);
    return null;
  }
  const loadStart = os.loadavg();
  const samples: number[] = [loadStart[0] as number];
  const sampler = setInterval(() => samples.push(os.loadavg()[0] as number), 5000);
  const results: Result[] = [];
  const failures: Failure[] = [];
  const started = Date.now();
  try {
    for (const file of files) {
      process.stderr.write(`running ${file}${opts.quick ? ' --quick' : ''} …\n`);
      const t0 = Date.now();
      const child = await runChild(path.join(opts.dir, file), opts.quick, (opts.quick ? 5 : 30) * 60_000);
      let rssMb: number | null = null;
      const lines: BenchLine[] = [];
      for (const raw of child.stdout.split('\n')) {
        if (raw.startsWith('BENCH_RSS '))
          rssMb = (JSON.parse(raw.slice(10)) as { maxRSS_kb: number }).maxRSS_kb / 1024;
        else if (raw.startsWith('BENCH ')) {
          try {
            lines.push(JSON.parse(raw.slice(6)) as BenchLine);
          } catch {
            failures.push({ file, reason: `unreadable BENCH line: ${raw.slice(0, 200)}`, stderr: '' });
          }
        }
      }
      const tail = child.stderr.split('\n').slice(-20).join('\n');
      if (child.timedOut) failures.push({ file, reason: 'timed out', stderr: tail });
      else if (child.code !== 0)
        failures.push({ file, reason: `exited with code ${child.code}`, stderr: tail });
      else if (lines.length === 0) failures.push({ file, reason: 'printed no BENCH line', stderr: tail });
      for (const l of lines) results.push(toResult(l, file, rssMb));
      process.stderr.write(`  ${lines.length} result(s) in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    }
  } finally {
    clearInterval(sampler);
  }
  const stack = sklearnStack();
  return {
    generated_at: new Date().toISOString(),
    quick: opts.quick,
    machine: {
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      cpus: os.availableParallelism(),
      cpu_model: os.cpus()[0]?.model?.trim() ?? null,
      memory_gb: os.totalmem() / 1024 ** 3,
      node: process.version,
      python: stack ? { python: stack.python, sklearn: stack.sklearn, numpy: stack.numpy } : null,
    },
    load: {
      start: loadStart,
      end: os.loadavg(),
      mean_1m: samples.reduce((a, b) => a + b, 0) / samples.length,
    },
    duration_s: (Date.now() - started) / 1000,
    results,
    failures,
    scaling: scalingCurves(results),
  };
}

/** An earlier document with its derived fields (peers, budgets, growth) worked out again by today's rules. */
function rederive(doc: ResultsDocument): ResultsDocument {
  const results = doc.results.map((r) => toResult(r, r.file, r.peak_rss_mb));
  return { ...doc, results, scaling: scalingCurves(results) };
}

async function main(): Promise<number> {
  let opts: Options;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const doc = opts.from
    ? rederive(JSON.parse(fs.readFileSync(opts.from, 'utf8')) as ResultsDocument)
    : await run(opts);
  if (!doc) return 1;
  const over = doc.results.filter((r) => r.within_budget === false);
  if (opts.json) process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  else {
    console.log(renderTable(doc.results));
    for (const f of doc.failures)
      console.log(`FAILED ${f.file}: ${f.reason}${f.stderr ? `\n${f.stderr}` : ''}`);
    if (over.length > 0)
      console.log(`${over.length} result(s) over budget${doc.quick ? ' (quick mode: indicative only)' : ''}`);
    const scaling = renderScaling(doc.scaling);
    if (scaling) console.log(`\n${scaling}`);
    const [l1] = doc.load.start;
    console.log(
      `\n${doc.machine.cpus} cores, load ${l1?.toFixed(1)} at the start, mean ${doc.load.mean_1m.toFixed(1)}; ` +
        `peers: ${doc.machine.python ? `scikit-learn ${doc.machine.python.sklearn}` : 'legacy figures (no python3-sklearn)'}`,
    );
  }
  const note = (s: string) => (opts.json ? process.stderr : process.stdout).write(`${s}\n`);
  if (!opts.from) {
    fs.mkdirSync(path.dirname(opts.out), { recursive: true });
    fs.writeFileSync(opts.out, `${JSON.stringify(doc, null, 2)}\n`);
    note(`results written to ${path.relative(process.cwd(), opts.out) || opts.out}`);
  }
  if (opts.doc) {
    fs.mkdirSync(path.dirname(opts.doc), { recursive: true });
    fs.writeFileSync(opts.doc, renderDoc(doc));
    note(`documentation written to ${path.relative(process.cwd(), opts.doc) || opts.doc}`);
  }
  if (doc.failures.length > 0) return 1;
  if (opts.strict && over.length > 0) return 1;
  return 0;
}

process.exitCode = await main();
