import type { Migration } from './index.js';

/**
 * Experiments, runs and model aliases, in MLflow's shape: an experiment holds runs; a run
 * has params, tags and a metric history (key, step, value, timestamp). Aliases are a current table
 * plus an append-only event log, so "who held `champion` when" can always be answered.
 *
 * Model versions are referred to by (model_name, version) without a foreign key: the registry may
 * prune a version, and the history of what a run produced or an alias pointed at must survive that.
 */
export const m003Experiments: Migration = {
  version: 3,
  name: 'experiments',
  sql: `
    CREATE TABLE experiments (
      experiment_id INTEGER PRIMARY KEY AUTOINCREMENT,
      name          TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
      created_at    TEXT NOT NULL
    ) STRICT;

    CREATE TABLE runs (
      run_id         INTEGER PRIMARY KEY AUTOINCREMENT,
      experiment_id  INTEGER NOT NULL REFERENCES experiments(experiment_id) ON DELETE CASCADE,
      parent_run_id  INTEGER REFERENCES runs(run_id) ON DELETE SET NULL,
      kind           TEXT NOT NULL CHECK (kind IN ('train', 'trial', 'search')),
      model_name     TEXT NOT NULL,
      status         TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
      error          TEXT,
      seed           INTEGER,
      data_digest    TEXT CHECK (data_digest IS NULL OR length(data_digest) = 64),
      n_draws        INTEGER,
      features_json  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(features_json) AND json_type(features_json) = 'array'),
      started_at     TEXT NOT NULL,
      ended_at       TEXT,
      duration_ms    REAL,
      model_version  INTEGER,
      CHECK (status = 'running' OR ended_at IS NOT NULL),
      CHECK (status <> 'failed' OR error IS NOT NULL)
    ) STRICT;
    CREATE INDEX runs_by_experiment ON runs (experiment_id, run_id);
    CREATE INDEX runs_by_model ON runs (model_name, run_id);
    CREATE INDEX runs_by_parent ON runs (parent_run_id) WHERE parent_run_id IS NOT NULL;

    CREATE TABLE run_params (
      run_id     INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
      key        TEXT NOT NULL,
      value_json TEXT NOT NULL CHECK (json_valid(value_json)),
      PRIMARY KEY (run_id, key)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE run_tags (
      run_id INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
      key    TEXT NOT NULL,
      value  TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    ) STRICT, WITHOUT ROWID;

    -- The metric history: per-fold values are steps of one key; the value at the highest step is the
    -- run's summary value of that key (as MLflow's "latest metric").
    CREATE TABLE run_metrics (
      run_id    INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
      key       TEXT NOT NULL,
      step      INTEGER NOT NULL,
      value     REAL,
      timestamp TEXT NOT NULL,
      PRIMARY KEY (run_id, key, step)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX run_metrics_by_key ON run_metrics (key, run_id);

    CREATE TABLE model_aliases (
      model_name TEXT NOT NULL,
      alias      TEXT NOT NULL CHECK (alias GLOB '[a-z]*' AND length(alias) <= 64),
      version    INTEGER NOT NULL CHECK (version >= 1),
      updated_at TEXT NOT NULL,
      PRIMARY KEY (model_name, alias)
    ) STRICT, WITHOUT ROWID;

    -- Append-only: every move of an alias (version NULL = removed) and every activation
    -- (alias 'active'), so the history can be shown and rolled back.
    CREATE TABLE model_alias_events (
      event_id         INTEGER PRIMARY KEY AUTOINCREMENT,
      model_name       TEXT NOT NULL,
      alias            TEXT NOT NULL,
      version          INTEGER,
      previous_version INTEGER,
      at               TEXT NOT NULL,
      note             TEXT
    ) STRICT;
    CREATE INDEX model_alias_events_by_model ON model_alias_events (model_name, event_id);

    -- Activations are logged by triggers on the registry (migration 002), so every path that
    -- activates a version (train, activate, migrate) is recorded without having to call us. Updates
    -- take SQLite's clock: a trigger cannot see the injected one.
    INSERT INTO model_aliases (model_name, alias, version, updated_at)
      SELECT model_name, 'active', version, created_at FROM model_versions WHERE is_active = 1;
    INSERT INTO model_alias_events (model_name, alias, version, previous_version, at, note)
      SELECT model_name, 'active', version, NULL, created_at, 'active when alias history began'
      FROM model_versions WHERE is_active = 1 ORDER BY model_name;

    CREATE TRIGGER model_versions_log_activation_insert AFTER INSERT ON model_versions
    WHEN NEW.is_active = 1
    BEGIN
      INSERT INTO model_alias_events (model_name, alias, version, previous_version, at, note)
        VALUES (NEW.model_name, 'active', NEW.version,
                (SELECT version FROM model_aliases WHERE model_name = NEW.model_name AND alias = 'active'),
                NEW.created_at, 'registered active');
      INSERT INTO model_aliases (model_name, alias, version, updated_at) VALUES (NEW.model_name, 'active', NEW.version, NEW.created_at)
        ON CONFLICT (model_name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at;
    END;

    CREATE TRIGGER model_versions_log_activation_update AFTER UPDATE OF is_active ON model_versions
    WHEN NEW.is_active = 1 AND OLD.is_active = 0
    BEGIN
      INSERT INTO model_alias_events (model_name, alias, version, previous_version, at, note)
        VALUES (NEW.model_name, 'active', NEW.version,
                (SELECT version FROM model_aliases WHERE model_name = NEW.model_name AND alias = 'active'),
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'activated');
      INSERT INTO model_aliases (model_name, alias, version, updated_at)
        VALUES (NEW.model_name, 'active', NEW.version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        ON CONFLICT (model_name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at;
    END;

    -- A pruned version loses its aliases; the removal is logged, so the history still names it.
    CREATE TRIGGER model_versions_drop_aliases AFTER DELETE ON model_versions
    BEGIN
      INSERT INTO model_alias_events (model_name, alias, version, previous_version, at, note)
        SELECT model_name, alias, NULL, version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'version deleted'
        FROM model_aliases WHERE model_name = OLD.model_name AND version = OLD.version ORDER BY alias;
      DELETE FROM model_aliases WHERE model_name = OLD.model_name AND version = OLD.version;
    END;
  `,
};
