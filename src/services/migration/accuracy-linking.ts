/**
 * How legacy accuracy records are linked and checked during `pbi migrate`. Pure decisions over the
 * records the legacy readers return; the migration service resolves legacy ids to stored ones and
 * writes the results.
 *
 * The legacy evaluator's rows (`prediction_accuracy`) are averages over the set of one model that
 * was current when the user entered a draw. A row is linked to the set its `prediction_set_id`
 * names; otherwise to the model's set current at the draw, but only when no newer set of the model
 * was made between the draw and the evaluation (then the legacy scored the newer set, and which
 * one cannot be trusted); otherwise it stays unlinked with the model and the draw.
 *
 * The joblib history's entries were appended by `update_with_new_draw` for the newest stored
 * prediction. An entry is linked to that prediction when the history determines it: by the index
 * or numbers the entry carries, by its timestamp when every prediction's timestamp is readable and
 * in list order (the legacy only appended, except when it replaced a prediction in place), or when
 * the history holds a single prediction. Otherwise it stays unlinked.
 */
import type { IsoDate } from '../../domain/dates.js';
import type {
  LegacyAccuracyRow,
  LegacyHistory,
  LegacyHistoryAccuracy,
  LegacySetGroup,
} from '../../legacy/index.js';
import type { LegacyAccuracyLink } from '../../store/legacy-accuracy-repository.js';

/** A ticket's numbers. */
export interface Numbers {
  readonly whites: readonly number[];
  readonly powerball: number;
}

export type AccuracyCheckStatus = 'agrees' | 'disagrees' | 'no draw' | 'no draw date' | 'unchecked';

/** The legacy figures checked against the real draw (and the linked tickets, when known). */
export interface AccuracyCheck {
  readonly status: AccuracyCheckStatus;
  /** One sentence per figure that disagrees. */
  readonly differences: readonly string[];
}

/** What the legacy figures claim, whichever file they came from. */
export interface LegacyFigures {
  readonly shape: 'summary' | 'ticket';
  readonly drawDate: string | null;
  readonly actualWhites: readonly number[] | null;
  readonly actualPowerball: number | null;
  readonly whiteMatches: number | null;
  readonly powerballMatch: boolean | null;
  readonly totalMatches: number | null;
  readonly accuracyScore: number | null;
}

export interface LinkDecision<T> {
  readonly link: LegacyAccuracyLink;
  /** The legacy set group or history index linked; null when unlinked. */
  readonly target: T | null;
  /** Why unlinked, or a caveat about the link. */
  readonly note: string | null;
}

const unlinked = <T>(note: string): LinkDecision<T> => ({ link: 'none', target: null, note });

function modelOf(g: LegacySetGroup): string | null {
  return g.set?.modelName ?? g.predictions[0]?.modelName ?? null;
}

/**
 * A linker for the `prediction_accuracy` summary rows of one database: the legacy set each row
 * concerns (see the file comment). `targetOf` gives the draw a set made at a timestamp was for.
 */
export function summaryLinker(
  groups: readonly LegacySetGroup[],
  targetOf: (iso: string) => IsoDate,
): (row: LegacyAccuracyRow) => LinkDecision<LegacySetGroup> {
  const byModel = new Map<string | null, LegacySetGroup[]>();
  const byLegacyId = new Map<string, LegacySetGroup[]>();
  for (const g of groups) {
    if (g.predictions.length === 0) continue;
    const m = byModel.get(modelOf(g)) ?? [];
    m.push(g);
    byModel.set(modelOf(g), m);
    const l = byLegacyId.get(g.legacySetId) ?? [];
    l.push(g);
    byLegacyId.set(g.legacySetId, l);
  }
  return (row) => linkSummaryRow(row, byModel.get(row.modelName) ?? [], byLegacyId, targetOf);
}

function linkSummaryRow(
  row: LegacyAccuracyRow,
  sets: readonly LegacySetGroup[],
  byLegacyId: ReadonlyMap<string, readonly LegacySetGroup[]>,
  targetOf: (iso: string) => IsoDate,
): LinkDecision<LegacySetGroup> {
  const model = row.modelName;
  let caveat: string | null = null;
  if (row.setId !== null) {
    const named = byLegacyId.get(row.setId) ?? [];
    const [only] = named;
    if (named.length === 1 && only && modelOf(only) === model)
      return { link: 'set_id', target: only, note: null };
    caveat =
      named.length === 0
        ? `its prediction_set_id ${row.setId} names no set in the legacy database`
        : named.length > 1
          ? `its prediction_set_id ${row.setId} was reused by ${named.length} runs`
          : `its prediction_set_id ${row.setId} names a set of another model`;
  }
  const decide = (): LinkDecision<LegacySetGroup> => {
    if (row.drawDate === null) return unlinked('no readable draw date: the set current then cannot be told');
    if (sets.length === 0) return unlinked(`no set of model ${model ?? '(none)'} in the legacy database`);
    if (sets.some((g) => g.createdAt === null))
      return unlinked(
        `a set of ${model} has no readable created_at, so the set current at the draw cannot be told`,
      );
    const drawDate = row.drawDate;
    const before = sets.filter((g) => targetOf(g.createdAt as string) <= drawDate);
    const time = (g: LegacySetGroup): number => Date.parse(g.createdAt as string);
    const latest = Math.max(...before.map(time));
    const current = before.filter((g) => time(g) === latest);
    if (current.length === 0) return unlinked(`no set of ${model} was made before the draw of ${drawDate}`);
    if (current.length > 1)
      return unlinked(`${current.length} sets of ${model} were made at the same time before the draw`);
    const at = row.evaluatedAt === null ? null : Date.parse(row.evaluatedAt);
    const newer = sets.filter((g) => time(g) > latest && (at === null || time(g) <= at));
    const [first] = newer;
    if (first)
      return unlinked(
        at === null
          ? `evaluated_at is unreadable and set ${first.setId} of ${model} was made after the draw: the legacy may have evaluated it`
          : `set ${first.setId} of ${model} was made after the draw and before the evaluation (${row.evaluatedAt}): the legacy evaluated the set current then, not the one current at the draw`,
      );
    return { link: 'current_at_draw', target: current[0] as LegacySetGroup, note: null };
  };
  const d = decide();
  const note = [caveat, d.note].filter((x) => x !== null).join('; ');
  return { ...d, note: note === '' ? null : note };
}

/**
 * A linker for the entries of one history: the history prediction (by index) each entry followed
 * (see the file comment). What depends only on the history is computed once, so a history of
 * 100,000 predictions and as many entries links in linear-logarithmic time.
 */
export function historyLinker(h: LegacyHistory): (a: LegacyHistoryAccuracy) => LinkDecision<number> {
  const indexes = new Set(h.predictions.map((p) => p.index));
  const byNumbers = new Map<string, number | null>();
  for (const p of h.predictions) {
    const key = `${p.whites.join('-')}|${p.powerball}`;
    byNumbers.set(key, byNumbers.has(key) ? null : p.index);
  }
  const stamps = h.predictions.map((p) => (p.timestamp === null ? NaN : Date.parse(p.timestamp)));
  const complete = h.predictions.length === h.counts.predictions && stamps.every((t) => !Number.isNaN(t));
  const ordered = complete && stamps.every((t, i) => i === 0 || t >= (stamps[i - 1] as number));
  return (a) => {
    if (a.predictionIndex !== null)
      return indexes.has(a.predictionIndex)
        ? { link: 'prediction_index', target: a.predictionIndex, note: null }
        : unlinked(`prediction_index ${a.predictionIndex} is not a readable prediction of the history`);
    if (a.predictedWhites && a.predictedPowerball !== null) {
      const key = [...a.predictedWhites].sort((x, y) => x - y).join('-') + `|${a.predictedPowerball}`;
      const found = byNumbers.get(key);
      if (found !== undefined && found !== null) return { link: 'numbers', target: found, note: null };
      return unlinked(
        found === undefined
          ? 'no prediction of the history has the numbers it records'
          : 'several predictions have the numbers it records',
      );
    }
    if (a.timestamp !== null) {
      if (!ordered)
        return unlinked(
          complete
            ? "the history's prediction timestamps go back in list order (a prediction was replaced in place), so which one it followed cannot be told"
            : 'some prediction of the history is unreadable or has no timestamp, so which one it followed cannot be told',
        );
      // The last prediction stored at or before the entry's time (stamps ascend).
      const at = Date.parse(a.timestamp);
      let lo = 0;
      let hi = stamps.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((stamps[mid] as number) <= at) lo = mid + 1;
        else hi = mid;
      }
      const p = h.predictions[lo - 1];
      return p
        ? { link: 'timestamp', target: p.index, note: null }
        : unlinked('written before any prediction of the history');
    }
    if (h.counts.predictions === 1 && h.predictions.length === 1) {
      const p = h.predictions[0] as { index: number };
      return { link: 'order', target: p.index, note: null };
    }
    return unlinked(
      `no timestamp, and the history holds ${h.counts.predictions} predictions: which was the newest when it was written cannot be told`,
    );
  };
}

const fmt = (n: number): string => String(Math.round(n * 10000) / 10000);
const list = (w: readonly number[]): string => [...w].sort((a, b) => a - b).join(' ');

/**
 * Checks legacy figures against the real draw, and against the linked tickets when known: the
 * summary figures are recomputed as the legacy evaluator computed them (averages, rounded to 2
 * decimals; Powerball = some ticket hit; score = mean of matches / 6).
 */
export function checkFigures(
  f: LegacyFigures,
  draw: Numbers | null,
  tickets: readonly Numbers[] | null,
): AccuracyCheck {
  if (f.drawDate === null) return { status: 'no draw date', differences: [] };
  if (draw === null) return { status: 'no draw', differences: [] };
  const diffs: string[] = [];
  let compared = false;
  if (f.actualWhites !== null) {
    compared = true;
    if (list(f.actualWhites) !== list(draw.whites))
      diffs.push(
        `actual whites ${list(f.actualWhites)}, but the draw of ${f.drawDate} was ${list(draw.whites)}`,
      );
  }
  if (f.actualPowerball !== null) {
    compared = true;
    if (f.actualPowerball !== draw.powerball)
      diffs.push(`actual Powerball ${f.actualPowerball}, but the draw's was ${draw.powerball}`);
  }
  if (tickets !== null && tickets.length > 0) {
    compared = true;
    const wm = tickets.map((t) => t.whites.filter((w) => draw.whites.includes(w)).length);
    const pb = tickets.map((t) => t.powerball === draw.powerball);
    const n = tickets.length;
    const white = wm.reduce((a, b) => a + b, 0) / n;
    const anyPb = pb.some(Boolean);
    const total = wm.reduce((a, w, i) => a + w + (pb[i] ? 1 : 0), 0) / n;
    const exact = f.shape === 'ticket';
    const round2 = (x: number): number => (exact ? x : Math.round(x * 100) / 100);
    const tol = exact ? 1e-9 : 0.005 + 1e-9;
    const what = exact ? 'the prediction' : `the set's ${n} tickets`;
    if (f.whiteMatches !== null && Math.abs(f.whiteMatches - round2(white)) > tol)
      diffs.push(
        `white matches ${fmt(f.whiteMatches)}, but ${what} match ${fmt(round2(white))} against the draw`,
      );
    if (f.powerballMatch !== null && f.powerballMatch !== anyPb)
      diffs.push(
        `Powerball matched ${f.powerballMatch ? 'yes' : 'no'}, but against the draw ${anyPb ? 'yes' : 'no'}`,
      );
    if (f.totalMatches !== null && Math.abs(f.totalMatches - round2(total)) > tol)
      diffs.push(`total matches ${fmt(f.totalMatches)}, but ${fmt(round2(total))} against the draw`);
    if (f.shape === 'summary' && f.accuracyScore !== null && Math.abs(f.accuracyScore - total / 6) > 1e-6)
      diffs.push(`accuracy score ${fmt(f.accuracyScore)}, but ${fmt(total / 6)} against the draw`);
  }
  if (!compared) return { status: 'unchecked', differences: [] };
  return { status: diffs.length ? 'disagrees' : 'agrees', differences: diffs };
}
