/**
 * The structured queries `pbi ask` answers: a discriminated union on `kind`, validated by zod
 * wherever one comes from outside our parser (a language model, an API client). The parser and the
 * optional language model both produce one of these; only our code turns it into figures.
 */
import { z } from 'zod';

const IsoDateText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a real calendar date');

/** Which draws a question covers. */
export const PeriodSchema = z.discriminatedUnion('kind', [
  /** `current`: the current rule era; `all`: the whole history, each era apart. */
  z.object({ kind: z.literal('era'), era: z.enum(['current', 'all']) }).strict(),
  /** The newest N draws. */
  z.object({ kind: z.literal('last'), draws: z.number().int().min(1).max(100_000) }).strict(),
  /** Draws between two dates (inclusive); null = open on that side. */
  z.object({ kind: z.literal('dates'), from: IsoDateText.nullable(), to: IsoDateText.nullable() }).strict(),
]);
export type Period = z.infer<typeof PeriodSchema>;

/** White balls, the Powerball, or each of them separately. */
export const PoolSchema = z.enum(['white', 'powerball', 'any']);
export type Pool = z.infer<typeof PoolSchema>;

const Ball = z.number().int().min(1).max(99);

export const PATTERNS = [
  'all-odd',
  'all-even',
  'all-high',
  'all-low',
  'consecutive',
  'sum-above',
  'sum-below',
  'sum-equal',
] as const;
export type PatternName = (typeof PATTERNS)[number];

export const TIERS = ['5+PB', '5', '4+PB', '4', '3+PB', '3', '2+PB', '1+PB', 'PB', 'any'] as const;
export type TierName = (typeof TIERS)[number];

export const AskQuerySchema = z.discriminatedUnion('kind', [
  /** How often N was drawn. */
  z.object({ kind: z.literal('count'), number: Ball, pool: PoolSchema, period: PeriodSchema }).strict(),
  /** When N was last drawn, and how many draws ago. */
  z.object({ kind: z.literal('last'), number: Ball, pool: PoolSchema, period: PeriodSchema }).strict(),
  /** The most or least frequent numbers. */
  z
    .object({
      kind: z.literal('rank'),
      order: z.enum(['most', 'least']),
      pool: PoolSchema,
      top: z.number().int().min(1).max(26),
      period: PeriodSchema,
    })
    .strict(),
  /** A statistic of the sum of the five whites. */
  z
    .object({ kind: z.literal('sum'), stat: z.enum(['mean', 'median', 'range']), period: PeriodSchema })
    .strict(),
  /** How often whites (and a Powerball) were drawn in the same draw; no numbers = the most frequent pairs. */
  z
    .object({
      kind: z.literal('together'),
      whites: z.array(Ball).max(5),
      powerball: Ball.nullable(),
      period: PeriodSchema,
    })
    .strict(),
  /** Draws per weekday: of all draws (number null), or of those with N. */
  z
    .object({ kind: z.literal('weekday'), number: Ball.nullable(), pool: PoolSchema, period: PeriodSchema })
    .strict(),
  /** Whether N is "overdue": its gap against the gap distribution by chance; null = the longest gaps. */
  z
    .object({ kind: z.literal('overdue'), number: Ball.nullable(), pool: PoolSchema, period: PeriodSchema })
    .strict(),
  /** How many draws had a pattern; `value` is the sum for the sum patterns, else null. */
  z
    .object({
      kind: z.literal('pattern'),
      pattern: z.enum(PATTERNS),
      value: z.number().int().min(0).max(1000).nullable(),
      period: PeriodSchema,
    })
    .strict(),
  /** The odds of a prize tier (current era) for one ticket. */
  z.object({ kind: z.literal('odds'), tier: z.enum(TIERS) }).strict(),
  /** Numbers rising and falling: the last K periods against the K before. */
  z
    .object({
      kind: z.literal('trend'),
      pool: PoolSchema,
      unit: z.enum(['weekly', 'monthly', 'yearly']),
      units: z.number().int().min(1).max(100),
    })
    .strict(),
  /** What the history holds: draws, dates, eras. */
  z.object({ kind: z.literal('summary') }).strict(),
  /** The forms of question understood. */
  z.object({ kind: z.literal('help') }).strict(),
]);
export type AskQuery = z.infer<typeof AskQuerySchema>;
export type AskKind = AskQuery['kind'];

/**
 * What a language model may answer: one query, or `{ "kind": "unsupported" }` when the question is
 * none of them (so it is never pushed to guess).
 */
export const UnsupportedSchema = z.object({ kind: z.literal('unsupported') }).strict();
export const ModelReplySchema = z.object({ query: z.union([AskQuerySchema, UnsupportedSchema]) });

/** The JSON Schema sent as the model's response format. */
export function modelReplyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ModelReplySchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}
