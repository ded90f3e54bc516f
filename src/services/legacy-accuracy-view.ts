/**
 * The evaluation views' comparison: the product's own stored scores per source, beside the legacy
 * app's accuracy records migrated by `pbi migrate` — labelled as legacy, kept as the legacy wrote
 * them, and for each linked record the product's own scoring of the same tickets on the same draw.
 * The check against the stored draws is redone here, so draws imported after the migration count.
 */
import type { IsoDate } from '../domain/dates.js';
import { scoreTicket } from '../domain/prizes.js';
import type { ScoreSummary } from '../store/evaluation-types.js';
import type { LegacyAccuracy, LegacyAccuracyLink } from '../store/legacy-accuracy-repository.js';
import type { Store } from '../store/store.js';
import { checkFigures, type AccuracyCheckStatus, type Numbers } from './migration/index.js';

/** The product's scoring of the tickets a legacy record concerns, on its draw. */
export interface ProductScoreOfLegacy {
  readonly tickets: number;
  readonly meanWhiteMatches: number;
  readonly powerballHits: number;
  readonly amount: number;
}

export interface LegacyAccuracyRecordView {
  readonly id: number;
  readonly label: 'legacy';
  readonly origin: string;
  readonly legacyRecord: string;
  /** The legacy model name, or `prediction history` for the joblib history's entries. */
  readonly model: string;
  /** `summary`: the legacy's averages over a set; `ticket`: one prediction. */
  readonly shape: 'summary' | 'ticket';
  readonly drawDate: IsoDate | null;
  readonly link: LegacyAccuracyLink;
  readonly linkNote: string | null;
  readonly setId: string | null;
  readonly whiteMatches: number | null;
  readonly powerballMatch: boolean | null;
  readonly totalMatches: number | null;
  readonly accuracyScore: number | null;
  readonly check: AccuracyCheckStatus;
  readonly differences: readonly string[];
  /** Null when unlinked or the draw is not stored. */
  readonly product: ProductScoreOfLegacy | null;
}

export interface LegacyModelSummary {
  readonly label: 'legacy';
  readonly model: string;
  readonly records: number;
  readonly linked: number;
  /** Mean of the legacy's white-match figures (averages of averages for summaries). */
  readonly meanWhiteMatches: number | null;
  /** Share of records where the legacy says the Powerball was matched. */
  readonly powerballMatchShare: number | null;
  readonly meanAccuracyScore: number | null;
  readonly checked: number;
  readonly disagreements: number;
  /** The product's scoring of the linked tickets on the same draws (null when none could be). */
  readonly product: {
    readonly tickets: number;
    readonly meanWhiteMatches: number;
    readonly powerballHitRate: number;
  } | null;
}

export interface EvaluationComparison {
  /** The product's own stored scores, per source. */
  readonly product: readonly ScoreSummary[];
  readonly legacy: {
    readonly models: readonly LegacyModelSummary[];
    /** Migrated legacy records, newest draw first (undated last): the requested page. */
    readonly records: readonly LegacyAccuracyRecordView[];
    /** How many records there are in all. */
    readonly total: number;
  };
  readonly notice: string;
}

export const LEGACY_NOTICE =
  "Legacy figures are the legacy app's own, migrated as written: its prediction_accuracy rows are averages over " +
  "one model's set (white and total matches rounded to 2 decimals, Powerball = some ticket hit, score = matches / 6); " +
  "its history entries are one prediction each (their score is white_accuracy = white matches / 5). They are not the product's scores.";

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;

export interface ComparisonPage {
  /** Records to return, newest draw first (all when absent). */
  readonly limit?: number;
  readonly offset?: number;
}

/**
 * Builds the comparison from the store (read only): the summaries cover every record; `records`
 * holds the requested page, newest draw first, and `total` says how many there are.
 */
export function evaluationComparison(
  store: Pick<Store, 'legacyAccuracy' | 'draws' | 'scores'>,
  page: ComparisonPage = {},
): EvaluationComparison {
  const records = store.legacyAccuracy.list();
  const draws = store.draws.getMany([
    ...new Set(records.map((r) => r.drawDate).filter((d): d is IsoDate => d !== null)),
  ]);
  const linked = store.legacyAccuracy.linkedTickets();
  const ticketsOf = (r: LegacyAccuracy): Numbers[] | null => linked.get(r.id) ?? null;
  const views = records.map((r): LegacyAccuracyRecordView => {
    const draw = r.drawDate === null ? null : (draws.get(r.drawDate) ?? null);
    const tickets = ticketsOf(r);
    const check = checkFigures(r, draw, tickets);
    const product = draw && tickets && tickets.length > 0 ? productScore(tickets, draw) : null;
    return {
      id: r.id,
      label: 'legacy',
      origin: r.origin,
      legacyRecord: r.legacyRecord,
      model: r.modelName ?? 'prediction history',
      shape: r.shape,
      drawDate: r.drawDate,
      link: r.link,
      linkNote: r.linkNote,
      setId: r.setId,
      whiteMatches: r.whiteMatches,
      powerballMatch: r.powerballMatch,
      totalMatches: r.totalMatches,
      accuracyScore: r.accuracyScore,
      check: check.status,
      differences: check.differences,
      product,
    };
  });
  const byModel = new Map<string, LegacyAccuracyRecordView[]>();
  for (const v of views) {
    const list = byModel.get(v.model) ?? [];
    list.push(v);
    byModel.set(v.model, list);
  }
  const models = [...byModel.entries()].map(([model, vs]): LegacyModelSummary => {
    const nums = (f: (v: LegacyAccuracyRecordView) => number | null): number[] =>
      vs.map(f).filter((x): x is number => x !== null);
    const scored = vs.filter((v) => v.product !== null);
    const tickets = scored.reduce((a, v) => a + (v.product as ProductScoreOfLegacy).tickets, 0);
    return {
      label: 'legacy',
      model,
      records: vs.length,
      linked: vs.filter((v) => v.link !== 'none').length,
      meanWhiteMatches: mean(nums((v) => v.whiteMatches)),
      powerballMatchShare: mean(nums((v) => (v.powerballMatch === null ? null : v.powerballMatch ? 1 : 0))),
      meanAccuracyScore: mean(nums((v) => v.accuracyScore)),
      checked: vs.filter((v) => v.check === 'agrees' || v.check === 'disagrees').length,
      disagreements: vs.filter((v) => v.check === 'disagrees').length,
      product:
        tickets === 0
          ? null
          : {
              tickets,
              meanWhiteMatches:
                scored.reduce(
                  (a, v) =>
                    a +
                    (v.product as ProductScoreOfLegacy).meanWhiteMatches *
                      (v.product as ProductScoreOfLegacy).tickets,
                  0,
                ) / tickets,
              powerballHitRate:
                scored.reduce((a, v) => a + (v.product as ProductScoreOfLegacy).powerballHits, 0) / tickets,
            },
    };
  });
  models.sort((a, b) => a.model.localeCompare(b.model));
  // Newest draw first, undated last; the same draw by id, newest first.
  const newestFirst = [...views].sort((a, b) =>
    a.drawDate === b.drawDate
      ? b.id - a.id
      : a.drawDate === null
        ? 1
        : b.drawDate === null
          ? -1
          : b.drawDate.localeCompare(a.drawDate),
  );
  const offset = page.offset ?? 0;
  const shown = newestFirst.slice(offset, page.limit === undefined ? undefined : offset + page.limit);
  return {
    product: store.scores.summaryBySource(),
    legacy: { models, records: shown, total: views.length },
    notice: LEGACY_NOTICE,
  };
}

/** How the product scores a legacy record's linked tickets against the real draw. */
function productScore(tickets: Numbers[], draw: Parameters<typeof scoreTicket>[1]): ProductScoreOfLegacy {
  const scores = tickets.map((t) => scoreTicket(t as Parameters<typeof scoreTicket>[0], draw));
  return {
    tickets: scores.length,
    meanWhiteMatches: scores.reduce((a, s) => a + s.whiteMatches, 0) / scores.length,
    powerballHits: scores.filter((s) => s.powerballMatch).length,
    amount: scores.reduce((a, s) => a + (s.amount ?? 0), 0),
  };
}
