import type { OpenAPIHono } from '@hono/zod-openapi';
import type { JobService } from '../../services/job-service.js';
import type { runTask } from '../../services/job-worker.js';
import type { MLPredictionService } from '../../services/ml-prediction-service.js';

/** What every route module receives. */
export interface ApiDeps {
  readonly service: MLPredictionService;
  readonly jobs: JobService;
  /** Runs a job's task: in a worker thread, so a long job never blocks the server. */
  readonly runTask: TaskRunner;
  /** Largest accepted upload (draw files, model input CSVs), in bytes. */
  readonly uploadLimitBytes: number;
}

/** `runTask`'s shape: what routes call to run a job's task. */
export type TaskRunner = typeof runTask;

/** The API app every route module adds its routes to. */
export type Api = OpenAPIHono;

/** A route module: one file per resource (STYLE §13). */
export type RouteModule = (api: Api, deps: ApiDeps) => void;
