/**
 * The predictions of `prediction_history.joblib` → prediction sets. Consecutive entries of the same
 * method for the same draw, at most 5 minutes apart, form one set (the legacy app appended a
 * generation at a time). The ledger has one entry per set, keyed by the range of history indexes
 * it covers (`predictions#12-16`); its checksum covers every entry in the range, so a history that
 * grew migrates only its new entries, and one changed since is reported, not written again.
 */
import { targetDrawDateFor } from '../../domain/calendar.js';
import type { IsoDate } from '../../domain/dates.js';
import { ValidationError } from '../../domain/errors.js';
import type { LegacyHistory, LegacyHistoryPrediction } from '../../legacy/index.js';
import type { JsonValue } from '../../domain/json.js';
import type { LegacyRecord } from '../../store/migration-types.js';
import type { StorePredictionsResponse, TicketInput } from '../../store/prediction-types.js';
import type { SourceAccumulator } from './ledger.js';
import { storeSet, type MappingRun } from './mapping-run.js';
import { clean, sanitizeId, sha256, SOURCE_RE } from './sanitize.js';
import { invalidTicketReason, migratedProbability, replacedProbabilityNote } from './tickets.js';

/** Legacy history entries further apart than this start a new set. */
const SET_GAP_MS = 5 * 60_000;
const MAX_SET_SIZE = 10_000;

/** What the write phase of one history shares between its steps. */
export interface HistoryWrite {
  readonly run: MappingRun;
  readonly acc: SourceAccumulator;
  readonly h: LegacyHistory;
  /** History index → the ledger key of the set an earlier run migrated it into. */
  readonly covered: ReadonlyMap<number, string>;
  /** The checksum of the history entries with indexes in [from, to]. */
  readonly rangeChecksum: (from: number, to: number) => string;
}

/** An entry to migrate now, with the draw it was for. */
interface Fresh {
  readonly p: LegacyHistoryPrediction;
  readonly at: string;
  readonly ms: number;
  readonly target: IsoDate;
}

/** The checksum of a range of history indexes (predictions in ascending index order). */
function rangeChecksummer(preds: readonly LegacyHistoryPrediction[]): (from: number, to: number) => string {
  const posOf = new Map<number, number>();
  preds.forEach((p, i) => posOf.set(p.index, i));
  return (from, to) => {
    const start = posOf.get(from) ?? 0;
    let end = start;
    while (end < preds.length && (preds[end] as LegacyHistoryPrediction).index <= to) end++;
    // One JSON text per range: a hash update per record costs more than the hashing itself.
    return sha256(JSON.stringify(preds.slice(start, end)));
  };
}

/**
 * Starts the write phase of a history: which indexes earlier runs covered, each earlier set counted
 * in the source's content and noted when its entries changed since.
 */
export function beginHistoryWrite(run: MappingRun, acc: SourceAccumulator, h: LegacyHistory): HistoryWrite {
  const rangeChecksum = rangeChecksummer(h.predictions);
  const covered = new Map<number, string>();
  for (const key of acc.existing.keys()) {
    const m = /^predictions#(\d+)(?:-(\d+))?$/.exec(key);
    if (!m) continue;
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    for (let i = from; i <= to; i++) covered.set(i, key);
    const known = acc.existing.get(key) as LegacyRecord;
    acc.content.push(`${key} ${known.checksum}`);
    if (known.checksum !== rangeChecksum(from, to))
      acc.note(
        key,
        `changed since it was migrated on ${known.migratedAt}; the migrated set (${known.targetId}) is kept`,
      );
  }
  return { run, acc, h, covered, rangeChecksum };
}

/** The entries to migrate now; the others are skipped with their reason or counted as migrated before. */
function freshEntries(w: HistoryWrite): Fresh[] {
  const fresh: Fresh[] = [];
  for (const p of w.h.predictions) {
    const key = `predictions#${p.index}`;
    if (p.timestamp === null) {
      w.acc.skip(
        'predictions',
        key,
        'no readable timestamp: the draw it was made for cannot be told',
        'timestamp',
      );
      continue;
    }
    const target = targetDrawDateFor(p.timestamp);
    const reason = invalidTicketReason(p.whites, p.powerball, target);
    if (reason !== null) w.acc.skip('predictions', key, reason);
    else if (w.covered.has(p.index)) w.acc.counts('predictions').alreadyMigrated++;
    else fresh.push({ p, at: p.timestamp, ms: Date.parse(p.timestamp), target });
  }
  return fresh;
}

/** Consecutive fresh entries of one generation, never across an index an earlier run covered. */
function groupEntries(fresh: readonly Fresh[], covered: ReadonlyMap<number, string>): Fresh[][] {
  const gapCovered = (from: number, to: number): boolean => {
    for (let i = from + 1; i < to; i++) if (covered.has(i)) return true;
    return false;
  };
  const groups: Fresh[][] = [];
  for (const f of fresh) {
    const g = groups[groups.length - 1];
    const last = g?.[g.length - 1];
    if (
      g &&
      last &&
      last.target === f.target &&
      last.p.method === f.p.method &&
      f.ms - last.ms >= 0 &&
      f.ms - last.ms <= SET_GAP_MS &&
      g.length < MAX_SET_SIZE &&
      !gapCovered(last.p.index, f.p.index)
    )
      g.push(f);
    else groups.push([f]);
  }
  return groups;
}

/** One history entry as a ticket: its contributions as numbers, everything else in its legacy fields. */
function historyTicket(acc: SourceAccumulator, { p, target }: Fresh): TicketInput {
  const prob = migratedProbability(p.probability, target);
  if (prob.original !== undefined)
    acc.note(`predictions#${p.index}`, replacedProbabilityNote(prob.original), 'probability');
  const numeric: Record<string, number> = {};
  let allNumeric = true;
  for (const [tool, v] of Object.entries(p.toolContributions)) {
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) numeric[tool] = v;
    else {
      // A details dict: its weight is the contribution; the dict itself is kept in extra.
      allNumeric = false;
      const w = typeof v === 'object' && v !== null && !Array.isArray(v) ? v['weight'] : undefined;
      if (typeof w === 'number' && Number.isFinite(w) && w >= 0) numeric[tool] = w;
    }
  }
  return {
    whites: p.whites,
    powerball: p.powerball,
    probability: prob.value,
    ...(Object.keys(numeric).length ? { contributions: numeric } : {}),
    legacy: {
      ...(p.predictionId !== null ? { predictionId: p.predictionId } : {}),
      createdAt: p.timestamp as string,
      extra: clean({
        history_index: p.index,
        sources: [...p.sources],
        method: p.method,
        tool_contributions: allNumeric ? undefined : (p.toolContributions as JsonValue),
        original_probability: prob.original,
        ...p.extra,
      }),
    },
  };
}

/** Stores one group as a set; null (each entry skipped) when the store rejects it. */
function storeGroup(w: HistoryWrite, g: readonly Fresh[]): StorePredictionsResponse | null {
  const first = g[0] as Fresh;
  const last = g[g.length - 1] as Fresh;
  const tickets = g.map((f) => historyTicket(w.acc, f));
  try {
    return storeSet(w.run.store, {
      setId: `legacy-history-${String(first.p.index).padStart(6, '0')}`,
      source: sanitizeId(first.p.method ?? 'legacy_history', SOURCE_RE, 100, 'legacy_history'),
      targetDrawDate: first.target,
      createdAt: first.at,
      seed: null,
      weights: {},
      current: false,
      notes: `migrated from prediction_history.joblib entries #${first.p.index}–#${last.p.index}`,
      legacy: { createdAt: first.at, extra: { history_indexes: g.map((f) => f.p.index) } },
      tickets,
    });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error; // checked before any write
    for (const f of g)
      w.acc.skip('predictions', `predictions#${f.p.index}`, `rejected by the store: ${error.message}`);
    return null;
  }
}

/**
 * Migrates the history's new predictions into sets; returns the stored prediction id of each
 * history index migrated now.
 */
export function migrateHistorySets(w: HistoryWrite): Map<number, number> {
  const groups = groupEntries(freshEntries(w), w.covered);
  const newIds = new Map<number, number>();
  let sets = 0;
  for (const [gi, g] of groups.entries()) {
    // Reading took about half the time; storing the sets is the other half.
    if (gi % 1000 === 0) w.acc.progress(0.5 + (0.5 * gi) / groups.length);
    const res = storeGroup(w, g);
    if (res === null) continue;
    sets++;
    g.forEach((f, i) => newIds.set(f.p.index, res.predictionIds[i] as number));
    const from = (g[0] as Fresh).p.index;
    const to = (g[g.length - 1] as Fresh).p.index;
    const key = from === to ? `predictions#${from}` : `predictions#${from}-${to}`;
    w.acc.migrated('predictions', key, w.rangeChecksum(from, to), res.setId, 'prediction-set', g.length);
  }
  w.acc.details.setsCreated = sets;
  return newIds;
}

/**
 * The stored prediction id of a history index: migrated now, or by an earlier run (found through
 * its set, read once per set); null when it was not migrated or its set was deleted since.
 */
export function predictionIdResolver(
  w: HistoryWrite,
  newIds: ReadonlyMap<number, number>,
): (index: number | null) => number | null {
  const earlierSets = new Map<string, Map<number, number>>();
  return (index) => {
    if (index === null) return null;
    const id = newIds.get(index);
    if (id !== undefined) return id;
    const key = w.covered.get(index);
    const setId = key === undefined ? undefined : w.acc.existing.get(key)?.targetId;
    if (setId === undefined) return null;
    let ids = earlierSets.get(setId);
    if (!ids) {
      ids = new Map();
      try {
        for (const t of w.run.store.predictions.getSet(setId).tickets) {
          const i = t.legacy?.extra?.['history_index'];
          if (typeof i === 'number') ids.set(i, t.id);
        }
      } catch {
        // the set was deleted since; the entry stays a legacy record
      }
      earlierSets.set(setId, ids);
    }
    return ids.get(index) ?? null;
  };
}
