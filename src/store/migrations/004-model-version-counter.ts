import type { Migration } from './index.js';

/**
 * Version numbers of a model are never reused: after `prune --force` deleted `ridge@5`, the next
 * version is 6, not 5 again (a stored prediction set that names ridge@5 must not come to mean a
 * different model). The registry keeps the last number it gave out.
 */
export const m004ModelVersionCounter: Migration = {
  version: 4,
  name: 'model version counter',
  sql: `
    ALTER TABLE registered_models ADD COLUMN last_version INTEGER NOT NULL DEFAULT 0;
    UPDATE registered_models
       SET last_version = (SELECT IFNULL(MAX(version), 0) FROM model_versions v WHERE v.model_name = registered_models.name);
  `,
};
