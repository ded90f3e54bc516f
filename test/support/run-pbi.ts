/**
 * Runs `pbi` for tests. `runPbi` runs the CLI in this process (the same `runCli` the executable
 * calls, with the environment given to `resolveConfig`): no node start-up and no module loading per
 * call, which made the CLI tests slow and, with many children at once, starved the test runner's
 * workers. `runPbiBinary` (child-process.ts) runs the real executable (node bin/pbi.js, built by
 * `npm run build`) as a child process, for the smoke tests that prove the binary itself works and
 * for what needs a separate process (a kill, a working folder, memory limits).
 */
import { runCli } from '../../src/interfaces/cli/program.js';
import { packageVersion, resolveConfig } from '../../src/main/config.js';
import type { PbiRun } from './child-process.js';

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
