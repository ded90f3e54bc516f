/**
 * How every legacy record kind is mapped into the store. The same text is repeated in every report,
 * so a user reads what became of each kind beside its counts.
 */

/** How every legacy record kind is mapped (also the text of the reports). */
export const MAPPING: Readonly<Record<string, string>> = Object.freeze({
  'prediction_history.predictions':
    'prediction sets (consecutive entries of the same method for the same draw, at most 5 minutes apart, form one set; ' +
    'created at the legacy timestamp; target draw = the first draw (22:59 ET) after it; not current); every entry ' +
    'keeps its prediction_id, timestamp, sources, method, tool contributions and other keys in its legacy fields',
  'prediction_history.accuracy':
    'legacy accuracy records (kept as written, never turned into scores), linked to the prediction they followed when ' +
    'the entry names it or the history order and timestamps determine it, else unlinked; checked against the stored draw',
  'prediction_history.feedback':
    'legacy weight-feedback records (tool, adjustment, weights before/after, kept whole)',
  model_predictions:
    'predictions in sets, every column kept (id, model_name, prediction_id, created_at as written, version, is_active, ' +
    'features_used, hyperparameters, performance_metrics); an unparseable JSON cell is kept as text in legacy extra',
  prediction_sets:
    'prediction sets with their set id, created_at, total_predictions, training_duration, notes and model_artifact_path; ' +
    'target draw = the first draw after created_at; linked to the migrated model version when the artifact was migrated; ' +
    'current only when the legacy set was and no set of that model is current here',
  prediction_accuracy:
    "legacy accuracy summaries (the legacy's averages over one model's set, kept as written), linked to the set " +
    "prediction_set_id names, else to the model's set current at the draw when no newer set was evaluated instead, " +
    'else unlinked with the model and draw; checked against the stored draw and the linked tickets',
  model_artifacts:
    'converted native models registered as versions of legacy-<model_type> (source migrated, features x0..xN, ' +
    'outputs: the five whites then the Powerball), so `pbi models predict` runs them',
  prediction_models: 'the same, as versions of legacy-prediction_models',
  experiment_jobs:
    'an experiment "legacy <name> (<job id>)" with a search run holding the job config, status and times',
  experiment_runs:
    "trial runs under their job's search run: hyperparameters as params, summary metrics as summary.<name>, legacy fields as tags",
  metrics_timeseries: 'the metric history (key, step, value, timestamp) of their run',
  ml_memory:
    'a finished train run in experiment "legacy ml_memory" with the last training\'s metrics and the whole document as a tag',
  probability:
    'a legacy probability that is missing, not a number or outside [0, 1] is replaced by the true probability of the ' +
    'ticket under uniform draws (1 / 292,201,338 in the current era); the original is kept as original_probability',
});
