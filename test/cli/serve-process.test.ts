/**
 * `pbi serve` runs the server in a child node started with `--max-semi-space-size=2` (bin/pbi.js,
 * for the 150 MB RSS budget): the child really has the flag, a signal to `pbi` stops the server
 * gracefully once, the exit code comes through, and a `pbi` killed outright leaves no server behind.
 * Reads /proc to find the child, so Linux only.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runPbi, tempDir } from './run-pbi.js';

const BIN = path.join(ROOT, 'bin', 'pbi.js');
const linux = process.platform === 'linux';

function children(pid: number): number[] {
  return fs
    .readdirSync(`/proc/${pid}/task`)
    .flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/))
    .filter((s) => s.length > 0)
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe.skipIf(!linux)('pbi serve process', () => {
  let dir: string;
  let db: { file: string };
  beforeAll(async () => {
    dir = tempDir();
    db = { file: path.join(dir, 'pbi.db') };
    expect((await runPbi(['--db', db.file, 'init'])).code).toBe(0);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function serve(nodeFlags: string[] = []) {
    const child = spawn(
      process.execPath,
      [...nodeFlags, BIN, '--db', db.file, '--json', 'serve', '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) =>
      child.on('exit', (code, signal) => r({ code, signal })),
    );
    const ready = new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => {
        try {
          resolve((JSON.parse(stdout) as { url: string }).url);
        } catch {
          /* not complete yet */
        }
      });
      void exited.then(() => reject(new Error(`exited: ${stderr}`)));
    });
    return { child, ready, exited, stderr: () => stderr };
  }

  const refused = async (url: string) => {
    try {
      await fetch(`${url}/api/health`);
      return false;
    } catch {
      return true;
    }
  };

  it('serves from a child node with a 2 MB young generation; SIGINT stops it gracefully, exit 0', async () => {
    const s = serve();
    const url = await s.ready;
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    const [server] = children(s.child.pid as number);
    expect(server).toBeDefined();
    const argv = fs.readFileSync(`/proc/${server}/cmdline`, 'utf8').split('\0');
    expect(argv).toContain('--max-semi-space-size=2');
    expect(argv).toContain('serve');
    s.child.kill('SIGINT');
    expect(await s.exited).toEqual({ code: 0, signal: null });
    // Stopped the graceful way, once (a second SIGINT would have cut the stop short).
    expect(s.stderr().match(/stopping/g)).toHaveLength(1);
    expect(alive(server as number)).toBe(false);
  });

  it('a pbi killed outright leaves no server behind', async () => {
    const s = serve();
    const url = await s.ready;
    const [server] = children(s.child.pid as number);
    s.child.kill('SIGKILL');
    await s.exited;
    expect(await until(async () => !alive(server as number) && (await refused(url)))).toBe(true);
  });

  it('with the flag already on the node command line, serves in that one process', async () => {
    const s = serve(['--max-semi-space-size=4']);
    const url = await s.ready;
    expect(children(s.child.pid as number)).toEqual([]);
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    s.child.kill('SIGTERM');
    expect((await s.exited).code).toBe(0);
  });

  it('a usage error in serve comes through with its exit code and message', async () => {
    const bad = await runPbi(['--db', db.file, 'serve', '--port', '99999']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--port must be a whole number');
  });
});
