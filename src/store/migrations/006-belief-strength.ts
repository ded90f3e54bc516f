import type { Migration } from './index.js';

/**
 * Every prediction set records the belief strength it was generated with (`calibrated`, `raw` or
 * the weight of the raw belief in [0, 1]); NULL for sets stored before strengths existed (they used
 * the calibrated strength) and for migrated legacy sets.
 */
export const m006BeliefStrength: Migration = {
  version: 6,
  name: 'belief strength of prediction sets',
  sql: `
    ALTER TABLE prediction_sets ADD COLUMN strength TEXT
      CHECK (strength IS NULL OR strength IN ('calibrated', 'raw') OR strength GLOB '[01]*');
  `,
};
