/**
 * Runs `pbi` for tests. `runPbi` runs the CLI in this process (the same `runCli` the executable
 * calls, with the environment given to `resolveConfig`): no node start-up and no module loading per
 * call, which made the CLI tests slow and, with many children at once, starved the test runner's
 * workers. `runPbiBinary` runs the real executable (node bin/pbi.js, built by `npm run build`) as a
 * child process, for the smoke tests that prove the binary itself works and for what needs a
 * separate process (a kill, a working folder, memory limits).
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { requireFreshCliBuild } from '../build-freshness.js';
import { runCli } from '../../src/interfaces/cli/program.js';
import { packageVersion, resolveConfig } from '../../src/main/config.js';
import { ROOT } from './child-process.js';

export { ROOT, runProcess, tempDir, type ProcessRun } from './child-process.js';

const BIN = path.join(ROOT, 'bin', 'pbi.js');

export interface PbiRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `pbi ...args` in this process, with extra environment variables (over this process's, with
 * `PBI_DB` cleared as for the binary). `timeoutMs` is kept for callers of the former child-process
 * version; an in-process run ends with its command.
 */
export async function runPbi(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<PbiRun> {
  void timeoutMs;
  let stdout = '';
  let stderr = '';
  const merged: NodeJS.ProcessEnv = { ...process.env, PBI_DB: '', ...env };
  const code = await runCli(
    args,
    {
      stdout: { write: (s) => void (stdout += s) },
      stderr: { write: (s) => void (stderr += s) },
      version: packageVersion(),
    },
    (db) => resolveConfig(db, merged),
  );
  return { code, stdout, stderr };
}

export interface BinaryOptions {
  /** Working folder of the child (default: the project folder). */
  readonly cwd?: string;
  /** Extra node flags, e.g. `--max-old-space-size=1024`. */
  readonly nodeArgs?: readonly string[];
}

/** `node bin/pbi.js ...args` as a child process, with extra environment variables. */
export function runPbiBinary(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
  options: BinaryOptions = {},
): Promise<PbiRun> {
  requireFreshCliBuild(); // a missing or stale dist/ fails saying to build, never tests old code
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, PBI_DB: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** sha256 of a file (to prove a database was left byte-for-byte unchanged). */
export function fileHash(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
