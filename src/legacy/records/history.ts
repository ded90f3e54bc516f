/**
 * `prediction_history.joblib` → typed records. The legacy app kept one dict
 * `{predictions: [...], accuracy: [...], feedback: [...]}` (plus bookkeeping keys), each entry a
 * dict written by whichever version of the app was running: numpy or Python numbers, whites as a
 * list or an array, timestamps as datetimes or strings in several formats.
 */
import { PbiError } from '../../domain/errors.js';
import { isDict, type PickleValue } from '../pickle/values.js';
import type { JsonValue } from '../../domain/json.js';
import {
  normalizeDate,
  normalizeTimestamp,
  setOwn,
  toInteger,
  toIntegerList,
  toJson,
  type LegacyProblem,
} from './common.js';

/** One legacy prediction (ticket) from the history. */
export interface LegacyHistoryPrediction {
  /** Position in the `predictions` list: the stable identity of the record (idempotent migration). */
  readonly index: number;
  /** `prediction_id` when the entry had one. */
  readonly predictionId: string | null;
  /** UTC ISO-8601, or null when missing/unreadable (then a problem says so). */
  readonly timestamp: string | null;
  /** Five distinct integers, sorted ascending. Range is not checked here (it depends on the era). */
  readonly whites: readonly number[];
  readonly powerball: number;
  /** As stored; the legacy "probability" often meant nothing (DESIGN §8). */
  readonly probability: number | null;
  /** Tool name → contribution (a weight, or a dict of details), as JSON. */
  readonly toolContributions: { readonly [tool: string]: JsonValue };
  readonly sources: readonly string[];
  readonly method: string | null;
  /** Every other key of the entry, as JSON, so nothing is lost. */
  readonly extra: { readonly [key: string]: JsonValue };
}

/**
 * One accuracy entry: how a prediction did against a draw. The legacy `update_with_new_draw`
 * appended `{white_matches, pb_match, white_accuracy, full_match}` for the newest stored prediction,
 * with no actual numbers and no link; other versions added a timestamp, a draw date, the actual
 * numbers, the prediction or its index. Whatever is absent is null.
 */
export interface LegacyHistoryAccuracy {
  readonly index: number;
  readonly timestamp: string | null;
  /** `YYYY-MM-DD` of the draw, when given. */
  readonly drawDate: string | null;
  /** Index into `predictions` when the entry gave one. */
  readonly predictionIndex: number | null;
  readonly predictedWhites: readonly number[] | null;
  readonly predictedPowerball: number | null;
  readonly actualWhites: readonly number[] | null;
  readonly actualPowerball: number | null;
  /** 0–5 (entries without it are computed from the numbers they carry, or skipped). */
  readonly whiteMatches: number | null;
  readonly powerballMatch: boolean | null;
  /** `white_accuracy` as written (matches / 5). */
  readonly whiteAccuracy: number | null;
  readonly fullMatch: boolean | null;
  readonly score: number | null;
  readonly extra: { readonly [key: string]: JsonValue };
}

/** One weight-feedback entry: a tool's weight adjusted after a draw. */
export interface LegacyHistoryFeedback {
  readonly index: number;
  readonly timestamp: string | null;
  readonly tool: string | null;
  readonly adjustment: number | null;
  readonly weightsBefore: { readonly [tool: string]: number } | null;
  readonly weightsAfter: { readonly [tool: string]: number } | null;
  readonly drawDate: string | null;
  readonly extra: { readonly [key: string]: JsonValue };
}

export interface LegacyHistory {
  readonly predictions: readonly LegacyHistoryPrediction[];
  readonly accuracy: readonly LegacyHistoryAccuracy[];
  readonly feedback: readonly LegacyHistoryFeedback[];
  /** How many entries each list had (records + skipped). */
  readonly counts: { readonly predictions: number; readonly accuracy: number; readonly feedback: number };
  /** Top-level keys other than the three lists (`last_updated`, `version`, ...), as JSON. */
  readonly meta: { readonly [key: string]: JsonValue };
  readonly problems: readonly LegacyProblem[];
}

type Dict = Map<PickleValue, PickleValue>;

function num(v: PickleValue | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  const i = toInteger(v);
  return i ?? null;
}

function str(v: PickleValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function rest(d: Dict, known: readonly string[]): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of d) {
    if (typeof k === 'string' && known.includes(k)) continue;
    const key = typeof k === 'string' ? k : JSON.stringify(toJson(k));
    setOwn(out, key, toJson(v));
  }
  return out;
}

function weights(v: PickleValue | undefined): { [tool: string]: number } | null {
  if (!isDict(v)) return null;
  const out: { [tool: string]: number } = {};
  for (const [k, x] of v) {
    const n = num(x);
    if (typeof k === 'string' && n !== null) setOwn(out, k, n);
  }
  return out;
}

/**
 * Most entries one list of a legacy history may hold: the legacy app appended one per generated
 * ticket, so a million is centuries of use; more is a broken or hostile file, refused before a
 * record (and a problem report) is built for each entry.
 */
export const MAX_HISTORY_RECORDS = 1_000_000;

/**
 * Reads the parsed `prediction_history.joblib` tree.
 * @throws PbiError (MALFORMED_FILE) when the root is not a dict; bad entries become problems.
 */
export function readPredictionHistory(root: PickleValue): LegacyHistory {
  if (!isDict(root)) throw new PbiError('MALFORMED_FILE', 'prediction_history.joblib does not hold a dict');
  const problems: LegacyProblem[] = [];

  const predictions: LegacyHistoryPrediction[] = [];
  const rawPredictions = historyList(root, 'predictions', problems);
  rawPredictions.forEach((p, index) => {
    const entry = readPredictionEntry(p, index, problems);
    if (entry) predictions.push(entry);
  });

  const accuracy: LegacyHistoryAccuracy[] = [];
  const rawAccuracy = historyList(root, 'accuracy', problems);
  rawAccuracy.forEach((a, index) => {
    const entry = readAccuracyEntry(a, index, problems);
    if (entry) accuracy.push({ ...entry, timestamp: accuracyStamp(a, index, problems) });
  });

  const feedback: LegacyHistoryFeedback[] = [];
  const rawFeedback = historyList(root, 'feedback', problems);
  rawFeedback.forEach((f, index) => {
    const entry = readFeedbackEntry(f, index, problems);
    if (entry) feedback.push(entry);
  });

  return {
    predictions,
    accuracy,
    feedback,
    counts: {
      predictions: rawPredictions.length,
      accuracy: rawAccuracy.length,
      feedback: rawFeedback.length,
    },
    meta: rest(root, ['predictions', 'accuracy', 'feedback']),
    problems,
  };
}

/**
 * The list under `key` of the history dict: empty when absent, or (with a skipped problem) when it
 * is not a list.
 * @throws PbiError (TOO_LARGE) when it holds more than MAX_HISTORY_RECORDS entries.
 */
function historyList(root: Dict, key: string, problems: LegacyProblem[]): readonly PickleValue[] {
  const v = root.get(key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    problems.push({
      source: 'prediction_history',
      record: key,
      reason: `${key} is not a list`,
      skipped: true,
    });
    return [];
  }
  if (v.length > MAX_HISTORY_RECORDS)
    throw new PbiError(
      'TOO_LARGE',
      `prediction_history.joblib: ${key} holds ${v.length} entries, more than the ${MAX_HISTORY_RECORDS} a legacy history can have`,
      [{ where: `prediction_history.${key}`, reason: `over ${MAX_HISTORY_RECORDS} entries` }],
    );
  return v;
}

/** An entry's timestamp as UTC ISO-8601, or null with a (not skipping) problem. */
function stamp(
  problems: LegacyProblem[],
  source: string,
  record: string,
  v: PickleValue | undefined,
): string | null {
  const t = normalizeTimestamp(v);
  if ('iso' in t) return t.iso;
  problems.push({ source, record, field: 'timestamp', reason: `timestamp ${t.error}`, skipped: false });
  return null;
}

/** An accuracy entry's timestamp: null without a problem when it has none. */
function accuracyStamp(a: PickleValue, index: number, problems: LegacyProblem[]): string | null {
  return isDict(a) && a.get('timestamp') !== undefined && a.get('timestamp') !== null
    ? stamp(problems, 'prediction_history.accuracy', `#${index}`, a.get('timestamp'))
    : null;
}

/**
 * One prediction entry, or null (with a skipped problem) when it is not a dict or its numbers are
 * not five distinct whites and a Powerball.
 */
function readPredictionEntry(
  p: PickleValue,
  index: number,
  problems: LegacyProblem[],
): LegacyHistoryPrediction | null {
  const source = 'prediction_history.predictions';
  const record = `#${index}`;
  const skip = (reason: string, field?: string): null => {
    problems.push({ source, record, reason, skipped: true, ...(field ? { field } : {}) });
    return null;
  };
  if (!isDict(p)) return skip('entry is not a dict');
  const whites = toIntegerList(p.get('white_numbers'));
  if (!whites || whites.length !== 5)
    return skip(`white_numbers is not a list of 5 integers`, 'white_numbers');
  if (new Set(whites).size !== 5) return skip('white_numbers has duplicates', 'white_numbers');
  const powerball = toInteger(p.get('powerball'));
  if (powerball === undefined) return skip('powerball is not an integer', 'powerball');
  const tc = p.get('tool_contributions');
  const toolContributions = isDict(tc) ? (toJson(tc) as { [k: string]: JsonValue }) : {};
  const sources = Array.isArray(p.get('sources'))
    ? (p.get('sources') as PickleValue[]).filter((s): s is string => typeof s === 'string')
    : [];
  const pid = p.get('prediction_id');
  return {
    index,
    predictionId: typeof pid === 'string' && pid !== '' ? pid : null,
    timestamp: stamp(problems, source, record, p.get('timestamp')),
    whites: [...whites].sort((a, b) => a - b),
    powerball,
    probability: num(p.get('probability')),
    toolContributions,
    sources,
    method: str(p.get('method')),
    extra: {
      // The weighted predictor wrote `sources` as number → tools that suggested it.
      ...(isDict(p.get('sources')) ? { sources_by_number: toJson(p.get('sources') as PickleValue) } : {}),
      ...rest(p, [
        'prediction_id',
        'timestamp',
        'white_numbers',
        'powerball',
        'probability',
        'tool_contributions',
        'sources',
        'method',
      ]),
    },
  };
}

/** One feedback entry, or null (with a skipped problem) when it is not a dict. */
function readFeedbackEntry(
  f: PickleValue,
  index: number,
  problems: LegacyProblem[],
): LegacyHistoryFeedback | null {
  const source = 'prediction_history.feedback';
  const record = `#${index}`;
  if (!isDict(f)) {
    problems.push({ source, record, reason: 'entry is not a dict', skipped: true });
    return null;
  }
  const dd = f.get('draw_date');
  const drawDate = dd === undefined || dd === null ? null : normalizeDate(dd);
  return {
    index,
    timestamp: stamp(problems, source, record, f.get('timestamp')),
    tool: str(f.get('tool')),
    adjustment: num(f.get('adjustment')),
    weightsBefore: weights(f.get('weights_before')),
    weightsAfter: weights(f.get('weights_after')),
    drawDate: drawDate && 'date' in drawDate ? drawDate.date : null,
    extra: rest(f, ['timestamp', 'tool', 'adjustment', 'weights_before', 'weights_after', 'draw_date']),
  };
}

const ACCURACY_KEYS = [
  'timestamp',
  'draw_date',
  'prediction_index',
  'prediction',
  'actual_numbers',
  'actual_white_numbers',
  'actual_powerball',
  'white_matches',
  'powerball_match',
  'pb_match',
  'white_accuracy',
  'full_match',
  'accuracy_score',
  'score',
];

function flag(v: PickleValue | undefined): boolean | null {
  return typeof v === 'boolean' ? v : v === 0 || v === 1 ? v === 1 : null;
}

/**
 * One accuracy entry, or null (with a skipped problem) when its own fields are impossible: not a
 * dict, a white count outside 0–5, actual numbers that are not five integers, or no white count
 * and nothing to compute one from. The timestamp is read by the caller.
 */
function readAccuracyEntry(
  a: PickleValue,
  index: number,
  problems: LegacyProblem[],
): Omit<LegacyHistoryAccuracy, 'timestamp'> | null {
  const source = 'prediction_history.accuracy';
  const record = `#${index}`;
  const skip = (reason: string, field?: string): null => {
    problems.push({ source, record, reason, skipped: true, ...(field ? { field } : {}) });
    return null;
  };
  if (!isDict(a)) return skip('entry is not a dict');
  const rawActual = a.get('actual_numbers') ?? a.get('actual_white_numbers');
  const actualWhites = rawActual === undefined || rawActual === null ? null : toIntegerList(rawActual);
  if (actualWhites !== null && (!actualWhites || actualWhites.length !== 5))
    return skip('actual_numbers is not a list of 5 integers', 'actual_numbers');
  const pred = a.get('prediction');
  const predictedWhites = isDict(pred) ? (toIntegerList(pred.get('white_numbers')) ?? null) : null;
  const rawWm = a.get('white_matches');
  let whiteMatches: number | null = null;
  if (rawWm !== undefined && rawWm !== null) {
    const wm = toInteger(rawWm);
    if (wm === undefined || wm < 0 || wm > 5)
      return skip(
        `white_matches is ${JSON.stringify(toJson(rawWm))}, not a count from 0 to 5`,
        'white_matches',
      );
    whiteMatches = wm;
  } else if (predictedWhites && actualWhites) {
    whiteMatches = predictedWhites.filter((w) => actualWhites.includes(w)).length;
  } else if (!actualWhites) {
    return skip('no white_matches and no numbers to count them from', 'white_matches');
  }
  const dd = a.get('draw_date');
  const drawDate = dd === undefined || dd === null ? null : normalizeDate(dd);
  if (drawDate && 'error' in drawDate)
    problems.push({
      source,
      record,
      field: 'draw_date',
      reason: `draw_date ${drawDate.error}`,
      skipped: false,
    });
  const wa = num(a.get('white_accuracy'));
  if (wa !== null && whiteMatches !== null && Math.abs(wa - whiteMatches / 5) > 1e-9)
    problems.push({
      source,
      record,
      field: 'white_accuracy',
      reason: `white_accuracy ${wa} is not white_matches / 5 (${whiteMatches / 5}); both kept`,
      skipped: false,
    });
  return {
    index,
    drawDate: drawDate && 'date' in drawDate ? drawDate.date : null,
    predictionIndex: toInteger(a.get('prediction_index')) ?? null,
    predictedWhites,
    predictedPowerball: isDict(pred) ? (toInteger(pred.get('powerball')) ?? null) : null,
    actualWhites: actualWhites ? [...actualWhites].sort((x, y) => x - y) : null,
    actualPowerball: toInteger(a.get('actual_powerball')) ?? null,
    whiteMatches,
    powerballMatch: flag(a.get('powerball_match') ?? a.get('pb_match')),
    whiteAccuracy: wa,
    fullMatch: flag(a.get('full_match')),
    score: num(a.get('accuracy_score') ?? a.get('score')),
    extra: rest(a, ACCURACY_KEYS),
  };
}
