/**
 * The use cases that go through the other services, end to end over the API on a real database:
 * train (a job), the registry, run a model, predict, list, evaluate, backtest (a job).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { createApp } from '../../src/interfaces/http/app.js';
import { MLPredictionService } from '../../src/services/ml-prediction-service.js';
import { fixedClock, makeTestDb, makeTestService, type TestService } from '../support/test-db.js';
import { switchableTaskRunner } from '../support/test-server.js';

type Json = Record<string, unknown>;

/**
 * While `jobRunner.inThread.on` is on, API jobs run in this thread instead of a worker: a trained ridge
 * that is only a test's starting point does not pay a worker's TypeScript loading (several seconds
 * of CPU, more than the training). The jobs a test is about still run in workers.
 */
const jobRunner = switchableTaskRunner();

async function expectError(res: Response, code: keyof typeof ERROR_CODES) {
  const body = (await res.json()) as {
    error: { code: string; message: string; issues: { where: string; reason: string }[] };
  };
  expect(body.error.code).toBe(code);
  expect(res.status).toBe(ERROR_CODES[code].http);
  return body.error;
}

describe('train, registry, predict, evaluate, backtest over the API', () => {
  let t: TestService;
  let app: ReturnType<typeof createApp>['app'];
  let jobs: ReturnType<typeof createApp>['jobs'];
  const post = (path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const get = async (path: string) => (await app.request(path)).json() as Promise<Json>;
  const STATISTICAL = ['frequency', 'recency', 'trends', 'combo', 'sum', 'dow'];
  const strategyNames = async () =>
    ((await get('/api/strategies')) as { strategies: { name: string }[] }).strategies.map((s) => s.name);
  /**
   * Trains ridge through the API (a job, in this thread: see `jobRunner`) and waits for it: each test
   * sets up what it needs.
   */
  const trainRidge = async (body: Json = { folds: 2 }) => {
    jobRunner.inThread.on = true;
    try {
      const done = await jobs.wait(
        ((await (await post('/api/train', { model: 'ridge', ...body })).json()) as { id: string }).id,
      );
      expect(done.status).toBe('succeeded');
    } finally {
      jobRunner.inThread.on = false;
    }
  };

  // A fresh database per test: every test passes alone and in any order.
  beforeEach(() => {
    t = makeTestService();
    ({ app, jobs } = createApp({ service: t.service, staticDir: null, runTask: jobRunner.runTask }));
  });
  afterEach(async () => {
    await jobs.idle();
    t.cleanup();
  });

  /**
   * The tests that need a trained ridge to start from copy one database, trained once through the
   * API ({ folds: 2, activate: true }, so ridge@1 is active), instead of each training it again:
   * a training is most of such a test's time. Built on first use, so each test still passes alone.
   */
  let activeRidgeTemplate: Promise<{ dir: string; file: string }> | null = null;
  afterAll(async () => {
    if (activeRidgeTemplate) fs.rmSync((await activeRidgeTemplate).dir, { recursive: true, force: true });
  });
  const startWithActiveRidge = async () => {
    activeRidgeTemplate ??= (async () => {
      await trainRidge({ folds: 2, activate: true });
      await jobs.idle();
      // A consistent one-file copy while the service still has the database open (WAL and all).
      const built = makeTestDb({ prefix: 'pbi-flows-template-' });
      const source = new Database(t.dbPath, { readonly: true });
      try {
        source.prepare('VACUUM INTO ?').run(built.dbPath);
      } finally {
        source.close();
      }
      return { dir: built.dir, file: built.dbPath };
    })();
    const { file } = await activeRidgeTemplate;
    await jobs.idle();
    t.cleanup();
    const db = makeTestDb();
    fs.copyFileSync(file, db.dbPath);
    const service = MLPredictionService.open(db.config, fixedClock);
    t = {
      ...db,
      service,
      cleanup() {
        service.close();
        db.cleanup();
      },
    };
    ({ app, jobs } = createApp({ service: t.service, staticDir: null, runTask: jobRunner.runTask }));
  };

  it('rejects a bad training request at once, with field errors', async () => {
    const e1 = await expectError(await post('/api/train', { model: 'svm', folds: 1 }), 'INVALID_INPUT');
    expect(e1.issues.map((i) => i.where).sort()).toEqual(['body.folds', 'body.model']);
    const e2 = await expectError(
      await post('/api/train', { model: 'ridge', params: { depth_of_thought: 3 } }),
      'INVALID_INPUT',
    );
    expect(e2.message).toMatch(/depth_of_thought/);
    expect(e2.issues.map((i) => i.where)).toEqual(['body.params.depth_of_thought']);
    // Hyperparameters are decimal: "0x10" is refused by train and tune alike, naming the body field.
    const e3 = await expectError(
      await post('/api/train', { model: 'ridge', params: { alpha: '0x10' } }),
      'INVALID_INPUT',
    );
    expect(e3.issues.map((i) => i.where)).toEqual(['body.params.alpha']);
    expect(e3.message).toMatch(
      /body\.params\.alpha: alpha of ridge must be a number \(written in decimal\), got "0x10"/,
    );
    const e4 = await expectError(
      await post('/api/tune', {
        model: 'gradient_boosting',
        search: 'grid',
        params: { n_estimators: [50, '0x10'] },
      }),
      'INVALID_INPUT',
    );
    expect(e4.issues.map((i) => i.where)).toEqual(['body.params.n_estimators']);
    expect(e4.message).toMatch(/value "0x10": n_estimators of gradient_boosting must be a number/);
    expect(jobs.list()).toHaveLength(0);
  });

  it('trains as a job, then lists the new active version with its folds', async () => {
    const res = await post('/api/train', { model: 'ridge', folds: 3, seed: 7 });
    expect(res.status).toBe(202);
    const job = (await res.json()) as { id: string; status: string };
    expect(job.status).toBe('queued');
    const done = await jobs.wait(job.id);
    expect(done.status).toBe('succeeded');
    const polled = (await get(`/api/jobs/${job.id}`)) as {
      status: string;
      result: { models: { name: string; version: number }[] };
    };
    expect(polled.status).toBe('succeeded');
    // The legacy ridge does not beat the naive baselines: registered inactive, and the API says why.
    expect(polled.result.models).toEqual([
      expect.objectContaining({ name: 'ridge', version: 1, active: false }),
    ]);
    expect((polled.result.models[0] as unknown as { activation: string }).activation).toMatch(
      /^registered inactive: it does not beat the naive baselines/,
    );
    // A trained model that fails the naive baselines gives the ml strategy nothing: it stays out.
    expect(await strategyNames()).toEqual(STATISTICAL);
    const before = (await get('/api/models')) as {
      models: { activeVersion: number | null; activeVerdict: unknown }[];
    };
    expect(before.models[0]).toMatchObject({ activeVersion: null, activeVerdict: null });
    expect((await post('/api/models/ridge@1/activate')).status).toBe(200);

    const { models } = (await get('/api/models')) as {
      models: { name: string; activeVersion: number; activeVerdict: { beatsBaselines: boolean } }[];
    };
    expect(models).toEqual([expect.objectContaining({ name: 'ridge', activeVersion: 1 })]);
    expect(models[0]?.activeVerdict.beatsBaselines).toBe(false);
    const perf = (await get('/api/models/ridge/performance')) as {
      versions: {
        version: number;
        folds: unknown[];
        meanMetrics: { mae: number };
        meanBaselines: Record<string, { mae: number }>;
      }[];
    };
    expect(perf.versions[0]?.folds).toHaveLength(3);
    expect(perf.versions[0]?.meanMetrics.mae).toBeGreaterThan(0);
    expect(Object.keys(perf.versions[0]?.meanBaselines ?? {}).length).toBeGreaterThanOrEqual(2);
    const shown = (await get('/api/models/ridge@1')) as { kind: string; version: { seed: number } };
    expect(shown).toMatchObject({ kind: 'version', version: { seed: 7 } });
  });

  it('activates versions, refuses unknown ones, and prunes keeping the active one', async () => {
    await startWithActiveRidge(); // ridge@1, trained with { folds: 2, activate: true }
    await trainRidge();
    // Not better than the active version nor the baselines: version 2 stays inactive.
    expect(
      ((await get('/api/models')) as { models: { activeVersion: number }[] }).models[0]?.activeVersion,
    ).toBe(1);
    expect((await post('/api/models/ridge@2/activate')).status).toBe(200);
    expect(
      ((await get('/api/models')) as { models: { activeVersion: number }[] }).models[0]?.activeVersion,
    ).toBe(2);
    expect((await post('/api/models/ridge@1/activate')).status).toBe(200);
    expect(
      ((await get('/api/models')) as { models: { activeVersion: number }[] }).models[0]?.activeVersion,
    ).toBe(1);
    await expectError(await post('/api/models/ridge@9/activate'), 'NOT_FOUND');
    await expectError(await post('/api/models/ridge/activate'), 'INVALID_INPUT');
    await expectError(await app.request('/api/models/nothing'), 'NOT_FOUND');
    const pruned = (await (await post('/api/models/prune', { keep: 1, model: 'ridge' })).json()) as {
      deleted: { version: number }[];
      kept: { version: number }[];
    };
    expect(pruned.kept.map((k) => k.version)).toContain(1);
    await expectError(await post('/api/models/prune', { keep: 0 }), 'INVALID_INPUT');
  });

  it('lists the tracked training runs, shows and compares them, and computes feature importance as a job', async () => {
    // Forced active: no ridge beats the naive baselines, and importance runs on the active version.
    await startWithActiveRidge(); // ridge@1, trained with { folds: 2, activate: true }
    await trainRidge({ folds: 3, seed: 7, activate: true });
    const { experiments } = (await get('/api/experiments')) as { experiments: { name: string }[] };
    expect(experiments.length).toBeGreaterThanOrEqual(1);
    const page = (await get('/api/runs?model=ridge&orderBy=-mae')) as {
      runs: { id: number; modelName: string; metrics: Record<string, number> }[];
      nextOffset: number | null;
    };
    expect(page.runs.length).toBeGreaterThanOrEqual(2);
    expect(page.runs.every((r) => r.modelName === 'ridge')).toBe(true);
    const maes = page.runs.map((r) => r.metrics.mae ?? 0);
    expect([...maes].sort((a, b) => b - a)).toEqual(maes);
    const [a, b] = page.runs;
    const shown = (await get(`/api/runs/${a?.id}`)) as { run: { id: number } };
    expect(shown.run.id).toBe(a?.id);
    const compared = (await get(`/api/runs/compare?ids=${a?.id},${b?.id}`)) as {
      runs: unknown[];
      differingParams: string[];
    };
    expect(compared.runs).toHaveLength(2);
    await expectError(await app.request('/api/runs/compare?ids=1'), 'INVALID_INPUT');
    await expectError(await app.request('/api/runs/99999'), 'NOT_FOUND');
    await expectError(await app.request('/api/runs?where=mae~3'), 'INVALID_INPUT');

    await expectError(await post('/api/models/ridge@42/importance', {}), 'NOT_FOUND');
    const res = await post('/api/models/ridge/importance', { repeats: 1, seed: 1 });
    expect(res.status).toBe(202);
    const done = await jobs.wait(((await res.json()) as { id: string }).id);
    expect(done.status).toBe('succeeded');
    const report = done.result as {
      impurity: unknown;
      permutation: { scores: { feature: string; importance: number }[] } | null;
    };
    expect(report.impurity).toBeNull(); // ridge has no trees
    expect(report.permutation?.scores.length).toBeGreaterThan(10);

    const bad = await expectError(
      await post('/api/tune', { model: 'ridge', search: 'grid', params: { alpha: [] } }),
      'INVALID_INPUT',
    );
    expect(bad.issues[0]?.where).toBe('body.params.alpha');
    await expectError(
      await post('/api/tune', { model: 'ridge', search: 'grid', params: { depth: [1, 2] } }),
      'INVALID_INPUT',
    );
    const tuneRes = await post('/api/tune', {
      model: 'ridge',
      search: 'grid',
      params: { alpha: [0.5, 50] },
      folds: 2,
      experiment: 'api-search',
    });
    expect(tuneRes.status).toBe(202);
    const tuned = await jobs.wait(((await tuneRes.json()) as { id: string }).id);
    expect(tuned.status).toBe('succeeded');
    const trials = (await get('/api/runs?experiment=api-search&kind=trial')) as {
      runs: { params: { alpha: number } }[];
    };
    expect(trials.runs.map((r) => r.params.alpha).sort((x, y) => x - y)).toEqual([0.5, 50]);

    const aliases = (await get('/api/models/ridge/aliases')) as Record<string, unknown>;
    // Two trainings, each forced active: version 1, then 2 replacing it.
    expect(aliases).toMatchObject({ model: 'ridge', current: [{ alias: 'active', version: 2 }] });
    expect(
      (aliases.events as { version: number; previousVersion: number | null; note: string }[]).map((e) => [
        e.version,
        e.previousVersion,
        e.note,
      ]),
    ).toEqual([
      [1, null, 'registered active'],
      [2, 1, 'registered active'],
    ]);
  }, 180_000); // may build the template, trains, refits for importance and tunes: minutes when busy

  it('runs a stored model on uploaded feature rows', async () => {
    await startWithActiveRidge(); // ridge@1, trained with { folds: 2, activate: true }
    const csv = await (await app.request('/api/features.csv')).text();
    const lines = csv.trim().split('\n');
    const sample = [lines[0], ...lines.slice(-3)].join('\n');
    const res = await app.request('/api/models/ridge/predict', {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: sample,
    });
    expect(res.status).toBe(200);
    const r = (await res.json()) as { rows: number; outputs: string[]; predictions: number[][] };
    expect(r.rows).toBe(3);
    expect(r.outputs).toHaveLength(6);
    expect(r.predictions.every((p) => p.length === 6 && p.every(Number.isFinite))).toBe(true);
    // The whole feature matrix is an upload (megabytes), not a small JSON body.
    expect(csv.length).toBeGreaterThan(256 * 1024);
    const form = new FormData();
    form.set('file', new File([csv], 'features.csv', { type: 'text/csv' }));
    const all = await app.request('/api/models/ridge/predict', { method: 'POST', body: form });
    expect(all.status).toBe(200);
    expect(((await all.json()) as { rows: number }).rows).toBe(lines.length - 1);
    await expectError(
      await app.request('/api/models/ridge/predict', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: 'a,b\n1,2\n',
      }),
      'INVALID_INPUT',
    );
  });

  it('generates a reproducible set, stores it and lists it', async () => {
    const res = await post('/api/predict', { count: 3, strategy: 'frequency', seed: 11 });
    expect(res.status).toBe(201);
    const set = (await res.json()) as {
      setId: string;
      targetDrawDate: string;
      tickets: { whites: number[]; powerball: number }[];
      jackpotOdds: number;
    };
    expect(set.tickets).toHaveLength(3);
    expect(set.targetDrawDate).toBe('2026-08-08');
    expect(set.jackpotOdds).toBe(292_201_338);
    const again = (await (
      await post('/api/predict', { count: 3, strategy: 'frequency', seed: 11 })
    ).json()) as typeof set;
    const numbers = (s: typeof set) => s.tickets.map((x) => [x.whites, x.powerball]);
    expect(numbers(again)).toEqual(numbers(set));
    expect(again.setId).not.toBe(set.setId);
    const listed = (await get('/api/predictions?model=frequency')) as { items: { setId: string }[] };
    expect(listed.items.map((s) => s.setId)).toEqual([again.setId, set.setId]);
    const weighted = (await (await post('/api/predict', { count: 2 })).json()) as {
      tickets: { contributions: Record<string, number> }[];
    };
    expect(Object.keys(weighted.tickets[0]?.contributions ?? {}).length).toBeGreaterThan(1);

    const e = await expectError(
      await post('/api/predict', { count: 0, strategy: 'astrology' }),
      'INVALID_INPUT',
    );
    expect(e.issues.map((i) => i.where).sort()).toEqual(['body.count', 'body.strategy']);
    await expectError(await post('/api/predict', { forDate: '2026-08-09' }), 'INVALID_DRAW_DATE');
    // Untrained, only the statistical strategies; trained, see 'trains as a job'.
    expect(await strategyNames()).toEqual(STATISTICAL);
  });

  it('evaluates (nothing drawn yet for the stored sets) and keeps the weight history', async () => {
    for (const seed of [1, 2]) expect((await post('/api/predict', { count: 2, seed })).status).toBe(201);
    const r = (await (await post('/api/evaluate')).json()) as { scored: number };
    expect(r.scored).toBe(0);
    const w = (await get('/api/weights')) as { history: unknown[] };
    // Nothing was scored, so no weight update was recorded.
    expect(w).toEqual({ history: [] });
    const scores = (await get(
      `/api/predictions/scores?sets=${((await get('/api/predictions?limit=2')) as { items: { setId: string }[] }).items.map((s) => s.setId).join(',')}`,
    )) as {
      scores: { scored: number }[];
    };
    expect(scores.scores).toHaveLength(2);
    expect(scores.scores.every((s) => s.scored === 0)).toBe(true);
  });

  it('runs a backtest as a job and reports each strategy against chance', async () => {
    const res = await post('/api/backtest', { strategy: 'frequency', from: '2026-05-01', seed: 3 });
    expect(res.status).toBe(202);
    const done = await jobs.wait(((await res.json()) as { id: string }).id);
    expect(done.status).toBe('succeeded');
    const report = done.result as {
      results: {
        strategy: string;
        draws: number;
        llr: { ci95: number[] };
        whiteMatches: { expected: number };
      }[];
    };
    expect(report.results).toHaveLength(1);
    expect(report.results[0]?.strategy).toBe('frequency');
    expect(report.results[0]?.draws).toBeGreaterThan(20);
    expect(report.results[0]?.whiteMatches.expected).toBeCloseTo(25 / 69, 10);
    const bad = await expectError(
      await post('/api/backtest', { strategy: 'tarot', from: '2026-02-30' }),
      'INVALID_INPUT',
    );
    expect(bad.issues.map((i) => i.where).sort()).toEqual(['body.from', 'body.strategy']);
  });

  it('lists migration runs (none here)', async () => {
    expect(await get('/api/migrations')).toEqual({ runs: [] });
  });
});
