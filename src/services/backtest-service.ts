/**
 * `pbi backtest` (DESIGN §3): walk-forward over the current era with the strategies the product
 * uses, each scored against the random baseline. The ml strategy is only scored on draws after
 * every active model's training data ended: a model trained on a draw cannot be tested on it.
 */
import { checkDateRange, dateField, type IsoDate } from '../domain/dates.js';
import { CURRENT_ERA } from '../domain/eras.js';
import { InsufficientDataError } from '../domain/errors.js';
import {
  applyFamily,
  type BacktestFamily,
  type BacktestReport,
  runBacktest,
  type StrategyBacktest,
} from '../strategies/backtest.js';
import { CHANCE_SEQUENCES } from '../strategies/chance-test.js';
import type { Strategy } from '../strategies/strategy.js';
import { said, type Said } from '../domain/hints.js';
import { PREDICT_STRATEGIES, STRATEGY_NAMES, type StrategyName } from '../domain/strategy-names.js';
import type { ServiceContext } from './context.js';
import { ODDS_NOTICE, parseStrategyName } from './prediction-service.js';
import type { StrategyCatalog } from './strategy-catalog.js';
import { checkSeed } from '../domain/limits.js';

export interface BacktestRequest {
  /** A strategy name, `weighted`, or `all` (default). */
  readonly strategy?: string;
  readonly from?: string;
  readonly to?: string;
  /** Seed of the ticket sampling (default 42). */
  readonly seed?: number;
  onProgress?(fraction: number): void;
}

export interface BacktestServiceReport {
  readonly era: { readonly from: IsoDate; readonly whiteMax: number; readonly powerballMax: number };
  readonly reports: readonly BacktestReport[];
  /** Every strategy's result, whatever range it was run over. */
  readonly results: readonly StrategyBacktest[];
  /** The one multiple-comparison family: every test of every strategy in `results`. */
  readonly family: BacktestFamily;
  /** Strategies left out and why. */
  readonly skipped: readonly { readonly strategy: string; readonly reason: Said }[];
  readonly weights: Readonly<Record<string, number>>;
  readonly notice: string;
  readonly elapsedMs: number;
}

export class BacktestService {
  /** Reads no repository itself: draws, strategies and weights come from the shared catalog. */
  constructor(
    private readonly ctx: ServiceContext<never>,
    private readonly catalog: StrategyCatalog,
  ) {}

  /**
   * Checks a request without running it (an interface refuses a bad one before queueing it).
   * @throws FieldError for a bad strategy, date, range or seed.
   */
  check(request: BacktestRequest): void {
    parseRequest(request);
  }

  /**
   * Runs the backtest.
   * @throws FieldError for a bad strategy or date; InsufficientDataError when no draws are stored
   *   or none fall in the range; PbiError NOT_FOUND for the ml strategy without a trained model.
   */
  run(request: BacktestRequest = {}): BacktestServiceReport {
    const started = performance.now();
    const { name, from, to, seed } = parseRequest(request);
    const draws = this.catalog.draws();
    if (draws.length === 0) {
      throw new InsufficientDataError(said`no draws are stored; ${{ kind: 'load-history' }}`);
    }
    const skipped: { strategy: string; reason: Said }[] = [];
    const names: (StrategyName | 'weighted')[] =
      name === 'all' ? [...STRATEGY_NAMES, 'weighted'] : [name as (typeof PREDICT_STRATEGIES)[number]];
    const ml = this.catalog.mlAvailability();
    const { weights } = this.catalog.weights();
    const plain: Strategy[] = [];
    let mlStrategy: Strategy | null = null;
    let weighted: Strategy | null = null;
    for (const n of names) {
      if (n === 'weighted') weighted = this.catalog.ensemble(weights);
      else if (n === 'ml') {
        if (!ml.available) {
          if (name === 'ml') this.catalog.get('ml'); // throws the "train a model first" error
          skipped.push({
            strategy: 'ml',
            reason: said`no trained model is active; ${{ kind: 'train-model' }}`,
          });
        } else mlStrategy = this.catalog.get('ml');
      } else plain.push(this.catalog.get(n));
    }
    // With an active model the weighted mix includes ml, so it is tested out of sample like ml.
    const outOfSampleFrom = mlOutOfSampleStart(ml.models.map((m) => m.trainedThrough));
    const inSample: Strategy[] = [...plain];
    const outOfSample: Strategy[] = [];
    if (mlStrategy) outOfSample.push(mlStrategy);
    if (weighted) (ml.available ? outOfSample : inSample).push(weighted);
    const reports: BacktestReport[] = [];
    const base = { draws, era: CURRENT_ERA, seed, ...(to ? { to } : {}) };
    const total = inSample.length + outOfSample.length;
    const progress = (offset: number, size: number) => (f: number) =>
      request.onProgress?.((offset + f * size) / Math.max(total, 1));
    if (inSample.length > 0) {
      reports.push(
        runBacktest({
          ...base,
          strategies: inSample,
          ...(from ? { from } : {}),
          onProgress: progress(0, inSample.length),
        }),
      );
    }
    if (outOfSample.length > 0) {
      const start = outOfSampleFrom === null ? null : from && from > outOfSampleFrom ? from : outOfSampleFrom;
      const reason =
        start === null
          ? 'an active model has no recorded training range, so no draw is known to be out of sample'
          : null;
      try {
        if (reason) throw new InsufficientDataError(reason);
        reports.push(
          runBacktest({
            ...base,
            strategies: outOfSample,
            from: start as IsoDate,
            onProgress: progress(inSample.length, outOfSample.length),
          }),
        );
      } catch (error) {
        if (!(error instanceof InsufficientDataError)) throw error;
        for (const s of outOfSample) {
          skipped.push({
            strategy: s.name,
            reason:
              reason ??
              `the active models were trained on every stored draw up to ${ml.models
                .map((m) => m.trainedThrough)
                .sort()
                .at(-1)}; ` +
                'no later draw is stored to test them on (a backtest on training draws would be in-sample)',
          });
        }
      }
    }
    if (reports.length === 0 && skipped.length > 0 && name !== 'all') {
      throw new InsufficientDataError(`${name} cannot be backtested: ${skipped[0]?.reason}`);
    }
    const { joined, results, family } = joinFamily(reports);
    return {
      era: { from: CURRENT_ERA.from, whiteMax: CURRENT_ERA.whiteMax, powerballMax: CURRENT_ERA.powerballMax },
      reports: joined,
      results,
      family,
      skipped,
      weights,
      notice: ODDS_NOTICE,
      elapsedMs: performance.now() - started,
    };
  }
}

/** The first date after every model's training data, or null when one has no recorded range. */
function mlOutOfSampleStart(trainedThrough: readonly (string | null)[]): IsoDate | null {
  if (trainedThrough.length === 0 || trainedThrough.some((t) => t === null)) return null;
  const last = [...(trainedThrough as string[])].sort().at(-1) as string;
  const d = new Date(`${last}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10) as IsoDate;
}

/** Checks the request's strategy, date range and seed. */
function parseRequest(request: BacktestRequest): {
  name: StrategyName | 'weighted' | 'all';
  from: IsoDate | undefined;
  to: IsoDate | undefined;
  seed: number;
} {
  const which = request.strategy ?? 'all';
  const name = which === 'all' ? 'all' : parseStrategyName(which, 'strategy');
  const from = request.from !== undefined ? dateField('from', request.from) : undefined;
  const to = request.to !== undefined ? dateField('to', request.to) : undefined;
  checkDateRange(from, to);
  const seed = request.seed ?? 42;
  checkSeed(seed);
  return { name, from, to, seed };
}

/** Joins the runs' results into one multiple-comparison family. */
function joinFamily(reports: readonly BacktestReport[]): {
  joined: BacktestReport[];
  results: readonly StrategyBacktest[];
  family: BacktestFamily;
} {
  // The in-sample and out-of-sample runs are one backtest: one family over all their tests.
  const { results, family } = applyFamily(
    reports.flatMap((r) => r.results),
    CHANCE_SEQUENCES,
  );
  let at = 0;
  const joined = reports.map((r) => ({
    ...r,
    family,
    results: results.slice(at, (at += r.results.length)),
  }));
  return { joined, results, family };
}
