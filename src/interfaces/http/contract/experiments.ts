/**
 * The response shapes of the experiment routes (tracked runs in MLflow's shape: params, tags,
 * metrics, data digest), for /api/openapi.json and, as inferred types, for the dashboard.
 */
import { z } from '@hono/zod-openapi';
import { HintListSchema } from './common.js';
import { VersionViewSchema } from './models.js';

const Param = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const ExperimentSchema = z
  .object({ id: z.number().int(), name: z.string(), createdAt: z.string(), runCount: z.number().int() })
  .openapi('Experiment');

export const RunSchema = z
  .object({
    id: z.number().int(),
    experiment: z.string(),
    parentRunId: z.number().int().nullable(),
    kind: z.enum(['train', 'trial', 'search']),
    modelName: z.string(),
    status: z.enum(['running', 'finished', 'failed']),
    error: z.string().nullable(),
    seed: z.number().int().nullable(),
    dataDigest: z.string().nullable().openapi({ description: 'sha256 of the draw history the run saw' }),
    nDraws: z.number().int().nullable(),
    features: z.array(z.string()),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
    modelVersion: z.number().int().nullable().openapi({ description: 'the registry version it produced' }),
    params: z.record(z.string(), Param),
    tags: z.record(z.string(), z.string()),
    metrics: z
      .record(z.string(), z.number().nullable())
      .openapi({ description: "each metric's value at its highest step" }),
  })
  .openapi('Run');

export const MetricPointSchema = z
  .object({
    key: z.string(),
    step: z.number().int(),
    value: z.number().nullable().openapi({ description: 'null when the value was not finite' }),
    timestamp: z.string(),
  })
  .openapi('MetricPoint');

export const ExperimentListSchema = z.object({ experiments: z.array(ExperimentSchema) });

export const RunPageSchema = z
  .object({ runs: z.array(RunSchema), nextOffset: z.number().int().nullable() })
  .openapi('RunPage');

export const RunDetailsSchema = z
  .object({
    run: RunSchema,
    history: z.array(MetricPointSchema).openapi({ description: 'every metric point, by key then step' }),
    children: z.array(RunSchema).openapi({ description: 'child runs (trials of a search), best mae first' }),
  })
  .openapi('RunDetails');

export const RunComparisonSchema = z
  .object({
    runs: z.array(RunSchema),
    params: z.record(z.string(), z.array(z.unknown())).openapi({ description: 'param → value in each run' }),
    metrics: z.record(z.string(), z.array(z.number().nullable())),
    differingParams: z.array(z.string()),
  })
  .openapi('RunComparison');

export const AliasHistorySchema = z
  .object({
    model: z.string(),
    current: z.array(
      z.object({
        modelName: z.string(),
        alias: z.string(),
        version: z.number().int(),
        updatedAt: z.string(),
      }),
    ),
    events: z.array(
      z.object({
        id: z.number().int(),
        modelName: z.string(),
        alias: z.string(),
        version: z.number().int().nullable(),
        previousVersion: z.number().int().nullable(),
        at: z.string(),
        note: z.string().nullable(),
      }),
    ),
  })
  .openapi('AliasHistory');

export type Experiment = z.infer<typeof ExperimentSchema>;
export type Run = z.infer<typeof RunSchema>;
export type MetricPoint = z.infer<typeof MetricPointSchema>;
export type RunPage = z.infer<typeof RunPageSchema>;
export type RunDetails = z.infer<typeof RunDetailsSchema>;
export type RunComparison = z.infer<typeof RunComparisonSchema>;
export type AliasHistory = z.infer<typeof AliasHistorySchema>;

export const RunRegistrationSchema = z
  .object({
    runId: z.number().int(),
    source: z
      .object({ name: z.string(), version: z.number().int() })
      .openapi({ description: 'the version the run produced, whose artifact was registered again' }),
    version: VersionViewSchema,
    activation: z.string().openapi({ description: 'why the new version is or is not active' }),
    hints: HintListSchema,
  })
  .openapi('RunRegistration');
export type RunRegistration = z.infer<typeof RunRegistrationSchema>;
