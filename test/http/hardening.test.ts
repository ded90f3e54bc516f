/**
 * Requests a careless or hostile client sends: each gets a clear 4xx naming what was wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../src/domain/dates.js';
import { MAX_SEED } from '../../src/domain/limits.js';
import { createApp } from '../../src/interfaces/http/app.js';
import { makeTestService, type TestService } from '../support/test-db.js';

let t: TestService;
let app: ReturnType<typeof createApp>['app'];
beforeAll(() => {
  t = makeTestService();
  app = createApp({ service: t.service, staticDir: null }).app;
});
afterAll(() => t.cleanup());

async function errorOf(res: Response): Promise<{ code: string; message: string; issues: unknown[] }> {
  return ((await res.json()) as { error: { code: string; message: string; issues: unknown[] } }).error;
}

describe('malformed multipart bodies are 400, not 500', () => {
  it.each(['/api/draws/import', '/api/models/ridge/predict'])('%s', async (url) => {
    const res = await app.request(url, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=zz' },
      body: 'garbage',
    });
    expect(res.status).toBe(400);
    const e = await errorOf(res);
    expect(e.code).toBe('MALFORMED_FILE');
    expect(e.message).toMatch(/multipart body could not be read/);
  });
});

describe('values that must be refused or echoed right', () => {
  it('scores of an unknown set id are 404 naming it, not a zero score', async () => {
    const made = await app.request('/api/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1, seed: 3, strategy: 'frequency' }),
    });
    expect(made.status).toBe(201);
    const { setId } = (await made.json()) as { setId: string };
    const ok = await app.request(`/api/predictions/scores?sets=${setId}`);
    expect(ok.status).toBe(200);
    const res = await app.request(`/api/predictions/scores?sets=${setId},set_nope`);
    expect(res.status).toBe(404);
    expect((await errorOf(res)).message).toMatch(/no prediction set set_nope/);
  });

  it('a date of year 1 is echoed as 0001-01-01 (not "1-1-1")', async () => {
    const res = await app.request('/api/predictions?since=0001-01-01');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
    expect(() => parseIsoDate('0001-02-30', '--since')).toThrow(/^0001-02-30 is not a real calendar day/);
  });

  it('run ids beyond the safe integers are refused', async () => {
    const res = await app.request('/api/runs/compare?ids=1,9007199254740993');
    expect(res.status).toBe(400);
    const show = await app.request('/api/runs/9007199254740993');
    expect(show.status).toBe(400);
  });

  it('the API and the CLI share one seed limit', async () => {
    const over = await app.request('/api/predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 1, seed: MAX_SEED + 1 }),
    });
    expect(over.status).toBe(400);
    expect(() => t.service.predictor.generate({ count: 1, seed: MAX_SEED + 1 })).toThrow(
      new RegExp(`from 0 to ${MAX_SEED}`),
    );
  });
});
