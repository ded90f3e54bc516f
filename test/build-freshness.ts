/**
 * Tests of the built executable (`node bin/pbi.js`, which runs dist/) and of the built dashboard
 * (dist/web) must test the current sources: a missing or stale build fails them with a message
 * that says what to run, never skips them or tests yesterday's code.
 */
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
const SRC = path.join(ROOT, 'src');
const WEB_APP = path.join(SRC, 'interfaces', 'web', 'app');

/** The newest file under `dir` (recursively) with its modification time, skipping `exclude`. */
function newestFile(dir: string, exclude?: string): { file: string; mtimeMs: number } {
  let best = { file: '', mtimeMs: 0 };
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (full === exclude) continue;
    const candidate = entry.isDirectory()
      ? newestFile(full, exclude)
      : { file: full, mtimeMs: fs.statSync(full).mtimeMs };
    if (candidate.mtimeMs > best.mtimeMs) best = candidate;
  }
  return best;
}

/** Why `output` does not reflect the sources under `sourceDir` (null when it does). */
function buildProblem(output: string, sourceDir: string, exclude?: string): string | null {
  const rel = (p: string) => path.relative(ROOT, p);
  if (!fs.existsSync(output)) return `${rel(output)} is missing`;
  const built = fs.statSync(output).mtimeMs;
  const newest = newestFile(sourceDir, exclude);
  if (newest.mtimeMs > built) return `${rel(output)} is older than ${rel(newest.file)}`;
  return null;
}

/** Why dist/main/cli.js does not reflect src/ (the dashboard app aside), or null. */
export function cliBuildProblem(): string | null {
  return buildProblem(path.join(ROOT, 'dist', 'main', 'cli.js'), SRC, WEB_APP);
}

/** Why dist/web does not reflect the dashboard app's sources, or null. */
export function webBuildProblem(): string | null {
  return buildProblem(path.join(ROOT, 'dist', 'web', 'index.html'), WEB_APP);
}

/** @throws Error saying what to run when dist/ does not reflect the sources. */
export function requireFreshCliBuild(): void {
  const problem = cliBuildProblem();
  if (problem) throw new Error(`stale build: ${problem}; run \`npm run build\` (npm test does) first`);
}
