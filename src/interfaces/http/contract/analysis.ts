/**
 * The response shapes of the analysis routes: the zod schemas document every field in
 * /api/openapi.json, and the dashboard imports the inferred types (type-only, so nothing of zod
 * reaches the browser bundle).
 */
import { z } from '@hono/zod-openapi';
import { EraSchema, IsoDateSchema } from '../schemas.js';

const int = () => z.number().int();
const Weekday = z.enum(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);
const Pool = z.enum(['whites', 'powerball']);

export const NumberStatsSchema = z
  .object({
    number: int(),
    count: int(),
    expected: z.number().openapi({ description: 'count expected by chance over the same draws' }),
    z: z.number().openapi({ description: '(count − expected) / binomial standard deviation' }),
    lastSeen: IsoDateSchema.nullable(),
    gap: int().openapi({ description: 'draws since last drawn (0 = in the newest draw)' }),
    longestGap: int(),
  })
  .openapi('NumberStats');

export const PoolStatsSchema = z
  .object({
    pool: Pool,
    size: int(),
    perDraw: int(),
    expectedCount: z.number(),
    expectedGap: z.number(),
    numbers: z.array(NumberStatsSchema),
    hot: z.array(NumberStatsSchema),
    cold: z.array(NumberStatsSchema),
    overdue: z.array(NumberStatsSchema),
    chiSquare: z.object({
      statistic: z.number(),
      pearson: z.number(),
      df: int(),
      pValue: z.number(),
      note: z.string(),
    }),
  })
  .openapi('PoolStats');

const SumBinSchema = z.object({ from: int(), to: int(), count: int(), expected: z.number() });

export const SumStatsSchema = z
  .object({
    mean: z.number(),
    sd: z.number(),
    min: int(),
    max: int(),
    percentiles: z.object({
      p5: z.number(),
      p10: z.number(),
      p25: z.number(),
      p50: z.number(),
      p75: z.number(),
      p90: z.number(),
      p95: z.number(),
    }),
    expectedMean: z.number(),
    expectedSd: z.number(),
    histogram: z.array(SumBinSchema),
    position: z
      .object({
        sum: int(),
        possible: z.boolean(),
        below: int(),
        equal: int(),
        above: int(),
        percentile: z.number(),
        expectedPercentile: z.number(),
        expectedBelow: z.number(),
        expectedEqual: z.number(),
        expectedAbove: z.number(),
      })
      .nullable(),
  })
  .openapi('SumStats');

export const SplitStatsSchema = z
  .object({
    label: z.string(),
    distribution: z.array(z.object({ k: int(), count: int(), expected: z.number() })),
  })
  .openapi('SplitStats');

const ComboEntrySchema = z.object({
  whites: z.array(int()),
  powerball: int().nullable(),
  count: int(),
});

const TrendEntrySchema = z.object({
  number: int(),
  recent: int(),
  previous: int(),
  change: z.number().openapi({ description: 'per-draw rate in the recent window minus the previous one' }),
});
const TrendWindowSchema = z.object({ from: IsoDateSchema, to: IsoDateSchema, draws: int() });

export const EraAnalysisSchema = z
  .object({
    era: EraSchema,
    draws: int(),
    from: IsoDateSchema,
    to: IsoDateSchema,
    whites: PoolStatsSchema,
    powerball: PoolStatsSchema,
    sums: SumStatsSchema,
    oddEven: SplitStatsSchema,
    highLow: SplitStatsSchema,
    powerballOdd: z.object({ count: int(), expected: z.number() }),
    consecutive: z.object({ count: int(), expected: z.number() }),
    selection: z
      .object({
        whites: z.array(int()),
        powerball: int().nullable(),
        possible: z.boolean(),
        count: int(),
        expected: z.number(),
        probability: z.number(),
        lastSeen: IsoDateSchema.nullable(),
        gap: int(),
        longestGap: int(),
        weekdays: z.array(z.object({ weekday: Weekday, draws: int(), count: int(), expected: z.number() })),
      })
      .nullable(),
    prizeOdds: z.array(z.object({ tier: z.string(), probability: z.number(), oneIn: z.number() })),
    combinations: z.array(
      z.object({
        size: int(),
        whites: int(),
        withPowerball: z.boolean(),
        distinct: int(),
        possible: z.number(),
        expected: z.number(),
        top: z.array(ComboEntrySchema),
      }),
    ),
    trends: z.object({
      period: z.enum(['weekly', 'monthly', 'yearly']),
      periods: int(),
      recent: TrendWindowSchema,
      previous: TrendWindowSchema,
      whites: z.object({ rising: z.array(TrendEntrySchema), falling: z.array(TrendEntrySchema) }),
      powerball: z.object({ rising: z.array(TrendEntrySchema), falling: z.array(TrendEntrySchema) }),
      note: z.string().nullable(),
    }),
    weekdays: z.array(z.object({ weekday: Weekday, observed: int(), expected: int() })),
    missingDraws: int(),
  })
  .openapi('EraAnalysis');

export const AnalysisReportSchema = z
  .object({
    eraMode: z.enum(['current', 'all']),
    window: int().nullable(),
    totalDraws: int(),
    eras: z.array(EraAnalysisSchema),
    disclaimer: z.string(),
  })
  .openapi('AnalysisReport');

export const PairMatrixSchema = z
  .object({
    era: EraSchema,
    draws: int(),
    size: int(),
    counts: z.array(int()).openapi({ description: 'row-major size×size, symmetric, zero diagonal' }),
    expected: z.number(),
  })
  .openapi('PairMatrix');

const Span = {
  era: EraSchema,
  from: IsoDateSchema,
  to: IsoDateSchema,
  draws: int(),
};

const TrendChangeSchema = TrendEntrySchema.extend({
  z: z.number().openapi({ description: 'the change in standard deviations of chance' }),
});

export const TrendsViewSchema = z
  .object({
    ...Span,
    group: z.enum(['week', 'month', 'year']),
    pool: Pool,
    numbers: z.array(int()),
    chancePerDraw: z.number(),
    periods: z.array(z.object({ start: IsoDateSchema, draws: int(), counts: z.array(int()) })),
    comparison: z.object({
      periods: int(),
      recent: TrendWindowSchema,
      previous: TrendWindowSchema,
      rising: z.array(TrendChangeSchema),
      falling: z.array(TrendChangeSchema),
      note: z.string().nullable(),
    }),
  })
  .openapi('TrendsView');

export const CombinationsViewSchema = z
  .object({
    ...Span,
    size: int(),
    withPowerball: z.boolean(),
    minCount: int(),
    possible: z.number(),
    distinct: int(),
    occurrences: int(),
    expected: z.number(),
    top: z.array(
      ComboEntrySchema.extend({
        ratio: z.number().openapi({ description: 'count over the count expected by chance' }),
        byChance: z
          .number()
          .openapi({ description: 'combinations chance alone would bring to this count or more' }),
      }),
    ),
  })
  .openapi('CombinationsView');

export const SumsViewSchema = z
  .object({
    ...Span,
    whites: SumStatsSchema,
    withPowerball: z.object({
      mean: z.number(),
      expectedMean: z.number(),
      histogram: z.array(SumBinSchema),
      position: z.object({ sum: int(), percentile: z.number(), expectedPercentile: z.number() }).nullable(),
    }),
    byYear: z.array(z.object({ year: int(), draws: int(), mean: z.number(), expected: z.number() })),
    oddEven: SplitStatsSchema,
    highLow: SplitStatsSchema,
  })
  .openapi('SumsView');

const GapPoolSchema = z.object({
  pool: Pool,
  size: int(),
  expectedMean: z.number(),
  numbers: z.array(
    z.object({
      number: int(),
      gaps: int(),
      mean: z.number().nullable(),
      median: z.number().nullable(),
      max: int().nullable(),
      current: int(),
    }),
  ),
  inDraws: z.array(SumBinSchema),
  inDays: z.array(z.object({ from: int(), to: int(), count: int() })),
});

export const GapsViewSchema = z
  .object({ ...Span, whites: GapPoolSchema, powerball: GapPoolSchema })
  .openapi('GapsView');

export const WeekdaysViewSchema = z
  .object({
    ...Span,
    schedule: z.array(z.object({ weekday: Weekday, observed: int(), expected: int() })),
    days: z.array(
      z.object({ weekday: Weekday, draws: int(), whites: z.array(int()), powerball: z.array(int()) }),
    ),
    whiteChance: z.number(),
    powerballChance: z.number(),
  })
  .openapi('WeekdaysView');

const PooledNumberSchema = z.object({
  number: int(),
  count: int(),
  eligibleDraws: int(),
  expected: z.number(),
});

export const PooledViewSchema = z
  .object({
    draws: int(),
    from: IsoDateSchema,
    to: IsoDateSchema,
    eras: int(),
    whites: z.array(PooledNumberSchema),
    powerball: z.array(PooledNumberSchema),
  })
  .openapi('PooledView');

export type NumberStats = z.infer<typeof NumberStatsSchema>;
export type PoolStats = z.infer<typeof PoolStatsSchema>;
export type EraAnalysis = z.infer<typeof EraAnalysisSchema>;
export type AnalysisReport = z.infer<typeof AnalysisReportSchema>;
export type PairMatrix = z.infer<typeof PairMatrixSchema>;
export type TrendsView = z.infer<typeof TrendsViewSchema>;
export type CombinationsView = z.infer<typeof CombinationsViewSchema>;
export type SumsView = z.infer<typeof SumsViewSchema>;
export type GapsView = z.infer<typeof GapsViewSchema>;
export type WeekdaysView = z.infer<typeof WeekdaysViewSchema>;
export type PooledView = z.infer<typeof PooledViewSchema>;

export const FeatureSetInfoSchema = z
  .object({
    featureSet: z.string(),
    era: z.object({ from: IsoDateSchema, whiteMax: int(), powerballMax: int() }),
    windows: z.array(int()),
    warmup: int(),
    names: z.array(z.string()),
    targets: z.array(z.string()),
    eraDraws: int(),
    rows: int(),
  })
  .openapi('FeatureSetInfo');

export const IntegrityReportSchema = z
  .object({
    database: z.string().openapi({ description: 'path of the database file' }),
    ok: z.boolean(),
    problems: z.array(z.string()),
    notes: z.array(z.string()).optional(),
  })
  .openapi('IntegrityReport');

export type FeatureSetInfo = z.infer<typeof FeatureSetInfoSchema>;
export type IntegrityReport = z.infer<typeof IntegrityReportSchema>;

export const EraSpansSchema = z
  .object({
    eras: z.array(
      z.object({
        era: EraSchema,
        draws: int(),
        from: IsoDateSchema.nullable(),
        to: IsoDateSchema.nullable(),
      }),
    ),
  })
  .openapi('EraSpans');

export type EraSpans = z.infer<typeof EraSpansSchema>;
