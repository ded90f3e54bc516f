/**
 * How to start a worker thread that runs a given module: the one bootstrap shared by the fit pool
 * (pool.ts), tuning trials and background tasks. Built JavaScript runs as is. A TypeScript source
 * (tests, benchmarks run through tsx) cannot be loaded by a bare worker, which does not inherit the
 * parent's loader, so a small bootstrap registers tsx in the worker first. Where tsx cannot be
 * found (an installed package without dev dependencies runs the .js build anyway), there is no
 * worker and callers run the work in their own thread.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The script and `eval` option to give `new Worker` for a module. */
export interface WorkerStart {
  readonly script: URL | string;
  readonly eval: boolean;
}

/** The ESM entry of tsx's API (`tsx/esm/api`, import condition). @throws when tsx is not installed. */
function resolveTsxApi(): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('tsx/esm/api');
  // vitest's module runner has no import.meta.resolve; read the package's export map instead.
  const pkgFile = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const entry = pkg.exports['./esm/api']?.import?.default;
  if (!entry) throw new Error('tsx has no ./esm/api export');
  return pathToFileURL(path.join(path.dirname(pkgFile), entry)).href;
}

let tsxApi: string | null | undefined;

/** How to start a worker running `entry` (a module URL), or null when none can run it. */
export function workerStart(entry: URL): WorkerStart | null {
  if (entry.pathname.endsWith('.js')) return { script: entry, eval: false };
  if (tsxApi === undefined) {
    try {
      tsxApi = resolveTsxApi();
    } catch {
      tsxApi = null;
    }
  }
  if (tsxApi === null) return null;
  return {
    script:
      `import(${JSON.stringify(tsxApi)})` +
      `.then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`,
    eval: true,
  };
}
