import type { Migration } from './index.js';

/**
 * Model registry, prediction sets and predictions, scores, strategy weights, migration runs and the
 * legacy ledger. Partial unique indexes make "one current set per source" and "one active
 * version per model" impossible to break, not merely checked.
 */
export const m002ModelsPredictions: Migration = {
  version: 2,
  name: 'models and predictions',
  sql: `
    CREATE TABLE registered_models (
      name        TEXT PRIMARY KEY,
      created_at  TEXT NOT NULL
    ) STRICT;

    CREATE TABLE model_versions (
      id                   INTEGER PRIMARY KEY,
      model_name           TEXT NOT NULL REFERENCES registered_models(name) ON DELETE CASCADE,
      version              INTEGER NOT NULL CHECK (version >= 1),
      kind                 TEXT NOT NULL,
      source               TEXT NOT NULL CHECK (source IN ('trained', 'migrated')),
      is_active            INTEGER NOT NULL DEFAULT 0 CHECK (is_active IN (0, 1)),
      created_at           TEXT NOT NULL,
      hyperparameters      TEXT NOT NULL CHECK (json_valid(hyperparameters)),
      feature_names        TEXT NOT NULL CHECK (json_valid(feature_names)),
      fold_metrics         TEXT NOT NULL CHECK (json_valid(fold_metrics)),
      training_duration_ms REAL,
      seed                 INTEGER,
      artifact_bytes       INTEGER NOT NULL,
      training_data        TEXT CHECK (training_data IS NULL OR json_valid(training_data)),
      notes                TEXT,
      extra                TEXT CHECK (extra IS NULL OR json_valid(extra)),
      UNIQUE (model_name, version)
    ) STRICT;
    CREATE UNIQUE INDEX model_versions_one_active ON model_versions(model_name) WHERE is_active = 1;

    -- Artifacts apart, so listing versions never reads megabytes of model bytes.
    CREATE TABLE model_artifacts (
      version_id  INTEGER PRIMARY KEY REFERENCES model_versions(id) ON DELETE CASCADE,
      bytes       BLOB NOT NULL
    ) STRICT;

    CREATE TABLE prediction_sets (
      id                   INTEGER PRIMARY KEY,
      set_id               TEXT NOT NULL UNIQUE,
      source               TEXT NOT NULL,
      model_name           TEXT,
      model_version        INTEGER,
      target_draw_date     TEXT NOT NULL,
      created_at           TEXT NOT NULL,
      is_current           INTEGER NOT NULL CHECK (is_current IN (0, 1)),
      total_predictions    INTEGER NOT NULL DEFAULT 5 CHECK (total_predictions >= 1),
      seed                 INTEGER,
      weights              TEXT NOT NULL CHECK (json_valid(weights)),
      training_duration_ms REAL,
      notes                TEXT,
      legacy_id            INTEGER,
      legacy_total         INTEGER,
      legacy_artifact_path TEXT,
      legacy_created_at    TEXT,
      legacy_extra         TEXT CHECK (legacy_extra IS NULL OR json_valid(legacy_extra)),
      CHECK ((model_name IS NULL) = (model_version IS NULL))
    ) STRICT;
    CREATE UNIQUE INDEX prediction_sets_one_current ON prediction_sets(source) WHERE is_current = 1;
    CREATE INDEX prediction_sets_source_created ON prediction_sets(source, created_at);
    CREATE INDEX prediction_sets_created ON prediction_sets(created_at);
    CREATE INDEX prediction_sets_target ON prediction_sets(target_draw_date);
    CREATE INDEX prediction_sets_model ON prediction_sets(model_name, model_version) WHERE model_name IS NOT NULL;

    CREATE TABLE predictions (
      id                   INTEGER PRIMARY KEY,
      set_row              INTEGER NOT NULL REFERENCES prediction_sets(id) ON DELETE CASCADE,
      position             INTEGER NOT NULL CHECK (position >= 0),
      white_1              INTEGER NOT NULL,
      white_2              INTEGER NOT NULL,
      white_3              INTEGER NOT NULL,
      white_4              INTEGER NOT NULL,
      white_5              INTEGER NOT NULL,
      powerball            INTEGER NOT NULL CHECK (powerball >= 1),
      probability          REAL NOT NULL CHECK (probability >= 0 AND probability <= 1),
      contributions        TEXT CHECK (contributions IS NULL OR json_valid(contributions)),
      legacy_id            INTEGER,
      legacy_model_name    TEXT,
      legacy_prediction_id TEXT,
      legacy_created_at    TEXT,
      version              TEXT,
      is_active            INTEGER CHECK (is_active IS NULL OR is_active IN (0, 1)),
      features_used        TEXT CHECK (features_used IS NULL OR json_valid(features_used)),
      hyperparameters      TEXT CHECK (hyperparameters IS NULL OR json_valid(hyperparameters)),
      performance_metrics  TEXT CHECK (performance_metrics IS NULL OR json_valid(performance_metrics)),
      legacy_extra         TEXT CHECK (legacy_extra IS NULL OR json_valid(legacy_extra)),
      UNIQUE (set_row, position),
      CHECK (white_1 >= 1 AND white_1 < white_2 AND white_2 < white_3 AND white_3 < white_4 AND white_4 < white_5)
    ) STRICT;

    CREATE TABLE prediction_scores (
      prediction_id   INTEGER NOT NULL REFERENCES predictions(id) ON DELETE CASCADE,
      draw_date       TEXT NOT NULL,
      white_matches   INTEGER NOT NULL CHECK (white_matches BETWEEN 0 AND 5),
      powerball_match INTEGER NOT NULL CHECK (powerball_match IN (0, 1)),
      tier            TEXT,
      amount          REAL,
      scored_at       TEXT NOT NULL,
      PRIMARY KEY (prediction_id, draw_date)
    ) STRICT;
    CREATE INDEX prediction_scores_draw ON prediction_scores(draw_date);

    CREATE TABLE strategy_weights (
      id        INTEGER PRIMARY KEY,
      at        TEXT NOT NULL,
      draw_date TEXT,
      weights   TEXT NOT NULL CHECK (json_valid(weights)),
      reason    TEXT NOT NULL,
      scores    TEXT CHECK (scores IS NULL OR json_valid(scores))
    ) STRICT;
    CREATE UNIQUE INDEX strategy_weights_once ON strategy_weights(reason, ifnull(draw_date, ''));

    CREATE TABLE migration_runs (
      id          INTEGER PRIMARY KEY,
      source_dir  TEXT NOT NULL,
      started_at  TEXT NOT NULL,
      finished_at TEXT,
      status      TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
      dry_run     INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
      report      TEXT CHECK (report IS NULL OR json_valid(report))
    ) STRICT;

    CREATE TABLE legacy_records (
      source      TEXT NOT NULL,
      legacy_key  TEXT NOT NULL,
      kind        TEXT NOT NULL,
      target_id   TEXT NOT NULL,
      checksum    TEXT NOT NULL,
      run_id      INTEGER REFERENCES migration_runs(id) ON DELETE SET NULL,
      migrated_at TEXT NOT NULL,
      PRIMARY KEY (source, legacy_key)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE legacy_feedback (
      id            INTEGER PRIMARY KEY,
      kind          TEXT NOT NULL CHECK (kind IN ('accuracy', 'feedback')),
      recorded_at   TEXT,
      draw_date     TEXT,
      prediction_id INTEGER REFERENCES predictions(id) ON DELETE SET NULL,
      strategy      TEXT,
      payload       TEXT NOT NULL CHECK (json_valid(payload))
    ) STRICT;
    CREATE INDEX legacy_feedback_kind ON legacy_feedback(kind, id);
  `,
};
