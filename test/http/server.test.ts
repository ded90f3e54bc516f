/**
 * The API against real listening servers: startServer on a random port, and the `pbi serve`
 * executable as a child process (needs `npm run build`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/interfaces/http/server.js';
import { requireFreshCliBuild } from '../build-freshness.js';
import { makeTestService, ROOT, type TestService } from '../support/test-db.js';
import { serveTestService, switchableTaskRunner } from '../support/test-server.js';

/**
 * While `jobRunner.inThread.on` is set, API jobs run in this thread instead of a worker: the failing training
 * below is about the failed job's machine code over a real server, and a worker's TypeScript loading
 * costs seconds of CPU (job-service.test.ts checks a worker's error arrives with its code).
 */
const jobRunner = switchableTaskRunner();

/** GET through `agent`: the status, and whether the request went out on a socket used before. */
function agentGet(agent: http.Agent, url: string): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

/** The content of a file next to (outside) the served build. */
const SECRET = 'file-outside-the-build-4f1c9e';

/** GET over a raw socket, the path byte for byte as given (fetch and URL normalise `..`). */
async function rawGet(
  port: number,
  target: string,
): Promise<{ requestLine: string; status: number; body: string }> {
  const requestLine = `GET ${target} HTTP/1.1`;
  const socket = net.connect(port, '127.0.0.1');
  socket.write(`${requestLine}\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
  return { requestLine, status, body: text.slice(text.indexOf('\r\n\r\n') + 4) };
}

describe('startServer', () => {
  let t: TestService;
  let server: RunningServer;
  let staticDir: string;
  beforeAll(async () => {
    t = makeTestService();
    staticDir = path.join(t.dir, 'web');
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(
      path.join(staticDir, 'index.html'),
      '<!doctype html><title>dash</title>' + ' '.repeat(2000),
    );
    fs.writeFileSync(path.join(staticDir, 'assets', 'app-abc123.js'), 'console.log(1);');
    fs.writeFileSync(path.join(t.dir, 'secret.txt'), SECRET);
    server = await startServer({ service: t.service, host: '127.0.0.1', port: 0, staticDir });
  });
  afterAll(async () => {
    await server.close();
    t.cleanup();
  });

  it('listens on a random loopback port and answers the API', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/api/draws?last=1`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { draws: { date: string }[] }).draws[0]?.date).toBe('2026-08-05');
    const bad = await fetch(`${server.url}/api/draws?last=x`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
  });

  it("keeps an idle keep-alive socket usable past Node's default 5 s, as browsers reuse them", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await agentGet(agent, `${server.url}/api/health`);
      expect(first).toEqual({ status: 200, reused: false });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      // Had the server closed the idle socket, the agent would have dropped it and opened a new one.
      expect(await agentGet(agent, `${server.url}/api/health`)).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 20_000);

  it('serves the dashboard from memory: gzip, caching, client routes, and nothing outside the build', async () => {
    const index = await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<title>dash</title>');
    const asset = await fetch(`${server.url}/assets/app-abc123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log(1);');
    // A client-side route gets index.html.
    expect(await (await fetch(`${server.url}/numbers`)).text()).toContain('<title>dash</title>');
  });

  it('never serves a file outside the build, for paths sent raw (not normalised by a client)', async () => {
    // Expected status per raw path: 404 for every dotted form (the server resolves them inside its
    // own root), 400 where Node's HTTP parser refuses the request line (a backslash).
    const paths: [string, number][] = [
      ['/../secret.txt', 404],
      ['/%2e%2e/secret.txt', 404],
      ['/assets/../../secret.txt', 404],
      ['/assets/..%2f..%2fsecret.txt', 404],
      ['/assets/%2e%2e/%2e%2e/secret.txt', 404],
      ['/..\\secret.txt', 400],
      ['/secret.txt', 404],
    ];
    for (const [p, status] of paths) {
      const res = await rawGet(server.port, p);
      // The request line went out exactly as written (fetch would have resolved the dots first).
      expect(res.requestLine).toBe(`GET ${p} HTTP/1.1`);
      expect(res.body, p).not.toContain(SECRET);
      expect(res.status, p).toBe(status);
    }
    // A dotted path that stays inside the build is still served.
    const inside = await rawGet(server.port, '/assets/../assets/app-abc123.js');
    expect(inside.status).toBe(200);
    expect(inside.body).toContain('console.log(1);');
  });

  it('streams job progress over SSE to a real client', async () => {
    const job = server.jobs.start('demo', {}, async (report) => {
      for (let i = 1; i <= 3; i++) {
        await new Promise((r) => setTimeout(r, 80));
        report(i / 4, `step ${i}`);
      }
      return { answer: 42 };
    });
    const res = await fetch(`${server.url}/api/jobs/${job.id}/events`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({
      event: m[1],
      job: JSON.parse(m[2] as string),
    }));
    expect(events.at(-1)?.event).toBe('done');
    expect(events.at(-1)?.job).toMatchObject({ status: 'succeeded', result: { answer: 42 } });
    const messages = events.map((e) => e.job.progress.message);
    expect(messages).toEqual(expect.arrayContaining(['step 1', 'step 2', 'step 3']));
    const fractions = events.map((e) => e.job.progress.fraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    const polled = (await (await fetch(`${server.url}/api/jobs/${job.id}`)).json()) as { status: string };
    expect(polled.status).toBe('succeeded');
  });
});

describe('binding rules', () => {
  let t: TestService;
  beforeAll(() => {
    t = makeTestService({ load: false });
  });
  afterAll(() => t.cleanup());

  it('refuses a non-loopback address without a token', async () => {
    await expect(
      startServer({ service: t.service, host: '0.0.0.0', port: 0, staticDir: null }),
    ).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(
      startServer({ service: t.service, host: '0.0.0.0', port: 0, staticDir: null, token: 'short' }),
    ).rejects.toMatchObject({
      code: 'USAGE',
    });
  });

  it('on 0.0.0.0 with a token, requires it for writes over the network', async () => {
    const s = await startServer({
      service: t.service,
      host: '0.0.0.0',
      port: 0,
      staticDir: null,
      token: 'a-long-enough-token',
    });
    try {
      const url = `http://127.0.0.1:${s.port}/api/draws`;
      const body = JSON.stringify({ date: '2016-01-02', whites: [1, 2, 3, 4, 5], powerball: 1 });
      const no = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(no.status).toBe(401);
      const yes = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer a-long-enough-token' },
        body,
      });
      expect(yes.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('reports a port in use as a clear error', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(
        startServer({ service: t.service, host: '127.0.0.1', port, staticDir: null }),
      ).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('already in use'),
      });
    } finally {
      blocker.close();
    }
  });
});

describe('pbi serve (child process)', () => {
  let t: TestService;
  beforeAll(() => {
    // bin/pbi.js runs dist/: a missing or stale build fails here, saying to build.
    requireFreshCliBuild();
    t = makeTestService();
    t.service.close();
  });
  afterAll(() => {
    if (t) fs.rmSync(t.dir, { recursive: true, force: true });
  });

  function serve(args: string[], env: Record<string, string> = {}) {
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'bin/pbi.js'), '--db', t.config.dbPath, '--json', 'serve', ...args],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const ready = new Promise<{ url: string; tokenRequired: boolean }>((resolve, reject) => {
      child.stdout.on('data', () => {
        try {
          resolve(JSON.parse(stdout));
        } catch {
          /* not complete yet */
        }
      });
      void exited.then(() => reject(new Error(`exited: ${stderr}`)));
    });
    ready.catch(() => {}); // awaited by the tests that expect a start
    return { child, ready, exited, stderr: () => stderr };
  }

  it('serves until SIGTERM, then exits 0', async () => {
    const s = serve(['--port', '0']);
    const info = await s.ready;
    expect(info.tokenRequired).toBe(false);
    const res = await fetch(`${info.url}/api/health`);
    expect(await res.json()).toEqual({ ok: true, draws: 3838 });
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('takes the token from PBI_TOKEN and refuses 0.0.0.0 without one (exit 2)', async () => {
    const refused = serve(['--host', '0.0.0.0', '--port', '0'], { PBI_TOKEN: '' });
    expect(await refused.exited).toBe(2);
    expect(refused.stderr()).toContain('PBI_TOKEN');

    const s = serve(['--host', '0.0.0.0', '--port', '0'], { PBI_TOKEN: 'token-from-the-environment' });
    const info = await s.ready;
    expect(info.tokenRequired).toBe(true);
    const port = new URL(info.url).port;
    const res = await fetch(`http://127.0.0.1:${port}/api/draws/update`, { method: 'POST' });
    expect(res.status).toBe(401);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });
});

describe('training job on a real server', () => {
  const served = serveTestService({ runTask: jobRunner.runTask });

  it('streams progress while a worker trains, and the server keeps answering meanwhile', async () => {
    const res = await fetch(`${served.server.url}/api/train`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'ridge', folds: 4 }),
    });
    expect(res.status).toBe(202);
    const job = (await res.json()) as { id: string };
    const stream = await fetch(`${served.server.url}/api/jobs/${job.id}/events`);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    // What the server said about the job just after it answered the health check.
    let duringHealth: { status: number; job: string; fraction: number } | null = null;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (!duringHealth && /"status":"running"/.test(text)) {
        // The event loop is free while the worker trains: a read answers at once, and the job is
        // still running when the answer has arrived.
        const health = await fetch(`${served.server.url}/api/health`);
        const snapshot = served.server.jobs.get(job.id);
        duringHealth = { status: health.status, job: snapshot.status, fraction: snapshot.progress.fraction };
      }
    }
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => ({
      event: m[1],
      job: JSON.parse(m[2] as string) as {
        status: string;
        progress: { fraction: number; message: string };
        result: unknown;
      },
    }));
    const progress = events.filter((e) => e.event === 'progress' && e.job.status === 'running');
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(new Set(progress.map((e) => e.job.progress.message)).size).toBeGreaterThanOrEqual(2);
    expect(progress.some((e) => /fold/.test(e.job.progress.message))).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'done', job: { status: 'succeeded' } });
    expect(duringHealth).toMatchObject({ status: 200, job: 'running' });
    expect(duringHealth?.fraction).toBeLessThan(1);
    const { models } = (await (await fetch(`${served.server.url}/api/models`)).json()) as {
      models: { name: string; activeVersion: number | null }[];
    };
    // Registered, but not active: the legacy ridge does not beat the naive baselines.
    expect(models).toEqual([expect.objectContaining({ name: 'ridge', versions: 1, activeVersion: null })]);
  });

  it('reports a training failure as a failed job with its machine code', async () => {
    const empty = makeTestService({ load: false });
    const s = await startServer({
      service: empty.service,
      host: '127.0.0.1',
      port: 0,
      staticDir: null,
      runTask: jobRunner.runTask,
    });
    jobRunner.inThread.on = true;
    try {
      const job = (await (
        await fetch(`${s.url}/api/train`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"model":"ridge"}',
        })
      ).json()) as { id: string };
      const done = await s.jobs.wait(job.id);
      expect(done).toMatchObject({ status: 'failed', error: { code: 'INSUFFICIENT_DATA' } });
    } finally {
      jobRunner.inThread.on = false;
      await s.close();
      empty.cleanup();
    }
  });
});
