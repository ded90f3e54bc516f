/**
 * Response schemas of judging predictions (/api/evaluate, /api/weights, /api/evaluation/legacy).
 */
import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from '../schemas.js';
import { NumberMap, PrizeTierSchema, HintListSchema } from './common.js';

export const ScoreSummarySchema = z.object({
  source: z.string(),
  tickets: z.number().int(),
  draws: z.number().int(),
  meanWhiteMatches: z.number(),
  powerballHitRate: z.number(),
  amount: z.number(),
});

export const LegacyModelSummarySchema = z.object({
  label: z.literal('legacy'),
  model: z.string(),
  records: z.number().int(),
  linked: z.number().int(),
  meanWhiteMatches: z.number().nullable(),
  powerballMatchShare: z.number().nullable(),
  meanAccuracyScore: z.number().nullable(),
  checked: z.number().int(),
  disagreements: z.number().int(),
  product: z
    .object({ tickets: z.number().int(), meanWhiteMatches: z.number(), powerballHitRate: z.number() })
    .nullable(),
});

export const LegacyAccuracyRecordSchema = z.object({
  id: z.number().int(),
  label: z.literal('legacy'),
  origin: z.string(),
  legacyRecord: z.string(),
  model: z.string(),
  shape: z.enum(['summary', 'ticket']),
  drawDate: IsoDateSchema.nullable(),
  link: z.string(),
  linkNote: z.string().nullable(),
  setId: z.string().nullable(),
  whiteMatches: z.number().nullable(),
  powerballMatch: z.boolean().nullable(),
  totalMatches: z.number().nullable(),
  accuracyScore: z.number().nullable(),
  check: z.string(),
  differences: z.array(z.string()),
  product: z
    .object({
      tickets: z.number().int(),
      meanWhiteMatches: z.number(),
      powerballHits: z.number().int(),
      amount: z.number(),
    })
    .nullable(),
});

export const EvaluationComparisonSchema = z
  .object({
    product: z.array(ScoreSummarySchema),
    legacy: z.object({
      models: z.array(LegacyModelSummarySchema),
      records: z.array(LegacyAccuracyRecordSchema),
      total: z.number().int(),
    }),
    notice: z.string(),
  })
  .openapi('EvaluationComparison');

export const EvaluationReportSchema = z
  .object({
    scored: z.number().int(),
    tiers: z.partialRecord(PrizeTierSchema, z.number().int()),
    amount: z.number(),
    jackpots: z.number().int(),
    updates: z.array(
      z.object({
        drawDate: IsoDateSchema,
        scores: NumberMap,
        weights: NumberMap,
        sleeping: z.array(z.string()),
      }),
    ),
    weights: NumberMap,
    nothingNew: z.boolean(),
    notes: z.array(z.string()),
    hints: HintListSchema,
    notice: z.string(),
    standings: z.object({
      product: z.array(ScoreSummarySchema),
      legacy: z.array(LegacyModelSummarySchema),
      legacyNotice: z.string().nullable(),
    }),
  })
  .openapi('EvaluationReport');

export const WeightHistorySchema = z.object({
  history: z.array(
    z.object({
      id: z.number().int(),
      at: z.string(),
      drawDate: IsoDateSchema.nullable(),
      weights: NumberMap,
      reason: z.string(),
      scores: NumberMap.nullable(),
    }),
  ),
});

export type EvaluationReport = z.infer<typeof EvaluationReportSchema>;
export type EvaluationComparison = z.infer<typeof EvaluationComparisonSchema>;
export type WeightHistory = z.infer<typeof WeightHistorySchema>;
