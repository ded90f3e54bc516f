/**
 * Asynchronous jobs (training): poll `GET /jobs/{id}` or stream `GET /jobs/{id}/events` (SSE).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { isFinished as jobFinished, type JobSnapshot } from '../../../services/job-service.js';
import type { RouteModule } from '../deps.js';
import { JobListSchema, JobSchema } from '../contract/jobs.js';
import { answered } from '../hints.js';
import { reply } from '../reply.js';
import { errorResponses, getRoute, pathText, readRoute } from '../schemas.js';

const JobId = z.object({ id: pathText('id', 100) });

const listJobs = readRoute(
  { path: '/jobs', tag: 'jobs', summary: 'Known jobs, newest first' },
  JobListSchema,
  'jobs',
);

const getJob = getRoute(
  {
    path: '/jobs/{id}',
    tag: 'jobs',
    summary: 'One job: status, progress, and its result or error once finished',
  },
  { params: JobId },
  {
    200: { description: 'job', content: { 'application/json': { schema: JobSchema } } },
    ...errorResponses(404),
  },
);

const jobEvents = getRoute(
  {
    path: '/jobs/{id}/events',
    tag: 'jobs',
    summary: 'Server-sent events: `progress` on every change, then one `done` with the final job',
  },
  { params: JobId },
  {
    200: {
      description: 'text/event-stream of Job snapshots',
      content: { 'text/event-stream': { schema: { type: 'string' } } },
    },
    ...errorResponses(404),
  },
);

const cancelJob = createRoute({
  method: 'post',
  path: '/jobs/{id}/cancel',
  tags: ['jobs'],
  summary: 'Cancel a queued or running job; answers with the job once it has stopped',
  security: [{ bearerToken: [] }],
  request: { params: JobId },
  responses: {
    200: { description: 'the cancelled job', content: { 'application/json': { schema: JobSchema } } },
    ...errorResponses(401, 404, 409),
  },
});

const isFinished = (job: JobSnapshot) => jobFinished(job.status);

export const jobRoutes: RouteModule = (api, { jobs }) => {
  api.openapi(listJobs, (c) => reply(c, JobListSchema, { jobs: jobs.list() }));
  api.openapi(getJob, (c) => reply(c, JobSchema, jobs.get(c.req.valid('param').id)));
  api.openapi(cancelJob, async (c) => reply(c, JobSchema, await jobs.cancel(c.req.valid('param').id)));
  api.openapi(jobEvents, (c) => {
    const id = c.req.valid('param').id;
    const first = jobs.get(id); // throws 404 before the stream starts
    return streamSSE(c, async (stream) => {
      const queue: JobSnapshot[] = [first];
      let wake: (() => void) | null = null;
      const unsubscribe = isFinished(first)
        ? () => {}
        : jobs.subscribe(id, (job) => {
            queue.push(job);
            wake?.();
          });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        for (;;) {
          const job = queue.shift();
          if (!job) {
            if (stream.aborted) return;
            await new Promise<void>((r) => (wake = r));
            wake = null;
            continue;
          }
          const done = isFinished(job);
          await stream.writeSSE({
            event: done ? 'done' : 'progress',
            data: JSON.stringify(answered('GET', job)),
          });
          if (done) return;
        }
      } finally {
        unsubscribe();
      }
    }) as never;
  });
};
