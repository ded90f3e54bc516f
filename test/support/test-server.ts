/**
 * A fresh test service behind a real listening HTTP server, for the tests of one file or one
 * describe block: started before them, closed (and its database removed) after them.
 */
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../../src/interfaces/http/server.js';
import { makeTestService, type TestService } from './test-db.js';

export interface ServedTestService {
  readonly server: RunningServer;
  readonly service: TestService['service'];
}

export function serveTestService(): ServedTestService {
  let t: TestService | undefined;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    t = makeTestService();
    server = await startServer({ service: t.service, host: '127.0.0.1', port: 0, staticDir: null });
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
