/**
 * Legacy accuracy records (migrated from the legacy app), kept as the legacy wrote them and linked
 * to the migrated set or prediction they concern when that could be determined. `pbi db check`
 * verifies the links through the invariants below.
 */
import type { IsoDate } from '../domain/dates.js';
import { ValidationError } from '../domain/errors.js';
import { RequestChecker } from './request-validation.js';
import type { Connection } from './connection.js';
import { registerInvariant } from './integrity.js';
import type { JsonValue } from '../domain/json.js';
import { jsonProblems } from './json.js';

export type LegacyAccuracyOrigin = 'model_predictions.db' | 'prediction_history.joblib';

/**
 * How a record was linked: by the set id it names, to the model's set current at the draw, by a
 * legacy prediction id or history index, by the predicted numbers, by history order or timestamps;
 * or not at all.
 */
export type LegacyAccuracyLink =
  | 'set_id'
  | 'current_at_draw'
  | 'prediction_id'
  | 'prediction_index'
  | 'numbers'
  | 'order'
  | 'timestamp'
  | 'none';

export const LEGACY_ACCURACY_LINKS: readonly LegacyAccuracyLink[] = [
  'set_id',
  'current_at_draw',
  'prediction_id',
  'prediction_index',
  'numbers',
  'order',
  'timestamp',
  'none',
];

export interface LegacyAccuracyInput {
  readonly origin: LegacyAccuracyOrigin;
  /** Where in the legacy file: `prediction_accuracy row 3`, `accuracy#4`. */
  readonly legacyRecord: string;
  /** `summary`: the legacy's averages over a set; `ticket`: one prediction's figures. */
  readonly shape: 'summary' | 'ticket';
  readonly modelName: string | null;
  /** The set id the legacy record names, when it names one. */
  readonly legacySetId: string | null;
  readonly drawDate: IsoDate | null;
  readonly evaluatedAt: string | null;
  /** The stored set (summary records) or null. */
  readonly setId: string | null;
  /** The stored prediction (ticket records) or null. */
  readonly predictionId: number | null;
  readonly link: LegacyAccuracyLink;
  /** Why it is unlinked, or how the link was found. */
  readonly linkNote: string | null;
  readonly whiteMatches: number | null;
  readonly powerballMatch: boolean | null;
  readonly totalMatches: number | null;
  readonly accuracyScore: number | null;
  readonly actualWhites: readonly number[] | null;
  readonly actualPowerball: number | null;
  /** The legacy record whole, as read. */
  readonly payload: JsonValue;
}

/** A stored record; `setId` is the linked set, or for a ticket record the linked prediction's set. */
export interface LegacyAccuracy extends LegacyAccuracyInput {
  readonly id: number;
  /** The linked prediction's set, for ticket records. */
  readonly setSource: string | null;
}

interface Row {
  id: number;
  origin: string;
  legacy_record: string;
  shape: string;
  model_name: string | null;
  legacy_set_id: string | null;
  draw_date: string | null;
  evaluated_at: string | null;
  set_id: string | null;
  set_source: string | null;
  prediction_id: number | null;
  link: string;
  link_note: string | null;
  white_matches: number | null;
  powerball_match: number | null;
  total_matches: number | null;
  accuracy_score: number | null;
  actual_whites: string | null;
  actual_powerball: number | null;
  payload: string;
}

const toRecord = (r: Row): LegacyAccuracy => ({
  id: r.id,
  origin: r.origin as LegacyAccuracyOrigin,
  legacyRecord: r.legacy_record,
  shape: r.shape as 'summary' | 'ticket',
  modelName: r.model_name,
  legacySetId: r.legacy_set_id,
  drawDate: r.draw_date as IsoDate | null,
  evaluatedAt: r.evaluated_at,
  setId: r.set_id,
  setSource: r.set_source,
  predictionId: r.prediction_id,
  link: r.link as LegacyAccuracyLink,
  linkNote: r.link_note,
  whiteMatches: r.white_matches,
  powerballMatch: r.powerball_match === null ? null : r.powerball_match === 1,
  totalMatches: r.total_matches,
  accuracyScore: r.accuracy_score,
  actualWhites: r.actual_whites === null ? null : (JSON.parse(r.actual_whites) as number[]),
  actualPowerball: r.actual_powerball,
  payload: JSON.parse(r.payload) as JsonValue,
});

const SELECT = `SELECT a.*, s.set_id AS set_id, s.source AS set_source
                FROM legacy_accuracy a LEFT JOIN prediction_sets s ON s.id = a.set_row`;

registerInvariant({
  name: 'legacy accuracy links agree with how they were made',
  sql: `SELECT 'legacy accuracy ' || id || ' (' || legacy_record || ') ' ||
               CASE WHEN link = 'none' THEN 'is marked unlinked but points at a set or prediction'
                    WHEN shape = 'summary' AND prediction_id IS NOT NULL THEN 'is a set summary linked to one prediction'
                    WHEN shape = 'ticket' AND link IN ('set_id', 'current_at_draw') THEN 'is one ticket linked to a whole set'
                    ELSE 'is marked ' || link || ' but points at nothing' END AS problem
        FROM legacy_accuracy
        WHERE (link = 'none' AND (set_row IS NOT NULL OR prediction_id IS NOT NULL))
           OR (shape = 'summary' AND prediction_id IS NOT NULL)
           OR (shape = 'ticket' AND link IN ('set_id', 'current_at_draw'))
           OR (link <> 'none' AND set_row IS NULL AND prediction_id IS NULL)`,
});
registerInvariant({
  name: 'legacy accuracy records link only migrated legacy sets and predictions',
  sql: `SELECT 'legacy accuracy ' || a.id || ' (' || a.legacy_record || ') links set ' || s.set_id ||
               ', which did not come from the legacy app' AS problem
        FROM legacy_accuracy a JOIN prediction_sets s ON s.id = a.set_row
        WHERE s.legacy_created_at IS NULL AND s.legacy_extra IS NULL
        UNION ALL
        SELECT 'legacy accuracy ' || a.id || ' (' || a.legacy_record || ') links prediction ' || a.prediction_id ||
               CASE WHEN p.set_row IS NOT a.set_row THEN ' but records another set' ELSE ', which did not come from the legacy app' END
        FROM legacy_accuracy a JOIN predictions p ON p.id = a.prediction_id
        WHERE p.set_row IS NOT a.set_row
           OR (p.legacy_created_at IS NULL AND p.legacy_extra IS NULL AND p.legacy_prediction_id IS NULL)`,
});
registerInvariant({
  name: 'legacy accuracy set links match the model, the set id and the draw',
  sql: `SELECT 'legacy accuracy ' || a.id || ' (' || a.legacy_record || ') ' ||
               CASE WHEN a.model_name IS NOT json_extract(s.legacy_extra, '$.model_name')
                      THEN 'of model ' || ifnull(a.model_name, '?') || ' links set ' || s.set_id || ' of ' ||
                           ifnull(json_extract(s.legacy_extra, '$.model_name'), '?')
                    WHEN a.link = 'set_id' AND a.legacy_set_id IS NOT json_extract(s.legacy_extra, '$.set_id')
                      THEN 'names set ' || ifnull(a.legacy_set_id, '(none)') || ' but links ' || s.set_id
                    ELSE 'of the draw of ' || a.draw_date || ' links set ' || s.set_id || ', made after it (' ||
                         s.created_at || ')' END AS problem
        FROM legacy_accuracy a JOIN prediction_sets s ON s.id = a.set_row
        WHERE a.shape = 'summary' AND (
              a.model_name IS NOT json_extract(s.legacy_extra, '$.model_name')
           OR (a.link = 'set_id' AND a.legacy_set_id IS NOT json_extract(s.legacy_extra, '$.set_id'))
           OR (a.link = 'current_at_draw' AND s.created_at >= datetime(a.draw_date, '+1 day', '+4 hours')))`,
});

/** store.legacyAccuracy */
export class LegacyAccuracyRepository {
  constructor(private readonly db: Connection) {}

  /**
   * Stores records all-or-nothing and returns their ids.
   * @throws ValidationError naming the field (`records[2].whiteMatches`), or NOT_FOUND for a link to
   *   a set or prediction that does not exist.
   */
  store(records: readonly LegacyAccuracyInput[]): number[] {
    const c = new RequestChecker();
    records.forEach((r, i) => check(c, r, `records[${i}]`));
    c.throwIfAny('legacy accuracy');
    const setRow = this.db.prepare('SELECT id FROM prediction_sets WHERE set_id = ?');
    const predictionSet = this.db.prepare('SELECT set_row FROM predictions WHERE id = ?');
    const insert = this.db.prepare(
      `INSERT INTO legacy_accuracy (origin, legacy_record, shape, model_name, legacy_set_id, draw_date,
         evaluated_at, set_row, prediction_id, link, link_note, white_matches, powerball_match, total_matches,
         accuracy_score, actual_whites, actual_powerball, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    return this.db.write(() =>
      records.map((r, i) => {
        let row: number | null = null;
        if (r.predictionId !== null) {
          const p = predictionSet.get(r.predictionId) as { set_row: number } | undefined;
          if (!p) throw notFound(i, 'predictionId', `no prediction ${r.predictionId}`);
          row = p.set_row;
        } else if (r.setId !== null) {
          const s = setRow.get(r.setId) as { id: number } | undefined;
          if (!s) throw notFound(i, 'setId', `no prediction set ${r.setId}`);
          row = s.id;
        }
        return Number(
          insert.run(
            r.origin,
            r.legacyRecord,
            r.shape,
            r.modelName,
            r.legacySetId,
            r.drawDate,
            r.evaluatedAt,
            row,
            r.predictionId,
            r.link,
            r.linkNote,
            r.whiteMatches,
            r.powerballMatch === null ? null : r.powerballMatch ? 1 : 0,
            r.totalMatches,
            r.accuracyScore,
            r.actualWhites === null ? null : JSON.stringify(r.actualWhites),
            r.actualPowerball,
            JSON.stringify(r.payload),
          ).lastInsertRowid,
        );
      }),
    );
  }

  /** Every record, oldest draw first (undated last), then by id. */
  list(): LegacyAccuracy[] {
    return (this.db.prepare(`${SELECT} ORDER BY a.draw_date IS NULL, a.draw_date, a.id`).all() as Row[]).map(
      toRecord,
    );
  }

  /**
   * The tickets each linked record concerns (the set's for a summary, the prediction for a ticket
   * record), by record id, in one query.
   */
  linkedTickets(): Map<number, { whites: number[]; powerball: number }[]> {
    const rows = this.db
      .prepareRaw(
        `SELECT a.id, p.white_1, p.white_2, p.white_3, p.white_4, p.white_5, p.powerball
         FROM legacy_accuracy a JOIN predictions p ON p.id = a.prediction_id
         UNION ALL
         SELECT a.id, p.white_1, p.white_2, p.white_3, p.white_4, p.white_5, p.powerball
         FROM legacy_accuracy a JOIN predictions p ON p.set_row = a.set_row
         WHERE a.prediction_id IS NULL
         ORDER BY 1`,
      )
      .all() as number[][];
    const out = new Map<number, { whites: number[]; powerball: number }[]>();
    for (const [id, w1, w2, w3, w4, w5, pb] of rows) {
      const list = out.get(id as number) ?? [];
      list.push({ whites: [w1, w2, w3, w4, w5] as number[], powerball: pb as number });
      out.set(id as number, list);
    }
    return out;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM legacy_accuracy').get() as { n: number }).n;
  }
}

function notFound(i: number, field: string, reason: string): ValidationError {
  return new ValidationError(
    `legacy accuracy rejected, nothing stored: ${reason}`,
    [{ where: `records[${i}].${field}`, reason }],
    'NOT_FOUND',
  );
}

function check(c: RequestChecker, r: LegacyAccuracyInput, w: string): void {
  if (r.origin !== 'model_predictions.db' && r.origin !== 'prediction_history.joblib')
    c.add(`${w}.origin`, 'expected model_predictions.db or prediction_history.joblib');
  c.text(r.legacyRecord, `${w}.legacyRecord`, 200);
  if (r.shape !== 'summary' && r.shape !== 'ticket') c.add(`${w}.shape`, 'expected summary or ticket');
  c.optionalText(r.modelName, `${w}.modelName`, 200);
  c.optionalText(r.legacySetId, `${w}.legacySetId`, 500);
  if (r.drawDate !== null) c.date(r.drawDate, `${w}.drawDate`);
  if (r.evaluatedAt !== null) c.timestamp(r.evaluatedAt, `${w}.evaluatedAt`);
  if (!LEGACY_ACCURACY_LINKS.includes(r.link))
    c.add(`${w}.link`, `expected one of ${LEGACY_ACCURACY_LINKS.join(', ')}`);
  const linked = r.setId !== null || r.predictionId !== null;
  if ((r.link === 'none') === linked)
    c.add(
      `${w}.link`,
      r.link === 'none' ? 'unlinked but names a set or prediction' : 'names no set or prediction',
    );
  if (r.shape === 'summary' && r.predictionId !== null)
    c.add(`${w}.predictionId`, 'a summary of a set links the set, not one prediction');
  if (r.shape === 'ticket' && r.setId !== null) c.add(`${w}.setId`, 'a ticket record links its prediction');
  if (r.predictionId !== null) c.integer(r.predictionId, `${w}.predictionId`, 1);
  c.optionalText(r.linkNote, `${w}.linkNote`, 1000);
  if (r.whiteMatches !== null) c.number(r.whiteMatches, `${w}.whiteMatches`, 0, 5);
  if (r.powerballMatch !== null) c.boolean(r.powerballMatch, `${w}.powerballMatch`);
  if (r.totalMatches !== null) c.number(r.totalMatches, `${w}.totalMatches`, 0, 6);
  if (r.accuracyScore !== null) c.number(r.accuracyScore, `${w}.accuracyScore`, 0, 1);
  if (r.actualWhites !== null && !(Array.isArray(r.actualWhites) && r.actualWhites.every(Number.isInteger)))
    c.add(`${w}.actualWhites`, 'expected a list of integers');
  if (r.actualPowerball !== null) c.integer(r.actualPowerball, `${w}.actualPowerball`, 0);
  c.addAll(jsonProblems(r.payload, `${w}.payload`));
}
