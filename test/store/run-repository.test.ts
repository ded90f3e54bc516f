import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PbiError } from '../../src/domain/errors.js';
import { openStore, type Store } from '../../src/store/store.js';
import { makeTestDb } from '../support/test-db.js';

let dir: string;
let store: Store;
const T0 = '2026-01-01T00:00:00.000Z';
const digest = 'a'.repeat(64);

beforeEach(() => {
  dir = makeTestDb({ prefix: 'pbi-runs-' }).dir;
  store = openStore(path.join(dir, 'x.db'));
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function trial(experiment: string, model: string, mae: number, params: Record<string, number>) {
  return store.runs.record({
    experiment,
    kind: 'trial',
    modelName: model,
    params,
    seed: 7,
    dataDigest: digest,
    nDraws: 1000,
    features: ['f1', 'f2'],
    startedAt: T0,
    status: 'finished',
    endedAt: T0,
    durationMs: 12.5,
    metrics: [
      { key: 'fold_mae', step: 0, value: mae + 1, timestamp: T0 },
      { key: 'fold_mae', step: 1, value: mae - 1, timestamp: T0 },
      { key: 'mae', step: 0, value: mae, timestamp: T0 },
    ],
  });
}

describe('run tracking on a real database', () => {
  it('stores a run with params, tags, metric history, digest and survives reopening', () => {
    const id = store.runs.start({
      experiment: 'tune-gb',
      kind: 'trial',
      modelName: 'gradient_boosting',
      params: { learning_rate: 0.05, max_depth: 3, loss: 'squared_error' },
      tags: { search: 'random' },
      seed: 42,
      dataDigest: digest,
      nDraws: 3838,
      startedAt: T0,
    });
    expect(store.runs.require(id).status).toBe('running');
    store.runs.logMetrics(id, [{ key: 'fold_mae', step: 0, value: 10, timestamp: T0 }]);
    store.runs.logMetrics(id, [{ key: 'fold_mae', step: 1, value: 8, timestamp: T0 }]);
    store.runs.finish(id, {
      status: 'finished',
      endedAt: '2026-01-01T00:00:05.000Z',
      durationMs: 5000,
      features: ['a', 'b'],
      metrics: [{ key: 'mae', step: 0, value: 9, timestamp: T0 }],
      modelVersion: 3,
    });
    store.close();
    store = openStore(path.join(dir, 'x.db'));
    const run = store.runs.require(id);
    expect(run).toMatchObject({
      experiment: 'tune-gb',
      status: 'finished',
      seed: 42,
      dataDigest: digest,
      nDraws: 3838,
      features: ['a', 'b'],
      durationMs: 5000,
      modelVersion: 3,
      params: { learning_rate: 0.05, max_depth: 3, loss: 'squared_error' },
      tags: { search: 'random' },
      metrics: { fold_mae: 8, mae: 9 },
    });
    expect(store.runs.history(id, 'fold_mae').map((p) => [p.step, p.value])).toEqual([
      [0, 10],
      [1, 8],
    ]);
    expect(store.runs.experiment('tune-gb')?.runCount).toBe(1);
    expect(store.check().ok).toBe(true);
  });

  it('records a failure with its error and refuses to finish a run twice', () => {
    const id = store.runs.start({ experiment: 'e', kind: 'trial', modelName: 'ridge', startedAt: T0 });
    expect(() => store.runs.finish(id, { status: 'failed', endedAt: T0, durationMs: 1 })).toThrow(
      /error message/,
    );
    store.runs.finish(id, { status: 'failed', endedAt: T0, durationMs: 1, error: 'singular matrix' });
    expect(store.runs.require(id)).toMatchObject({ status: 'failed', error: 'singular matrix' });
    expect(() => store.runs.finish(id, { status: 'finished', endedAt: T0, durationMs: 1 })).toThrow(
      /already failed/,
    );
  });

  it('filters by experiment, model and metric threshold, orders by a metric, pages', () => {
    const a = trial('exp-a', 'ridge', 5, { alpha: 1 });
    const b = trial('exp-a', 'ridge', 3, { alpha: 10 });
    const c = trial('exp-a', 'random_forest', 4, { max_depth: 4 });
    const d = trial('exp-b', 'ridge', 2, { alpha: 0.1 });
    expect(store.runs.search({ experiment: 'exp-a' }).runs.map((r) => r.id)).toEqual([c, b, a]);
    expect(store.runs.search({ modelName: 'ridge' }).runs.map((r) => r.id)).toEqual([d, b, a]);
    expect(
      store.runs
        .search({ orderBy: { metric: 'mae' }, metricFilters: [{ key: 'mae', op: '<', value: 4.5 }] })
        .runs.map((r) => r.id),
    ).toEqual([d, b, c]);
    expect(store.runs.search({ orderBy: { metric: 'mae', descending: true } }).runs[0]?.id).toBe(a);
    const page1 = store.runs.search({ orderBy: { metric: 'mae' }, limit: 3 });
    expect(page1.nextOffset).toBe(3);
    const page2 = store.runs.search({ orderBy: { metric: 'mae' }, limit: 3, offset: 3 });
    expect(page2.runs.map((r) => r.id)).toEqual([a]);
    expect(page2.nextOffset).toBeNull();
  });

  it('rejects bad names and unknown runs with typed errors', () => {
    expect(() => store.runs.require(999)).toThrow(PbiError);
    try {
      store.runs.require(999);
    } catch (e) {
      expect((e as PbiError).code).toBe('NOT_FOUND');
    }
    expect(() => store.runs.search({ orderBy: { metric: 'mae; DROP TABLE runs' } })).toThrow(/metric name/);
    expect(() =>
      store.runs.start({ experiment: ' ', kind: 'train', modelName: 'ridge', startedAt: T0 }),
    ).toThrow(/experiment name/);
    expect(() => store.runs.logMetrics(12345, [{ key: 'mae', step: 0, value: 1, timestamp: T0 }])).toThrow(
      /no run with id 12345/,
    );
  });

  it('stores a non-finite metric as null instead of corrupting JSON', () => {
    const id = trial('e', 'ridge', Number.NaN, {});
    expect(store.runs.require(id).metrics.mae).toBeNull();
  });
});

describe('alias history', () => {
  it('records every move, keeps current and log in step, finds the rollback target', () => {
    expect(store.aliases.set('ridge', 'champion', 1, '2026-01-01T00:00:00Z')).not.toBeNull();
    store.aliases.set('ridge', 'challenger', 2, '2026-01-02T00:00:00Z');
    store.aliases.set('ridge', 'champion', 2, '2026-01-03T00:00:00Z');
    expect(store.aliases.set('ridge', 'champion', 2, '2026-01-04T00:00:00Z')).toBeNull();
    store.aliases.remove('ridge', 'challenger', '2026-01-05T00:00:00Z');

    expect(store.aliases.list('ridge').map((a) => [a.alias, a.version])).toEqual([['champion', 2]]);
    const events = store.aliases.history('ridge');
    expect(events.map((e) => [e.alias, e.previousVersion, e.version])).toEqual([
      ['champion', null, 1],
      ['challenger', null, 2],
      ['champion', 1, 2],
      ['challenger', 2, null],
    ]);
    expect(store.aliases.previous('ridge', 'champion')).toBe(1);
    expect(store.check()).toEqual({ ok: true, problems: [] });
  });

  it('rejects malformed alias names and removing an alias that does not exist', () => {
    expect(() => store.aliases.set('ridge', 'Champion!', 1, T0)).toThrow(/alias "Champion!"/);
    expect(() => store.aliases.remove('ridge', 'nope', T0)).toThrow(/no alias "nope"/);
    expect(() => store.aliases.set('ridge', 'active', 1, T0)).toThrow(/models activate/);
  });
});
