/**
 * `model_predictions.db` → typed records: `prediction_sets` (with or without the later
 * `model_artifact_path` column), `model_predictions` and `prediction_accuracy`, then predictions
 * grouped into sets. What the old code wrote badly is read, not fatal: sets with one prediction,
 * empty `prediction_set_id`, the same set id reused by a re-run, malformed JSON, predictions whose
 * set row is missing, timestamps in several formats.
 */
import { readAccuracyTable, type LegacyAccuracyRow } from './accuracy-db.js';
import type { JsonValue } from '../../domain/json.js';
import type { LegacyProblem } from './common.js';
import { bool, columnNames, int, json, real, text, type LegacySqlSource } from './sqlite-source.js';
import { LegacyTableReader } from './table-reader.js';

/** A `prediction_sets` row. */
export interface LegacySetRow {
  readonly rowId: number;
  readonly setId: string;
  readonly modelName: string;
  /** UTC ISO-8601, or null if unreadable (a problem says so). */
  readonly createdAt: string | null;
  /** The cell exactly as stored, for the validation report. */
  readonly createdAtRaw: string | number | null;
  readonly isCurrent: boolean;
  readonly totalPredictions: number | null;
  readonly trainingDuration: number | null;
  readonly notes: string | null;
  /** null when the column is absent (older databases) or empty. */
  readonly modelArtifactPath: string | null;
}

/** A `model_predictions` row. */
export interface LegacyPredictionRow {
  readonly rowId: number;
  readonly modelName: string;
  readonly predictionId: string;
  /** null when the legacy row had an empty prediction_set_id. */
  readonly setId: string | null;
  /** Five distinct integers, ascending (range not checked here: it depends on the era). */
  readonly whites: readonly number[];
  readonly powerball: number;
  readonly probability: number | null;
  /** Parsed JSON, or null when missing or malformed (a problem says which). */
  readonly featuresUsed: JsonValue | null;
  readonly hyperparameters: JsonValue | null;
  readonly performanceMetrics: JsonValue | null;
  readonly createdAt: string | null;
  readonly createdAtRaw: string | number | null;
  readonly version: string | null;
  readonly isActive: boolean;
}

/**
 * Predictions grouped into one set each. `setId` is unique across groups: the legacy id, `#2`,
 * `#3` ... appended for re-runs that reused it, or `legacy-row-<rowid>` for a prediction with an
 * empty set id (each such row becomes a set of one).
 */
export interface LegacySetGroup {
  readonly setId: string;
  /** The legacy id the group came from ('' for the empty-id rows). */
  readonly legacySetId: string;
  /** The `prediction_sets` row, or null when it is missing. */
  readonly set: LegacySetRow | null;
  readonly predictions: readonly LegacyPredictionRow[];
  /** The set's timestamp: the set row's, else its first prediction's. */
  readonly createdAt: string | null;
  /** Things worth reporting that do not stop the migration of the group. */
  readonly notes: readonly string[];
}

export interface LegacyModelDb {
  readonly sets: readonly LegacySetRow[];
  readonly predictions: readonly LegacyPredictionRow[];
  readonly accuracy: readonly LegacyAccuracyRow[];
  readonly groups: readonly LegacySetGroup[];
  /** Rows read per table (including skipped ones). */
  readonly counts: { readonly [table: string]: number };
  readonly hasArtifactPathColumn: boolean;
  readonly problems: readonly LegacyProblem[];
}

function raw(v: unknown): string | number | null {
  return typeof v === 'string' || typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null;
}

function numbersJson(v: unknown): number[] | null {
  const j = json(v);
  if ('error' in j || !Array.isArray(j.value)) return null;
  const out = j.value.map((x) => (typeof x === 'number' && Number.isInteger(x) ? x : NaN));
  return out.every((x) => Number.isInteger(x)) ? out : null;
}

/**
 * Reads the legacy `model_predictions.db` through `db`.
 * @throws PbiError (MALFORMED_FILE) when none of the legacy tables exists.
 */
export function readModelPredictionsDb(db: LegacySqlSource): LegacyModelDb {
  const t = new LegacyTableReader(db);
  t.requireAnyTable('model_predictions.db', ['model_predictions', 'prediction_sets', 'prediction_accuracy']);
  const hasArtifactPathColumn = columnNames(db, 'prediction_sets').has('model_artifact_path');
  const sets = readSetRows(t, hasArtifactPathColumn);
  const predictions = readPredictionRows(t);
  let accuracy: LegacyAccuracyRow[] = [];
  if (t.tables.has('prediction_accuracy')) {
    const read = readAccuracyTable(db, t.problems);
    accuracy = read.rows;
    t.counts['prediction_accuracy'] = read.read;
  }
  return {
    sets,
    predictions,
    accuracy,
    groups: groupSets(sets, predictions),
    counts: t.counts,
    hasArtifactPathColumn,
    problems: t.problems,
  };
}

/** A created_at cell read as a timestamp (a problem when missing or unreadable). */
function createdAt(t: LegacyTableReader, source: string, record: string, v: unknown): string | null {
  return t.read.timestamp(source, record, 'created_at', v);
}

/** `prediction_sets`: a row without a set id, or repeating an earlier one, is left out. */
function readSetRows(t: LegacyTableReader, hasArtifactPathColumn: boolean): LegacySetRow[] {
  const s = 'prediction_sets';
  const sets: LegacySetRow[] = [];
  const seen = new Set<string>();
  for (const { cells: r, rowId, record } of t.rows(s)) {
    const setId = text(r['set_id']);
    if (!setId) {
      t.skip(s, record, 'set_id', 'empty set_id');
      continue;
    }
    if (seen.has(setId)) {
      t.skip(s, record, 'set_id', `duplicate set_id ${setId}`);
      continue;
    }
    seen.add(setId);
    sets.push({
      rowId,
      setId,
      modelName: text(r['model_name']) ?? 'unknown',
      createdAt: createdAt(t, s, record, r['created_at']),
      createdAtRaw: raw(r['created_at']),
      isCurrent: bool(r['is_current']) ?? false,
      totalPredictions: int(r['total_predictions']),
      trainingDuration: real(r['training_duration']),
      notes: text(r['notes']),
      modelArtifactPath: hasArtifactPathColumn ? text(r['model_artifact_path']) : null,
    });
  }
  return sets;
}

/**
 * A `model_predictions` row's white numbers: a JSON list of five distinct integers, or why they are
 * not.
 */
function readWhites(cell: unknown): { readonly whites: number[] } | { readonly problem: string } {
  const whites = numbersJson(cell);
  if (!whites) {
    const j = json(cell);
    return {
      problem: 'error' in j ? `white_numbers is ${j.error}` : 'white_numbers is not a list of integers',
    };
  }
  if (whites.length === 5 && new Set(whites).size === 5) return { whites };
  const duplicates = new Set(whites).size !== whites.length ? ' with duplicates' : '';
  return { problem: `white_numbers has ${whites.length} numbers${duplicates}, expected 5 distinct` };
}

/** `model_predictions`: a row whose numbers cannot be read is left out. */
function readPredictionRows(t: LegacyTableReader): LegacyPredictionRow[] {
  const s = 'model_predictions';
  const predictions: LegacyPredictionRow[] = [];
  for (const { cells: r, rowId, record } of t.rows(s)) {
    const read = readWhites(r['white_numbers']);
    if ('problem' in read) {
      t.skip(s, record, 'white_numbers', read.problem);
      continue;
    }
    const { whites } = read;
    const powerball = int(r['powerball']);
    if (powerball === null) {
      t.skip(s, record, 'powerball', 'powerball is not an integer');
      continue;
    }
    predictions.push({
      rowId,
      modelName: text(r['model_name']) ?? 'unknown',
      predictionId: text(r['prediction_id']) ?? `legacy-row-${rowId}`,
      setId: text(r['prediction_set_id']),
      whites: [...whites].sort((a, b) => a - b),
      powerball,
      probability: real(r['probability']),
      featuresUsed: t.read.json(s, record, 'features_used', r['features_used']),
      hyperparameters: t.read.json(s, record, 'hyperparameters', r['hyperparameters']),
      performanceMetrics: t.read.json(s, record, 'performance_metrics', r['performance_metrics']),
      createdAt: createdAt(t, s, record, r['created_at']),
      createdAtRaw: raw(r['created_at']),
      version: text(r['version']),
      isActive: bool(r['is_active']) ?? false,
    });
  }
  return predictions;
}

/**
 * Groups predictions into sets. Within one legacy set id, a prediction id seen again starts a new
 * run (the old code re-ran sets under the same id); runs after the first get `#2`, `#3` ...
 */
export function groupSets(
  sets: readonly LegacySetRow[],
  predictions: readonly LegacyPredictionRow[],
): LegacySetGroup[] {
  const bySet = new Map<string, LegacySetRow>(sets.map((s) => [s.setId, s]));
  const runs = new Map<string, LegacyPredictionRow[][]>();
  const order: string[] = [];
  const groups: LegacySetGroup[] = [];
  for (const p of predictions) {
    if (p.setId === null) {
      groups.push({
        setId: `legacy-row-${p.rowId}`,
        legacySetId: '',
        set: null,
        predictions: [p],
        createdAt: p.createdAt,
        notes: ['prediction had an empty prediction_set_id; migrated as a set of one'],
      });
      continue;
    }
    let list = runs.get(p.setId);
    if (!list) {
      list = [[]];
      runs.set(p.setId, list);
      order.push(p.setId);
    }
    let run = list[list.length - 1] as LegacyPredictionRow[];
    if (run.some((q) => q.predictionId === p.predictionId)) {
      run = [];
      list.push(run);
    }
    run.push(p);
  }
  for (const id of order) {
    const list = runs.get(id) ?? [];
    const set = bySet.get(id) ?? null;
    list.forEach((preds, i) => {
      const notes: string[] = [];
      if (!set) notes.push('no prediction_sets row for this set id; set fields taken from its predictions');
      if (list.length > 1) notes.push(`set id reused by ${list.length} runs; this is run ${i + 1}`);
      if (
        set?.totalPredictions !== null &&
        set?.totalPredictions !== undefined &&
        set.totalPredictions !== preds.length &&
        i === 0
      ) {
        notes.push(`total_predictions says ${set.totalPredictions}, found ${preds.length}`);
      }
      groups.push({
        setId: i === 0 ? id : `${id}#${i + 1}`,
        legacySetId: id,
        set: i === 0 ? set : null,
        predictions: preds,
        createdAt: (i === 0 ? set?.createdAt : null) ?? preds[0]?.createdAt ?? null,
        notes,
      });
    });
  }
  // Sets without any prediction are reported by the caller (nothing to store); keep them visible.
  for (const s of sets) {
    if (!runs.has(s.setId)) {
      groups.push({
        setId: s.setId,
        legacySetId: s.setId,
        set: s,
        predictions: [],
        createdAt: s.createdAt,
        notes: ['set has no predictions'],
      });
    }
  }
  return groups;
}
