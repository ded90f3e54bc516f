/**
 * "Register best" over the API on a real database: registering a run puts that run's own artifact
 * in the registry (the same bytes, hence the same predictions), with the run in the new version's
 * lineage; a run that kept no artifact is refused with a reason and what to do instead.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/interfaces/http/app.js';
import { makeTestService, type TestService } from '../support/test-db.js';

interface RunView {
  id: number;
  kind: string;
  modelName: string;
  modelVersion: number | null;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('POST /api/runs/{id}/register', () => {
  let t: TestService;
  let app: ReturnType<typeof createApp>['app'];
  let jobs: ReturnType<typeof createApp>['jobs'];
  const post = (path: string, body?: unknown) =>
    app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const runs = async (query: string) =>
    ((await (await app.request(`/api/runs?${query}`)).json()) as { runs: RunView[] }).runs;
  const started = async (path: string, body: unknown) => {
    const job = (await (await post(path, body)).json()) as { id: string };
    expect((await jobs.wait(job.id)).status).toBe('succeeded');
  };

  beforeAll(async () => {
    t = makeTestService();
    ({ app, jobs } = createApp({ service: t.service, staticDir: null }));
    // Two trainings with different seeds and alphas: registering must copy the chosen run's model.
    await started('/api/train', { model: 'ridge', folds: 2, seed: 3, params: { alpha: 10 } });
    await started('/api/train', { model: 'ridge', folds: 2, seed: 4, params: { alpha: 0.5 } });
  }, 180_000);
  afterAll(async () => {
    await jobs.idle();
    t.cleanup();
  });

  it("registers the run's own artifact: same bytes, params and predictions, the run in its lineage", async () => {
    const trained = await runs('model=ridge&kind=train');
    const run = trained.find((r) => r.modelVersion === 1) as RunView;
    expect(run).toBeDefined();

    const res = await post(`/api/runs/${run.id}/register`, {});
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      runId: number;
      source: { name: string; version: number };
      version: { name: string; version: number; hyperparameters: Record<string, unknown>; seed: number };
      activation: string;
    };
    expect(body.runId).toBe(run.id);
    expect(body.source).toEqual({ name: 'ridge', version: 1 });
    expect(body.version).toMatchObject({ name: 'ridge', version: 3, seed: 3 });
    expect(body.version.hyperparameters).toMatchObject({ alpha: 10 });

    // The stored bytes are the run's, not a refit's.
    const original = t.service.models.load('ridge@1');
    const copy = t.service.models.load('ridge@3');
    expect(sha256(copy.artifact)).toBe(sha256(original.artifact));
    expect(sha256(copy.artifact)).not.toBe(sha256(t.service.models.load('ridge@2').artifact));

    const details = (await (await app.request('/api/models/ridge/versions/3')).json()) as {
      run: { id: number } | null;
    };
    expect(details.run?.id).toBe(run.id);

    // The same feature rows give the same predictions from the run's model and the new version.
    const csv = (await (await app.request('/api/features.csv')).text()).trim().split('\n');
    const sample = [csv[0], ...csv.slice(-4)].join('\n');
    const predict = async (ref: string) => {
      const r = await app.request(`/api/models/${ref}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: sample,
      });
      expect(r.status).toBe(200);
      return ((await r.json()) as { predictions: number[][] }).predictions;
    };
    const expected = await predict('ridge@1');
    expect(expected).toHaveLength(4);
    expect(await predict('ridge@3')).toEqual(expected);
    expect(await predict('ridge@2')).not.toEqual(expected);
  });

  it('refuses a run that kept no artifact (a search trial) with 409, saying what to do', async () => {
    await started('/api/tune', { model: 'ridge', search: 'grid', folds: 2, params: { alpha: [1] } });
    const trial = (await runs('model=ridge&kind=trial'))[0] as RunView;
    expect(trial.modelVersion).toBeNull();
    const res = await post(`/api/runs/${trial.id}/register`, {});
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toMatch(new RegExp(`run ${trial.id} kept no model to register`));
    expect(error.message).toMatch(/train ridge with its parameters/);
  }, 120_000);

  it('answers 404 for an unknown run', async () => {
    const res = await post('/api/runs/999999/register', {});
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});
