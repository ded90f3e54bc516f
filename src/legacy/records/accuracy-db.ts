/**
 * The `prediction_accuracy` table of `model_predictions.db` → typed records.
 *
 * The legacy evaluator (`core/prediction_accuracy_evaluator.py`) wrote one row per model per
 * evaluated draw: `prediction_set_id, model_name, draw_date, actual_white_numbers, actual_powerball,
 * white_numbers_matched, powerball_matched, total_matches, accuracy_score, evaluated_at`, holding
 * averages over the model's set (white and total matches rounded to 2 decimals, so fractional;
 * `powerball_matched` = some ticket hit). It read the set id from predictions that never carried
 * one, so `prediction_set_id` is usually ''. Those rows are `summary` records.
 *
 * An older, per-ticket layout (`prediction_id, actual_draw_date, white_matches, powerball_match,
 * prize_tier, created_at`) is still read, as `ticket` records. A row is skipped only when its own
 * figures are impossible; an unreadable date or actual draw is kept and reported.
 */
import type { JsonValue } from '../../domain/json.js';
import { normalizeDate, normalizeTimestamp, type LegacyProblem } from './common.js';
import { bool, columnNames, int, json, real, text, type LegacySqlSource } from './sqlite-source.js';

/** A `prediction_accuracy` row. */
export interface LegacyAccuracyRow {
  readonly rowId: number;
  /** `summary`: averages over one model's set (the evaluator's rows); `ticket`: one prediction. */
  readonly shape: 'summary' | 'ticket';
  readonly modelName: string | null;
  /** `prediction_set_id` as written; null when empty (the usual case). */
  readonly setId: string | null;
  /** `prediction_id` of the per-ticket layout. */
  readonly predictionId: string | null;
  /** `YYYY-MM-DD`, or null if unreadable (a problem says so). */
  readonly drawDate: string | null;
  readonly actualWhites: readonly number[] | null;
  readonly actualPowerball: number | null;
  /** Average white matches per ticket (summary) or the ticket's matches, 0–5. */
  readonly whiteMatches: number;
  /** Some ticket hit the Powerball (summary), or this one did. */
  readonly powerballMatch: boolean | null;
  /** Average (white + Powerball) matches per ticket, 0–6; null in the per-ticket layout. */
  readonly totalMatches: number | null;
  /** The legacy's score: mean of (matches / 6) per ticket in the evaluator's rows. */
  readonly accuracyScore: number | null;
  readonly prizeTier: string | null;
  /** `evaluated_at` (or `created_at`) as UTC ISO-8601, or null if unreadable. */
  readonly evaluatedAt: string | null;
  /** Every column exactly as stored, so nothing is lost. */
  readonly columns: { readonly [column: string]: JsonValue };
}

const SUMMARY_COLUMNS = ['white_numbers_matched', 'total_matches', 'model_name'];

function cell(v: unknown): JsonValue {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || v === null) return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return null;
}

function numbersJson(v: unknown): number[] | null {
  const j = json(v);
  if ('error' in j || !Array.isArray(j.value)) return null;
  const out = j.value.map((x) => (typeof x === 'number' && Number.isInteger(x) ? x : NaN));
  return out.every((x) => Number.isInteger(x)) ? out : null;
}

/** A figure in [0, max], or why it is not one (null when the cell is empty and `optional`). */
function figure(v: unknown, name: string, max: number, optional: boolean): number | null | { error: string } {
  if ((v === null || v === undefined || v === '') && optional) return null;
  const n = real(v);
  if (n === null)
    return { error: `${name} is ${v === null || v === undefined ? 'missing' : 'not a number'}` };
  if (n < 0 || n > max) return { error: `${name} is ${n}, outside 0–${max}` };
  return n;
}

/**
 * Reads `prediction_accuracy` (both layouts). Rows with impossible figures are left out with a
 * skipped problem; everything else is returned.
 */
export function readAccuracyTable(
  db: LegacySqlSource,
  problems: LegacyProblem[],
): { readonly rows: LegacyAccuracyRow[]; readonly read: number } {
  const cols = columnNames(db, 'prediction_accuracy');
  const summary = SUMMARY_COLUMNS.some((c) => cols.has(c));
  const raw = db.all('SELECT rowid AS _rowid, * FROM prediction_accuracy ORDER BY rowid');
  const rows: LegacyAccuracyRow[] = [];
  const source = 'prediction_accuracy';
  for (const r of raw) {
    const rowId = int(r['_rowid']) ?? -1;
    const record = `row ${rowId}`;
    const columns: { [column: string]: JsonValue } = {};
    for (const [k, v] of Object.entries(r)) if (k !== '_rowid') columns[k] = cell(v);
    const note = (field: string, reason: string): void => {
      problems.push({ source, record, field, reason, skipped: false });
    };
    const wField = summary ? 'white_numbers_matched' : 'white_matches';
    const white = figure(r[wField], wField, 5, false);
    const total = summary ? figure(r['total_matches'], 'total_matches', 6, false) : null;
    const score = figure(r['accuracy_score'], 'accuracy_score', 1, !summary);
    const bad = [white, total, score].find((x) => x !== null && typeof x === 'object');
    if (bad) {
      const reason = (bad as { error: string }).error;
      problems.push({ source, record, field: reason.split(' ')[0] ?? wField, reason, skipped: true });
      continue;
    }
    if (!summary && !Number.isInteger(white)) {
      problems.push({
        source,
        record,
        field: wField,
        reason: `${wField} is ${String(white)}, not a whole number of matches`,
        skipped: true,
      });
      continue;
    }
    const dateField = summary ? 'draw_date' : 'actual_draw_date';
    const dd = normalizeDate(r[dateField]);
    if ('error' in dd) note(dateField, `${dateField} ${dd.error}`);
    const aw = numbersJson(r['actual_white_numbers']);
    if (!aw && r['actual_white_numbers'] !== null && r['actual_white_numbers'] !== undefined)
      note('actual_white_numbers', 'actual_white_numbers is not a JSON list of integers');
    const pbField = summary ? 'powerball_matched' : 'powerball_match';
    const pb = bool(r[pbField]);
    if (pb === null && r[pbField] !== null && r[pbField] !== undefined)
      note(pbField, `${pbField} is not a boolean`);
    const atField = summary ? 'evaluated_at' : 'created_at';
    const at = normalizeTimestamp(r[atField]);
    if ('error' in at) note(atField, `${atField} ${at.error}`);
    rows.push({
      rowId,
      shape: summary ? 'summary' : 'ticket',
      modelName: text(r['model_name']),
      setId: text(r['prediction_set_id']),
      predictionId: text(r['prediction_id']),
      drawDate: 'date' in dd ? dd.date : null,
      actualWhites: aw,
      actualPowerball: int(r['actual_powerball']),
      whiteMatches: white as number,
      powerballMatch: pb,
      totalMatches: total as number | null,
      accuracyScore: score as number | null,
      prizeTier: text(r['prize_tier']),
      evaluatedAt: 'iso' in at ? at.iso : null,
      columns,
    });
  }
  return { rows, read: raw.length };
}
