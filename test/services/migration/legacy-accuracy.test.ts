/**
 * Legacy accuracy records as the legacy app really wrote them (fixtures made by
 * scripts/make-legacy-accuracy-fixtures.py, which re-enacts the legacy store, evaluator and
 * update_with_new_draw): every record migrated, linked where the legacy data determines it and to
 * the set or prediction the legacy really evaluated, checked against the real draws, and a second
 * run adds nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MigrationReport, SourceReport } from '../../../src/services/migration/index.js';
import { MLPredictionService } from '../../../src/services/ml-prediction-service.js';
import type { LegacyAccuracy } from '../../../src/store/legacy-accuracy-repository.js';
import { makeTestDb } from '../../support/test-db.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/legacy-accuracy');

interface Expected {
  record: string;
  link: string;
  set_id?: string;
  followed?: number;
  check?: string;
  field?: string;
  model?: string;
  evaluated_set?: string;
}
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as {
  apps: Record<string, { prediction_accuracy?: Expected[]; accuracy?: Expected[] }>;
};

function source(report: MigrationReport, rel: string): SourceReport {
  const s = report.sources.find((x) => x.source === rel);
  if (!s) throw new Error(`no source ${rel} in the report`);
  return s;
}

/** What the store says became of each legacy record, by its legacy label. */
function byRecord(service: MLPredictionService, origin: string): Map<string, LegacyAccuracy> {
  const all = service.context.store.legacyAccuracy.list().filter((r) => r.origin === origin);
  return new Map(all.map((r) => [r.legacyRecord, r]));
}

/** The legacy set id a stored set came from. */
function legacySetIdOf(service: MLPredictionService, setId: string | null): string | null {
  if (setId === null) return null;
  const extra = service.context.store.predictions.getSet(setId).legacy?.extra as
    { set_id?: string } | undefined;
  return extra?.set_id ?? null;
}

/** The history index a stored prediction came from. */
function historyIndexOf(service: MLPredictionService, id: number | null): number | null {
  if (id === null) return null;
  for (const set of service.context.store.predictions.findSets({ limit: 1000 }).items)
    for (const t of set.tickets)
      if (t.id === id)
        return (t.legacy?.extra as { history_index?: number } | undefined)?.history_index ?? null;
  return null;
}

const dirs: string[] = [];
function openService(): MLPredictionService {
  const db = makeTestDb({ name: 'insights.db', prefix: 'pbi-legacy-accuracy-' });
  dirs.push(db.dir);
  const service = MLPredictionService.open(db.config);
  service.draws.importFile(path.join(FIXTURES, 'draws.csv'));
  return service;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('legacy accuracy in the real shapes: app-real', () => {
  let service: MLPredictionService;
  let first: MigrationReport;
  let second: MigrationReport;
  const exp = expected.apps['app-real']!;
  beforeAll(async () => {
    service = openService();
    first = await service.migration.migrate(path.join(FIXTURES, 'app-real'));
    second = await service.migration.migrate(path.join(FIXTURES, 'app-real'));
  }, 60_000);

  it('migrates every prediction_accuracy row; only rows with impossible figures are skipped', () => {
    const db = source(first, 'data/model_predictions.db');
    const skipped = exp.prediction_accuracy!.filter((e) => e.link === 'skipped');
    expect(db.records['prediction_accuracy']).toEqual({
      read: exp.prediction_accuracy!.length,
      migrated: exp.prediction_accuracy!.length - skipped.length,
      alreadyMigrated: 0,
      skipped: skipped.length,
    });
    expect(db.skipped.map((s) => [s.record, s.field])).toEqual(
      skipped.map((e) => [`prediction_accuracy ${e.record.replace('prediction_accuracy ', '')}`, e.field]),
    );
  });

  it('links each summary to the set the legacy evaluated, or leaves it unlinked where that is not determined', () => {
    const stored = byRecord(service, 'model_predictions.db');
    for (const e of exp.prediction_accuracy!) {
      const r = stored.get(e.record);
      if (e.link === 'skipped') {
        expect(r, e.record).toBeUndefined();
        continue;
      }
      expect(r, e.record).toBeDefined();
      expect([e.record, r!.link], e.record).toEqual([e.record, e.link]);
      expect(r!.shape).toBe('summary');
      expect(r!.modelName).toBe(e.model);
      if (e.link === 'none') {
        expect(r!.setId).toBeNull();
        expect(r!.linkNote, e.record).toMatch(
          /after the draw and before the evaluation|no set of .* was made before/,
        );
      } else {
        // The link is the set the legacy evaluator really scored (its active predictions' set).
        expect(legacySetIdOf(service, r!.setId), e.record).toBe(e.set_id);
        expect(e.set_id).toBe(e.evaluated_set);
      }
    }
  });

  it('keeps the legacy averages as written (fractional, never per-ticket scores)', () => {
    const stored = byRecord(service, 'model_predictions.db');
    const gb = [...stored.values()].filter(
      (r) => r.modelName === 'Gradient Boosting' && r.drawDate === '2025-01-04',
    );
    expect(gb).toHaveLength(1);
    expect(gb[0]).toMatchObject({ whiteMatches: 0.33, totalMatches: 0.33, powerballMatch: false });
    expect(gb[0]!.accuracyScore).toBeCloseTo(1 / 18, 12);
    expect(service.context.store.scores.listScores()).toEqual([]);
  });

  it('checks every dated record against the stored draw and reports each disagreement', () => {
    const db = source(first, 'data/model_predictions.db');
    const want = exp.prediction_accuracy!.filter((e) => e.link !== 'skipped');
    expect(db.details['accuracy']).toEqual({
      linked: want.filter((e) => e.link !== 'none').length,
      unlinked: want.filter((e) => e.link === 'none').length,
      agrees: want.filter((e) => e.check === 'agrees').length,
      disagrees: want.filter((e) => e.check === 'disagrees').length,
      unchecked: want.filter((e) => e.check === 'no draw').length,
    });
    const disagreeing = db.notes.filter((n) => /disagrees with the stored draw/.test(n.reason));
    expect(disagreeing.map((n) => n.record)).toEqual(
      want.filter((e) => e.check === 'disagrees').map((e) => e.record),
    );
    expect(disagreeing[0]!.reason).toMatch(
      /actual whites 1 8 41 52 53, but the draw of 2025-01-15 was 8 41 52 53 58/,
    );
    const unlinked = db.notes.filter((n) => /kept unlinked/.test(n.reason));
    expect(unlinked.map((n) => n.record)).toEqual(want.filter((e) => e.link === 'none').map((e) => e.record));
  });

  it('stores the history entries unlinked: without timestamps the order does not say which prediction they followed', () => {
    const h = source(first, 'data/prediction_history.joblib');
    expect(h.records['accuracy']).toEqual({ read: 3, migrated: 3, alreadyMigrated: 0, skipped: 0 });
    const stored = byRecord(service, 'prediction_history.joblib');
    for (const e of exp.accuracy!) {
      const r = stored.get(e.record)!;
      expect(r.link).toBe('none');
      expect(r.linkNote).toMatch(/history holds 4 predictions/);
      expect(r.payload).toMatchObject({ whiteAccuracy: (r.whiteMatches ?? 0) / 5, fullMatch: false });
    }
  });

  it('a second run adds nothing, and db check passes with the new links', () => {
    expect(second.nothingNew).toBe(true);
    expect(source(second, 'data/model_predictions.db').records['prediction_accuracy']).toMatchObject({
      migrated: 0,
      alreadyMigrated: first.sources.find((s) => s.source === 'data/model_predictions.db')!.records[
        'prediction_accuracy'
      ]!.migrated,
    });
    expect(service.context.store.legacyAccuracy.count()).toBe(
      exp.prediction_accuracy!.filter((e) => e.link !== 'skipped').length + exp.accuracy!.length,
    );
    expect(service.database.check()).toMatchObject({ ok: true, problems: [] });
  });
});

describe.each(['app-single', 'app-stamped'])('legacy history accuracy: %s', (app) => {
  let service: MLPredictionService;
  let report: MigrationReport;
  const exp = expected.apps[app]!.accuracy!;
  beforeAll(async () => {
    service = openService();
    report = await service.migration.migrate(path.join(FIXTURES, app));
  }, 60_000);

  it('links each entry to the prediction it followed when order or timestamps determine it', () => {
    const stored = byRecord(service, 'prediction_history.joblib');
    const h = source(report, 'data/prediction_history.joblib');
    expect(h.records['accuracy']!.skipped).toBe(exp.filter((e) => e.link === 'skipped').length);
    for (const e of exp) {
      const r = stored.get(e.record);
      if (e.link === 'skipped') {
        expect(r).toBeUndefined();
        expect(
          h.skipped.find((s) => s.record === `prediction_history.accuracy ${e.record.slice(8)}`),
        ).toMatchObject({
          field: e.field,
        });
        continue;
      }
      expect([e.record, r!.link]).toEqual([e.record, e.link]);
      expect(historyIndexOf(service, r!.predictionId)).toBe(e.link === 'none' ? null : e.followed);
    }
  });

  it('checks linked entries against the real draw and reports disagreements', () => {
    const h = source(report, 'data/prediction_history.joblib');
    const disagree = exp.filter((e) => e.check === 'disagrees').map((e) => e.record);
    expect(
      h.notes.filter((n) => /disagrees with the stored draw/.test(n.reason)).map((n) => n.record),
    ).toEqual(disagree);
    expect(service.database.check().ok).toBe(true);
  });
});
