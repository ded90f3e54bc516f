/**
 * A fresh test service behind a real listening HTTP server, for the tests of one file or one
 * describe block: started before them, closed (and its database removed) after them.
 */
import { afterAll, beforeAll } from 'vitest';
import type { TaskRunner } from '../../src/interfaces/http/deps.js';
import { startServer, type RunningServer } from '../../src/interfaces/http/server.js';
import { runTask } from '../../src/services/job-worker.js';
import { makeTestService, type TestService } from './test-db.js';

export interface ServedTestService {
  readonly server: RunningServer;
  readonly service: TestService['service'];
}

/**
 * A job runner for `createApp`/`startServer` that runs tasks in this thread while `inThread.on` is
 * set, and in worker threads (the product's way) otherwise: a job that is only a test's starting
 * point then skips a worker's start-up, which loads the TypeScript sources (seconds of CPU).
 */
export function switchableTaskRunner(): { readonly runTask: TaskRunner; readonly inThread: { on: boolean } } {
  const inThread = { on: false };
  return {
    inThread,
    runTask: (service, task, report, options = {}) =>
      runTask(service, task, report, { ...options, inThread: options.inThread === true || inThread.on }),
  };
}

export function serveTestService(options: { readonly runTask?: TaskRunner } = {}): ServedTestService {
  let t: TestService | undefined;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    t = makeTestService();
    server = await startServer({
      service: t.service,
      host: '127.0.0.1',
      port: 0,
      staticDir: null,
      ...options,
    });
  });
  afterAll(async () => {
    await server?.close();
    t?.cleanup();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the test server is started in beforeAll; use it inside a test');
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get service() {
      return started(t).service;
    },
  };
}
