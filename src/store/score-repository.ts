/**
 * Scores of stored predictions against real draws. Unique per (prediction, draw), so evaluation can
 * run again and again and add nothing.
 */
import type { IsoDate } from '../domain/dates.js';
import { ValidationError } from '../domain/errors.js';
import { PRIZE_TIERS, type PrizeTier } from '../domain/prizes.js';
import { RequestChecker } from './request-validation.js';
import type { Connection } from './connection.js';
import type {
  ScoreInput,
  ScoreQuery,
  ScoreStore,
  ScoreSummary,
  StoredScore,
  StoreScoresResponse,
} from './evaluation-types.js';
import { registerInvariant } from './integrity.js';
import {
  JOINED_SET_COLUMNS,
  PREDICTION_COLUMNS,
  toStoredPrediction,
  type JoinedPredictionTuple,
} from './prediction-repository.js';
import type { StoredPrediction } from './prediction-types.js';

const TIERS = new Set<string>(PRIZE_TIERS.map((t) => t.tier));

interface ScoreRow {
  prediction_id: number;
  set_id: string;
  source: string;
  draw_date: string;
  white_matches: number;
  powerball_match: number;
  tier: string | null;
  amount: number | null;
  scored_at: string;
}

const toScore = (r: ScoreRow): StoredScore => ({
  predictionId: r.prediction_id,
  setId: r.set_id,
  source: r.source,
  drawDate: r.draw_date as IsoDate,
  whiteMatches: r.white_matches,
  powerballMatch: r.powerball_match === 1,
  tier: r.tier as PrizeTier | null,
  amount: r.amount,
  scoredAt: r.scored_at,
});

registerInvariant({
  name: 'a set is marked scored exactly when all its predictions are scored against its draw',
  sql: `SELECT 'set ' || s.set_id || ' is marked ' || CASE s.scored WHEN 1 THEN 'scored' ELSE 'unscored' END ||
               ' but ' || n || ' of ' || s.total_predictions || ' predictions are scored' AS problem
        FROM (SELECT s.*, (SELECT COUNT(*) FROM predictions p
                           JOIN prediction_scores sc ON sc.prediction_id = p.id AND sc.draw_date = s.target_draw_date
                           WHERE p.set_row = s.id) AS n
              FROM prediction_sets s) s
        WHERE (s.scored = 1) != (n = s.total_predictions)`,
});
registerInvariant({
  name: 'no orphan scores',
  sql: `SELECT 'score of prediction ' || sc.prediction_id || ' for ' || sc.draw_date || ' has no prediction' AS problem
        FROM prediction_scores sc WHERE NOT EXISTS (SELECT 1 FROM predictions p WHERE p.id = sc.prediction_id)`,
});

export class ScoreRepository implements ScoreStore {
  constructor(private readonly db: Connection) {}

  storeScores(scores: readonly ScoreInput[]): StoreScoresResponse {
    const c = new RequestChecker();
    const list = c.array(scores, 'scores') ?? [];
    const rows: (string | number | null)[][] = [];
    list.forEach((s, i) => {
      const w = `scores[${i}]`;
      const o = c.object(s, w);
      if (!o) return;
      const id = c.integer(o.predictionId, `${w}.predictionId`, 1);
      const date = c.date(o.drawDate, `${w}.drawDate`);
      const wm = c.integer(o.whiteMatches, `${w}.whiteMatches`, 0, 5);
      const pb = c.boolean(o.powerballMatch, `${w}.powerballMatch`);
      if (o.tier !== null && !(typeof o.tier === 'string' && TIERS.has(o.tier)))
        c.add(`${w}.tier`, `${String(o.tier)} is not a prize tier (${[...TIERS].join(', ')}) or null`);
      const amount = o.amount === null ? null : c.number(o.amount, `${w}.amount`, 0);
      const at = c.timestamp(o.scoredAt, `${w}.scoredAt`);
      rows.push([id, date, wm, pb ? 1 : 0, (o.tier as string | null) ?? null, amount, at]);
    });
    c.throwIfAny('scores');
    const setOf = this.db.prepare('SELECT set_row FROM predictions WHERE id = ?');
    const markScored = this.db.prepare(
      `UPDATE prediction_sets SET scored = 1
        WHERE id = ? AND scored = 0
          AND total_predictions = (SELECT COUNT(*) FROM predictions p
                                   JOIN prediction_scores sc ON sc.prediction_id = p.id
                                    AND sc.draw_date = prediction_sets.target_draw_date
                                   WHERE p.set_row = prediction_sets.id)`,
    );
    const insert = this.db.prepare(
      `INSERT INTO prediction_scores (prediction_id, draw_date, white_matches, powerball_match, tier, amount, scored_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (prediction_id, draw_date) DO NOTHING`,
    );
    return this.db.write(() => {
      let inserted = 0;
      const sets = new Set<number>();
      rows.forEach((r, i) => {
        const found = setOf.get(r[0]) as { set_row: number } | undefined;
        if (!found) {
          throw new ValidationError(
            `scores rejected, nothing stored: no prediction ${String(r[0])}`,
            [{ where: `scores[${i}].predictionId`, reason: 'no such prediction' }],
            'NOT_FOUND',
          );
        }
        inserted += insert.run(...r).changes;
        sets.add(found.set_row);
      });
      // A set whose every prediction is scored against its target draw leaves the unscored index.
      for (const set of sets) markScored.run(set);
      return { inserted, unchanged: rows.length - inserted };
    });
  }

  unscoredPredictions(upToDate: IsoDate): StoredPrediction[] {
    const c = new RequestChecker();
    c.date(upToDate, 'upToDate');
    c.throwIfAny('query');
    return (
      this.db
        .prepareRaw(
          `SELECT ${PREDICTION_COLUMNS}, ${JOINED_SET_COLUMNS}
           FROM prediction_sets s
           JOIN draws d ON d.draw_date = s.target_draw_date
           JOIN predictions p ON p.set_row = s.id
           WHERE s.scored = 0 AND s.target_draw_date <= ?
             AND NOT EXISTS (SELECT 1 FROM prediction_scores sc
                             WHERE sc.prediction_id = p.id AND sc.draw_date = s.target_draw_date)
           ORDER BY s.target_draw_date, s.id, p.position`,
        )
        .all(upToDate) as JoinedPredictionTuple[]
    ).map(toStoredPrediction);
  }

  listScores(query: ScoreQuery = {}): StoredScore[] {
    const c = new RequestChecker();
    const parts: string[] = [];
    const params: unknown[] = [];
    if (query.source !== undefined) {
      parts.push('s.source = ?');
      params.push(query.source);
    }
    if (query.setId !== undefined) {
      parts.push('s.set_id = ?');
      params.push(query.setId);
    }
    if (query.from !== undefined) {
      parts.push('sc.draw_date >= ?');
      params.push(c.date(query.from, 'from'));
    }
    if (query.to !== undefined) {
      parts.push('sc.draw_date <= ?');
      params.push(c.date(query.to, 'to'));
    }
    c.throwIfAny('query');
    return (
      this.db
        .prepare(
          `SELECT sc.*, s.set_id, s.source FROM prediction_scores sc
           JOIN predictions p ON p.id = sc.prediction_id JOIN prediction_sets s ON s.id = p.set_row
           ${parts.length ? `WHERE ${parts.join(' AND ')}` : ''}
           ORDER BY sc.draw_date, s.id, p.position`,
        )
        .all(...params) as ScoreRow[]
    ).map(toScore);
  }

  summaryBySource(): ScoreSummary[] {
    return this.db
      .prepare(
        `SELECT s.source AS source, COUNT(*) AS tickets, COUNT(DISTINCT sc.draw_date) AS draws,
                AVG(sc.white_matches) AS meanWhiteMatches, AVG(sc.powerball_match) AS powerballHitRate,
                TOTAL(sc.amount) AS amount
         FROM prediction_scores sc
         JOIN predictions p ON p.id = sc.prediction_id JOIN prediction_sets s ON s.id = p.set_row
         GROUP BY s.source ORDER BY s.source`,
      )
      .all() as ScoreSummary[];
  }
}
