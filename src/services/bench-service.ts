/**
 * `pbi bench`: runs the benchmark harness of the package (bench/run.ts, the same as `npm run bench`)
 * in a child process and hands back its table and results document. The benchmarks are TypeScript
 * run through tsx, so they need the package's development dependencies; without them this says so
 * instead of failing halfway.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PbiError } from '../domain/errors.js';

/** The package root: this file is `src/services/` or `dist/services/` below it. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface BenchRequest {
  /** Fewer iterations and sizes (what CI runs). */
  readonly quick?: boolean;
  /** Fail when a median is over its budget. */
  readonly strict?: boolean;
  /** Only benchmarks whose file name contains one of these words. */
  readonly names?: readonly string[];
  /** Where to write the results document (default: the package's bench/results.json, else a temp file). */
  readonly out?: string;
  /** Each line the harness prints on stderr (which benchmark is running). */
  readonly onProgress?: (line: string) => void;
}

/** The harness's results document (see bench/report.ts, `ResultsDocument`). */
export interface BenchDocument {
  readonly generated_at: string;
  readonly quick: boolean;
  readonly results: readonly {
    readonly work: string;
    readonly median_ms: number;
    readonly [k: string]: unknown;
  }[];
  readonly failures: readonly { readonly file: string; readonly reason: string }[];
  readonly [k: string]: unknown;
}

export interface BenchReport {
  /** The table as the harness printed it. */
  readonly text: string;
  readonly document: BenchDocument;
  readonly resultsFile: string;
  /** The harness's exit code: 0, or 1 when a benchmark failed (or, with `strict`, went over budget). */
  readonly exitCode: number;
}

function defaultOut(): string {
  const dir = path.join(PACKAGE_ROOT, 'bench');
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return path.join(dir, 'results.json');
  } catch {
    return path.join(os.tmpdir(), 'pbi-bench-results.json');
  }
}

/**
 * Runs the benchmarks.
 * @throws PbiError NOT_FOUND when the benchmarks or tsx are not installed, or no benchmark matches
 * `names`; INTERNAL when the harness ends without a results document.
 */
export async function runBenchmarks(request: BenchRequest = {}): Promise<BenchReport> {
  const harness = path.join(PACKAGE_ROOT, 'bench', 'run.ts');
  if (!fs.existsSync(harness)) {
    throw new PbiError('NOT_FOUND', `the benchmarks are not part of this installation (no ${harness})`);
  }
  try {
    createRequire(path.join(PACKAGE_ROOT, 'package.json')).resolve('tsx');
  } catch {
    throw new PbiError(
      'NOT_FOUND',
      `the benchmarks run TypeScript through tsx, a development dependency that is not installed; ` +
        `run \`npm install\` in ${PACKAGE_ROOT}`,
    );
  }
  const resultsFile = path.resolve(request.out ?? defaultOut());
  const args = ['--import', 'tsx', harness, '--out', resultsFile];
  if (request.quick) args.push('--quick');
  if (request.strict) args.push('--strict');
  args.push(...(request.names ?? []));
  const started = Date.now() - 1000;

  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let partial = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        const text = c.toString();
        err += text;
        partial += text;
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) if (l.trim()) request.onProgress?.(l);
      });
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c ?? 1, stdout: out, stderr: err }));
    },
  );
  if (/no benchmark matches/.test(stderr)) {
    throw new PbiError('NOT_FOUND', `no benchmark matches ${(request.names ?? []).join(', ')}`);
  }
  let document: BenchDocument | null = null;
  try {
    document = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as BenchDocument;
  } catch {
    document = null;
  }
  // An older results file left there by an earlier run is not this run's.
  if (document === null || !(Date.parse(document.generated_at) >= started)) {
    throw new PbiError(
      'INTERNAL',
      `the benchmark harness ended (code ${code}) without results: ${stderr.trim().slice(-500)}`,
    );
  }
  // The harness's last line names the results file; the caller reports it its own way.
  const text = stdout.replace(/\n?results written to .*\n?$/, '').trimEnd();
  return { text, document, resultsFile, exitCode: code };
}
