/**
 * Where a command's results go: data to stdout (one JSON document with --json, readable text
 * otherwise), messages and progress to stderr (STYLE §13).
 */
import { escapeUnprintable } from '../../domain/text.js';
import { inCliWords } from './hints.js';
export interface Writer {
  write(text: string): void;
  readonly isTTY?: boolean;
}

export interface Output {
  readonly json: boolean;
  /** Prints the result: `value` as JSON with --json, else the text `render` returns. */
  result(value: unknown, render: () => string): void;
  /** A message for the person at the terminal (stderr). */
  info(message: string): void;
  /** Progress on a terminal only; silent when stderr is not a TTY or with --json. */
  progress(label: string, fraction: number): void;
  /** Ends a progress line. */
  done(): void;
}

export function createOutput(json: boolean, stdout: Writer, stderr: Writer): Output {
  let progressShown = false;
  return {
    json,
    result(value, render) {
      // Text reports echo file content (rejected lines, headers): escape what a terminal would obey.
      stdout.write(
        json ? `${JSON.stringify(inCliWords(value), null, 2)}\n` : `${escapeUnprintable(render())}\n`,
      );
    },
    info(message) {
      stderr.write(`${escapeUnprintable(message)}\n`);
    },
    progress(label, fraction) {
      if (!stderr.isTTY || json) return;
      const pct = Math.max(0, Math.min(100, Math.round(fraction * 100)));
      const bar = '#'.repeat(Math.round(pct / 5)).padEnd(20, '.');
      stderr.write(`\r${label} [${bar}] ${pct}%`);
      progressShown = true;
    },
    done() {
      if (progressShown) stderr.write('\n');
      progressShown = false;
    },
  };
}

/** Renders rows as an aligned text table. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (/^-?[\d.,%]+$/.test(c) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
