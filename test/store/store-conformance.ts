/**
 * What every implementation of the store's model/prediction interface must do (STYLE §1). An
 * implementation's test calls `runStoreConformance({ create })`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.js';
import type { Draw } from '../../src/domain/draw.js';
import type { Whites } from '../../src/domain/ticket.js';
import { PbiError } from '../../src/domain/errors.js';
import type { Store } from '../../src/store/store.js';
import { setRequest, ticket, versionRequest } from './helpers.js';

export interface StoreFixture {
  readonly store: Store;
  readonly cleanup: () => void;
}

/** Asserts `fn` throws a PbiError with `code` whose issues name `where`. */
export function expectRejected(fn: () => unknown, code: string, where: string): PbiError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a ${code} error naming ${where}`).toBeInstanceOf(PbiError);
  const e = caught as PbiError;
  expect(e.code).toBe(code);
  expect(e.issues.map((i) => i.where)).toContain(where);
  return e;
}

const draw = (date: string, whites: number[], powerball: number): Draw => ({
  date: date as IsoDate,
  whites: whites as unknown as Whites,
  powerball,
  multiplier: null,
});

export function runStoreConformance(options: { create: () => StoreFixture }): void {
  let fx: StoreFixture;
  let store: Store;
  beforeEach(() => {
    fx = options.create();
    store = fx.store;
  });
  afterEach(() => fx.cleanup());

  describe('model registry', () => {
    it('numbers versions 1, 2, 3 and makes the first one active', () => {
      const v1 = store.models.registerModelVersion(versionRequest());
      const v2 = store.models.registerModelVersion(versionRequest({ createdAt: '2026-01-02T00:00:00Z' }));
      const v3 = store.models.registerModelVersion(versionRequest({ name: 'forest', kind: 'random_forest' }));
      expect([v1.version, v2.version, v3.version]).toEqual([1, 2, 1]);
      expect(v1.active).toBe(true);
      expect(v2.active).toBe(false);
      expect(store.models.getVersion('ridge', 'active').version).toBe(1);
    });

    it('keeps everything a version was registered with, and returns the artifact bytes unchanged', () => {
      const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256);
      store.models.registerModelVersion(
        versionRequest({
          artifact: bytes,
          trainingData: { rows: 1200, firstDate: '2015-10-07', lastDate: '2025-12-31' },
          notes: 'n',
        }),
      );
      const m = store.models.loadModel('ridge', 1);
      expect(m.artifact).toEqual(bytes);
      expect(m.artifactBytes).toBe(100_000);
      expect(m.hyperparameters).toEqual({ alpha: 1, fitIntercept: true });
      expect(m.featureNames).toEqual(['sum_mean_10', 'gap_white_1']);
      expect(m.folds[1]).toEqual({
        fold: 1,
        trainSize: 120,
        testSize: 20,
        metrics: { mae: 12 },
        baselines: { mean: { mae: 14 } },
      });
      expect(m.meanMetrics).toEqual({ mae: 11 });
      expect(m.trainingDurationMs).toBe(25.5);
      expect(m.seed).toBe(7);
      expect(m.source).toBe('trained');
      expect(m.createdAt).toBe('2026-01-01T00:00:00.000Z');
      expect(m.trainingData).toEqual({ rows: 1200, firstDate: '2015-10-07', lastDate: '2025-12-31' });
      expect(m.notes).toBe('n');
      expect(store.models.loadModel('ridge', 'active').version).toBe(1);
    });

    it('activates on request at registration and by activate(), one active version at a time', () => {
      store.models.registerModelVersion(versionRequest());
      const v2 = store.models.registerModelVersion(versionRequest({ activate: true }));
      expect(v2.active).toBe(true);
      expect(store.models.getVersion('ridge', 1).active).toBe(false);
      store.models.activate('ridge', 1);
      const details = store.models.showModel('ridge');
      expect(details.versions.map((v) => [v.version, v.active])).toEqual([
        [2, false],
        [1, true],
      ]);
      expect(details.model.activeVersion).toBe(1);
      expect(store.check().ok).toBe(true);
    });

    it('reports unknown models and versions as NOT_FOUND', () => {
      store.models.registerModelVersion(versionRequest());
      for (const fn of [
        () => store.models.loadModel('nope', 'active'),
        () => store.models.loadModel('ridge', 9),
        () => store.models.activate('ridge', 9),
        () => store.models.showModel('nope'),
        () => store.models.modelPerformance('nope'),
        () => store.models.prune({ name: 'nope', keep: 1 }),
      ])
        expect(fn).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
    });

    it('prunes old versions but never the active one nor one predictions refer to, unless forced', () => {
      for (let i = 0; i < 5; i++) store.models.registerModelVersion(versionRequest());
      store.predictions.storePredictions(
        setRequest({ source: 'ridge', model: { name: 'ridge', version: 2 } }),
      );
      // Active is 1 (the first). Keep the newest 2 (5, 4): 3 goes, 2 is referenced, 1 is active.
      const report = store.models.prune({ name: 'ridge', keep: 2 });
      expect(report.deleted).toEqual([{ name: 'ridge', version: 3 }]);
      expect(report.kept.map((k) => k.version)).toEqual([2, 1]);
      expect(report.kept[0]?.reason).toMatch(/prediction set/);
      expect(report.kept[1]?.reason).toMatch(/active/);
      const forced = store.models.prune({ name: 'ridge', keep: 0, force: true });
      expect(forced.deleted.map((d) => d.version)).toEqual([5, 4, 2]);
      expect(store.models.showModel('ridge').versions.map((v) => v.version)).toEqual([1]);
      // The set that referred to version 2 is still there, with its reference.
      expect(store.predictions.findSets({ source: 'ridge' }).items[0]?.model).toEqual({
        name: 'ridge',
        version: 2,
      });
      // Version numbers never reuse a pruned number.
      expect(store.models.registerModelVersion(versionRequest()).version).toBe(6);
      expect(store.check()).toEqual({ ok: true, problems: [] });
    });

    it('reports the metrics of every version, with baseline means', () => {
      store.models.registerModelVersion(versionRequest());
      store.models.registerModelVersion(
        versionRequest({
          folds: [{ fold: 0, metrics: { mae: 8, rmse: 9 }, baselines: { mean: { mae: 10 } } }],
        }),
      );
      const perf = store.models.modelPerformance('ridge');
      expect(perf.versions.map((v) => v.meanMetrics)).toEqual([{ mae: 11 }, { mae: 8, rmse: 9 }]);
      expect(perf.versions[0]?.meanBaselines).toEqual({ mean: { mae: 13 } });
      expect(perf.versions[0]?.folds).toHaveLength(2);
      const list = store.models.listModels();
      expect(list).toEqual([
        expect.objectContaining({
          name: 'ridge',
          versions: 2,
          latestVersion: 2,
          activeVersion: 1,
          activeKind: 'ridge',
        }),
      ]);
      expect(list[0]?.activeMeanMetrics).toEqual({ mae: 11 });
    });

    it('rejects invalid registrations naming the field', () => {
      expectRejected(
        () => store.models.registerModelVersion(versionRequest({ name: 'bad name!' })),
        'INVALID_INPUT',
        'name',
      );
      expectRejected(
        () => store.models.registerModelVersion(versionRequest({ featureNames: ['a', ''] })),
        'INVALID_INPUT',
        'featureNames[1]',
      );
      expectRejected(
        () =>
          store.models.registerModelVersion(
            versionRequest({ folds: [{ fold: 0, metrics: { mae: Number.NaN } }] }),
          ),
        'INVALID_INPUT',
        'folds[0].metrics.mae',
      );
      expectRejected(
        () =>
          store.models.registerModelVersion(
            versionRequest({ hyperparameters: { alpha: Number.POSITIVE_INFINITY } }),
          ),
        'INVALID_INPUT',
        'hyperparameters.alpha',
      );
      expectRejected(
        () => store.models.registerModelVersion(versionRequest({ artifact: new Uint8Array(0) })),
        'INVALID_INPUT',
        'artifact',
      );
      expectRejected(
        () => store.models.registerModelVersion(versionRequest({ createdAt: 'yesterday' })),
        'INVALID_INPUT',
        'createdAt',
      );
      expect(store.models.listModels()).toEqual([]);
    });
  });

  describe('prediction sets', () => {
    it('stores any count from 1 up and returns ids in ticket order', () => {
      for (const count of [1, 3, 5, 12]) {
        const res = store.predictions.storePredictions(setRequest({ source: `s${count}` }, count));
        expect(res.predictionIds).toHaveLength(count);
        const set = store.predictions.getSet(res.setId);
        expect(set.total).toBe(count);
        expect(set.tickets.map((t) => t.id)).toEqual(res.predictionIds);
        expect(set.tickets.map((t) => t.position)).toEqual([...Array(count).keys()]);
      }
      expect(store.predictions.counts()).toEqual({ sets: 4, predictions: 21 });
      expect(store.check().ok).toBe(true);
    });

    it('round-trips every field, whites sorted ascending', () => {
      // What the legacy migration keeps of a ticket: stored and read back as given.
      const legacyTicket = {
        id: 3,
        modelName: 'ridge',
        predictionId: 'ridge_20230901_pred_1',
        createdAt: '1693555200',
        version: '1.0',
        isActive: false,
        featuresUsed: ['sum', 'mean'],
        hyperparameters: { alpha: 1 },
        performanceMetrics: { mae_white: 12.5 },
        extra: { sources: ['combo'], analysis: { sum: 142 } },
      };
      store.models.registerModelVersion(versionRequest());
      const res = store.predictions.storePredictions(
        setRequest({
          setId: 'my-set-1',
          source: 'ml',
          model: { name: 'ridge', version: 1 },
          trainingDurationMs: 12.5,
          notes: 'hello',
          strength: 'raw',
          legacy: {
            id: 17,
            totalPredictions: 5,
            modelArtifactPath: 'models/ridge_x.joblib',
            createdAt: '2023-09-01 08:00:00',
          },
          tickets: [
            {
              whites: [69, 1, 30, 2, 40],
              powerball: 26,
              probability: 0.25,
              contributions: { ml: 1 },
              legacy: legacyTicket,
            },
          ],
        }),
      );
      expect(res.setId).toBe('my-set-1');
      const set = store.predictions.getSet('my-set-1');
      expect(set).toEqual({
        setId: 'my-set-1',
        source: 'ml',
        model: { name: 'ridge', version: 1 },
        targetDrawDate: '2026-01-03',
        createdAt: '2026-01-02T10:00:00.000Z',
        isCurrent: true,
        total: 1,
        seed: 42,
        weights: { frequency: 0.2, recency: 0.15, ml: 0.1 },
        trainingDurationMs: 12.5,
        notes: 'hello',
        strength: 'raw',
        legacy: {
          id: 17,
          totalPredictions: 5,
          modelArtifactPath: 'models/ridge_x.joblib',
          createdAt: '2023-09-01 08:00:00',
        },
        tickets: [
          {
            id: res.predictionIds[0],
            position: 0,
            whites: [1, 2, 30, 40, 69],
            powerball: 26,
            probability: 0.25,
            contributions: { ml: 1 },
            legacy: legacyTicket,
          },
        ],
      });
    });

    it('makes a new set current and the previous set of that source not current, in one step', () => {
      const a = store.predictions.storePredictions(setRequest({ source: 'frequency' }));
      const other = store.predictions.storePredictions(setRequest({ source: 'recency' }));
      const b = store.predictions.storePredictions(
        setRequest({ source: 'frequency', createdAt: '2026-01-02T11:00:00Z' }),
      );
      expect(store.predictions.getSet(a.setId).isCurrent).toBe(false);
      expect(store.predictions.currentSet('frequency')?.setId).toBe(b.setId);
      expect(store.predictions.currentSet('recency')?.setId).toBe(other.setId);
      // A set stored as not current leaves the current one alone (e.g. an old migrated set).
      store.predictions.storePredictions(setRequest({ source: 'frequency', current: false }));
      expect(store.predictions.currentSet('frequency')?.setId).toBe(b.setId);
      expect(store.predictions.currentSet('nobody')).toBeNull();
      expect(store.check().ok).toBe(true);
    });

    it('generates distinct set ids', () => {
      const ids = new Set<string>();
      for (let i = 0; i < 50; i++) ids.add(store.predictions.storePredictions(setRequest()).setId);
      expect(ids.size).toBe(50);
      for (const id of ids) expect(id).toMatch(/^set_20260102T100000000Z_[0-9a-z]+$/);
    });

    it('finds predictions and sets by source, current, created-at range, target date and set, paged', () => {
      const ids: string[] = [];
      for (let i = 0; i < 6; i++)
        ids.push(
          store.predictions.storePredictions(
            setRequest(
              {
                source: i % 2 ? 'ml' : 'weighted',
                createdAt: `2026-01-0${i + 1}T12:00:00Z`,
                targetDrawDate: (i < 3 ? '2026-01-07' : '2026-01-10') as IsoDate,
              },
              2,
            ),
          ).setId,
        );
      const ml = store.predictions.findPredictions({ source: 'ml' });
      expect(ml.items.map((p) => p.setId)).toEqual([ids[5], ids[5], ids[3], ids[3], ids[1], ids[1]]);
      expect(ml.items.map((p) => p.position)).toEqual([0, 1, 0, 1, 0, 1]);
      expect(ml.hasMore).toBe(false);
      const page = store.predictions.findPredictions({ source: 'ml', limit: 4 });
      expect(page.items).toHaveLength(4);
      expect(page.hasMore).toBe(true);
      const next = store.predictions.findPredictions({ source: 'ml', limit: 4, offset: 4 });
      expect(next.items.map((p) => p.setId)).toEqual([ids[1], ids[1]]);
      expect(next.hasMore).toBe(false);
      const ranged = store.predictions.findSets({
        createdFrom: '2026-01-02',
        createdTo: '2026-01-04T12:00:00Z',
      });
      expect(ranged.items.map((s) => s.setId)).toEqual([ids[2], ids[1]]);
      expect(store.predictions.findSets({ currentOnly: true }).items.map((s) => s.setId)).toEqual([
        ids[5],
        ids[4],
      ]);
      expect(
        store.predictions.findSets({ targetDrawDate: '2026-01-07' as IsoDate }).items.map((s) => s.setId),
      ).toEqual([ids[2], ids[1], ids[0]]);
      expect(store.predictions.findPredictions({ setId: ids[0] }).items).toHaveLength(2);
      const p = store.predictions.findPredictions({ setId: ids[0] }).items[0];
      expect(p).toMatchObject({ source: 'weighted', targetDrawDate: '2026-01-07', isCurrent: false });
      expectRejected(() => store.predictions.findSets({ limit: 0 }), 'INVALID_INPUT', 'limit');
      expectRejected(
        () => store.predictions.findSets({ createdFrom: 'soon' }),
        'INVALID_INPUT',
        'createdFrom',
      );
    });

    it('checks tickets against the era of the target draw date', () => {
      // 1995: whites 1–45, Powerball 1–45. Powerball 40 is fine then, not today.
      const old = store.predictions.storePredictions(
        setRequest({
          targetDrawDate: '1995-06-07' as IsoDate,
          tickets: [{ whites: [1, 2, 3, 4, 45], powerball: 40, probability: 0 }],
        }),
      );
      expect(store.predictions.getSet(old.setId).tickets[0]?.powerball).toBe(40);
      expectRejected(
        () =>
          store.predictions.storePredictions(
            setRequest({ tickets: [{ whites: [1, 2, 3, 4, 45], powerball: 40, probability: 0 }] }),
          ),
        'INVALID_NUMBERS',
        'tickets[0].powerball',
      );
      expectRejected(
        () =>
          store.predictions.storePredictions(
            setRequest({
              targetDrawDate: '1995-06-07' as IsoDate,
              tickets: [ticket(0), { whites: [1, 2, 3, 4, 46], powerball: 1, probability: 0 }],
            }),
          ),
        'INVALID_NUMBERS',
        'tickets[1].whites[4]',
      );
    });

    it('rejects an unknown set id reference and a duplicate set id', () => {
      expect(() => store.predictions.getSet('nope')).toThrow(
        expect.objectContaining({ code: 'NOT_FOUND' }) as Error,
      );
      store.predictions.storePredictions(setRequest({ setId: 'dup' }));
      expectRejected(
        () => store.predictions.storePredictions(setRequest({ setId: 'dup' })),
        'CONFLICT',
        'setId',
      );
      expectRejected(
        () => store.predictions.storePredictions(setRequest({ model: { name: 'ridge', version: 1 } })),
        'INVALID_INPUT',
        'model',
      );
    });
  });

  describe('scores', () => {
    it('stores scores once per prediction and draw, and lists what is left to score', () => {
      store.draws.apply({
        insert: [draw('2026-01-03', [1, 9, 20, 30, 40], 2), draw('2026-01-07', [3, 4, 5, 6, 7], 8)],
        update: [],
        source: 'test',
        at: '2026-01-08T00:00:00Z',
      });
      const a = store.predictions.storePredictions(setRequest({ source: 'a' }, 2));
      const b = store.predictions.storePredictions(
        setRequest({ source: 'b', targetDrawDate: '2026-01-07' as IsoDate }, 1),
      );
      store.predictions.storePredictions(
        setRequest({ source: 'c', targetDrawDate: '2026-01-10' as IsoDate }, 1),
      );
      expect(store.scores.unscoredPredictions('2026-01-05' as IsoDate).map((p) => p.id)).toEqual(
        a.predictionIds,
      );
      expect(store.scores.unscoredPredictions('2026-01-31' as IsoDate).map((p) => p.id)).toEqual([
        ...a.predictionIds,
        ...b.predictionIds,
      ]);
      const score = {
        predictionId: a.predictionIds[0] as number,
        drawDate: '2026-01-03' as IsoDate,
        whiteMatches: 1,
        powerballMatch: true,
        tier: '1+PB' as const,
        amount: 4,
        scoredAt: '2026-01-08T00:00:00Z',
      };
      expect(store.scores.storeScores([score])).toEqual({ inserted: 1, unchanged: 0 });
      expect(
        store.scores.storeScores([
          score,
          {
            ...score,
            predictionId: a.predictionIds[1] as number,
            tier: null,
            amount: 0,
            powerballMatch: false,
          },
        ]),
      ).toEqual({
        inserted: 1,
        unchanged: 1,
      });
      expect(store.scores.unscoredPredictions('2026-01-31' as IsoDate).map((p) => p.id)).toEqual(
        b.predictionIds,
      );
      const listed = store.scores.listScores({ source: 'a' });
      expect(listed).toHaveLength(2);
      expect(listed[0]).toMatchObject({
        setId: a.setId,
        source: 'a',
        tier: '1+PB',
        amount: 4,
        powerballMatch: true,
      });
      expectRejected(
        () => store.scores.storeScores([{ ...score, whiteMatches: 6 }]),
        'INVALID_INPUT',
        'scores[0].whiteMatches',
      );
      expectRejected(
        () => store.scores.storeScores([{ ...score, predictionId: 99_999 }]),
        'NOT_FOUND',
        'scores[0].predictionId',
      );
    });
  });

  describe('strategy weights', () => {
    it('records weights once per reason and draw, and returns the latest and the history', () => {
      expect(store.weights.latestWeights()).toBeNull();
      const initial = {
        at: '2026-01-01T00:00:00Z',
        drawDate: null,
        weights: { frequency: 0.5, ml: 0.5 },
        reason: 'initial',
      };
      expect(store.weights.recordWeights(initial).recorded).toBe(true);
      expect(store.weights.recordWeights(initial).recorded).toBe(false);
      const after = {
        at: '2026-01-04T00:00:00Z',
        drawDate: '2026-01-03' as IsoDate,
        weights: { frequency: 0.6, ml: 0.4 },
        reason: 'evaluation',
        scores: { frequency: -1.2, ml: -1.5 },
      };
      const first = store.weights.recordWeights(after);
      const again = store.weights.recordWeights({ ...after, at: '2026-01-05T00:00:00Z' });
      expect(again).toEqual({ recorded: false, record: first.record });
      expect(store.weights.latestWeights()).toMatchObject({
        weights: { frequency: 0.6, ml: 0.4 },
        drawDate: '2026-01-03',
      });
      expect(store.weights.weightHistory().map((w) => w.reason)).toEqual(['initial', 'evaluation']);
      expectRejected(
        () => store.weights.recordWeights({ ...after, weights: { frequency: -1 } }),
        'INVALID_INPUT',
        'weights.frequency',
      );
    });
  });

  describe('migration ledger', () => {
    it('records runs, legacy keys (idempotent) and legacy feedback', () => {
      const run = store.migrations.startMigrationRun({
        sourceDir: '/legacy',
        startedAt: '2026-01-01T00:00:00Z',
        dryRun: false,
      });
      expect(run.status).toBe('running');
      const rec = {
        source: 'model_predictions.db:prediction_sets',
        legacyKey: '7',
        kind: 'prediction-set',
        targetId: 'ridge_1',
        checksum: 'abc',
        runId: run.id,
      };
      store.migrations.recordLegacy([rec], '2026-01-01T00:00:01Z');
      store.migrations.recordLegacy([rec], '2026-01-01T00:00:02Z');
      expect(store.migrations.findLegacyRecord(rec.source, '7')).toMatchObject({
        targetId: 'ridge_1',
        migratedAt: '2026-01-01T00:00:01.000Z',
      });
      expect(store.migrations.legacyRecords(rec.source).size).toBe(1);
      expectRejected(
        () => store.migrations.recordLegacy([{ ...rec, targetId: 'other' }], '2026-01-01T00:00:03Z'),
        'CONFLICT',
        'records[0].legacyKey',
      );
      const ids = store.migrations.storeLegacyFeedback([
        {
          kind: 'feedback',
          recordedAt: '2023-03-01T00:00:00Z',
          drawDate: '2023-03-01',
          predictionId: null,
          strategy: 'combo',
          payload: { adjustment: 0.01 },
        },
      ]);
      expect(store.migrations.listLegacyFeedback('feedback')).toEqual([
        {
          id: ids[0],
          kind: 'feedback',
          recordedAt: '2023-03-01T00:00:00Z',
          drawDate: '2023-03-01',
          predictionId: null,
          strategy: 'combo',
          payload: { adjustment: 0.01 },
        },
      ]);
      const done = store.migrations.finishMigrationRun(run.id, {
        finishedAt: '2026-01-01T00:01:00Z',
        status: 'completed',
        report: { sets: 1 },
      });
      expect(done).toMatchObject({ status: 'completed', report: { sets: 1 }, dryRun: false });
      expect(store.migrations.listMigrationRuns()).toHaveLength(1);
    });

    it('commits a set and its ledger entry together, or neither', () => {
      expect(() =>
        store.transaction(() => {
          const { setId } = store.predictions.storePredictions(setRequest());
          store.migrations.recordLegacy(
            [{ source: 's', legacyKey: 'k', kind: 'set', targetId: setId, checksum: 'c' }],
            'bad time',
          );
        }),
      ).toThrow(PbiError);
      expect(store.predictions.counts()).toEqual({ sets: 0, predictions: 0 });
      store.transaction(() => {
        const { setId } = store.predictions.storePredictions(setRequest());
        store.migrations.recordLegacy(
          [{ source: 's', legacyKey: 'k', kind: 'set', targetId: setId, checksum: 'c' }],
          '2026-01-01T00:00:00Z',
        );
      });
      expect(store.predictions.counts().sets).toBe(1);
      expect(store.migrations.findLegacyRecord('s', 'k')).not.toBeNull();
    });
  });
}
