/**
 * `pbi serve` keeps V8's young generation at its initial size (bin/pbi.js sets
 * `--semi-space-growth-factor=1` at run time, for the 150 MB RSS budget), in one process: the
 * mechanism really works on this node (it is not a documented guarantee, so a node upgrade that
 * breaks it fails here), and the server still starts, answers and stops gracefully on SIGINT.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runProcess } from '../support/child-process.js';
import { runPbi } from '../support/run-pbi.js';
import { makeTestDb } from '../support/test-db.js';

const BIN = path.join(ROOT, 'bin', 'pbi.js');

/** Young-generation size (both semi-spaces, bytes) after churning 3 million short-lived objects. */
async function youngGeneration(setFlag: boolean): Promise<number> {
  const script = `
    import v8 from 'node:v8';
    if (${setFlag}) v8.setFlagsFromString('--semi-space-growth-factor=1');
    const keep = [];
    for (let i = 0; i < 3e6; i++) { const o = { a: i, b: 'x' + i }; if (i % 1000 === 0) keep.push(o); }
    const s = v8.getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
    console.log(s.space_size);`;
  const run = await runProcess(process.execPath, ['--input-type=module', '-e', script]);
  expect(run.status).toBe(0);
  return Number(run.stdout.trim());
}

describe('pbi serve memory and process', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    ({ dir, dbPath: db } = makeTestDb({ name: 'pbi.db' }));
    expect((await runPbi(['--db', db, 'init'])).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the growth factor set at run time keeps the young generation at its initial 2 MB', async () => {
    const MB = 1024 * 1024;
    expect(await youngGeneration(false)).toBeGreaterThan(4 * MB); // V8's default grows it
    expect(await youngGeneration(true)).toBeLessThanOrEqual(2 * MB);
  });

  it('serves in one process and stops gracefully on SIGINT with exit 0', async () => {
    const child = spawn(process.execPath, [BIN, '--db', db, '--json', 'serve', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        stdout += d;
        try {
          resolve((JSON.parse(stdout) as { url: string }).url);
        } catch {
          /* not complete yet */
        }
      });
      void exited.then(() => reject(new Error(`exited: ${stderr}`)));
    });
    const res = await fetch(`${url}/api/predictions?limit=5`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toEqual([]);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('stopping');
  });

  it('a usage error in serve comes through with its exit code and message', async () => {
    const bad = await runPbi(['--db', db, 'serve', '--port', '99999']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be a whole number');
  });
});
