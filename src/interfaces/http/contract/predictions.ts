/**
 * Response schemas of stored and generated predictions (/api/predictions…, /api/predict,
 * /api/strategies): the dashboard's Predictions page reads these types.
 */
import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from '../schemas.js';
import { JsonValueSchema, NumberMap, pageOf, PrizeTierSchema, HintListSchema } from './common.js';

const Whites = z.array(z.number().int()).length(5);
const ModelRefSchema = z.object({ name: z.string(), version: z.number().int() });
const JsonObject = z.record(z.string(), JsonValueSchema);
/** What the legacy app stored with a migrated set. */
const LegacySet = z
  .object({
    id: z.number().int().optional(),
    totalPredictions: z.number().int().optional(),
    modelArtifactPath: z.string().optional(),
    createdAt: z.string().optional(),
    extra: JsonObject.optional(),
  })
  .openapi({ description: 'what the legacy app stored with it (migrated sets only)' });
/** What the legacy app stored with a migrated ticket. */
const LegacyTicket = z
  .object({
    id: z.number().int().optional(),
    modelName: z.string().optional(),
    predictionId: z.string().optional(),
    createdAt: z.string().optional(),
    version: z.string().optional(),
    isActive: z.boolean().optional(),
    featuresUsed: JsonValueSchema.optional(),
    hyperparameters: JsonValueSchema.optional(),
    performanceMetrics: JsonValueSchema.optional(),
    extra: JsonObject.optional(),
  })
  .openapi({ description: 'what the legacy app stored with it (migrated tickets only)' });

export const TicketViewSchema = z
  .object({
    id: z.number().int(),
    position: z.number().int(),
    whites: Whites,
    powerball: z.number().int(),
    beliefMultiple: z.number().openapi({
      description:
        "the strategy's belief in the ticket as a multiple of a random ticket's probability (not odds)",
    }),
    contributions: NumberMap.nullable(),
    legacy: LegacyTicket.nullable(),
  })
  .openapi('StoredTicket');

export const PredictionSetViewSchema = z
  .object({
    setId: z.string(),
    source: z.string().openapi({ description: 'strategy or model that made the set' }),
    model: ModelRefSchema.nullable(),
    targetDrawDate: IsoDateSchema,
    createdAt: z.string(),
    isCurrent: z.boolean(),
    total: z.number().int(),
    seed: z.number().int().nullable(),
    weights: NumberMap,
    trainingDurationMs: z.number().nullable(),
    notes: z.string().nullable(),
    strength: z.string().nullable(),
    legacy: LegacySet.nullable(),
    tickets: z.array(TicketViewSchema),
  })
  .openapi('PredictionSet');

export const PredictionViewSchema = TicketViewSchema.extend({
  setId: z.string(),
  source: z.string(),
  targetDrawDate: IsoDateSchema,
  createdAt: z.string(),
  isCurrent: z.boolean(),
}).openapi('StoredPrediction');

export const SetPageSchema = pageOf(PredictionSetViewSchema).openapi('PredictionSetPage');
export const PredictionPageSchema = pageOf(PredictionViewSchema).openapi('PredictionPage');

export const SetScoreSchema = z
  .object({
    setId: z.string(),
    drawDate: IsoDateSchema.nullable(),
    scored: z.number().int().openapi({ description: 'tickets scored so far (0 until evaluated)' }),
    whiteMatches: z.number().int(),
    powerballMatches: z.number().int(),
    tiers: z.partialRecord(PrizeTierSchema, z.number().int()),
    amount: z.number().openapi({ description: 'dollars won, jackpots not counted' }),
    bestTier: PrizeTierSchema.nullable(),
  })
  .openapi('SetScore');

export const SetScoresSchema = z.object({ scores: z.array(SetScoreSchema) });

export const TicketScoreSchema = z
  .object({
    predictionId: z.number().int(),
    drawDate: IsoDateSchema,
    whiteMatches: z.number().int(),
    powerballMatch: z.boolean(),
    tier: PrizeTierSchema.nullable(),
    amount: z.number().nullable(),
    scoredAt: z.string(),
  })
  .openapi('TicketScore');

export const SetDetailSchema = z
  .object({ set: PredictionSetViewSchema, scores: z.array(TicketScoreSchema) })
  .openapi('PredictionSetDetail');

export const ShrinkageSchema = z.object({
  kind: z.enum(['mixture', 'none']),
  uniformWeight: z.number(),
  description: z.string(),
});

export const StrategyInfoSchema = z.object({
  name: z.string(),
  belief: z.string(),
  shrinkage: ShrinkageSchema,
});

export const StrategiesSchema = z
  .object({
    strategies: z.array(StrategyInfoSchema),
    weights: z.object({
      weights: NumberMap,
      learned: z.boolean().openapi({ description: 'false: the default weights (nothing evaluated yet)' }),
      renormalizedWithoutMl: z.boolean(),
    }),
  })
  .openapi('Strategies');

export const PredictionReportSchema = z
  .object({
    setId: z.string(),
    strategy: z.string(),
    targetDrawDate: IsoDateSchema,
    seed: z.number().int(),
    count: z.number().int(),
    weights: NumberMap,
    weightsSource: z.enum(['learned', 'default', 'single']),
    strategies: z.array(StrategyInfoSchema),
    sumRange: z.tuple([z.number(), z.number()]).nullable(),
    tickets: z.array(
      z.object({
        id: z.number().int(),
        whites: z.array(z.number().int()),
        powerball: z.number().int(),
        beliefMultiple: z.number(),
        contributions: NumberMap,
      }),
    ),
    strength: z.object({
      label: z.string(),
      beliefWeights: NumberMap,
      costs: z.array(
        z.object({
          strategy: z.string(),
          beliefWeight: z.number(),
          measuredAt: z.number(),
          llr: z.number(),
          ci95: z.tuple([z.number(), z.number()]),
          draws: z.number().int(),
          text: z.string(),
        }),
      ),
      whyCalibrated: z.string(),
    }),
    jackpotOdds: z.number().int(),
    notice: z.string(),
    notes: z.array(z.string()),
    hints: HintListSchema,
  })
  .openapi('PredictionReport');

export type TicketView = z.infer<typeof TicketViewSchema>;
export type PredictionSetView = z.infer<typeof PredictionSetViewSchema>;
export type SetPage = z.infer<typeof SetPageSchema>;
export type SetScore = z.infer<typeof SetScoreSchema>;
export type TicketScore = z.infer<typeof TicketScoreSchema>;
export type SetDetail = z.infer<typeof SetDetailSchema>;
export type PredictionReport = z.infer<typeof PredictionReportSchema>;
export type Strategies = z.infer<typeof StrategiesSchema>;
