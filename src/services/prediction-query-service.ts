/**
 * Reading stored predictions (`pbi predictions list|show`, `/api/predictions`): paged sets, one set,
 * the current set of a source, and paged predictions. Generating sets is the predictor's job; this
 * service only reads what the store holds.
 */
import { parseIsoDate } from '../domain/dates.js';
import { ValidationError } from '../domain/errors.js';
import type { Page, PredictionQuery, PredictionSet, StoredPrediction } from '../store/prediction-types.js';
import type { ServiceContext } from './context.js';

export type {
  Page,
  PredictionSet,
  StoredPrediction,
  StoredTicket,
  StorePredictionsRequest,
  StorePredictionsResponse,
} from '../store/prediction-types.js';

export interface ListPredictionsOptions {
  /** Model name or strategy (the set's source). */
  readonly model?: string;
  /** Only each source's current set. */
  readonly current?: boolean;
  /** Sets created on or after this day (YYYY-MM-DD, UTC). */
  readonly since?: string;
  /** Sets created before this day (YYYY-MM-DD, UTC). */
  readonly until?: string;
  /** Only sets for this draw date. */
  readonly forDate?: string;
  readonly limit?: number;
  readonly offset?: number;
}

function checkPaging(options: { limit?: number; offset?: number }): void {
  if (
    options.limit !== undefined &&
    (!Number.isSafeInteger(options.limit) || options.limit < 1 || options.limit > 1000)
  )
    throw new ValidationError(`--limit must be a whole number from 1 to 1000, got ${options.limit}`, [
      { where: '--limit', reason: 'expected 1–1000' },
    ]);
  if (options.offset !== undefined && (!Number.isSafeInteger(options.offset) || options.offset < 0))
    throw new ValidationError(`--offset must be a whole number ≥ 0, got ${options.offset}`, [
      { where: '--offset', reason: 'expected ≥ 0' },
    ]);
}

/** Flags → store query; dates are checked here so errors name the flag. */
function toQuery(options: ListPredictionsOptions): PredictionQuery {
  checkPaging(options);
  return {
    ...(options.model === undefined ? {} : { source: options.model }),
    ...(options.current ? { currentOnly: true } : {}),
    ...(options.since === undefined ? {} : { createdFrom: parseIsoDate(options.since, '--since') }),
    ...(options.until === undefined ? {} : { createdTo: parseIsoDate(options.until, '--until') }),
    ...(options.forDate === undefined ? {} : { targetDrawDate: parseIsoDate(options.forDate, '--for-date') }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.offset === undefined ? {} : { offset: options.offset }),
  };
}

export class PredictionQueryService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Stored sets, newest first, with their tickets.
   * @throws ValidationError naming the flag (`--since`, `--limit`, …).
   */
  list(options: ListPredictionsOptions = {}): Page<PredictionSet> {
    return this.ctx.store.predictions.findSets(toQuery(options));
  }

  /** Stored predictions (one row per ticket), newest set first. @throws ValidationError. */
  listPredictions(options: ListPredictionsOptions = {}): Page<StoredPrediction> {
    return this.ctx.store.predictions.findPredictions(toQuery(options));
  }

  /** One set with its tickets. @throws NotFoundError. */
  show(setId: string): PredictionSet {
    return this.ctx.store.predictions.getSet(setId);
  }

  /** The current set of a model or strategy, or null. */
  current(source: string): PredictionSet | null {
    return this.ctx.store.predictions.currentSet(source);
  }
}
