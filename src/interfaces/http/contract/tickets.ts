/**
 * The response shapes of the played-ticket routes (`pbi tickets …`), for /api/openapi.json and, as
 * inferred types, for the dashboard.
 */
import { z } from '@hono/zod-openapi';
import { IsoDateSchema } from '../schemas.js';

const int = () => z.number().int();
const Tier = z.enum(['5+PB', '5', '4+PB', '4', '3+PB', '3', '2+PB', '1+PB', 'PB']);

const GameResultSchema = z.object({
  whiteMatches: int(),
  powerballMatch: z.boolean(),
  tier: Tier.nullable(),
  amount: z.number().nullable().openapi({ description: 'dollars; null for a prize without a fixed amount' }),
});

export const PlayResultSchema = GameResultSchema.extend({
  drawDate: IsoDateSchema,
  baseAmount: z.number().nullable().openapi({ description: 'the main-game prize without Power Play' }),
  multiplier: int().nullable(),
  powerPlay: z.enum(['none', 'fixed', 'multiplied', 'multiplier-unknown']),
  doublePlay: GameResultSchema.nullable(),
  doublePlayPending: z.boolean(),
  won: z.number().openapi({ description: 'dollars of fixed prizes won by this play' }),
  checkedAt: z.string(),
}).openapi('PlayResult');

export const StoredPlaySchema = z
  .object({
    id: int(),
    position: int(),
    drawDate: IsoDateSchema,
    price: z.number(),
    jackpotAmount: z.number().nullable(),
    result: PlayResultSchema.nullable().openapi({ description: 'null until the draw is stored' }),
  })
  .openapi('StoredPlay');

export const PlayedTicketSchema = z
  .object({
    id: int(),
    whites: z.array(int()).length(5),
    powerball: int(),
    powerPlay: z.boolean(),
    doublePlay: z.boolean(),
    draws: int(),
    firstDrawDate: IsoDateSchema,
    lastDrawDate: IsoDateSchema,
    price: z.number(),
    note: z.string().nullable(),
    origin: z.enum(['manual', 'import', 'set']),
    setId: z.string().nullable(),
    setPosition: int().nullable(),
    importSource: z.string().nullable(),
    importLine: int().nullable(),
    createdAt: z.string(),
    plays: z.array(StoredPlaySchema),
  })
  .openapi('PlayedTicket');

export const PlayRowSchema = z
  .object({
    ticketId: int(),
    playId: int(),
    drawDate: IsoDateSchema,
    price: z.number(),
    whites: z.array(int()).length(5),
    powerball: int(),
    powerPlay: z.boolean(),
    doublePlay: z.boolean(),
    note: z.string().nullable(),
    jackpotAmount: z.number().nullable(),
    result: PlayResultSchema.nullable(),
  })
  .openapi('PlayRow');

export const TicketPageSchema = z
  .object({ items: z.array(PlayedTicketSchema), offset: int(), limit: int(), hasMore: z.boolean() })
  .openapi('TicketPage');

export const PlayListSchema = z.object({ plays: z.array(PlayRowSchema) }).openapi('PlayList');

const MoneyRowSchema = z.object({
  period: z.string().openapi({ description: '`YYYY-MM` or `YYYY`' }),
  plays: int(),
  checkedPlays: int(),
  spent: z.number(),
  won: z.number(),
  net: z.number(),
});

export const TicketSummarySchema = z
  .object({
    tickets: int(),
    plays: int(),
    checkedPlays: int(),
    upcomingPlays: int(),
    spent: z.number(),
    won: z.number(),
    net: z.number(),
    byMonth: z.array(MoneyRowSchema),
    byYear: z.array(MoneyRowSchema),
    checked: z.object({
      spent: z.number(),
      won: z.number(),
      expectedWon: z.number(),
      expectedNet: z.number(),
      actualNet: z.number(),
    }),
    expectedNote: z.string(),
    jackpots: int(),
    jackpotAmountsGiven: z.number(),
    doublePlayTopPrizes: int(),
    multiplierUnknown: int(),
    doublePlayPending: int(),
    best: z
      .object({
        ticketId: int(),
        drawDate: IsoDateSchema,
        tier: z.string(),
        amount: z.number().nullable(),
        label: z.string(),
      })
      .nullable(),
    luck: z.string(),
    cumulative: z.array(z.object({ date: IsoDateSchema, spent: z.number(), won: z.number() })),
  })
  .openapi('TicketSummary');

export const AddTicketReportSchema = z
  .object({ ticket: PlayedTicketSchema, checked: int() })
  .openapi('AddTicketReport');

export const PlaySetReportSchema = z
  .object({ setId: z.string(), tickets: z.array(PlayedTicketSchema), checked: int() })
  .openapi('PlaySetReport');

export const TicketImportReportSchema = z
  .object({
    source: z.string(),
    rows: int(),
    inserted: int(),
    plays: int(),
    spent: z.number(),
    checked: int(),
    ids: z.array(int()),
    rejected: z.array(z.object({ line: int(), reason: z.string() })),
  })
  .openapi('TicketImportReport');

export const TicketCheckReportSchema = z
  .object({ checked: int(), awaitingDraw: int() })
  .openapi('TicketCheckReport');

export const RemovedTicketSchema = z.object({ removed: PlayedTicketSchema }).openapi('RemovedTicket');

export type PlayedTicket = z.infer<typeof PlayedTicketSchema>;
export type PlayRow = z.infer<typeof PlayRowSchema>;
export type StoredPlay = z.infer<typeof StoredPlaySchema>;
export type TicketPage = z.infer<typeof TicketPageSchema>;
export type TicketSummary = z.infer<typeof TicketSummarySchema>;
export type AddTicketReport = z.infer<typeof AddTicketReportSchema>;
export type PlaySetReport = z.infer<typeof PlaySetReportSchema>;
export type TicketImportReport = z.infer<typeof TicketImportReportSchema>;
