/**
 * Draw-file uploads against a real listening server: a runaway line is refused while the body is
 * still arriving, and large valid files uploaded in parallel are all imported.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../src/services/draw-import/limits.js';
import { INLINE_PARSE_BYTES } from '../../src/interfaces/http/routes/draws.js';
import { serveTestService, switchableTaskRunner } from '../support/test-server.js';

/**
 * While `jobRunner.inThread.on` is set, an upload past INLINE_PARSE_BYTES is parsed in this thread instead of
 * a worker: where the test is about the line limit, not the worker, it does not pay a worker's
 * TypeScript loading (seconds of CPU). The six uploads at once still go through workers.
 */
const jobRunner = switchableTaskRunner();
const served = serveTestService({ runTask: jobRunner.runTask });

interface RawResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * Sends the head of a POST that declares `declared` bytes and then only `sent` of them, keeping the
 * connection open: resolves with the response the server gives without waiting for the rest.
 */
function postPartly(path: string, contentType: string, declared: number, sent: Buffer): Promise<RawResponse> {
  const { port } = new URL(served.server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let received = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const text = received.toString('utf8');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = Number(/content-length: (\d+)/i.exec(text.slice(0, headEnd))?.[1] ?? NaN);
      const body = text.slice(headEnd + 4);
      if (Buffer.byteLength(body) < length) return;
      socket.destroy();
      resolve({ status: Number(text.slice(9, 12)), body });
    });
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: ${contentType}\r\n` +
        `Content-Length: ${declared}\r\n\r\n`,
    );
    socket.write(sent); // and never the rest
  });
}

describe('a line longer than any draw line', () => {
  it('is refused (400 naming the line) before the rest of the body arrives', async () => {
    const oneLine = Buffer.from('1,'.repeat(512 * 1024)); // 1 MB, no newline
    const res = await postPartly('/api/draws/import', 'text/csv', 8 * 1024 * 1024, oneLine);
    expect(res.status).toBe(400);
    const { error } = JSON.parse(res.body) as { error: { code: string; message: string; issues: unknown[] } };
    expect(error.code).toBe('MALFORMED_FILE');
    expect(error.message).toBe(
      `upload: line 1 is longer than ${MAX_LINE_BYTES} bytes; no draw file has lines that long`,
    );
    expect(error.issues).toEqual([{ where: 'upload:1', reason: `line over ${MAX_LINE_BYTES} bytes` }]);
  });

  it('is named by its line number, and in a multipart upload by the file name', async () => {
    const lines = `draw_date,white_1\n2020-01-01,1\n${'9'.repeat(MAX_LINE_BYTES + 1)}\n`;
    const raw = await fetch(`${served.server.url}/api/draws/import`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: lines,
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { message: string } }).error.message).toMatch(
      /^upload: line 3 is longer than/,
    );
    const form = new FormData();
    form.set('file', new File([lines], 'runaway.csv', { type: 'text/csv' }));
    const multipart = await fetch(`${served.server.url}/api/draws/import`, { method: 'POST', body: form });
    expect(multipart.status).toBe(400);
    expect(((await multipart.json()) as { error: { message: string } }).error.message).toMatch(
      /^runaway\.csv: line 3 is longer than/,
    );
  });

  it('does not apply to JSON, where a whole valid file is one line', async () => {
    const draws = await (await fetch(`${served.server.url}/api/draws/export/json`)).text();
    const minified = JSON.stringify(JSON.parse(draws));
    expect(minified.length).toBeGreaterThan(MAX_LINE_BYTES);
    jobRunner.inThread.on = true;
    const res = await fetch(`${served.server.url}/api/draws/import?dryRun=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: minified,
    }).finally(() => (jobRunner.inThread.on = false));
    expect(res.status).toBe(200);
    const report = (await res.json()) as { inserted: number; unchanged: number };
    expect(report.inserted).toBe(0);
    expect(report.unchanged).toBe(served.service.draws.count());
  });
});

describe('six large uploads at once', () => {
  it('are each answered correctly: the valid ones imported, the broken ones refused', async () => {
    const draws = JSON.parse(
      await (await fetch(`${served.server.url}/api/draws/export/json`)).text(),
    ) as unknown[];
    // Indented, the history is a valid file larger than what is parsed inline.
    const big = JSON.stringify(draws, null, 8);
    expect(big.length).toBeGreaterThan(INLINE_PARSE_BYTES);
    const broken = big.replace(/"2020-01-0(\d)"/, '"2020-01-32"');
    const statuses = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const res = await fetch(`${served.server.url}/api/draws/import?dryRun=true`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: i % 2 === 0 ? big : broken,
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      }),
    );
    for (const [i, { status, body }] of statuses.entries()) {
      if (i % 2 === 0) {
        expect(status).toBe(200);
        expect(body).toMatchObject({ inserted: 0, unchanged: draws.length });
      } else {
        expect(status).toBe(400);
        expect(JSON.stringify(body)).toMatch(/2020-01-32/);
      }
    }
  });
});
