/**
 * `prediction_history.joblib` → prediction sets (history-sets.ts), legacy accuracy records linked
 * to the prediction they followed when the history determines it (accuracy-linking.ts), and legacy
 * weight-feedback records kept whole.
 */
import type { IsoDate } from '../../domain/dates.js';
import type { LegacyHistory, LegacyHistoryAccuracy } from '../../legacy/index.js';
import type { JsonValue } from '../../domain/json.js';
import type { LegacyFeedbackInput } from '../../store/migration-types.js';
import { checkFigures, historyLinker, type Numbers } from './accuracy-linking.js';
import { storeAccuracy, type AccuracyItem } from './accuracy-store.js';
import {
  beginHistoryWrite,
  migrateHistorySets,
  predictionIdResolver,
  type HistoryWrite,
} from './history-sets.js';
import type { SourceAccumulator } from './ledger.js';
import { MAPPING } from './mapping.js';
import type { MappingRun, Prepared } from './mapping-run.js';
import { sha256 } from './sanitize.js';

/** The history's accuracy entries as items to store, each linked and checked when built. */
function historyAccuracyItems(
  w: HistoryWrite,
  predictionIdOf: (index: number | null) => number | null,
): AccuracyItem[] {
  const { h, run } = w;
  const drawOf = (d: string | null): Numbers | null =>
    d === null || !/^\d{4}-\d{2}-\d{2}$/.test(d) ? null : run.store.draws.get(d as IsoDate);
  const numbersAt = new Map(h.predictions.map((p) => [p.index, p] as const));
  const linkEntry = historyLinker(h);
  const build = (a: LegacyHistoryAccuracy, key: string): ReturnType<AccuracyItem['build']> => {
    const d = linkEntry(a);
    const predictionId = d.target === null ? null : predictionIdOf(d.target);
    const note =
      d.target !== null && predictionId === null
        ? `followed prediction #${d.target}, which was not migrated; kept unlinked`
        : d.note;
    const linked = predictionId === null ? null : numbersAt.get(d.target as number);
    const figures = { shape: 'ticket' as const, totalMatches: null, accuracyScore: a.score, ...a };
    return {
      check: checkFigures(figures, drawOf(a.drawDate), linked ? [linked] : null),
      input: {
        origin: 'prediction_history.joblib',
        legacyRecord: key,
        shape: 'ticket',
        modelName: null,
        legacySetId: null,
        drawDate: a.drawDate as IsoDate | null,
        evaluatedAt: a.timestamp,
        setId: null,
        predictionId,
        link: predictionId === null ? 'none' : d.link,
        linkNote: note,
        whiteMatches: a.whiteMatches,
        powerballMatch: a.powerballMatch,
        totalMatches: null,
        accuracyScore: a.score ?? a.whiteAccuracy,
        actualWhites: a.actualWhites,
        actualPowerball: a.actualPowerball,
        payload: a as unknown as JsonValue,
      },
    };
  };
  return h.accuracy.map((a) => {
    const key = `accuracy#${a.index}`;
    return { key, label: key, checksum: sha256(JSON.stringify(a)), build: () => build(a, key) };
  });
}

/** The feedback entries not migrated before → legacy weight-feedback records. */
function migrateFeedback(w: HistoryWrite): void {
  const inputs: LegacyFeedbackInput[] = [];
  const pending: { key: string; checksum: string }[] = [];
  for (const f of w.h.feedback) {
    const key = `feedback#${f.index}`;
    const checksum = sha256(JSON.stringify(f));
    if (w.acc.state('feedback', key, checksum, key) !== 'new') continue;
    inputs.push({
      kind: 'feedback',
      recordedAt: f.timestamp,
      drawDate: f.drawDate,
      predictionId: null,
      strategy: f.tool,
      payload: f as unknown as JsonValue,
    });
    pending.push({ key, checksum });
  }
  const ids = inputs.length ? w.run.store.migrations.storeLegacyFeedback(inputs) : [];
  pending.forEach((p, i) => w.acc.migrated('feedback', p.key, p.checksum, `legacy_feedback:${ids[i]}`));
}

/** Takes a parsed history; the write stores its predictions, then its accuracy and feedback entries. */
export function prepareHistory(run: MappingRun, h: LegacyHistory, acc: SourceAccumulator): Prepared {
  const kinds: Record<string, string> = {
    'prediction_history.predictions': 'predictions',
    'prediction_history.accuracy': 'accuracy',
    'prediction_history.feedback': 'feedback',
  };
  acc.read('predictions', h.counts.predictions);
  acc.read('accuracy', h.counts.accuracy);
  acc.read('feedback', h.counts.feedback);
  acc.problems(h.problems, (p) => kinds[p.source] ?? null);
  acc.mapping.predictions = MAPPING['prediction_history.predictions'] as string;
  acc.mapping.accuracy = MAPPING['prediction_history.accuracy'] as string;
  acc.mapping.feedback = MAPPING['prediction_history.feedback'] as string;
  acc.mapping.probability = MAPPING.probability as string;
  acc.details.meta = h.meta;
  return () => {
    const w = beginHistoryWrite(run, acc, h);
    const newIds = migrateHistorySets(w);
    storeAccuracy(run.store, acc, 'accuracy', historyAccuracyItems(w, predictionIdResolver(w, newIds)));
    migrateFeedback(w);
  };
}
