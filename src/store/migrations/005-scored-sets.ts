import type { Migration } from './index.js';

/**
 * `pbi evaluate` asks for the predictions not yet scored. Without help that query visits every
 * stored prediction (a second with a million); a flag on each set, set once all of its predictions
 * are scored against its target draw, and a partial index over the unscored sets make it visit
 * only what is left to do.
 */
export const m005ScoredSets: Migration = {
  version: 5,
  name: 'scored prediction sets',
  sql: `
    ALTER TABLE prediction_sets ADD COLUMN scored INTEGER NOT NULL DEFAULT 0 CHECK (scored IN (0, 1));
    UPDATE prediction_sets SET scored = 1
     WHERE total_predictions = (SELECT COUNT(*) FROM predictions p
                                JOIN prediction_scores sc ON sc.prediction_id = p.id
                                 AND sc.draw_date = prediction_sets.target_draw_date
                                WHERE p.set_row = prediction_sets.id);
    CREATE INDEX prediction_sets_unscored ON prediction_sets(target_draw_date) WHERE scored = 0;
  `,
};
