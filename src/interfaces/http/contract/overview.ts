/**
 * Response schemas of health and the overview.
 */
import { z } from '@hono/zod-openapi';
import { HintListSchema } from './common.js';
import { DrawSchema, EraSchema, IsoDateSchema } from '../schemas.js';

export const HealthSchema = z.object({ ok: z.literal(true), draws: z.number().int() });

export const OverviewSchema = z
  .object({
    latestDraw: DrawSchema.nullable(),
    nextDrawDate: IsoDateSchema.openapi({
      description: 'the first scheduled draw whose draw time (10:59 pm US Eastern) has not passed',
    }),
    missingDraws: z.number().int().openapi({ description: 'scheduled draws already held but not stored' }),
    missingDrawsNotice: z.string().nullable(),
    hints: HintListSchema,
    jackpotOdds: z.number().int().openapi({ example: 292_201_338 }),
    draws: z.number().int(),
    firstDate: IsoDateSchema.nullable(),
    lastDate: IsoDateSchema.nullable(),
    currentEra: EraSchema,
    eras: z.array(z.object({ era: EraSchema, draws: z.number().int() })),
    today: IsoDateSchema,
  })
  .openapi('Overview');

export type Overview = z.infer<typeof OverviewSchema>;
