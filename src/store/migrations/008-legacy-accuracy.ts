import type { Migration } from './index.js';

/**
 * Legacy accuracy records get their own table, with the figures as columns (so the evaluation
 * views can show them beside the product's own scores) and a link to the migrated set or
 * prediction they concern, saying how the link was made. The legacy figures are kept as written:
 * summaries (averages over a set) are never turned into per-ticket scores.
 *
 * Accuracy entries an earlier migration kept in `legacy_feedback` move here under the same ids,
 * and the ledger entries that named them follow, so a later `pbi migrate` still adds nothing.
 */
export const m008LegacyAccuracy: Migration = {
  version: 8,
  name: 'legacy accuracy records',
  sql: `
    CREATE TABLE legacy_accuracy (
      id               INTEGER PRIMARY KEY,
      origin           TEXT NOT NULL CHECK (origin IN ('model_predictions.db', 'prediction_history.joblib')),
      legacy_record    TEXT NOT NULL,
      shape            TEXT NOT NULL CHECK (shape IN ('summary', 'ticket')),
      model_name       TEXT,
      legacy_set_id    TEXT,
      draw_date        TEXT CHECK (draw_date IS NULL OR date(draw_date) IS draw_date),
      evaluated_at     TEXT,
      set_row          INTEGER REFERENCES prediction_sets(id) ON DELETE SET NULL,
      prediction_id    INTEGER REFERENCES predictions(id) ON DELETE SET NULL,
      link             TEXT NOT NULL CHECK (link IN ('set_id', 'current_at_draw', 'prediction_id',
                         'prediction_index', 'numbers', 'order', 'timestamp', 'none')),
      link_note        TEXT,
      white_matches    REAL CHECK (white_matches IS NULL OR white_matches BETWEEN 0 AND 5),
      powerball_match  INTEGER CHECK (powerball_match IS NULL OR powerball_match IN (0, 1)),
      total_matches    REAL CHECK (total_matches IS NULL OR total_matches BETWEEN 0 AND 6),
      accuracy_score   REAL CHECK (accuracy_score IS NULL OR accuracy_score BETWEEN 0 AND 1),
      actual_whites    TEXT CHECK (actual_whites IS NULL OR json_valid(actual_whites)),
      actual_powerball INTEGER,
      payload          TEXT NOT NULL CHECK (json_valid(payload))
    ) STRICT;
    CREATE INDEX legacy_accuracy_model ON legacy_accuracy(model_name, draw_date);
    CREATE INDEX legacy_accuracy_set ON legacy_accuracy(set_row);
    CREATE INDEX legacy_accuracy_prediction ON legacy_accuracy(prediction_id);

    INSERT INTO legacy_accuracy (id, origin, legacy_record, shape, draw_date, evaluated_at, set_row,
                                 prediction_id, link, white_matches, powerball_match, accuracy_score,
                                 actual_whites, actual_powerball, payload)
    SELECT f.id,
           CASE WHEN json_type(f.payload, '$.rowId') IS NULL THEN 'prediction_history.joblib'
                ELSE 'model_predictions.db' END,
           CASE WHEN json_type(f.payload, '$.rowId') IS NULL
                THEN 'accuracy#' || ifnull(json_extract(f.payload, '$.index'), '?')
                ELSE 'prediction_accuracy row ' || json_extract(f.payload, '$.rowId') END,
           'ticket',
           CASE WHEN date(f.draw_date) IS f.draw_date THEN f.draw_date END,
           f.recorded_at,
           (SELECT p.set_row FROM predictions p WHERE p.id = f.prediction_id),
           f.prediction_id,
           CASE WHEN f.prediction_id IS NULL THEN 'none'
                WHEN json_type(f.payload, '$.rowId') IS NULL THEN 'prediction_index'
                ELSE 'prediction_id' END,
           CASE WHEN json_extract(f.payload, '$.whiteMatches') BETWEEN 0 AND 5
                THEN json_extract(f.payload, '$.whiteMatches') END,
           CASE WHEN json_type(f.payload, '$.powerballMatch') IN ('true', 'false')
                THEN json_extract(f.payload, '$.powerballMatch') END,
           CASE WHEN ifnull(json_extract(f.payload, '$.accuracyScore'), json_extract(f.payload, '$.score')) BETWEEN 0 AND 1
                THEN ifnull(json_extract(f.payload, '$.accuracyScore'), json_extract(f.payload, '$.score')) END,
           CASE WHEN json_type(f.payload, '$.actualWhites') = 'array' THEN json_extract(f.payload, '$.actualWhites') END,
           CASE WHEN json_type(f.payload, '$.actualPowerball') = 'integer' THEN json_extract(f.payload, '$.actualPowerball') END,
           f.payload
      FROM legacy_feedback f WHERE f.kind = 'accuracy';
    UPDATE legacy_records SET target_id = 'legacy_accuracy:' || CAST(substr(target_id, 17) AS INTEGER)
     WHERE kind = 'accuracy' AND target_id LIKE 'legacy_feedback:%';
    DELETE FROM legacy_feedback WHERE kind = 'accuracy';
  `,
};
