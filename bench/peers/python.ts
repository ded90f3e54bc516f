/**
 * Running the Python peers (bench/peers/*.py) from a benchmark: scikit-learn/numpy measured in the
 * same run, on the same data, when Debian's `python3-sklearn` is installed.
 *
 * The interpreter is `/usr/bin/python3` (Debian's, where python3-sklearn lives), or `$PBI_PEER_PYTHON`
 * when set. `PBI_PEER_PYTHON=none` turns the peers off, so the legacy figures of DESIGN §7 are used
 * (the harness test relies on it).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PEERS_DIR = path.dirname(fileURLToPath(import.meta.url));

/** Versions of the Python stack the peers run on. */
export interface PythonStack {
  readonly python: string;
  readonly executable: string;
  readonly sklearn: string;
  readonly numpy: string;
}

let cached: PythonStack | null | undefined;

/** The interpreter with scikit-learn and numpy, or null when there is none (peers are skipped). */
export function sklearnStack(): PythonStack | null {
  if (cached !== undefined) return cached;
  const executable = process.env.PBI_PEER_PYTHON ?? '/usr/bin/python3';
  if (executable === 'none' || executable === '') return (cached = null);
  const r = spawnSync(
    executable,
    [
      '-c',
      'import json, platform, sklearn, numpy; print(json.dumps({"python": platform.python_version(), "sklearn": sklearn.__version__, "numpy": numpy.__version__}))',
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) return (cached = null);
  const v = JSON.parse(r.stdout.trim()) as { python: string; sklearn: string; numpy: string };
  return (cached = { executable, ...v });
}

/**
 * Runs `bench/peers/<script>` with `args` and parses the last line of its stdout as JSON.
 * @throws Error with the script's stderr when it fails or times out.
 */
export function runPeer<T>(script: string, args: readonly string[], timeoutMs = 30 * 60_000): T {
  const stack = sklearnStack();
  if (!stack) throw new Error('no Python with scikit-learn for the peers');
  const r = spawnSync(stack.executable, [path.join(PEERS_DIR, script), ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.trim().split('\n').slice(-5).join('\n');
    throw new Error(`peer ${script} failed: ${why}`);
  }
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

/** The label a BENCH line carries for a scikit-learn peer. */
export function sklearnLabel(stack: PythonStack): string {
  return `scikit-learn ${stack.sklearn}`;
}
