/**
 * Prediction sets and predictions (DESIGN §4): validated in full before anything is written, stored
 * in one transaction (all or nothing), returned as entities through explicit row mappers.
 */
import { randomBytes } from 'node:crypto';
import { isDrawDay } from '../domain/calendar.js';
import type { IsoDate } from '../domain/dates.js';
import { eraOf, FIRST_DRAW_DATE } from '../domain/eras.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { ticketProblems } from '../domain/ticket.js';
import { RequestChecker } from './request-validation.js';
import type { Connection } from './connection.js';
import { registerInvariant } from './integrity.js';
import type { JsonObject } from '../domain/json.js';
import { jsonProblems, numberRecordProblems } from './json.js';
import type { ModelRef } from './model-registry-types.js';
import {
  JOINED_SET_COLUMNS,
  type JoinedPredictionTuple,
  PREDICTION_COLUMNS,
  type PredictionTuple,
  toStoredPrediction,
  toStoredTicket,
} from './prediction-rows.js';
import type {
  LegacySetFields,
  PredictionQuery,
  PredictionSet,
  PredictionStore,
  StoredPrediction,
  StoredTicket,
  StorePredictionsRequest,
  StorePredictionsResponse,
} from './prediction-types.js';
import type { Page } from '../domain/page.js';

/** Generates the random part of a set id (injectable so tests can fix it). */
export type RandomSuffix = () => string;
export const defaultRandomSuffix: RandomSuffix = () => randomBytes(5).toString('hex');

const SET_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const SOURCE_RE = /^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/;
const STRENGTH_RE = /^(calibrated|raw|0(\.\d+)?|1(\.0+)?)$/;
const MAX_TICKETS = 10_000;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

export interface SetRow {
  id: number;
  set_id: string;
  source: string;
  model_name: string | null;
  model_version: number | null;
  target_draw_date: string;
  created_at: string;
  is_current: number;
  total_predictions: number;
  seed: number | null;
  weights: string;
  training_duration_ms: number | null;
  notes: string | null;
  legacy_id: number | null;
  legacy_total: number | null;
  legacy_artifact_path: string | null;
  legacy_created_at: string | null;
  legacy_extra: string | null;
  strength: string | null;
}

export {
  JOINED_SET_COLUMNS,
  type JoinedPredictionTuple,
  PREDICTION_COLUMNS,
  type PredictionTuple,
  toStoredPrediction,
  toStoredTicket,
} from './prediction-rows.js';

function toLegacySet(r: SetRow): LegacySetFields | null {
  const out: Record<string, unknown> = {};
  if (r.legacy_id !== null) out.id = r.legacy_id;
  if (r.legacy_total !== null) out.totalPredictions = r.legacy_total;
  if (r.legacy_artifact_path !== null) out.modelArtifactPath = r.legacy_artifact_path;
  if (r.legacy_created_at !== null) out.createdAt = r.legacy_created_at;
  if (r.legacy_extra !== null) out.extra = JSON.parse(r.legacy_extra) as JsonObject;
  return Object.keys(out).length > 0 ? (out as LegacySetFields) : null;
}

function toPredictionSet(r: SetRow, tickets: readonly StoredTicket[]): PredictionSet {
  return {
    setId: r.set_id,
    source: r.source,
    model:
      r.model_name !== null && r.model_version !== null
        ? { name: r.model_name, version: r.model_version }
        : null,
    targetDrawDate: r.target_draw_date as IsoDate,
    createdAt: r.created_at,
    isCurrent: r.is_current === 1,
    total: r.total_predictions,
    seed: r.seed,
    weights: JSON.parse(r.weights) as Record<string, number>,
    trainingDurationMs: r.training_duration_ms,
    notes: r.notes,
    strength: r.strength,
    legacy: toLegacySet(r),
    tickets,
  };
}

/** What a valid request becomes: the exact values bound to the insert statements. */
interface CheckedSet {
  setId: string | null;
  source: string;
  model: ModelRef | null;
  targetDrawDate: string;
  createdAt: string;
  current: boolean;
  seed: number | null;
  weights: string;
  trainingDurationMs: number | null;
  notes: string | null;
  strength: string | null;
  legacy: {
    id: number | null;
    total: number | null;
    artifactPath: string | null;
    createdAt: string | null;
    extra: string | null;
  };
  tickets: CheckedTicket[];
}

interface CheckedTicket {
  whites: number[];
  powerball: number;
  probability: number;
  contributions: string | null;
  legacy: (number | string | null)[];
}

function checkLegacyPrediction(c: RequestChecker, value: unknown, where: string): (number | string | null)[] {
  const empty = [null, null, null, null, null, null, null, null, null, null];
  if (value === undefined) return empty;
  const o = c.object(value, where);
  if (!o) return empty;
  const opt = <T>(key: string, check: (v: unknown, w: string) => T | null): T | null =>
    o[key] === undefined ? null : check(o[key], `${where}.${key}`);
  const json = (key: string): string | null => {
    if (o[key] === undefined) return null;
    const issues = jsonProblems(o[key], `${where}.${key}`);
    c.addAll(issues);
    return issues.length ? null : JSON.stringify(o[key]);
  };
  let extra: string | null = null;
  if (o.extra !== undefined) {
    if (c.object(o.extra, `${where}.extra`)) extra = json('extra');
  }
  const isActive = opt('isActive', (v, w) => c.boolean(v, w));
  return [
    opt('id', (v, w) => c.integer(v, w, Number.MIN_SAFE_INTEGER)),
    opt('modelName', (v, w) => c.optionalText(v, w, 200)),
    opt('predictionId', (v, w) => c.optionalText(v, w, 500)),
    opt('createdAt', (v, w) => c.optionalText(v, w, 100)),
    opt('version', (v, w) => c.optionalText(v, w, 100)),
    isActive === null ? null : isActive ? 1 : 0,
    json('featuresUsed'),
    json('hyperparameters'),
    json('performanceMetrics'),
    extra,
  ];
}

/** The set's legacy record fields (all null when none is given). */
function checkLegacySet(c: RequestChecker, value: unknown): CheckedSet['legacy'] {
  const legacy: CheckedSet['legacy'] = {
    id: null,
    total: null,
    artifactPath: null,
    createdAt: null,
    extra: null,
  };
  if (value === undefined) return legacy;
  const l = c.object(value, 'legacy');
  if (l) {
    if (l.id !== undefined) legacy.id = c.integer(l.id, 'legacy.id', Number.MIN_SAFE_INTEGER);
    if (l.totalPredictions !== undefined)
      legacy.total = c.integer(l.totalPredictions, 'legacy.totalPredictions', Number.MIN_SAFE_INTEGER);
    legacy.artifactPath = c.optionalText(l.modelArtifactPath, 'legacy.modelArtifactPath', 4096);
    legacy.createdAt = c.optionalText(l.createdAt, 'legacy.createdAt', 100);
    if (l.extra !== undefined && c.object(l.extra, 'legacy.extra')) {
      const issues = jsonProblems(l.extra, 'legacy.extra');
      c.addAll(issues);
      if (!issues.length) legacy.extra = JSON.stringify(l.extra);
    }
  }
  return legacy;
}

/**
 * Checks a whole request; returns the values to store.
 * @throws ValidationError naming every bad field.
 */
function checkRequest(request: unknown): CheckedSet {
  const c = new RequestChecker();
  const r = c.object(request, 'request');
  if (!r) c.throwIfAny('prediction set');
  const req = r as Record<string, unknown>;

  const setId = req.setId === undefined ? null : c.text(req.setId, 'setId', 128, SET_ID_RE);
  const source = c.text(req.source, 'source', 100, SOURCE_RE);
  let model: ModelRef | null = null;
  if (req.model !== undefined) {
    const m = c.object(req.model, 'model');
    if (m) {
      const name = c.text(m.name, 'model.name', 64);
      const version = c.integer(m.version, 'model.version', 1);
      if (name !== null && version !== null) model = { name, version };
    }
  }
  const target = c.date(req.targetDrawDate, 'targetDrawDate');
  let era = null;
  if (target !== null) {
    if (target < FIRST_DRAW_DATE)
      c.add('targetDrawDate', `${target} is before the first draw (${FIRST_DRAW_DATE})`);
    else {
      era = eraOf(target as IsoDate);
      if (!isDrawDay(target as IsoDate)) c.add('targetDrawDate', `${target} is not a draw day`);
    }
  }
  const createdAt = c.timestamp(req.createdAt, 'createdAt');
  const seed = req.seed === null ? null : c.integer(req.seed, 'seed', Number.MIN_SAFE_INTEGER);
  let weights = '{}';
  const wIssues = numberRecordProblems(req.weights, 'weights');
  c.addAll(wIssues);
  if (wIssues.length === 0) {
    for (const [k, v] of Object.entries(req.weights as Record<string, number>))
      if (v < 0) c.add(`weights.${k}`, `${v} is negative`);
    weights = JSON.stringify(req.weights);
  }
  const trainingDurationMs =
    req.trainingDurationMs === undefined ? null : c.number(req.trainingDurationMs, 'trainingDurationMs', 0);
  const notes = c.optionalText(req.notes, 'notes', 10_000);
  const current = req.current === undefined ? true : (c.boolean(req.current, 'current') ?? true);

  const legacy = checkLegacySet(c, req.legacy);

  const tickets: CheckedTicket[] = [];
  const list = c.array(req.tickets, 'tickets');
  if (list) {
    if (list.length === 0) c.add('tickets', 'a set holds at least one ticket');
    if (list.length > MAX_TICKETS) c.add('tickets', `a set holds at most ${MAX_TICKETS} tickets`);
    list.slice(0, MAX_TICKETS).forEach((t, i) => {
      const where = `tickets[${i}]`;
      const o = c.object(t, where);
      if (!o) return;
      const whites = c.array(o.whites, `${where}.whites`);
      if (whites && era) c.addAll(ticketProblems(whites, o.powerball, era, where));
      const probability = c.number(o.probability, `${where}.probability`, 0, 1);
      let contributions: string | null = null;
      if (o.contributions !== undefined) {
        const issues = numberRecordProblems(o.contributions, `${where}.contributions`);
        c.addAll(issues);
        if (!issues.length) contributions = JSON.stringify(o.contributions);
      }
      const legacyValues = checkLegacyPrediction(c, o.legacy, `${where}.legacy`);
      if (whites && probability !== null)
        tickets.push({
          whites: [...(whites as number[])].sort((a, b) => a - b),
          powerball: o.powerball as number,
          probability,
          contributions,
          legacy: legacyValues,
        });
    });
  }
  const strength = req.strength === undefined ? null : c.text(req.strength, 'strength', 32, STRENGTH_RE);
  const numbersOnly = c.issues.every((i) => /^tickets\[\d+\]\.(whites|powerball)/.test(i.where));
  c.throwIfAny('prediction set', numbersOnly ? 'INVALID_NUMBERS' : 'INVALID_INPUT');
  return {
    setId,
    source: source as string,
    model,
    targetDrawDate: target as string,
    createdAt: createdAt as string,
    current,
    seed,
    weights,
    trainingDurationMs,
    notes,
    strength,
    legacy,
    tickets,
  };
}

function compactTimestamp(iso: string): string {
  // 2026-01-31T20:00:00.123Z → 20260131T200000123Z
  return iso.replace(/[-:.]/g, '');
}

interface Where {
  sql: string;
  params: unknown[];
}

function checkPage(query: PredictionQuery): { limit: number; offset: number } {
  const c = new RequestChecker();
  const limit = query.limit === undefined ? DEFAULT_LIMIT : c.integer(query.limit, 'limit', 1, MAX_LIMIT);
  const offset = query.offset === undefined ? 0 : c.integer(query.offset, 'offset', 0);
  c.throwIfAny('query');
  return { limit: limit as number, offset: offset as number };
}

/** The WHERE clause over `prediction_sets s` for a query. @throws ValidationError. */
function filterClause(query: PredictionQuery): Where {
  const c = new RequestChecker();
  const parts: string[] = [];
  const params: unknown[] = [];
  if (query.setId !== undefined) {
    c.text(query.setId, 'setId', 128);
    parts.push('s.set_id = ?');
    params.push(query.setId);
  }
  if (query.source !== undefined) {
    c.text(query.source, 'source', 100);
    parts.push('s.source = ?');
    params.push(query.source);
  }
  if (query.currentOnly) parts.push('s.is_current = 1');
  const bound = (value: string, where: string): string | null =>
    /^\d{4}-\d{2}-\d{2}$/.test(value) ? c.date(value, where) : c.timestamp(value, where);
  if (query.createdFrom !== undefined) {
    const v = bound(query.createdFrom, 'createdFrom');
    parts.push('s.created_at >= ?');
    params.push(v);
  }
  if (query.createdTo !== undefined) {
    const v = bound(query.createdTo, 'createdTo');
    parts.push('s.created_at < ?');
    params.push(v);
  }
  if (query.targetDrawDate !== undefined) {
    c.date(query.targetDrawDate, 'targetDrawDate');
    parts.push('s.target_draw_date = ?');
    params.push(query.targetDrawDate);
  }
  c.throwIfAny('query');
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

registerInvariant({
  name: 'at most one current prediction set per source',
  sql: `SELECT 'source ' || source || ' has ' || SUM(is_current) || ' current sets' AS problem
        FROM prediction_sets GROUP BY source HAVING SUM(is_current) > 1`,
});
registerInvariant({
  name: 'each prediction set holds its total of predictions',
  sql: `SELECT 'set ' || s.set_id || ' records ' || s.total_predictions || ' predictions but holds ' ||
               (SELECT COUNT(*) FROM predictions p WHERE p.set_row = s.id) AS problem
        FROM prediction_sets s
        WHERE s.total_predictions != (SELECT COUNT(*) FROM predictions p WHERE p.set_row = s.id)`,
});
registerInvariant({
  name: 'no orphan predictions',
  sql: `SELECT 'prediction ' || p.id || ' belongs to no set (set row ' || p.set_row || ')' AS problem
        FROM predictions p WHERE NOT EXISTS (SELECT 1 FROM prediction_sets s WHERE s.id = p.set_row)`,
});

export class PredictionRepository implements PredictionStore {
  constructor(
    private readonly db: Connection,
    private readonly randomSuffix: RandomSuffix = defaultRandomSuffix,
  ) {}

  storePredictions(request: StorePredictionsRequest): StorePredictionsResponse {
    const set = checkRequest(request);
    const insertSet = this.db.prepare(
      `INSERT INTO prediction_sets (set_id, source, model_name, model_version, target_draw_date, created_at,
         is_current, total_predictions, seed, weights, training_duration_ms, notes, legacy_id, legacy_total,
         legacy_artifact_path, legacy_created_at, legacy_extra, strength)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertPrediction = this.db.prepare(
      `INSERT INTO predictions (set_row, position, white_1, white_2, white_3, white_4, white_5, powerball,
         probability, contributions, legacy_id, legacy_model_name, legacy_prediction_id, legacy_created_at,
         version, is_active, features_used, hyperparameters, performance_metrics, legacy_extra)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const exists = this.db.prepare('SELECT 1 FROM prediction_sets WHERE set_id = ?');
    return this.db.write(() => {
      if (set.model) {
        const found = this.db
          .prepare('SELECT 1 FROM model_versions WHERE model_name = ? AND version = ?')
          .get(set.model.name, set.model.version);
        if (!found)
          throw new ValidationError(
            `prediction set rejected, nothing stored: model ${set.model.name}@${set.model.version} is not registered`,
            [{ where: 'model', reason: `no registered version ${set.model.name}@${set.model.version}` }],
          );
      }
      let setId = set.setId;
      if (setId !== null) {
        if (exists.get(setId))
          throw new ConflictError(`prediction set ${setId} already exists; nothing stored`, [
            { where: 'setId', reason: 'already stored' },
          ]);
      } else {
        for (let attempt = 0; setId === null || exists.get(setId); attempt++) {
          if (attempt > 10) throw new ConflictError('could not generate a unique set id');
          setId = `set_${compactTimestamp(set.createdAt)}_${this.randomSuffix()}`;
        }
      }
      if (set.current)
        this.db
          .prepare('UPDATE prediction_sets SET is_current = 0 WHERE source = ? AND is_current = 1')
          .run(set.source);
      const { lastInsertRowid } = insertSet.run(
        setId,
        set.source,
        set.model?.name ?? null,
        set.model?.version ?? null,
        set.targetDrawDate,
        set.createdAt,
        set.current ? 1 : 0,
        set.tickets.length,
        set.seed,
        set.weights,
        set.trainingDurationMs,
        set.notes,
        set.legacy.id,
        set.legacy.total,
        set.legacy.artifactPath,
        set.legacy.createdAt,
        set.legacy.extra,
        set.strength,
      );
      const ids: number[] = [];
      set.tickets.forEach((t, i) => {
        const res = insertPrediction.run(
          lastInsertRowid,
          i,
          ...t.whites,
          t.powerball,
          t.probability,
          t.contributions,
          ...t.legacy,
        );
        ids.push(Number(res.lastInsertRowid));
      });
      return { setId, predictionIds: ids };
    });
  }

  /** True when a set with this id is stored. */
  hasSet(setId: string): boolean {
    return this.db.prepare('SELECT 1 FROM prediction_sets WHERE set_id = ?').get(setId) !== undefined;
  }

  getSet(setId: string): PredictionSet {
    const set = this.db.read(() => {
      const row = this.db.prepare('SELECT * FROM prediction_sets WHERE set_id = ?').get(setId) as
        SetRow | undefined;
      return row ? toPredictionSet(row, this.tickets(row.id)) : null;
    });
    if (!set) throw new NotFoundError(`no prediction set ${setId}`);
    return set;
  }

  currentSet(source: string): PredictionSet | null {
    return this.db.read(() => {
      const row = this.db
        .prepare('SELECT * FROM prediction_sets WHERE source = ? AND is_current = 1')
        .get(source) as SetRow | undefined;
      return row ? toPredictionSet(row, this.tickets(row.id)) : null;
    });
  }

  findSets(query: PredictionQuery): Page<PredictionSet> {
    const { limit, offset } = checkPage(query);
    const where = filterClause(query);
    return this.db.read(() => {
      const rows = this.db
        .prepare(
          `SELECT s.* FROM prediction_sets s ${where.sql} ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?`,
        )
        .all(...where.params, limit + 1, offset) as SetRow[];
      const page = rows.slice(0, limit);
      const tickets = this.ticketsOf(page.map((r) => r.id));
      const items = page.map((r) => toPredictionSet(r, tickets.get(r.id) ?? []));
      return { items, offset, limit, hasMore: rows.length > limit };
    });
  }

  findPredictions(query: PredictionQuery): Page<StoredPrediction> {
    const { limit, offset } = checkPage(query);
    const where = filterClause(query);
    const rows = this.db
      .prepareRaw(
        `SELECT ${PREDICTION_COLUMNS}, ${JOINED_SET_COLUMNS} FROM prediction_sets s JOIN predictions p ON p.set_row = s.id
         ${where.sql} ORDER BY s.created_at DESC, s.id DESC, p.position LIMIT ? OFFSET ?`,
      )
      .all(...where.params, limit + 1, offset) as JoinedPredictionTuple[];
    return {
      items: rows.slice(0, limit).map(toStoredPrediction),
      offset,
      limit,
      hasMore: rows.length > limit,
    };
  }

  counts(): { sets: number; predictions: number } {
    return this.db.read(() => ({
      sets: (this.db.prepare('SELECT COUNT(*) AS n FROM prediction_sets').get() as { n: number }).n,
      predictions: (this.db.prepare('SELECT COUNT(*) AS n FROM predictions').get() as { n: number }).n,
    }));
  }

  /**
   * The tickets of many sets in one query (not one per set): set row → its tickets in position
   * order. The ids travel as one JSON array so a single prepared statement serves every page size.
   */
  private ticketsOf(setRows: readonly number[]): Map<number, StoredTicket[]> {
    const bySet = new Map<number, StoredTicket[]>();
    if (setRows.length === 0) return bySet;
    const rows = this.db
      .prepareRaw(
        `SELECT ${PREDICTION_COLUMNS} FROM predictions p
         WHERE p.set_row IN (SELECT value FROM json_each(?)) ORDER BY p.set_row, p.position`,
      )
      .all(JSON.stringify(setRows)) as PredictionTuple[];
    for (const r of rows) {
      const list = bySet.get(r[1]);
      if (list) list.push(toStoredTicket(r));
      else bySet.set(r[1], [toStoredTicket(r)]);
    }
    return bySet;
  }

  private tickets(setRow: number): StoredTicket[] {
    return (
      this.db
        .prepareRaw(`SELECT ${PREDICTION_COLUMNS} FROM predictions p WHERE p.set_row = ? ORDER BY p.position`)
        .all(setRow) as PredictionTuple[]
    ).map(toStoredTicket);
  }
}
