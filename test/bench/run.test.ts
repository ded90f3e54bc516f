/**
 * `bench/run.ts --quick` runs benchmarks as child processes, prints the table with each child's peak
 * RSS and writes the results document. Only the draws benchmark is run here, to keep the suite fast.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedHistory } from '../strategies/bundled-draws.js';
import { runProcess } from '../support/child-process.js';

/** "3,838": the shipped history's size as the benchmark names it (it grows with every refresh). */
const SHIPPED_DRAWS = shippedHistory().count.toLocaleString('en-US');

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pbi-bench-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// The harness is bundled to one plain JS file once (esbuild, as the store reliability test does):
// seven runs through tsx paid its TypeScript loading seven times. `import.meta.url` stays the
// source's, so the harness finds bench/ and the project as `npm run bench` does; the benchmarks it
// starts still run through tsx, as there.
const HARNESS = path.join(dir, 'run.mjs');
beforeAll(async () => {
  await build({
    entryPoints: [path.join(ROOT, 'bench', 'run.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(path.join(ROOT, 'bench', 'run.ts')).href) },
    outfile: HARNESS,
    logLevel: 'error',
  });
});

function harness(args: readonly string[], env: Record<string, string> = {}) {
  return runProcess(process.execPath, [HARNESS, ...args], {
    cwd: ROOT,
    timeoutMs: 240_000,
    env: { ...process.env, ...env },
  });
}

describe('bench/run.ts', () => {
  it(
    '--quick runs the draws benchmark, prints the table and writes results.json with peak RSS',
    { timeout: 240_000 },
    async () => {
      const out = path.join(dir, 'results.json');
      const r = await harness(['--quick', '--out', out, 'draws']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/work\s+median ms\s+p99 ms\s+budget ms\s+peer\s+ratio\s+peak RSS MB/);
      expect(r.stdout).toContain(`import full history (${SHIPPED_DRAWS} draws) into a fresh db`);
      expect(r.stdout).toMatch(/analyze full history, --era all/);
      const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
      expect(doc.quick).toBe(true);
      expect(doc.failures).toEqual([]);
      expect(doc.results.length).toBeGreaterThanOrEqual(4);
      for (const res of doc.results) {
        expect(res.file).toBe('draws.bench.ts');
        expect(res.median_ms).toBeGreaterThan(0);
        expect(res.n).toBeGreaterThan(0);
        // Peak RSS of a Node process running SQLite is tens of MB at least, and far below 2 GB.
        expect(res.peak_rss_mb).toBeGreaterThan(20);
        expect(res.peak_rss_mb).toBeLessThan(2048);
      }
    },
  );

  it(
    'reports budgets, peers and failing benchmarks; --strict fails over budget',
    { timeout: 240_000 },
    async () => {
      const benches = path.join(dir, 'benches');
      fs.mkdirSync(benches);
      fs.writeFileSync(
        path.join(benches, 'a-ok.bench.ts'),
        `const big = new Uint8Array(200 * 1024 * 1024).fill(1); // about 200 MB resident
console.log('BENCH ' + JSON.stringify({ work: 'fast thing', median_ms: 2, p99_ms: 3, budget_ms: 5, peer: 'python', peer_ms: 20, n: big[7] }));
console.log('BENCH ' + JSON.stringify({ work: 'slow thing', median_ms: 9, budget_ms: 5, n: 1 }));`,
      );
      fs.writeFileSync(path.join(benches, 'b-crash.bench.ts'), "throw new Error('benchmark broke');");
      const out = path.join(dir, 'mixed.json');
      // No Python probe (importing scikit-learn costs more than these benchmarks): the peer here is
      // the one the line names, and the first test runs the harness with the probe.
      const noPython = { PBI_PEER_PYTHON: 'none' };
      const r = await harness(['--quick', '--out', out, '--dir', benches], noPython);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/fast thing\s+2\.00\s+3\.00\s+5\.00\s+python 20\.00\s+10\.0x/);
      expect(r.stdout).toMatch(/slow thing\s+9\.00\s+5\.00.*OVER BUDGET/);
      expect(r.stdout).toMatch(/FAILED b-crash\.bench\.ts: exited with code 1[\s\S]*benchmark broke/);
      const doc = JSON.parse(fs.readFileSync(out, 'utf8'));
      expect(doc.results.map((x: { within_budget: boolean }) => x.within_budget)).toEqual([true, false]);
      expect(doc.results[0].ratio).toBe(10);
      expect(doc.results[0].peak_rss_mb).toBeGreaterThan(200);
      expect(doc.failures).toHaveLength(1);

      fs.rmSync(path.join(benches, 'b-crash.bench.ts'));
      expect((await harness(['--quick', '--out', out, '--dir', benches], noPython)).status).toBe(0);
      expect((await harness(['--quick', '--strict', '--out', out, '--dir', benches], noPython)).status).toBe(
        1,
      );
      const none = await harness(['--quick', '--out', out, 'no-such-benchmark'], noPython);
      expect(none.status).toBe(1);
      expect(none.stderr).toMatch(/no benchmark matches no-such-benchmark/);
    },
  );

  it(
    '--json prints the document; legacy figures stand in for missing peers; --write-doc and --from render the doc',
    { timeout: 240_000 },
    async () => {
      const benches = path.join(dir, 'design');
      fs.mkdirSync(benches);
      const lines = [
        { work: 'feature engineering, 5,000 draws', median_ms: 5, p99_ms: 6, budget_ms: 10, n: 9 },
        ...[1000, 4000, 16000].map((size) => ({
          work: `scaling thing (${size} rows)`,
          median_ms: size / 1000,
          scale_group: 'scaling thing',
          scale_size: size,
          n: 1,
        })),
      ];
      fs.writeFileSync(
        path.join(benches, 'c.bench.ts'),
        lines.map((l) => `console.log('BENCH ' + ${JSON.stringify(JSON.stringify(l))});`).join('\n'),
      );
      const out = path.join(dir, 'design.json');
      const doc = path.join(dir, 'benchmarks.md');
      const r = await harness(['--json', '--out', out, '--dir', benches, '--write-doc', doc], {
        PBI_PEER_PYTHON: 'none',
      });
      expect(r.status, r.stderr).toBe(0);
      const printed = JSON.parse(r.stdout);
      expect(printed).toEqual(JSON.parse(fs.readFileSync(out, 'utf8')));
      expect(printed.machine.python).toBeNull();
      expect(printed.machine.cpus).toBeGreaterThan(0);
      expect(printed.load.start).toHaveLength(3);
      const [features] = printed.results;
      expect(features).toMatchObject({
        peer: 'legacy figure 200–500 ms',
        peer_ms: 200,
        ratio: 40,
        peer_kind: 'legacy',
      });
      expect(printed.scaling).toEqual([
        expect.objectContaining({
          group: 'scaling thing',
          exponent: expect.closeTo(1, 9),
          peer_exponent: null,
        }),
      ]);
      const md = fs.readFileSync(doc, 'utf8');
      expect(md).toMatch(
        /\| feature engineering, 5,000 draws \| 5\.00 ms \| 6\.00 ms \| 10\.00 ms \| legacy figure 200–500 ms \| 40\.0x \|/,
      );
      expect(md).toMatch(/no Python with scikit-learn/);
      expect(md).toMatch(
        /\| scaling thing \| 1000, 4000, 16000 \| 1\.00, 4\.00, 16\.00 \| ×4\.0, ×4\.0 \| 1\.00 \|/,
      );

      // Re-render from the saved document: same table, nothing re-run.
      fs.rmSync(doc);
      const again = await harness(['--from', out, '--write-doc', doc]);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toMatch(
        /feature engineering, 5,000 draws\s+5\.00\s+6\.00\s+10\.00\s+legacy figure 200–500 ms\s+40\.0x/,
      );
      expect(again.stdout).toMatch(/scaling thing: exponent 1\.00/);
      expect(again.stderr).not.toMatch(/running/);
      expect(fs.readFileSync(doc, 'utf8')).toBe(md);
    },
  );
});
