/**
 * The benchmark harness behind `npm run bench` (DESIGN §7).
 *
 * Runs every `bench/*.bench.ts` (or those whose name contains one of the given words) as its own
 * child process — `node --import tsx FILE [--quick]`, the same as `npx tsx FILE` without the extra
 * npx process — so one benchmark's heap and JIT state never colour another's. Each child prints
 * lines `BENCH {json}` with {work, median_ms, p99_ms?, budget_ms?, peer_ms?, peer?, n}. The harness
 * also preloads a tiny probe that prints the child's own peak RSS (`process.resourceUsage().maxRSS`)
 * when it exits: /usr/bin/time is not on every machine. A benchmark that starts servers of its own
 * may add `rss_mb` to a BENCH line to report their memory instead.
 *
 * Prints one table (work, median, p99, budget, peer, ratio = peer ÷ ours, peak RSS) and writes
 * `bench/results.json` (or `--out FILE`).
 *
 * Usage: tsx bench/run.ts [--quick] [--strict] [--out FILE] [--dir DIR] [NAME ...]
 *   --quick   fewer iterations (CI);  --strict  exit 1 when a median is over its budget;
 *   --dir     where the *.bench.ts files are (default bench/).
 * Exits 1 when a benchmark fails (non-zero exit, or no BENCH line).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface BenchLine {
  readonly work: string;
  readonly median_ms: number;
  readonly p99_ms?: number;
  readonly budget_ms?: number;
  readonly peer_ms?: number;
  readonly peer?: string;
  readonly n?: number;
  readonly rss_mb?: number;
}

interface Result extends BenchLine {
  readonly file: string;
  /** peer_ms ÷ median_ms: how many times faster than the peer (null without a peer). */
  readonly ratio: number | null;
  readonly within_budget: boolean | null;
  readonly peak_rss_mb: number | null;
}

interface Failure {
  readonly file: string;
  readonly reason: string;
  readonly stderr: string;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH_DIR = path.join(ROOT, 'bench');

// Printed by the child itself at exit, on fd 1 synchronously so it cannot be lost.
const PROBE = `import fs from 'node:fs';
process.on('exit', () => {
  fs.writeSync(1, '\\nBENCH_RSS ' + JSON.stringify({ maxRSS_kb: process.resourceUsage().maxRSS }) + '\\n');
});`;

function parseArgs(argv: readonly string[]) {
  const names: string[] = [];
  let quick = false;
  let strict = false;
  let out = path.join(BENCH_DIR, 'results.json');
  let dir = BENCH_DIR;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--quick') quick = true;
    else if (a === '--strict') strict = true;
    else if (a === '--out') out = path.resolve(argv[++i] ?? '');
    else if (a === '--dir') dir = path.resolve(argv[++i] ?? '');
    else if (a.startsWith('--')) throw new Error(`unknown flag ${a}`);
    else names.push(a);
  }
  return { names, quick, strict, out, dir };
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

const fmtMs = (x: number | undefined | null) =>
  x === undefined || x === null ? '' : x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3);

function renderTable(results: readonly Result[]): string {
  const headers = ['work', 'median ms', 'p99 ms', 'budget ms', 'peer', 'ratio', 'peak RSS MB', ''];
  const rows = results.map((r) => [
    r.work,
    fmtMs(r.median_ms),
    fmtMs(r.p99_ms),
    fmtMs(r.budget_ms),
    r.peer_ms === undefined ? '' : `${r.peer ?? 'peer'} ${fmtMs(r.peer_ms)}`,
    r.ratio === null ? '' : `${r.ratio.toFixed(1)}x`,
    r.peak_rss_mb === null ? '' : r.peak_rss_mb.toFixed(0),
    r.within_budget === false ? 'OVER BUDGET' : '',
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 4 || i === 7 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(headers),
    widths
      .map((w) => '-'.repeat(w))
      .join('  ')
      .trimEnd(),
    ...rows.map(line),
  ].join('\n');
}

async function main(): Promise<number> {
  const { names, quick, strict, out, dir } = parseArgs(process.argv.slice(2));
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => names.length === 0 || names.some((n) => f.includes(n)))
    .sort();
  if (files.length === 0) {
    console.error(`no benchmark matches ${names.join(', ')}`);
    return 1;
  }
  const results: Result[] = [];
  const failures: Failure[] = [];
  const started = Date.now();
  for (const file of files) {
    process.stderr.write(`running ${file}${quick ? ' --quick' : ''} …\n`);
    const run = await runChild(path.join(dir, file), quick, (quick ? 5 : 30) * 60_000);
    let rssMb: number | null = null;
    const lines: BenchLine[] = [];
    for (const raw of run.stdout.split('\n')) {
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
    const tail = run.stderr.split('\n').slice(-20).join('\n');
    if (run.timedOut) failures.push({ file, reason: 'timed out', stderr: tail });
    else if (run.code !== 0) failures.push({ file, reason: `exited with code ${run.code}`, stderr: tail });
    else if (lines.length === 0) failures.push({ file, reason: 'printed no BENCH line', stderr: tail });
    for (const l of lines) {
      results.push({
        ...l,
        file,
        ratio: l.peer_ms !== undefined && l.median_ms > 0 ? l.peer_ms / l.median_ms : null,
        within_budget: l.budget_ms === undefined ? null : l.median_ms <= l.budget_ms,
        peak_rss_mb: l.rss_mb ?? rssMb,
      });
    }
  }
  console.log(renderTable(results));
  for (const f of failures) console.log(`FAILED ${f.file}: ${f.reason}${f.stderr ? `\n${f.stderr}` : ''}`);
  const over = results.filter((r) => r.within_budget === false);
  if (over.length > 0)
    console.log(`${over.length} result(s) over budget${quick ? ' (quick mode: indicative only)' : ''}`);
  const document = {
    generated_at: new Date().toISOString(),
    quick,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? null,
    load_average: os.loadavg(),
    duration_s: (Date.now() - started) / 1000,
    results,
    failures,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`results written to ${path.relative(process.cwd(), out) || out}`);
  if (failures.length > 0) return 1;
  if (strict && over.length > 0) return 1;
  return 0;
}

process.exitCode = await main();
