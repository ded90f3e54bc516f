/**
 * Child processes for tests, without loading the CLI into this process: what run-pbi.ts offers
 * besides the in-process `runPbi` lives here (run-pbi.ts re-exports it), so the files that only
 * start processes (the benchmark, Python peer and pickle budget tests) do not pay the CLI's module
 * loading at import.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireFreshCliBuild } from '../build-freshness.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'pbi.js');

export interface PbiRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
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

export function tempDir(prefix = 'pbi-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface ProcessRun {
  /** Exit status, null when killed by a signal (as spawnSync reports it). */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command as a child process without blocking this thread. Tests use it instead of
 * spawnSync: a synchronous child blocks the test worker's event loop, and a child that runs for a
 * minute on a busy machine made the runner's RPC time out ("Timeout calling onTaskUpdate").
 */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
