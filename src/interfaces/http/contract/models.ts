/**
 * Response schemas of the model registry and training (/api/models…, /api/train…): the dashboard's
 * Models page reads these types.
 */
import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from '../schemas.js';
import { JsonValueSchema, NumberMap } from './common.js';

export const FoldSchema = z.object({
  fold: z.number().int().openapi({ description: '0-based, in time order' }),
  trainSize: z.number().int().optional(),
  testSize: z.number().int().optional(),
  metrics: NumberMap,
  baselines: z.record(z.string(), NumberMap).optional(),
});

export const VerdictSchema = z
  .object({
    beatsBaselines: z.boolean(),
    cvMae: z.number().nullable(),
    baselines: NumberMap,
    text: z.string(),
  })
  .openapi('ModelVerdict');

const Hyperparameters = z
  .record(z.string(), JsonValueSchema)
  .openapi({ description: 'hyperparameters as trained (snake_case keys)' });

export const VersionViewSchema = z
  .object({
    name: z.string(),
    version: z.number().int(),
    kind: z.string(),
    active: z.boolean(),
    source: z.enum(['trained', 'migrated']),
    createdAt: z.string(),
    hyperparameters: Hyperparameters,
    featureNames: z.array(z.string()),
    folds: z.array(FoldSchema),
    meanMetrics: NumberMap,
    trainingDurationMs: z.number().nullable(),
    seed: z.number().int().nullable(),
    artifactBytes: z.number().int(),
    trainingData: z
      .object({ rows: z.number().int(), firstDate: z.string().optional(), lastDate: z.string().optional() })
      .nullable(),
    notes: z.string().nullable(),
    extra: z.record(z.string(), JsonValueSchema).nullable(),
    verdict: VerdictSchema,
  })
  .openapi('ModelVersion');

export const ModelSummarySchema = z
  .object({
    name: z.string(),
    createdAt: z.string(),
    versions: z.number().int(),
    latestVersion: z.number().int().nullable(),
    activeVersion: z.number().int().nullable(),
    activeKind: z.string().nullable(),
    activeMeanMetrics: NumberMap,
    activeVerdict: VerdictSchema.nullable(),
  })
  .openapi('ModelSummary');

export const ModelListSchema = z.object({ models: z.array(ModelSummarySchema) });

export const ShowModelSchema = z
  .union([
    z.object({
      kind: z.literal('model'),
      details: z.object({
        model: ModelSummarySchema.omit({ activeVerdict: true }),
        versions: z.array(VersionViewSchema),
      }),
    }),
    z.object({ kind: z.literal('version'), version: VersionViewSchema }),
  ])
  .openapi('ShowModel');

export const PerformanceSchema = z
  .object({
    name: z.string(),
    versions: z.array(
      z.object({
        version: z.number().int(),
        active: z.boolean(),
        kind: z.string(),
        createdAt: z.string(),
        trainingDurationMs: z.number().nullable(),
        folds: z.array(FoldSchema),
        meanMetrics: NumberMap,
        meanBaselines: z.record(z.string(), NumberMap),
        verdict: VerdictSchema,
      }),
    ),
  })
  .openapi('ModelPerformance');

export const PruneReportSchema = z
  .object({
    deleted: z.array(z.object({ name: z.string(), version: z.number().int() })),
    kept: z.array(z.object({ name: z.string(), version: z.number().int(), reason: z.string() })),
  })
  .openapi('PruneReport');

export const ModelPredictReportSchema = z
  .object({
    model: z.string(),
    version: z.number().int(),
    kind: z.string(),
    source: z.string(),
    input: z.string(),
    rows: z.number().int(),
    outputs: z.array(z.string()),
    dates: z.array(z.string()).nullable(),
    predictions: z.array(z.array(z.number())),
    ignoredColumns: z.array(z.string()),
  })
  .openapi('ModelPredictReport');

const ParamValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const HyperparameterSpecSchema = z
  .object({
    name: z.string().openapi({ description: 'snake_case, as the train request takes it' }),
    type: z.enum(['number', 'integer', 'boolean', 'choice']),
    default: ParamValue,
    min: z.number().nullable(),
    max: z.number().nullable(),
    log: z.boolean().openapi({ description: 'useful values span orders of magnitude' }),
    choices: z.array(z.string()).openapi({ description: 'words accepted besides a number' }),
    nullable: z.boolean().openapi({ description: 'null (empty) is accepted: no limit' }),
    description: z.string(),
  })
  .openapi('HyperparameterSpec');

export const HyperparameterSchemasSchema = z
  .object({
    models: z.array(z.object({ model: z.string(), params: z.array(HyperparameterSpecSchema) })),
  })
  .openapi('Hyperparameters');

const LineageRunSchema = z.object({
  id: z.number().int(),
  experiment: z.string(),
  kind: z.enum(['train', 'trial', 'search']),
  status: z.enum(['running', 'finished', 'failed']),
  dataDigest: z.string().nullable().openapi({ description: 'sha256 of the draw history the run saw' }),
  nDraws: z.number().int().nullable(),
  startedAt: z.string(),
  params: z.record(z.string(), ParamValue),
  metrics: z.record(z.string(), z.number().nullable()),
});

export const AliasEventSchema = z.object({
  id: z.number().int(),
  modelName: z.string(),
  alias: z.string(),
  version: z.number().int().nullable().openapi({ description: 'moved to; null when removed' }),
  previousVersion: z.number().int().nullable(),
  at: z.string(),
  note: z.string().nullable(),
});

export const VersionDetailsSchema = z
  .object({
    version: VersionViewSchema,
    run: LineageRunSchema.nullable().openapi({ description: 'the run that trained this version' }),
    parentRun: LineageRunSchema.nullable().openapi({ description: 'the search that run was a trial of' }),
    aliases: z.array(z.string()),
    aliasEvents: z.array(AliasEventSchema),
  })
  .openapi('ModelVersionDetails');

const MaeSummarySchema = z.object({ mae: z.number(), perTarget: NumberMap });

/** The result of a finished `train` job. */
export const TrainReportSchema = z
  .object({
    seed: z.number().int(),
    folds: z.number().int(),
    data: z.object({
      rows: z.number().int(),
      features: z.number().int(),
      firstDate: IsoDateSchema,
      lastDate: IsoDateSchema,
      featureSet: z.string(),
      warmup: z.number().int(),
    }),
    models: z.array(
      z.object({
        name: z.string(),
        version: z.number().int(),
        active: z.boolean(),
        kind: z.string(),
        hyperparameters: z.record(z.string(), ParamValue),
        folds: z.array(FoldSchema),
        cv: MaeSummarySchema,
        baselines: z.record(z.string(), MaeSummarySchema),
        cvDurationMs: z.number(),
        trainingDurationMs: z.number(),
        artifactBytes: z.number().int(),
        warnings: z.array(z.string()),
        verdict: VerdictSchema,
        activation: z.string(),
        alphaSelection: z.object({ alpha: z.number() }).passthrough().nullable().optional(),
      }),
    ),
    durationMs: z.number(),
  })
  .openapi('TrainReport');

const FeatureScoreSchema = z.object({ feature: z.string(), importance: z.number(), std: z.number() });
export type FeatureScore = z.infer<typeof FeatureScoreSchema>;

/** The result of a finished `importance` job. */
export const ImportanceReportSchema = z
  .object({
    model: z.string(),
    version: z.number().int(),
    kind: z.string(),
    features: z.number().int(),
    impurity: z.array(FeatureScoreSchema).nullable(),
    impurityNote: z.string().nullable(),
    permutation: z
      .object({
        fold: z.number().int(),
        trainSize: z.number().int(),
        testSize: z.number().int(),
        baselineMae: z.number(),
        repeats: z.number().int(),
        scores: z.array(FeatureScoreSchema),
      })
      .nullable(),
    permutationNote: z.string().nullable(),
  })
  .openapi('ImportanceReport');

export type Verdict = z.infer<typeof VerdictSchema>;
export type ModelSummary = z.infer<typeof ModelSummarySchema>;
export type Performance = z.infer<typeof PerformanceSchema>;
export type HyperparameterSpec = z.infer<typeof HyperparameterSpecSchema>;
export type Hyperparameters = z.infer<typeof HyperparameterSchemasSchema>;
export type VersionDetails = z.infer<typeof VersionDetailsSchema>;
export type TrainReport = z.infer<typeof TrainReportSchema>;
export type ImportanceReport = z.infer<typeof ImportanceReportSchema>;
