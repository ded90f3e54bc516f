/**
 * Lasso over the API on a real database: train it as a job, tune its alpha, and bad
 * hyperparameters rejected at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/interfaces/http/app.js';
import { makeTestService, type TestService } from '../support/test-db.js';

describe('lasso over the API', () => {
  let t: TestService;
  let app: ReturnType<typeof createApp>['app'];
  let jobs: ReturnType<typeof createApp>['jobs'];
  const post = (path: string, body: unknown) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const get = async (path: string) => (await app.request(path)).json() as Promise<Record<string, unknown>>;

  beforeAll(() => {
    t = makeTestService();
    ({ app, jobs } = createApp({ service: t.service, staticDir: null }));
  });
  afterAll(async () => {
    await jobs.idle();
    t.cleanup();
  });

  it('rejects a negative or non-numeric alpha at once, naming it', async () => {
    for (const alpha of [-1, 'abc']) {
      const res = await post('/api/train', { model: 'lasso', params: { alpha } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('INVALID_INPUT');
      expect(body.error.message).toMatch(/alpha/);
    }
    expect(jobs.list()).toHaveLength(0);
  });

  it('trains lasso as a job and lists it as a lasso model', async () => {
    const res = await post('/api/train', { model: 'lasso', params: { alpha: 3 }, folds: 2 });
    expect(res.status).toBe(202);
    const done = await jobs.wait(((await res.json()) as { id: string }).id);
    expect(done.status).toBe('succeeded');
    const shown = (await get('/api/models/lasso@1')) as {
      version: { kind: string; hyperparameters: Record<string, unknown> };
    };
    expect(shown.version).toMatchObject({
      kind: 'lasso',
      hyperparameters: { alpha: 3, fit_intercept: true, max_iter: 1000, tol: 0.0001 },
    });
  });

  it('tunes lasso alpha as a job, one tracked run per value', async () => {
    const res = await post('/api/tune', {
      model: 'lasso',
      search: 'grid',
      params: { alpha: [1, 10] },
      folds: 2,
      experiment: 'lasso-api',
    });
    expect(res.status).toBe(202);
    const done = await jobs.wait(((await res.json()) as { id: string }).id);
    expect(done.status).toBe('succeeded');
    const trials = (await get('/api/runs?experiment=lasso-api&kind=trial')) as {
      runs: { status: string; params: { alpha: number } }[];
    };
    expect(trials.runs.map((r) => r.params.alpha).sort((a, b) => a - b)).toEqual([1, 10]);
    expect(trials.runs.every((r) => r.status === 'finished')).toBe(true);
  });
});
