/**
 * How predictions are selected and mapped to entities: the column list every prediction query
 * uses, the tuple it yields and the row mappers (shared by the prediction and score repositories).
 */
import type { IsoDate } from '../domain/dates.js';
import type { Whites } from '../domain/ticket.js';
import { parseJsonColumn } from './json.js';
import type { LegacyPredictionFields, StoredPrediction, StoredTicket } from './prediction-types.js';

/**
 * A prediction as selected by PREDICTION_COLUMNS through `prepareRaw`: an array of column values
 * (no object per row). The ten legacy columns are packed by SQLite into one JSON value, NULL for
 * native rows. Together these make a 100-row page about three times cheaper to build.
 */
export type PredictionTuple = readonly [
  id: number,
  setRow: number,
  position: number,
  white1: number,
  white2: number,
  white3: number,
  white4: number,
  white5: number,
  powerball: number,
  probability: number,
  contributions: string | null,
  legacy: string | null,
];

/** PREDICTION_COLUMNS followed by JOINED_SET_COLUMNS. */
export type JoinedPredictionTuple = readonly [
  ...PredictionTuple,
  setId: string,
  source: string,
  targetDrawDate: string,
  createdAt: string,
  isCurrent: number,
];

/** The columns of `predictions p` every query selects, in PredictionTuple order. */
export const PREDICTION_COLUMNS = `p.id, p.set_row, p.position, p.white_1, p.white_2, p.white_3, p.white_4, p.white_5,
  p.powerball, p.probability, p.contributions,
  CASE WHEN p.legacy_id IS NULL AND p.legacy_model_name IS NULL AND p.legacy_prediction_id IS NULL
        AND p.legacy_created_at IS NULL AND p.version IS NULL AND p.is_active IS NULL AND p.features_used IS NULL
        AND p.hyperparameters IS NULL AND p.performance_metrics IS NULL AND p.legacy_extra IS NULL
  THEN NULL ELSE json_object(
    'id', p.legacy_id, 'modelName', p.legacy_model_name, 'predictionId', p.legacy_prediction_id,
    'createdAt', p.legacy_created_at, 'version', p.version,
    'isActive', CASE p.is_active WHEN 1 THEN json('true') WHEN 0 THEN json('false') END,
    'featuresUsed', json(p.features_used), 'hyperparameters', json(p.hyperparameters),
    'performanceMetrics', json(p.performance_metrics), 'extra', json(p.legacy_extra)) END AS legacy`;

/** The set columns a joined prediction query selects after PREDICTION_COLUMNS. */
export const JOINED_SET_COLUMNS = 's.set_id, s.source, s.target_draw_date, s.created_at, s.is_current';

function toLegacyPrediction(packed: string | null): LegacyPredictionFields | null {
  if (packed === null) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(JSON.parse(packed) as Record<string, unknown>))
    if (v !== null) out[k] = v;
  return out as LegacyPredictionFields;
}

/** Row → ticket entity. */
export function toStoredTicket(r: PredictionTuple): StoredTicket {
  return {
    id: r[0],
    position: r[2],
    whites: [r[3], r[4], r[5], r[6], r[7]] as unknown as Whites,
    powerball: r[8],
    probability: r[9],
    contributions: parseJsonColumn<Record<string, number>>(r[10]),
    legacy: toLegacyPrediction(r[11]),
  };
}

/** Joined row → prediction entity. */
export function toStoredPrediction(r: JoinedPredictionTuple): StoredPrediction {
  return {
    id: r[0],
    position: r[2],
    whites: [r[3], r[4], r[5], r[6], r[7]] as unknown as Whites,
    powerball: r[8],
    probability: r[9],
    contributions: parseJsonColumn<Record<string, number>>(r[10]),
    legacy: toLegacyPrediction(r[11]),
    setId: r[12],
    source: r[13],
    targetDrawDate: r[14] as IsoDate,
    createdAt: r[15],
    isCurrent: r[16] === 1,
  };
}
