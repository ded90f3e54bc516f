/**
 * Response schemas of jobs (/api/jobs…). A job's `result` is the report of its kind once it
 * succeeded: `TrainReport` for `train`, `ImportanceReport` for `importance`, the backtest report
 * for `backtest`.
 */
import { z } from '@hono/zod-openapi';
import { JobSchema } from '../schemas.js';

export { JobSchema };

export const JobListSchema = z.object({ jobs: z.array(JobSchema) }).openapi('JobList');

export type Job = z.infer<typeof JobSchema>;
/** A job whose result is known to be `R` (the page that started it knows its kind). */
export type JobOf<R> = Omit<Job, 'result'> & { readonly result: R | null };
