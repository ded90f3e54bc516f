/**
 * Response schemas of the draw history (/api/draws…): the dashboard's Draws page reads these types.
 */
import { z } from '@hono/zod-openapi';
import { HintListSchema } from './common.js';
import { DrawSchema, EraSchema, ImportReportSchema, IsoDateSchema } from '../schemas.js';

export { DrawSchema, ImportReportSchema };

export const DrawListSchema = z.object({ total: z.number().int(), draws: z.array(DrawSchema) });

export const DrawPageSchema = z
  .object({
    total: z.number().int().openapi({ description: 'draws matching the date range' }),
    offset: z.number().int(),
    limit: z.number().int(),
    hasMore: z.boolean(),
    draws: z.array(
      DrawSchema.extend({
        era: IsoDateSchema.openapi({ description: 'id (first draw date) of the rules it was drawn under' }),
      }),
    ),
  })
  .openapi('DrawPage');

const NumberCount = z.object({ number: z.number().int(), count: z.number().int() });

export const HistorySummarySchema = z
  .object({
    draws: z.number().int(),
    firstDate: IsoDateSchema.nullable(),
    lastDate: IsoDateSchema.nullable(),
    currentEra: EraSchema,
    currentEraDraws: z.number().int(),
    hottestWhites: z.array(NumberCount),
    coldestWhites: z.array(NumberCount),
    hottestPowerballs: z.array(NumberCount),
    coldestPowerballs: z.array(NumberCount),
    nextDrawDate: IsoDateSchema,
    missingDraws: z.number().int(),
    missingDrawsNotice: z.string().nullable(),
    hints: HintListSchema,
  })
  .openapi('HistorySummary');

export const AddDrawReportSchema = z
  .object({
    draw: DrawSchema,
    status: z.enum(['inserted', 'updated', 'unchanged']),
    previous: DrawSchema.nullable().openapi({ description: 'the draw stored before, when replaced' }),
    playsChecked: z.number().int(),
  })
  .openapi('AddDrawReport');

export const RemoveDrawReportSchema = z
  .object({
    draw: DrawSchema,
    playResultsRemoved: z.number().int(),
    scoresRemoved: z.number().int(),
  })
  .openapi('RemoveDrawReport');

export const UpdateReportSchema = ImportReportSchema.extend({
  url: z.string(),
  bytes: z.number().int(),
}).openapi('UpdateReport');

export type DrawPage = z.infer<typeof DrawPageSchema>;
export type PagedDraw = DrawPage['draws'][number];
export type Draw = z.infer<typeof DrawSchema>;
export type ImportReport = z.infer<typeof ImportReportSchema>;
export type AddDrawReport = z.infer<typeof AddDrawReportSchema>;
export type RemoveDrawReport = z.infer<typeof RemoveDrawReportSchema>;
export type UpdateReport = z.infer<typeof UpdateReportSchema>;
export type HistorySummary = z.infer<typeof HistorySummarySchema>;
