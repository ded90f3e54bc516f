/**
 * Runs the real `pbi` executable (node bin/pbi.js, built by `npm run build`) as a child process.
 * Asynchronous, so a test can serve HTTP from its own process while the CLI downloads.
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

/** `node bin/pbi.js ...args`, with extra environment variables. */
export function runPbi(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<PbiRun> {
  requireFreshCliBuild(); // a missing or stale dist/ fails saying to build, never tests old code
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
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

export function tempDir(prefix = 'pbi-cli-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** sha256 of a file (to prove a database was left byte-for-byte unchanged). */
export function fileHash(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
