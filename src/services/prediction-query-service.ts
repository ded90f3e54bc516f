/**
 * Reading stored predictions (`pbi predictions list|show`, `/api/predictions`): paged sets, one set,
 * the current set of a source, and paged predictions. Generating sets is the predictor's job; this
 * service only reads what the store holds.
 */
import { beliefMultiple } from '../domain/belief.js';
import { dateField, type IsoDate } from '../domain/dates.js';
import { eraOf } from '../domain/eras.js';
import { FieldError } from '../domain/errors.js';
import type { Page } from '../domain/page.js';
import type {
  PredictionQuery,
  PredictionSet,
  StoredPrediction,
  StoredTicket,
} from '../store/prediction-types.js';
import type { StoredScore } from '../store/evaluation-types.js';
import type { ServiceContext } from './context.js';

/**
 * A stored ticket as users see it: the stored probability becomes `beliefMultiple`, the belief as a
 * multiple of a random ticket's probability in the target draw's era, so it is never read as odds
 * (migrated legacy probabilities follow the same rule).
 */
export type TicketView = Omit<StoredTicket, 'probability'> & { readonly beliefMultiple: number };
export type PredictionSetView = Omit<PredictionSet, 'tickets'> & { readonly tickets: readonly TicketView[] };
export type PredictionView = Omit<StoredPrediction, 'probability'> & { readonly beliefMultiple: number };

function ticketView<T extends { readonly probability: number }>(
  t: T,
  date: IsoDate,
): Omit<T, 'probability'> & { beliefMultiple: number } {
  const { probability, ...rest } = t;
  return { ...rest, beliefMultiple: beliefMultiple(probability, eraOf(date)) };
}

function setView(s: PredictionSet): PredictionSetView {
  return { ...s, tickets: s.tickets.map((t) => ticketView(t, s.targetDrawDate)) };
}

function pageOf<T, U>(page: Page<T>, map: (t: T) => U): Page<U> {
  return { ...page, items: page.items.map(map) };
}

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
    throw new FieldError(
      (n) => `${n('limit')} must be a whole number from 1 to 1000, got ${options.limit}`,
      [{ where: 'limit', reason: 'expected 1–1000' }],
    );
  if (options.offset !== undefined && (!Number.isSafeInteger(options.offset) || options.offset < 0))
    throw new FieldError(
      (n) => `${n('offset')} must be a whole number ≥ 0, got ${options.offset}`,
      [{ where: 'offset', reason: 'expected ≥ 0' }],
    );
}

/** Request → store query; dates are checked here so errors name the field. */
function toQuery(options: ListPredictionsOptions): PredictionQuery {
  checkPaging(options);
  return {
    ...(options.model === undefined ? {} : { source: options.model }),
    ...(options.current ? { currentOnly: true } : {}),
    ...(options.since === undefined ? {} : { createdFrom: dateField('since', options.since) }),
    ...(options.until === undefined ? {} : { createdTo: dateField('until', options.until) }),
    ...(options.forDate === undefined ? {} : { targetDrawDate: dateField('forDate', options.forDate) }),
    ...(options.limit === undefined ? {} : { limit: options.limit }),
    ...(options.offset === undefined ? {} : { offset: options.offset }),
  };
}

export class PredictionQueryService {
  constructor(private readonly ctx: ServiceContext<'predictions' | 'scores'>) {}

  /**
   * Stored sets, newest first, with their tickets.
   * @throws ValidationError naming the flag (`--since`, `--limit`, …).
   */
  list(options: ListPredictionsOptions = {}): Page<PredictionSetView> {
    return pageOf(this.ctx.store.predictions.findSets(toQuery(options)), setView);
  }

  /** Stored predictions (one row per ticket), newest set first. @throws ValidationError. */
  listPredictions(options: ListPredictionsOptions = {}): Page<PredictionView> {
    return pageOf(this.ctx.store.predictions.findPredictions(toQuery(options)), (p) =>
      ticketView(p, p.targetDrawDate),
    );
  }

  /** One set with its tickets. @throws NotFoundError. */
  show(setId: string): PredictionSetView {
    return setView(this.ctx.store.predictions.getSet(setId));
  }

  /**
   * One set with each of its tickets' scores against the target draw (none until evaluated).
   * @throws NotFoundError.
   */
  detail(setId: string): { set: PredictionSetView; scores: StoredScore[] } {
    return { set: this.show(setId), scores: this.ctx.store.scores.listScores({ setId }) };
  }

  /** The current set of a model or strategy, or null. */
  current(source: string): PredictionSetView | null {
    const set = this.ctx.store.predictions.currentSet(source);
    return set ? setView(set) : null;
  }
}
