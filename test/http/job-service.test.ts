/**
 * The job runner behind the asynchronous endpoints: ordering, progress, results and errors.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { JobService, type JobSnapshot } from '../../src/services/job-service.js';
import { fixedClock } from '../support/test-db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('JobService', () => {
  it('answers at once with a queued job, then runs it to its result', async () => {
    const jobs = new JobService(fixedClock);
    let ran = false;
    const job = jobs.start('train', { model: 'ridge' }, () => {
      ran = true;
      return { version: 3 };
    });
    expect(job).toMatchObject({ kind: 'train', status: 'queued', params: { model: 'ridge' }, result: null });
    expect(ran).toBe(false);
    const done = await jobs.wait(job.id);
    expect(ran).toBe(true);
    expect(done).toMatchObject({ status: 'succeeded', result: { version: 3 }, progress: { fraction: 1 } });
    expect(done.startedAt).not.toBeNull();
    expect(jobs.get(job.id)).toEqual(done);
  });

  it('runs one job at a time, in the order they were started', async () => {
    const jobs = new JobService(fixedClock);
    const order: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const work = (name: string) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      order.push(`start ${name}`);
      await sleep(20);
      order.push(`end ${name}`);
      running--;
    };
    const ids = ['a', 'b', 'c'].map((n) => jobs.start('x', {}, work(n)).id);
    expect(jobs.get(ids[2] as string).status).toBe('queued');
    await jobs.idle();
    expect(maxRunning).toBe(1);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(jobs.list().map((j) => j.id)).toEqual([...ids].reverse());
  });

  it('reports progress to subscribers, clamped to 0..1', async () => {
    const jobs = new JobService(fixedClock);
    const seen: JobSnapshot[] = [];
    const job = jobs.start('x', {}, async (report) => {
      report(-1, 'fold 1');
      await sleep(60);
      report(0.5, 'fold 2');
      await sleep(60);
      report(7, 'fold 3');
    });
    jobs.subscribe(job.id, (j) => seen.push(j));
    await jobs.wait(job.id);
    const progress = seen.map((j) => [j.status, j.progress.fraction, j.progress.message]);
    expect(progress).toContainEqual(['running', 0, 'fold 1']);
    expect(progress).toContainEqual(['running', 0.5, 'fold 2']);
    expect(progress).toContainEqual(['running', 1, 'fold 3']);
    expect(seen.at(-1)?.status).toBe('succeeded');
  });

  it('keeps a failure with its machine code and issues, and goes on with the next job', async () => {
    const jobs = new JobService(fixedClock);
    const bad = jobs.start('x', {}, () => {
      throw new ValidationError('unknown model', [{ where: 'body.model', reason: 'unknown' }]);
    });
    const crash = jobs.start('x', {}, () => {
      throw new TypeError('boom');
    });
    const good = jobs.start('x', {}, () => 'ok');
    await jobs.idle();
    expect(jobs.get(bad.id)).toMatchObject({
      status: 'failed',
      error: {
        code: 'INVALID_INPUT',
        message: 'unknown model',
        issues: [{ where: 'body.model', reason: 'unknown' }],
      },
    });
    expect(jobs.get(crash.id)).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });
    expect(jobs.get(good.id)).toMatchObject({ status: 'succeeded', result: 'ok' });
  });

  it('refuses new jobs with 409 CONFLICT while the queue is full', async () => {
    const jobs = new JobService(fixedClock, { maxQueued: 2 });
    const slow = () => sleep(30);
    jobs.start('x', {}, slow);
    jobs.start('x', {}, slow);
    expect(() => jobs.start('x', {}, slow)).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    await jobs.idle();
    expect(jobs.start('x', {}, slow).status).toBe('queued');
    await jobs.idle();
  });

  it('forgets the oldest finished jobs beyond its limit, and says so with NOT_FOUND', async () => {
    const jobs = new JobService(fixedClock, { keepFinished: 2 });
    const ids = [1, 2, 3, 4].map(() => jobs.start('x', {}, () => null).id);
    await jobs.idle();
    expect(jobs.list().map((j) => j.id)).toEqual([ids[3], ids[2]]);
    expect(() => jobs.get(ids[0] as string)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});

/**
 * Awaits `task` while counting the turns of this thread's event loop until it settles: a job in a
 * worker thread leaves the loop free (many turns); one run in this thread blocks it (none).
 */
async function loopTurnsWhile<T>(task: Promise<T>): Promise<{ value: T; turns: number }> {
  let settled = false;
  const done = task.finally(() => (settled = true));
  let turns = 0;
  while (!settled) {
    await new Promise((r) => setTimeout(r, 1));
    if (!settled) turns++;
  }
  return { value: await done, turns };
}

describe('runTask', () => {
  it('gives the same backtest in a worker thread as in this thread, with progress from both', async () => {
    const { makeTestService } = await import('../support/test-db.js');
    const { runTask } = await import('../../src/services/job-worker.js');
    const t = makeTestService();
    try {
      const request = { strategy: 'recency', from: '2026-03-01', seed: 9 };
      const seen = { worker: [] as number[], thread: [] as number[] };
      const inWorker = await loopTurnsWhile(
        runTask(t.service, { kind: 'backtest', request }, (f) => seen.worker.push(f)),
      );
      const inThread = await loopTurnsWhile(
        runTask(t.service, { kind: 'backtest', request }, (f) => seen.thread.push(f), { inThread: true }),
      );
      // Evidence the worker ran: this thread kept turning its event loop while the backtest ran,
      // which it cannot do while running the backtest itself.
      expect(inWorker.turns).toBeGreaterThan(0);
      expect(inThread.turns).toBe(0);
      expect(inWorker.value.results).toEqual(inThread.value.results);
      expect(inWorker.value.results[0]?.strategy).toBe('recency');
      expect(seen.worker).toEqual(seen.thread);
      expect(seen.worker.at(-1)).toBe(1);
      await expect(
        runTask(
          t.service,
          { kind: 'backtest', request: { strategy: 'recency', from: '2030-01-01' } },
          () => {},
        ),
      ).rejects.toMatchObject({
        code: 'INSUFFICIENT_DATA',
        message: expect.stringContaining('fall in the backtest range'),
      });
    } finally {
      t.cleanup();
    }
  });
});
