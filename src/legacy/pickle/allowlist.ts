/**
 * The allowlist, read from the reconstructor table: every spelling of every global that has a
 * reconstructor, and nothing else. Looking a global up here is the parser's only way to a value
 * for it, so an unlisted global is refused with its name (see reconstructors.ts).
 */
import { RECONSTRUCTORS, type Reconstructor } from './reconstructors.js';

export type AllowRole = Reconstructor['role'];

/** How an allowed global is rebuilt, under its canonical name. */
export type AllowEntry = Reconstructor & { readonly canonical: string };

const table = new Map<string, AllowEntry>();
for (const { reconstructor, canonical, aliases } of RECONSTRUCTORS) {
  const entry: AllowEntry = { ...reconstructor, canonical };
  for (const written of [canonical, ...aliases]) {
    // A spelling listed twice would silently shadow the first reconstructor.
    if (table.has(written)) throw new Error(`pickle global ${written} has two reconstructors`);
    table.set(written, entry);
  }
}

/** The allowlist entry for `module.name`, or undefined if the global is refused. */
export function allowed(module: string, name: string): AllowEntry | undefined {
  return table.get(`${module}.${name}`);
}

/** The allowlist entry for a joined `module.name` as recorded in a `PyGlobal`. */
export function allowedWritten(written: string): AllowEntry | undefined {
  return table.get(written);
}

/** Every allowed `module.name` (for documentation and tests). */
export function allowedGlobals(): string[] {
  return [...table.keys()].sort();
}
