/**
 * Every invalid request is rejected with a typed error naming the field, and the database content
 * is unchanged (every table's checksum before = after). Requests come from JavaScript callers and
 * HTTP bodies too, so wrong types are exercised, not only wrong values.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.js';
import type { Store } from '../../src/store/store.js';
import { openStore } from '../../src/store/store.js';
import { setRequest, tableChecksums, ticket, versionRequest } from './helpers.js';
import { expectRejected } from './store-conformance.js';
import { makeTestDb } from '../support/test-db.js';

type Case = readonly [name: string, run: (s: Store) => unknown, code: string, where: string];

const bad = (o: Record<string, unknown>) => setRequest(o as never);
/** Three tickets, the third with `o` applied. */
const badTicket = (o: Record<string, unknown>) =>
  setRequest({ tickets: [ticket(0), ticket(1), { ...ticket(2), ...o } as never] });

const CASES: Case[] = [
  // prediction sets
  ['no tickets', (s) => s.predictions.storePredictions(bad({ tickets: [] })), 'INVALID_INPUT', 'tickets'],
  [
    'tickets not an array',
    (s) => s.predictions.storePredictions(bad({ tickets: 'x' })),
    'INVALID_INPUT',
    'tickets',
  ],
  [
    'ticket not an object',
    (s) => s.predictions.storePredictions(bad({ tickets: [ticket(0), 7] })),
    'INVALID_INPUT',
    'tickets[1]',
  ],
  [
    'four whites',
    (s) => s.predictions.storePredictions(badTicket({ whites: [1, 2, 3, 4] })),
    'INVALID_NUMBERS',
    'tickets[2].whites',
  ],
  [
    'six whites',
    (s) => s.predictions.storePredictions(badTicket({ whites: [1, 2, 3, 4, 5, 6] })),
    'INVALID_NUMBERS',
    'tickets[2].whites',
  ],
  [
    'white 0',
    (s) => s.predictions.storePredictions(badTicket({ whites: [0, 2, 3, 4, 5] })),
    'INVALID_NUMBERS',
    'tickets[2].whites[0]',
  ],
  [
    'white 70',
    (s) => s.predictions.storePredictions(badTicket({ whites: [1, 2, 3, 4, 70] })),
    'INVALID_NUMBERS',
    'tickets[2].whites[4]',
  ],
  [
    'white 2.5',
    (s) => s.predictions.storePredictions(badTicket({ whites: [1, 2.5, 3, 4, 5] })),
    'INVALID_NUMBERS',
    'tickets[2].whites[1]',
  ],
  [
    'white "3"',
    (s) => s.predictions.storePredictions(badTicket({ whites: [1, 2, '3', 4, 5] })),
    'INVALID_NUMBERS',
    'tickets[2].whites[2]',
  ],
  [
    'duplicate white',
    (s) => s.predictions.storePredictions(badTicket({ whites: [1, 2, 3, 3, 5] })),
    'INVALID_NUMBERS',
    'tickets[2].whites',
  ],
  [
    'Powerball 27',
    (s) => s.predictions.storePredictions(badTicket({ powerball: 27 })),
    'INVALID_NUMBERS',
    'tickets[2].powerball',
  ],
  [
    'Powerball 0',
    (s) => s.predictions.storePredictions(badTicket({ powerball: 0 })),
    'INVALID_NUMBERS',
    'tickets[2].powerball',
  ],
  [
    'Powerball missing',
    (s) => s.predictions.storePredictions(badTicket({ powerball: undefined })),
    'INVALID_NUMBERS',
    'tickets[2].powerball',
  ],
  [
    'probability 1.5',
    (s) => s.predictions.storePredictions(badTicket({ probability: 1.5 })),
    'INVALID_INPUT',
    'tickets[2].probability',
  ],
  [
    'probability -0.1',
    (s) => s.predictions.storePredictions(badTicket({ probability: -0.1 })),
    'INVALID_INPUT',
    'tickets[2].probability',
  ],
  [
    'probability NaN',
    (s) => s.predictions.storePredictions(badTicket({ probability: Number.NaN })),
    'INVALID_INPUT',
    'tickets[2].probability',
  ],
  [
    'probability text',
    (s) => s.predictions.storePredictions(badTicket({ probability: '0.1' })),
    'INVALID_INPUT',
    'tickets[2].probability',
  ],
  [
    'contribution Infinity',
    (s) => s.predictions.storePredictions(badTicket({ contributions: { ml: Infinity } })),
    'INVALID_INPUT',
    'tickets[2].contributions.ml',
  ],
  [
    'contributions array',
    (s) => s.predictions.storePredictions(badTicket({ contributions: [1] })),
    'INVALID_INPUT',
    'tickets[2].contributions',
  ],
  [
    'legacy features with a cycle',
    (s) => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      return s.predictions.storePredictions(badTicket({ legacy: { featuresUsed: cyclic } }));
    },
    'INVALID_INPUT',
    'tickets[2].legacy.featuresUsed.self',
  ],
  [
    'legacy metrics with a Date',
    (s) => s.predictions.storePredictions(badTicket({ legacy: { performanceMetrics: { at: new Date() } } })),
    'INVALID_INPUT',
    'tickets[2].legacy.performanceMetrics.at',
  ],
  [
    'legacy isActive text',
    (s) => s.predictions.storePredictions(badTicket({ legacy: { isActive: 'TRUE' } })),
    'INVALID_INPUT',
    'tickets[2].legacy.isActive',
  ],
  [
    'old era numbers for a current draw',
    (s) =>
      s.predictions.storePredictions(
        setRequest({ tickets: [{ whites: [1, 2, 3, 4, 5], powerball: 30, probability: 0 }] }),
      ),
    'INVALID_NUMBERS',
    'tickets[0].powerball',
  ],
  [
    'current numbers for a 2010 draw',
    (s) =>
      s.predictions.storePredictions(
        setRequest({
          targetDrawDate: '2010-06-05' as IsoDate,
          tickets: [{ whites: [1, 2, 3, 4, 65], powerball: 3, probability: 0 }],
        }),
      ),
    'INVALID_NUMBERS',
    'tickets[0].whites[4]',
  ],
  [
    'target date not a date',
    (s) => s.predictions.storePredictions(bad({ targetDrawDate: '2026-02-30' })),
    'INVALID_INPUT',
    'targetDrawDate',
  ],
  [
    'target date not a draw day',
    (s) => s.predictions.storePredictions(bad({ targetDrawDate: '2026-01-01' })),
    'INVALID_INPUT',
    'targetDrawDate',
  ],
  [
    'target date before 1992',
    (s) => s.predictions.storePredictions(bad({ targetDrawDate: '1990-01-03' })),
    'INVALID_INPUT',
    'targetDrawDate',
  ],
  [
    'createdAt without zone',
    (s) => s.predictions.storePredictions(bad({ createdAt: '2026-01-02 10:00:00' })),
    'INVALID_INPUT',
    'createdAt',
  ],
  ['source empty', (s) => s.predictions.storePredictions(bad({ source: '' })), 'INVALID_INPUT', 'source'],
  [
    'source with spaces',
    (s) => s.predictions.storePredictions(bad({ source: 'my model' })),
    'INVALID_INPUT',
    'source',
  ],
  ['seed 1.5', (s) => s.predictions.storePredictions(bad({ seed: 1.5 })), 'INVALID_INPUT', 'seed'],
  ['seed missing', (s) => s.predictions.storePredictions(bad({ seed: undefined })), 'INVALID_INPUT', 'seed'],
  [
    'weight negative',
    (s) => s.predictions.storePredictions(bad({ weights: { ml: -0.1 } })),
    'INVALID_INPUT',
    'weights.ml',
  ],
  [
    'weights missing',
    (s) => s.predictions.storePredictions(bad({ weights: undefined })),
    'INVALID_INPUT',
    'weights',
  ],
  [
    'strength unknown',
    (s) => s.predictions.storePredictions(bad({ strength: 'max' })),
    'INVALID_INPUT',
    'strength',
  ],
  [
    'strength above 1',
    (s) => s.predictions.storePredictions(bad({ strength: '1.5' })),
    'INVALID_INPUT',
    'strength',
  ],
  [
    'strength a number',
    (s) => s.predictions.storePredictions(bad({ strength: 0.5 })),
    'INVALID_INPUT',
    'strength',
  ],
  [
    'training duration negative',
    (s) => s.predictions.storePredictions(bad({ trainingDurationMs: -1 })),
    'INVALID_INPUT',
    'trainingDurationMs',
  ],
  [
    'set id with spaces',
    (s) => s.predictions.storePredictions(bad({ setId: 'a b' })),
    'INVALID_INPUT',
    'setId',
  ],
  [
    'set id taken',
    (s) => s.predictions.storePredictions(bad({ setId: 'existing-set' })),
    'CONFLICT',
    'setId',
  ],
  [
    'unknown model version',
    (s) => s.predictions.storePredictions(bad({ model: { name: 'ridge', version: 99 } })),
    'INVALID_INPUT',
    'model',
  ],
  [
    'model version 0',
    (s) => s.predictions.storePredictions(bad({ model: { name: 'ridge', version: 0 } })),
    'INVALID_INPUT',
    'model.version',
  ],
  [
    'current not boolean',
    (s) => s.predictions.storePredictions(bad({ current: 'yes' })),
    'INVALID_INPUT',
    'current',
  ],
  [
    'legacy extra not an object',
    (s) => s.predictions.storePredictions(bad({ legacy: { extra: [1] } })),
    'INVALID_INPUT',
    'legacy.extra',
  ],
  ['request null', (s) => s.predictions.storePredictions(null as never), 'INVALID_INPUT', 'request'],
  // model registry
  [
    'model name with @',
    (s) => s.models.registerModelVersion(versionRequest({ name: 'ridge@2' })),
    'INVALID_INPUT',
    'name',
  ],
  ['kind empty', (s) => s.models.registerModelVersion(versionRequest({ kind: '' })), 'INVALID_INPUT', 'kind'],
  [
    'hyperparameters array',
    (s) => s.models.registerModelVersion(versionRequest({ hyperparameters: [] as never })),
    'INVALID_INPUT',
    'hyperparameters',
  ],
  [
    'hyperparameter NaN',
    (s) => s.models.registerModelVersion(versionRequest({ hyperparameters: { a: { b: Number.NaN } } })),
    'INVALID_INPUT',
    'hyperparameters.a.b',
  ],
  [
    'feature name number',
    (s) => s.models.registerModelVersion(versionRequest({ featureNames: ['a', 3 as never] })),
    'INVALID_INPUT',
    'featureNames[1]',
  ],
  [
    'fold number negative',
    (s) => s.models.registerModelVersion(versionRequest({ folds: [{ fold: -1, metrics: {} }] })),
    'INVALID_INPUT',
    'folds[0].fold',
  ],
  [
    'baseline metric text',
    (s) =>
      s.models.registerModelVersion(
        versionRequest({ folds: [{ fold: 0, metrics: {}, baselines: { mean: { mae: '1' as never } } }] }),
      ),
    'INVALID_INPUT',
    'folds[0].baselines.mean.mae',
  ],
  [
    'artifact not bytes',
    (s) => s.models.registerModelVersion(versionRequest({ artifact: [1, 2] as never })),
    'INVALID_INPUT',
    'artifact',
  ],
  [
    'source unknown',
    (s) => s.models.registerModelVersion(versionRequest({ source: 'copied' as never })),
    'INVALID_INPUT',
    'source',
  ],
  [
    'seed text',
    (s) => s.models.registerModelVersion(versionRequest({ seed: '7' as never })),
    'INVALID_INPUT',
    'seed',
  ],
  [
    'training rows negative',
    (s) => s.models.registerModelVersion(versionRequest({ trainingData: { rows: -1 } })),
    'INVALID_INPUT',
    'trainingData.rows',
  ],
  ['activate unknown version', (s) => s.models.activate('ridge', 0), 'INVALID_INPUT', 'version'],
  ['prune keep negative', (s) => s.models.prune({ keep: -1 }), 'INVALID_INPUT', 'keep'],
  // scores, weights, ledger
  [
    'score white matches 6',
    (s) =>
      s.scores.storeScores([
        {
          predictionId: 1,
          drawDate: '2026-01-03' as IsoDate,
          whiteMatches: 6,
          powerballMatch: false,
          tier: null,
          amount: 0,
          scoredAt: '2026-01-04T00:00:00Z',
        },
      ]),
    'INVALID_INPUT',
    'scores[0].whiteMatches',
  ],
  [
    'score unknown tier',
    (s) =>
      s.scores.storeScores([
        {
          predictionId: 1,
          drawDate: '2026-01-03' as IsoDate,
          whiteMatches: 1,
          powerballMatch: true,
          tier: '1' as never,
          amount: 0,
          scoredAt: '2026-01-04T00:00:00Z',
        },
      ]),
    'INVALID_INPUT',
    'scores[0].tier',
  ],
  [
    'score for no prediction, after a good one',
    (s) =>
      s.scores.storeScores([
        {
          predictionId: 2,
          drawDate: '2026-01-03' as IsoDate,
          whiteMatches: 0,
          powerballMatch: false,
          tier: null,
          amount: 0,
          scoredAt: '2026-01-04T00:00:00Z',
        },
        {
          predictionId: 999_999,
          drawDate: '2026-01-03' as IsoDate,
          whiteMatches: 0,
          powerballMatch: false,
          tier: null,
          amount: 0,
          scoredAt: '2026-01-04T00:00:00Z',
        },
      ]),
    'NOT_FOUND',
    'scores[1].predictionId',
  ],
  [
    'weights empty',
    (s) => s.weights.recordWeights({ at: '2026-01-04T00:00:00Z', drawDate: null, weights: {}, reason: 'x' }),
    'INVALID_INPUT',
    'weights',
  ],
  [
    'weights reason empty',
    (s) =>
      s.weights.recordWeights({ at: '2026-01-04T00:00:00Z', drawDate: null, weights: { ml: 1 }, reason: '' }),
    'INVALID_INPUT',
    'reason',
  ],
  [
    'ledger key moved to another target',
    (s) =>
      s.migrations.recordLegacy(
        [
          { source: 'legacy', legacyKey: 'new-key', kind: 'set', targetId: 'x', checksum: 'c' },
          { source: 'legacy', legacyKey: 'k1', kind: 'set', targetId: 'elsewhere', checksum: 'c' },
        ],
        '2026-01-04T00:00:00Z',
      ),
    'CONFLICT',
    'records[1].legacyKey',
  ],
  [
    'feedback payload with undefined',
    (s) =>
      s.migrations.storeLegacyFeedback([
        {
          kind: 'feedback',
          recordedAt: null,
          drawDate: null,
          predictionId: null,
          strategy: null,
          payload: { a: undefined } as never,
        },
      ]),
    'INVALID_INPUT',
    'records[0].payload.a',
  ],
  [
    'finish unknown status',
    (s) =>
      s.migrations.finishMigrationRun(1, {
        finishedAt: '2026-01-04T00:00:00Z',
        status: 'done' as never,
        report: {},
      }),
    'INVALID_INPUT',
    'status',
  ],
];

describe('invalid requests change nothing', () => {
  const t = makeTestDb();
  const file = path.join(t.dir, 'x.db');
  let store: Store;
  let before: Record<string, string>;

  beforeAll(() => {
    store = openStore(file);
    store.models.registerModelVersion(versionRequest());
    store.predictions.storePredictions(
      setRequest({ setId: 'existing-set', source: 'ridge', model: { name: 'ridge', version: 1 } }),
    );
    store.predictions.storePredictions(setRequest({ source: 'ridge' }, 2));
    store.weights.recordWeights({
      at: '2026-01-01T00:00:00Z',
      drawDate: null,
      weights: { ml: 1 },
      reason: 'initial',
    });
    store.migrations.recordLegacy(
      [{ source: 'legacy', legacyKey: 'k1', kind: 'set', targetId: 'existing-set', checksum: 'c' }],
      '2026-01-01T00:00:00Z',
    );
    store.migrations.startMigrationRun({
      sourceDir: '/legacy',
      startedAt: '2026-01-01T00:00:00Z',
      dryRun: false,
    });
    before = tableChecksums(file);
  });
  afterAll(() => {
    store.close();
    t.cleanup();
  });

  it.each(CASES)('%s', (_name, run, code, where) => {
    expectRejected(() => run(store), code, where);
    expect(tableChecksums(file)).toEqual(before);
  });

  it('a valid request after all of them does change the database (the checksums can see a change)', () => {
    store.predictions.storePredictions(setRequest());
    expect(tableChecksums(file)).not.toEqual(before);
  });
});
