/**
 * `pbi bench` through the built binary in a real process: it runs the package's harness and prints
 * the table, or with --json the results document; a name that matches nothing is bad input.
 * (`npm test` builds first; run `npm run build` before running this file alone.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shippedHistory } from '../strategies/bundled-draws.js';
import { runProcess } from '../support/child-process.js';

/** "3,838": the shipped history's size as the benchmark names it (it grows with every refresh). */
const SHIPPED_DRAWS = shippedHistory().count.toLocaleString('en-US');

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function pbi(args: readonly string[]) {
  return runProcess(
    process.execPath,
    [path.join(ROOT, 'bin', 'pbi.js'), '--db', path.join(dir, 'x.db'), ...args],
    {
      cwd: dir,
      timeoutMs: 240_000,
      env: { ...process.env, PBI_PEER_PYTHON: 'none' },
    },
  );
}

describe('pbi bench', () => {
  it(
    '--json --quick draws: one JSON document with the draws benchmarks, written where --out says',
    { timeout: 240_000 },
    async () => {
      const out = path.join(dir, 'r.json');
      const r = await pbi(['--json', 'bench', '--quick', '--out', out, 'draws']);
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc).toEqual(JSON.parse(fs.readFileSync(out, 'utf8')));
      expect(doc.quick).toBe(true);
      expect(doc.failures).toEqual([]);
      expect(doc.results.map((x: { work: string }) => x.work)).toContain(
        `import full history (${SHIPPED_DRAWS} draws) into a fresh db`,
      );
      for (const res of doc.results) expect(res.peak_rss_mb).toBeGreaterThan(20);
      expect(r.stderr).toMatch(/running draws\.bench\.ts --quick/);
      // Benchmarks never touch the user's database.
      expect(fs.existsSync(path.join(dir, 'x.db'))).toBe(false);
    },
  );

  it(
    'prints the table as text, and a name that matches no benchmark exits 1',
    { timeout: 240_000 },
    async () => {
      const out = path.join(dir, 't.json');
      const r = await pbi(['bench', '--quick', '--out', out, 'draws']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/work\s+median ms\s+p99 ms\s+budget ms\s+peer\s+ratio\s+peak RSS MB/);
      expect(r.stdout).toMatch(/analyze current era \(incl\. db read\)/);
      expect(r.stdout).toMatch(/peers: legacy figures \(no python3-sklearn\)/);
      expect(r.stdout).toContain(`results written to ${out}`);

      const none = await pbi(['bench', '--quick', '--out', out, 'no-such-benchmark']);
      expect(none.status).toBe(1);
      expect(none.stderr).toMatch(/no benchmark matches no-such-benchmark/);
    },
  );
});
