/**
 * What the dashboard's overview shows, composed from the draw history: the latest draw, the next draw
 * date with the true jackpot odds, the history's size and how it splits over the rule eras.
 */
import { missingDrawsNotice, missingScheduledDraws, nextScheduledDraw } from '../domain/calendar.js';
import { type IsoDate, isoDateOf } from '../domain/dates.js';
import type { Draw } from '../domain/draw.js';
import { CURRENT_ERA, ERAS, eraOf, type RuleEra } from '../domain/eras.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { JACKPOT_ODDS } from '../domain/prizes.js';
import { formatFeatureCsv, parseFeatureCsv } from '../ml/features/index.js';
import type { PrizeTier } from '../domain/prizes.js';
import type { WeightRecord } from '../store/evaluation-types.js';
import type { MigrationRun } from '../store/migration-types.js';
import type { ServiceContext } from './context.js';
import type { FeatureService } from './feature-service.js';
import { loadFittedModel, type ModelPredictReport, outputNames, predictRows } from './model-runner.js';
import { parseModelReference } from './model-service.js';

export interface EraCount {
  readonly era: RuleEra;
  readonly draws: number;
}

export interface Overview {
  readonly latestDraw: Draw | null;
  /** The first scheduled draw whose draw time (10:59 pm US Eastern) has not passed. */
  readonly nextDrawDate: IsoDate;
  /** Scheduled draws whose time has passed but that are not stored, and what to do about them. */
  readonly missingDraws: number;
  readonly missingDrawsNotice: string | null;
  /** The jackpot is 1 in this many per ticket (current era). */
  readonly jackpotOdds: number;
  readonly draws: number;
  readonly firstDate: IsoDate | null;
  readonly lastDate: IsoDate | null;
  readonly currentEra: RuleEra;
  /** Every era, oldest first, with how many stored draws fall in it. */
  readonly eras: readonly EraCount[];
  /** UTC date the figures were computed on. */
  readonly today: IsoDate;
}

export { PREDICT_STRATEGIES, STRATEGY_NAMES } from '../strategies/strategy.js';

/** How a stored set did once its draw happened (from the stored scores). */
export interface SetScoreSummary {
  readonly setId: string;
  readonly drawDate: IsoDate | null;
  /** Tickets scored so far (0 until `pbi evaluate` ran after the draw). */
  readonly scored: number;
  readonly whiteMatches: number;
  readonly powerballMatches: number;
  /** Tickets that won anything, by tier. */
  readonly tiers: Readonly<Partial<Record<PrizeTier, number>>>;
  /** Dollars won (jackpots not counted). */
  readonly amount: number;
  readonly bestTier: PrizeTier | null;
}

/** How often each pair of white balls was drawn together in one era. */
export interface PairMatrix {
  readonly era: RuleEra;
  readonly draws: number;
  /** Numbers 1..size. */
  readonly size: number;
  /** Row-major size×size, symmetric, zero diagonal: counts[(a−1)·size + (b−1)]. */
  readonly counts: readonly number[];
  /** Count of any one pair expected by chance: draws × C(size−2, 3) / C(size, 5). */
  readonly expected: number;
}

export class DashboardService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly features: FeatureService,
  ) {}

  /**
   * The feature matrix as CSV text (what `pbi features export` writes to a file), for a download.
   * @throws InsufficientDataError when there are no rows.
   */
  featureCsv(): { readonly text: string; readonly rows: number; readonly featureSet: string } {
    const m = this.features.requireMatrix(1);
    return { text: formatFeatureCsv(m), rows: m.x.rows, featureSet: m.layout.id };
  }

  /**
   * Runs a stored model on feature rows given as CSV text (what `pbi models predict --input FILE`
   * does with a file; the HTTP API takes the content, never a path).
   * @throws ValidationError (MALFORMED_FILE, missing columns); NotFoundError; PbiError (MODEL).
   */
  predictCsv(reference: string, text: string, source: string): ModelPredictReport {
    const ref = parseModelReference(reference, 'path.ref');
    const loaded = loadFittedModel(this.ctx, ref);
    const csv = parseFeatureCsv(text, source);
    const y = predictRows(loaded, csv.x, csv.names);
    const used = new Set(loaded.info.featureNames);
    const predictions: number[][] = [];
    for (let r = 0; r < y.rows; r++)
      predictions.push(Array.from(y.data.subarray(r * y.cols, (r + 1) * y.cols)));
    return {
      model: loaded.info.name,
      version: loaded.info.version,
      kind: loaded.info.kind,
      source: loaded.info.source,
      input: source,
      rows: y.rows,
      outputs: outputNames(y.cols),
      dates: csv.dates,
      predictions,
      ignoredColumns: csv.names.filter((n) => !used.has(n)),
    };
  }

  /** Score summaries of the given sets (unscored sets have `scored: 0`). */
  setScores(setIds: readonly string[]): SetScoreSummary[] {
    // An unknown id is a mistake to report, not a set that scored nothing.
    const unknown = setIds.filter((id) => !this.ctx.store.predictions.hasSet(id));
    if (unknown.length > 0)
      throw new NotFoundError(
        `no prediction set ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ` (and ${unknown.length - 10} more)` : ''}`,
      );
    const order: readonly PrizeTier[] = ['5+PB', '5', '4+PB', '4', '3+PB', '3', '2+PB', '1+PB', 'PB'];
    return setIds.map((setId) => {
      const scores = this.ctx.store.scores.listScores({ setId });
      const tiers: Partial<Record<PrizeTier, number>> = {};
      let amount = 0;
      for (const s of scores) {
        if (s.tier !== null) tiers[s.tier] = (tiers[s.tier] ?? 0) + 1;
        amount += s.amount ?? 0;
      }
      return {
        setId,
        drawDate: scores[0]?.drawDate ?? null,
        scored: scores.length,
        whiteMatches: scores.reduce((n, s) => n + s.whiteMatches, 0),
        powerballMatches: scores.filter((s) => s.powerballMatch).length,
        tiers,
        amount,
        bestTier: order.find((t) => tiers[t] !== undefined) ?? null,
      };
    });
  }

  /** Every legacy migration run (`pbi migrate`), oldest first, with its counts and report. */
  migrationRuns(): MigrationRun[] {
    return this.ctx.store.migrations.listMigrationRuns();
  }

  /** Every stored weight update, oldest first (the weights history chart). */
  weightHistory(): WeightRecord[] {
    return this.ctx.store.weights.weightHistory();
  }

  /**
   * Pair co-occurrence of the white balls of one era (the current era by default).
   * @throws ValidationError when `eraId` is not an era's first date.
   */
  pairs(eraId?: string): PairMatrix {
    const era = eraId === undefined ? CURRENT_ERA : ERAS.find((e) => e.id === eraId);
    if (!era) {
      throw new ValidationError(`no rule era starts on ${eraId}`, [
        { where: 'query.era', reason: `expected one of ${ERAS.map((e) => e.id).join(', ')}` },
      ]);
    }
    const draws = this.ctx.store.draws.list({ from: era.from, ...(era.to !== null && { to: era.to }) });
    const size = era.whiteMax;
    const counts = new Int32Array(size * size);
    for (const d of draws) {
      for (let i = 0; i < 5; i++) {
        for (let j = i + 1; j < 5; j++) {
          const a = (d.whites[i] as number) - 1;
          const b = (d.whites[j] as number) - 1;
          counts[a * size + b] = (counts[a * size + b] ?? 0) + 1;
          counts[b * size + a] = (counts[b * size + a] ?? 0) + 1;
        }
      }
    }
    return {
      era,
      draws: draws.length,
      size,
      counts: Array.from(counts),
      expected: (draws.length * 20) / (size * (size - 1)),
    };
  }

  /** The overview page's figures. */
  overview(): Overview {
    const draws = this.ctx.store.draws.list();
    const today = isoDateOf(this.ctx.clock.now());
    const counts = new Map<string, number>();
    for (const d of draws) {
      const id = eraOf(d.date).id;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const latest = draws[draws.length - 1] ?? null;
    const missing = missingScheduledDraws(latest?.date ?? null, this.ctx.clock.now());
    return {
      latestDraw: latest,
      nextDrawDate: nextScheduledDraw(this.ctx.clock.now()),
      missingDraws: missing.length,
      missingDrawsNotice: missingDrawsNotice(missing),
      jackpotOdds: JACKPOT_ODDS,
      draws: draws.length,
      firstDate: draws[0]?.date ?? null,
      lastDate: latest?.date ?? null,
      currentEra: CURRENT_ERA,
      eras: ERAS.map((era) => ({ era, draws: counts.get(era.id) ?? 0 })),
      today,
    };
  }
}
