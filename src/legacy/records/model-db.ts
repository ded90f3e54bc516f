/**
 * `model_predictions.db` → typed records: `prediction_sets` (with or without the later
 * `model_artifact_path` column), `model_predictions` and `prediction_accuracy`, then predictions
 * grouped into sets. What the old code wrote badly is read, not fatal: sets with one prediction,
 * empty `prediction_set_id`, the same set id reused by a re-run, malformed JSON, predictions whose
 * set row is missing, timestamps in several formats.
 */
import { PbiError } from '../../domain/errors.js';
import { readAccuracyTable, type LegacyAccuracyRow } from './accuracy-db.js';
import type { JsonValue } from '../../domain/json.js';
import { fieldReaders, type LegacyProblem } from './common.js';
import {
  bool,
  columnNames,
  int,
  json,
  real,
  tableNames,
  text,
  type LegacySqlSource,
} from './sqlite-source.js';

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
  const tables = tableNames(db);
  if (
    !tables.has('model_predictions') &&
    !tables.has('prediction_sets') &&
    !tables.has('prediction_accuracy')
  ) {
    throw new PbiError(
      'MALFORMED_FILE',
      'not a legacy model_predictions.db: no model_predictions, prediction_sets or prediction_accuracy table',
    );
  }
  const problems: LegacyProblem[] = [];
  const counts: { [table: string]: number } = {};
  const read = fieldReaders(problems);
  const stamp = (source: string, record: string, v: unknown, field = 'created_at'): string | null =>
    read.timestamp(source, record, field, v);
  const jsonField = read.json;

  // ---- prediction_sets
  const sets: LegacySetRow[] = [];
  const hasArtifactPathColumn = columnNames(db, 'prediction_sets').has('model_artifact_path');
  if (tables.has('prediction_sets')) {
    const rows = db.all('SELECT rowid AS _rowid, * FROM prediction_sets ORDER BY rowid');
    counts['prediction_sets'] = rows.length;
    const seen = new Set<string>();
    for (const r of rows) {
      const rowId = int(r['_rowid']) ?? -1;
      const record = `row ${rowId}`;
      const setId = text(r['set_id']);
      if (!setId) {
        problems.push({
          source: 'prediction_sets',
          record,
          field: 'set_id',
          reason: 'empty set_id',
          skipped: true,
        });
        continue;
      }
      if (seen.has(setId)) {
        problems.push({
          source: 'prediction_sets',
          record,
          field: 'set_id',
          reason: `duplicate set_id ${setId}`,
          skipped: true,
        });
        continue;
      }
      seen.add(setId);
      sets.push({
        rowId,
        setId,
        modelName: text(r['model_name']) ?? 'unknown',
        createdAt: stamp('prediction_sets', record, r['created_at']),
        createdAtRaw: raw(r['created_at']),
        isCurrent: bool(r['is_current']) ?? false,
        totalPredictions: int(r['total_predictions']),
        trainingDuration: real(r['training_duration']),
        notes: text(r['notes']),
        modelArtifactPath: hasArtifactPathColumn ? text(r['model_artifact_path']) : null,
      });
    }
  }

  // ---- model_predictions
  const predictions: LegacyPredictionRow[] = [];
  if (tables.has('model_predictions')) {
    const rows = db.all('SELECT rowid AS _rowid, * FROM model_predictions ORDER BY rowid');
    counts['model_predictions'] = rows.length;
    for (const r of rows) {
      const rowId = int(r['_rowid']) ?? -1;
      const record = `row ${rowId}`;
      const skip = (field: string, reason: string): void => {
        problems.push({ source: 'model_predictions', record, field, reason, skipped: true });
      };
      const whites = numbersJson(r['white_numbers']);
      if (!whites) {
        const j = json(r['white_numbers']);
        skip(
          'white_numbers',
          'error' in j ? `white_numbers is ${j.error}` : 'white_numbers is not a list of integers',
        );
        continue;
      }
      if (whites.length !== 5 || new Set(whites).size !== 5) {
        skip(
          'white_numbers',
          `white_numbers has ${whites.length} numbers${new Set(whites).size !== whites.length ? ' with duplicates' : ''}, expected 5 distinct`,
        );
        continue;
      }
      const powerball = int(r['powerball']);
      if (powerball === null) {
        skip('powerball', 'powerball is not an integer');
        continue;
      }
      const predictionId = text(r['prediction_id']) ?? `legacy-row-${rowId}`;
      predictions.push({
        rowId,
        modelName: text(r['model_name']) ?? 'unknown',
        predictionId,
        setId: text(r['prediction_set_id']),
        whites: [...whites].sort((a, b) => a - b),
        powerball,
        probability: real(r['probability']),
        featuresUsed: jsonField('model_predictions', record, 'features_used', r['features_used']),
        hyperparameters: jsonField('model_predictions', record, 'hyperparameters', r['hyperparameters']),
        performanceMetrics: jsonField(
          'model_predictions',
          record,
          'performance_metrics',
          r['performance_metrics'],
        ),
        createdAt: stamp('model_predictions', record, r['created_at']),
        createdAtRaw: raw(r['created_at']),
        version: text(r['version']),
        isActive: bool(r['is_active']) ?? false,
      });
    }
  }

  // ---- prediction_accuracy
  let accuracy: LegacyAccuracyRow[] = [];
  if (tables.has('prediction_accuracy')) {
    const read = readAccuracyTable(db, problems);
    accuracy = read.rows;
    counts['prediction_accuracy'] = read.read;
  }

  return {
    sets,
    predictions,
    accuracy,
    groups: groupSets(sets, predictions),
    counts,
    hasArtifactPathColumn,
    problems,
  };
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
