/**
 * `model_predictions.db` → prediction sets with every column kept (model-db-sets.ts), and its
 * `prediction_accuracy` rows → legacy accuracy records linked to their set or prediction when known
 * (accuracy-linking.ts), checked against the stored draw and the linked tickets.
 */
import { targetDrawDateFor } from '../../domain/calendar.js';
import type { IsoDate } from '../../domain/dates.js';
import {
  readModelPredictionsDb,
  type LegacyAccuracyRow,
  type LegacyModelDb,
  type LegacySourceFile,
  type LegacySqlSource,
} from '../../legacy/index.js';
import { openLegacySqlite } from '../../store/connection.js';
import type { JsonValue } from '../../domain/json.js';
import type { LegacyAccuracyLink } from '../../store/legacy-accuracy-repository.js';
import { checkFigures, summaryLinker, type Numbers } from './accuracy-linking.js';
import { storeAccuracy, type AccuracyItem } from './accuracy-store.js';
import type { SourceAccumulator } from './ledger.js';
import { MAPPING } from './mapping.js';
import type { MappingRun, Prepared } from './mapping-run.js';
import { migrateModelDbSets, type ModelDbWrite } from './model-db-sets.js';
import { sha256 } from './sanitize.js';

const RAW_FIELDS = new Set(['features_used', 'hyperparameters', 'performance_metrics', 'created_at']);

/** The cells the reader could not parse, read again as text so nothing is lost (by row id). */
function unparsedCells(db: LegacySqlSource, m: LegacyModelDb): Map<number, Record<string, JsonValue>> {
  const rawCells = new Map<number, Record<string, JsonValue>>();
  for (const p of m.problems) {
    const row = /^row (\d+)$/.exec(p.record);
    if (p.source !== 'model_predictions' || p.skipped || !row || !p.field || !RAW_FIELDS.has(p.field))
      continue;
    const cell = db.all(`SELECT ${p.field} AS v FROM model_predictions WHERE rowid = ${Number(row[1])}`)[0]?.[
      'v'
    ];
    const o = rawCells.get(Number(row[1])) ?? {};
    o[`${p.field}_raw`] = typeof cell === 'string' || typeof cell === 'number' ? cell : null;
    rawCells.set(Number(row[1]), o);
  }
  return rawCells;
}

/** Where an accuracy row links: the stored set or prediction, or none with the reason. */
interface AccuracyLink {
  readonly setId: string | null;
  readonly predictionId: number | null;
  readonly link: LegacyAccuracyLink;
  readonly note: string | null;
}

/** Links the accuracy rows of a database: summaries to a set, per-ticket rows to their prediction. */
function accuracyLinker(w: ModelDbWrite): (a: LegacyAccuracyRow) => AccuracyLink {
  const rowOfPrediction = new Map(w.m.predictions.map((p) => [p.predictionId, p.rowId] as const));
  const linkRow = summaryLinker(w.m.groups, targetDrawDateFor);
  return (a) => {
    if (a.shape === 'summary') {
      const d = linkRow(a);
      const setId = d.target === null ? null : (w.storeSetOf.get(d.target.setId) ?? null);
      return d.target !== null && setId === null
        ? { setId, predictionId: null, link: 'none', note: `its set ${d.target.setId} was not migrated` }
        : { setId, predictionId: null, link: d.link, note: d.note };
    }
    const row = a.predictionId === null ? undefined : rowOfPrediction.get(a.predictionId);
    const predictionId = row === undefined ? null : (w.newIdByRow.get(row) ?? null);
    return predictionId !== null
      ? { setId: null, predictionId, link: 'prediction_id', note: null }
      : {
          setId: null,
          predictionId,
          link: 'none',
          note: `prediction ${a.predictionId ?? '(none)'} ${row === undefined ? 'is not in the legacy database' : 'was not migrated'}`,
        };
  };
}

/** The tickets a linked record is checked against: the stored set's (read once each), or its one prediction. */
function linkedTickets(w: ModelDbWrite): (a: LegacyAccuracyRow, l: AccuracyLink) => Numbers[] | null {
  const legacyRows = new Map(w.m.predictions.map((p) => [p.predictionId, p] as const));
  const setTickets = new Map<string, Numbers[]>();
  const ticketsOf = (setId: string): Numbers[] => {
    let tickets = setTickets.get(setId);
    if (!tickets) {
      try {
        tickets = w.run.store.predictions
          .getSet(setId)
          .tickets.map((t) => ({ whites: t.whites, powerball: t.powerball }));
      } catch {
        tickets = []; // the set is gone since it was migrated: nothing to check against
      }
      setTickets.set(setId, tickets);
    }
    return tickets;
  };
  return (a, l) =>
    l.setId !== null
      ? ticketsOf(l.setId)
      : l.predictionId !== null
        ? [legacyRows.get(a.predictionId as string) as Numbers]
        : null;
}

/** The database's accuracy rows as items to store, each linked and checked when built. */
function modelDbAccuracyItems(w: ModelDbWrite): AccuracyItem[] {
  const linkOf = accuracyLinker(w);
  const ticketsFor = linkedTickets(w);
  return w.m.accuracy.map((a) => {
    const label = `prediction_accuracy row ${a.rowId}`;
    const build = (): ReturnType<AccuracyItem['build']> => {
      const l = linkOf(a);
      const draw = a.drawDate === null ? null : w.run.store.draws.get(a.drawDate as IsoDate);
      return {
        check: checkFigures(a, draw, ticketsFor(a, l)),
        input: {
          origin: 'model_predictions.db',
          legacyRecord: label,
          shape: a.shape,
          modelName: a.modelName,
          legacySetId: a.setId,
          drawDate: a.drawDate as IsoDate | null,
          evaluatedAt: a.evaluatedAt,
          setId: l.setId,
          predictionId: l.predictionId,
          link: l.link,
          linkNote: l.note,
          whiteMatches: a.whiteMatches,
          powerballMatch: a.powerballMatch,
          totalMatches: a.totalMatches,
          accuracyScore: a.accuracyScore,
          actualWhites: a.actualWhites,
          actualPowerball: a.actualPowerball,
          payload: a as unknown as JsonValue,
        },
      };
    };
    return { key: `prediction_accuracy:row ${a.rowId}`, label, checksum: sha256(JSON.stringify(a)), build };
  });
}

/** Reads the database; the write stores its sets and predictions, then its accuracy rows. */
export function prepareModelDb(run: MappingRun, src: LegacySourceFile, acc: SourceAccumulator): Prepared {
  const db = openLegacySqlite(src.file);
  let m: LegacyModelDb;
  let rawCells: Map<number, Record<string, JsonValue>>;
  try {
    m = readModelPredictionsDb(db);
    rawCells = unparsedCells(db, m);
  } finally {
    db.close();
  }
  for (const t of ['model_predictions', 'prediction_sets', 'prediction_accuracy'])
    acc.read(t, m.counts[t] ?? 0);
  acc.problems(m.problems, (p) => p.source);
  for (const t of ['model_predictions', 'prediction_sets', 'prediction_accuracy', 'probability'])
    acc.mapping[t] = MAPPING[t] as string;
  acc.details.hasModelArtifactPath = m.hasArtifactPathColumn;
  return () => {
    const w: ModelDbWrite = {
      run,
      acc,
      m,
      rawCells,
      newIdByRow: new Map(),
      storeSetOf: new Map(),
      currentTaken: new Set(),
    };
    migrateModelDbSets(w);
    storeAccuracy(run.store, acc, 'prediction_accuracy', modelDbAccuracyItems(w));
  };
}
