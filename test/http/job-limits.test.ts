/**
 * One request must not kill the server: hyperparameters have upper bounds, a job's estimated work
 * is checked before it is accepted, jobs can be cancelled and only a configured number run at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/interfaces/http/app.js';
import { MAX_WORK } from '../../src/ml/work.js';
import { JobService, type JobSnapshot } from '../../src/services/job-service.js';
import { fixedClock, makeTestService, type TestService } from '../support/test-db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let t: TestService;
let app: ReturnType<typeof createApp>['app'];
let jobs: JobService;
beforeAll(() => {
  t = makeTestService();
  const built = createApp({ service: t.service, staticDir: null });
  app = built.app;
  jobs = built.jobs;
});
afterAll(async () => {
  await jobs.idle();
  t.cleanup();
});

const post = (url: string, body: unknown) =>
  app.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('limits checked before a job is accepted', () => {
  it('a billion trees is a 400 naming the parameter and its bound, and no job is queued', async () => {
    const res = await post('/api/train', { model: 'random_forest', params: { n_estimators: 1_000_000_000 } });
    expect(res.status).toBe(400);
    const e = ((await res.json()) as { error: { message: string } }).error;
    expect(e.message).toMatch(/nEstimators must be an integer >= 1 and <= 2000/);
    expect(jobs.list()).toEqual([]);
  });

  it('every tree parameter has an upper bound', async () => {
    for (const params of [{ max_depth: 10_000 }, { min_samples_leaf: 1e9 }, { learning_rate: 1e6 }]) {
      const res = await post('/api/train', { model: 'gradient_boosting', params });
      expect(res.status, JSON.stringify(params)).toBe(400);
    }
  });

  it('a search whose estimated work is over the limit is a 400 naming body.trials and the limit', async () => {
    const res = await post('/api/tune', {
      model: 'gradient_boosting',
      search: 'random',
      trials: 500,
      folds: 20,
      params: { n_estimators: [2000] },
    });
    expect(res.status).toBe(400);
    const e = ((await res.json()) as { error: { message: string; issues: { where: string }[] } }).error;
    expect(e.message).toContain(`over the limit of ${MAX_WORK.toExponential(0)}`);
    expect(e.issues[0]?.where).toBe('body.trials');
    expect(jobs.list()).toEqual([]);
  });
});

describe('cancelling jobs', () => {
  it('a running training job is cancelled through the API: its worker stops, nothing is registered', async () => {
    const started = await post('/api/train', { model: 'gradient_boosting', params: { n_estimators: 500 } });
    expect(started.status).toBe(202);
    const job = (await started.json()) as JobSnapshot;
    // Let it start running in its worker thread.
    for (let i = 0; i < 200 && jobs.get(job.id).status !== 'running'; i++) await sleep(25);
    const res = await app.request(`/api/jobs/${job.id}/cancel`, { method: 'POST' });
    expect(res.status).toBe(200);
    const cancelled = (await res.json()) as JobSnapshot;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.error?.code).toBe('CANCELLED');
    expect(t.service.models.list().filter((m) => m.name === 'gradient_boosting')).toEqual([]);
    const again = await app.request(`/api/jobs/${job.id}/cancel`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect((await app.request('/api/jobs/nope-1/cancel', { method: 'POST' })).status).toBe(404);
  });
});

describe('JobService concurrency and cancellation', () => {
  it('runs at most maxConcurrent at once; the others queue and a queued one can be cancelled', async () => {
    const service = new JobService(fixedClock, { maxConcurrent: 2 });
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await sleep(40);
      running--;
    };
    const ids = [1, 2, 3, 4].map((i) => service.start('t', { i }, work).id);
    await sleep(5);
    expect(ids.map((id) => service.get(id).status)).toEqual(['running', 'running', 'queued', 'queued']);
    const cancelled = await service.cancel(ids[3] as string);
    expect(cancelled.status).toBe('cancelled');
    await service.idle();
    expect(most).toBe(2);
    expect(ids.map((id) => service.get(id).status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'cancelled',
    ]);
  });

  it('a running job sees its signal abort', async () => {
    const service = new JobService(fixedClock);
    const job = service.start(
      't',
      {},
      (_report, signal) => new Promise((resolve) => signal.addEventListener('abort', resolve)),
    );
    await sleep(5);
    expect((await service.cancel(job.id)).status).toBe('cancelled');
  });
});
