/**
 * Strategy weight history (DESIGN §3): appended after each evaluated draw. A unique key on
 * (reason, draw date) makes re-running evaluation add nothing.
 */
import type { IsoDate } from '../domain/dates.js';
import { RequestChecker } from './request-validation.js';
import type { Connection } from './connection.js';
import type { RecordWeightsRequest, WeightRecord, WeightStore } from './evaluation-types.js';
import { numberRecordProblems, parseJsonColumn } from './json.js';

interface WeightRow {
  id: number;
  at: string;
  draw_date: string | null;
  weights: string;
  reason: string;
  scores: string | null;
}

const toRecord = (r: WeightRow): WeightRecord => ({
  id: r.id,
  at: r.at,
  drawDate: r.draw_date as IsoDate | null,
  weights: JSON.parse(r.weights) as Record<string, number>,
  reason: r.reason,
  scores: parseJsonColumn<Record<string, number>>(r.scores),
});

export class WeightRepository implements WeightStore {
  constructor(private readonly db: Connection) {}

  recordWeights(request: RecordWeightsRequest): { recorded: boolean; record: WeightRecord } {
    const c = new RequestChecker();
    const req = (c.object(request, 'request') ?? {}) as Record<string, unknown>;
    const at = c.timestamp(req.at, 'at');
    const drawDate = req.drawDate === null ? null : c.date(req.drawDate, 'drawDate');
    const wIssues = numberRecordProblems(req.weights, 'weights');
    c.addAll(wIssues);
    if (!wIssues.length) {
      const entries = Object.entries(req.weights as Record<string, number>);
      if (entries.length === 0) c.add('weights', 'at least one strategy weight');
      for (const [k, v] of entries) if (v < 0) c.add(`weights.${k}`, `${v} is negative`);
    }
    const reason = c.text(req.reason, 'reason', 200);
    if (req.scores !== undefined) c.addAll(numberRecordProblems(req.scores, 'scores'));
    c.throwIfAny('weights');
    return this.db.write(() => {
      const res = this.db
        .prepare(
          `INSERT INTO strategy_weights (at, draw_date, weights, reason, scores) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT DO NOTHING`,
        )
        .run(
          at,
          drawDate,
          JSON.stringify(req.weights),
          reason,
          req.scores === undefined ? null : JSON.stringify(req.scores),
        );
      const row = this.db
        .prepare("SELECT * FROM strategy_weights WHERE reason = ? AND ifnull(draw_date, '') = ifnull(?, '')")
        .get(reason, drawDate) as WeightRow;
      return { recorded: res.changes > 0, record: toRecord(row) };
    });
  }

  latestWeights(): WeightRecord | null {
    const row = this.db
      .prepare("SELECT * FROM strategy_weights ORDER BY ifnull(draw_date, '') DESC, at DESC, id DESC LIMIT 1")
      .get() as WeightRow | undefined;
    return row ? toRecord(row) : null;
  }

  weightHistory(): WeightRecord[] {
    return (
      this.db
        .prepare("SELECT * FROM strategy_weights ORDER BY ifnull(draw_date, ''), at, id")
        .all() as WeightRow[]
    ).map(toRecord);
  }
}
