/**
 * The sets and predictions of `model_predictions.db` → prediction sets, every column kept. A set
 * is linked to the model version its artifact became when that artifact was migrated, and is
 * current only when the legacy set was and no set of that model is current here. Ledger keys are
 * the legacy set ids and row ids (`prediction_sets:<id>`, `model_predictions:row <rowid>`).
 */
import { targetDrawDateFor } from '../../domain/calendar.js';
import type { IsoDate } from '../../domain/dates.js';
import { ValidationError } from '../../domain/errors.js';
import type { LegacyModelDb, LegacyPredictionRow, LegacySetGroup } from '../../legacy/index.js';
import type { JsonValue } from '../../domain/json.js';
import type { LegacyRecord } from '../../store/migration-types.js';
import type { ModelRef } from '../../store/model-registry-types.js';
import type {
  StorePredictionsRequest,
  StorePredictionsResponse,
  TicketInput,
} from '../../store/prediction-types.js';
import type { SourceAccumulator } from './ledger.js';
import { modelFor, storeSet, type MappingRun } from './mapping-run.js';
import { clean, sanitizeId, SET_ID_RE, sha256, SOURCE_RE } from './sanitize.js';
import { migratedProbability, replacedProbabilityNote, ticketReason } from './tickets.js';

/** What the write phase of one database shares between its groups and its accuracy rows. */
export interface ModelDbWrite {
  readonly run: MappingRun;
  readonly acc: SourceAccumulator;
  readonly m: LegacyModelDb;
  /** Cells the reader could not parse, kept as text so nothing is lost (by row id). */
  readonly rawCells: ReadonlyMap<number, Record<string, JsonValue>>;
  /** Legacy row id → the stored prediction it became (this run or an earlier one). */
  readonly newIdByRow: Map<number, number>;
  /** Legacy set group id → the stored set it became (this run or an earlier one). */
  readonly storeSetOf: Map<string, string>;
  /** Sources made current in this run: a second legacy current set of the same source is not. */
  readonly currentTaken: Set<string>;
}

/** A prediction that can be migrated, as a ticket. */
interface Kept {
  readonly p: LegacyPredictionRow;
  readonly ticket: TicketInput;
  readonly checksum: string;
}

const rowLabel = (p: LegacyPredictionRow): string => `model_predictions row ${p.rowId}`;

/** A group an earlier run migrated: its rows are counted as migrated, or reported as added since. */
function recallGroup(
  w: ModelDbWrite,
  g: LegacySetGroup,
  key: string,
  known: LegacyRecord,
  setLabel: string,
): void {
  w.storeSetOf.set(g.setId, known.targetId);
  if (g.set) w.acc.state('prediction_sets', key, sha256(JSON.stringify(g)), setLabel);
  else w.acc.content.push(`${key} ${known.checksum}`);
  for (const p of g.predictions) {
    const pk = `model_predictions:row ${p.rowId}`;
    const pr = w.acc.existing.get(pk);
    if (pr) {
      w.acc.state('model_predictions', pk, sha256(JSON.stringify(p)), rowLabel(p));
      w.newIdByRow.set(p.rowId, Number(pr.targetId));
    } else
      w.acc.skip(
        'model_predictions',
        rowLabel(p),
        ticketReason(p.whites, p.powerball, g.createdAt) ??
          `added to set ${g.setId} after the set was migrated`,
      );
  }
}

/** One legacy row as a ticket, every column kept in its legacy fields. */
function rowTicket(w: ModelDbWrite, p: LegacyPredictionRow, target: IsoDate): TicketInput {
  const prob = migratedProbability(p.probability, target);
  if (prob.original !== undefined)
    w.acc.note(rowLabel(p), replacedProbabilityNote(prob.original), 'probability');
  return {
    whites: p.whites,
    powerball: p.powerball,
    probability: prob.value,
    legacy: clean({
      id: p.rowId,
      modelName: p.modelName,
      predictionId: p.predictionId,
      createdAt: p.createdAtRaw === null ? undefined : String(p.createdAtRaw),
      version: p.version ?? undefined,
      isActive: p.isActive,
      featuresUsed: p.featuresUsed ?? undefined,
      hyperparameters: p.hyperparameters ?? undefined,
      performanceMetrics: p.performanceMetrics ?? undefined,
      extra: clean({
        prediction_set_id: p.setId ?? '',
        created_at_utc: p.createdAt ?? undefined,
        original_probability: prob.original,
        ...w.rawCells.get(p.rowId),
      }),
    }) as TicketInput['legacy'],
  };
}

/** The group's rows that are valid tickets for its draw; the others are skipped with their reason. */
function keptTickets(w: ModelDbWrite, g: LegacySetGroup, createdAt: string, target: IsoDate): Kept[] {
  const kept: Kept[] = [];
  for (const p of g.predictions) {
    const invalid = ticketReason(p.whites, p.powerball, createdAt);
    if (invalid !== null) w.acc.skip('model_predictions', rowLabel(p), invalid);
    else kept.push({ p, checksum: sha256(JSON.stringify(p)), ticket: rowTicket(w, p, target) });
  }
  return kept;
}

/** The migrated model the set's artifact became, noting when it has none. */
function linkedModel(w: ModelDbWrite, g: LegacySetGroup, setLabel: string): ModelRef | null {
  const artifactPath = g.set?.modelArtifactPath ?? null;
  const model = modelFor(w.run.store, artifactPath);
  if (artifactPath && !model) {
    const base = artifactPath.split(/[\\/]/).pop() ?? '';
    w.acc.note(
      setLabel,
      w.run.convertedArtifacts.has(base)
        ? `would be linked to the model converted from models/${base} (dry run)`
        : `model_artifact_path ${artifactPath} is not among the migrated models; the path is kept`,
    );
  }
  return model;
}

/** Whether the set is made current here: the legacy one was, and no set of `source` is current yet. */
function isCurrent(w: ModelDbWrite, g: LegacySetGroup, source: string, setLabel: string): boolean {
  let current = false;
  if (g.set?.isCurrent && !w.currentTaken.has(source)) {
    current = w.run.store.predictions.currentSet(source) === null;
    if (!current)
      w.acc.note(setLabel, `was current in the legacy app, but a set of ${source} is already current here`);
  }
  if (current) w.currentTaken.add(source);
  return current;
}

/** The store request for a group, its set row's columns kept in its legacy fields. */
function setRequest(
  w: ModelDbWrite,
  g: LegacySetGroup,
  createdAt: string,
  target: IsoDate,
  kept: readonly Kept[],
  setLabel: string,
): StorePredictionsRequest & { setId: string } {
  const first = g.predictions[0] as LegacyPredictionRow;
  const source = sanitizeId(g.set?.modelName ?? first.modelName, SOURCE_RE, 100, 'legacy');
  const model = linkedModel(w, g, setLabel);
  const current = isCurrent(w, g, source, setLabel);
  for (const n of g.notes) w.acc.note(setLabel, n);
  const s = g.set;
  return {
    setId: sanitizeId(g.setId, SET_ID_RE, 128, `legacy-set-${g.set?.rowId ?? first.rowId}`),
    source,
    ...(model ? { model } : {}),
    targetDrawDate: target,
    createdAt,
    seed: null,
    weights: {},
    current,
    ...(s?.trainingDuration !== null && s?.trainingDuration !== undefined && s.trainingDuration >= 0
      ? { trainingDurationMs: s.trainingDuration * 1000 }
      : {}),
    ...(s?.notes ? { notes: s.notes } : {}),
    legacy: clean({
      id: s?.rowId,
      totalPredictions: s?.totalPredictions ?? undefined,
      modelArtifactPath: s?.modelArtifactPath ?? undefined,
      createdAt: s ? (s.createdAtRaw === null ? undefined : String(s.createdAtRaw)) : undefined,
      extra: clean({
        set_id: g.legacySetId,
        is_current: s ? s.isCurrent : undefined,
        training_duration: s?.trainingDuration ?? undefined,
        model_name: s?.modelName,
        reader_notes: g.notes.length ? [...g.notes] : undefined,
      }),
    }) as StorePredictionsRequest['legacy'],
    tickets: kept.map((k) => k.ticket),
  };
}

/** Counts and remembers a stored group: its set row (if any) and each of its predictions. */
function recordStoredGroup(
  w: ModelDbWrite,
  g: LegacySetGroup,
  key: string,
  checksum: string,
  kept: readonly Kept[],
  res: StorePredictionsResponse,
): void {
  w.storeSetOf.set(g.setId, res.setId);
  if (g.set) w.acc.migrated('prediction_sets', key, checksum, res.setId, 'prediction-set');
  // A set built from predictions alone: in the ledger so the next run knows it, not counted as a row.
  else w.acc.remember(key, checksum, res.setId, 'prediction-set');
  kept.forEach((k, i) => {
    const id = res.predictionIds[i] as number;
    w.newIdByRow.set(k.p.rowId, id);
    w.acc.migrated(
      'model_predictions',
      `model_predictions:row ${k.p.rowId}`,
      k.checksum,
      String(id),
      'prediction',
    );
  });
}

/** Migrates one group of predictions into a set; returns whether a set was stored. */
function migrateGroup(w: ModelDbWrite, g: LegacySetGroup): boolean {
  const setLabel = g.set ? `prediction_sets row ${g.set.rowId}` : `set ${g.setId}`;
  if (g.predictions.length === 0) {
    if (g.set)
      w.acc.skip('prediction_sets', setLabel, 'the set has no predictions (a set holds at least one ticket)');
    return false;
  }
  const key = `prediction_sets:${g.setId}`;
  const known = w.acc.existing.get(key);
  if (known) {
    recallGroup(w, g, key, known, setLabel);
    return false;
  }
  const skipAll = (reason: string): void => {
    if (g.set) w.acc.skip('prediction_sets', setLabel, reason);
    for (const p of g.predictions) w.acc.skip('model_predictions', rowLabel(p), reason);
  };
  if (g.createdAt === null) {
    skipAll('no readable created_at: the draw it was made for cannot be told');
    return false;
  }
  const target = targetDrawDateFor(g.createdAt);
  const kept = keptTickets(w, g, g.createdAt, target);
  if (kept.length === 0) {
    if (g.set) w.acc.skip('prediction_sets', setLabel, 'none of its predictions could be migrated');
    return false;
  }
  let res: StorePredictionsResponse;
  try {
    res = storeSet(w.run.store, setRequest(w, g, g.createdAt, target, kept, setLabel));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error; // checked before any write
    skipAll(`rejected by the store: ${error.message}`);
    return false;
  }
  recordStoredGroup(w, g, key, sha256(JSON.stringify(g)), kept, res);
  return true;
}

/** Migrates every group of the database not migrated before. */
export function migrateModelDbSets(w: ModelDbWrite): void {
  let sets = 0;
  for (const g of w.m.groups) if (migrateGroup(w, g)) sets++;
  w.acc.details.setsCreated = sets;
}
