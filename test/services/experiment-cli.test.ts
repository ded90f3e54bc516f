/**
 * `pbi tune`, `pbi runs`, `pbi models alias|aliases|rollback|importance` as a user runs them: the
 * built CLI in a child process on a real database (run `npm run build` first; `npm test` does).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPbi } from '../support/run-pbi.js';
import { makeTestDb } from '../support/test-db.js';

let dir: string;
let db: string;

// In process (the same runCli as the binary): a synchronous child here blocked the test worker for
// minutes under load, long enough for the runner's RPC to time out.
async function pbi(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runPbi(['--db', db, ...args], {}, 240_000);
}
async function json<T>(...args: string[]): Promise<T> {
  const r = await pbi('--json', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  ({ dir, dbPath: db } = makeTestDb({ name: 'x.db', prefix: 'pbi-exp-cli-' }));
  expect((await pbi('init')).code).toBe(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Trial {
  runId: number;
  rank: number | null;
  status: string;
  error: string | null;
  mae: number | null;
  params: Record<string, unknown>;
}

describe('pbi tune and pbi runs', () => {
  let report: {
    searchRunId: number;
    trials: Trial[];
    failed: number;
    registered: { version: number } | null;
  };

  beforeAll(async () => {
    report = await json(
      'tune',
      '--model',
      'ridge',
      '--search',
      'grid',
      '--param',
      'alpha=0,10000,100000',
      '--folds',
      '2',
      '--register-best',
    );
  });

  it('prints a ranked search with the failed trial recorded, and registers the best', async () => {
    expect(report.trials.map((t) => t.rank)).toEqual([1, 2, null]);
    expect(report.trials[2]).toMatchObject({ status: 'failed', params: { alpha: 0 } });
    expect(report.failed).toBe(1);
    expect(report.registered?.version).toBe(1);
    const text = await pbi(
      'tune',
      '--model',
      'ridge',
      '--search',
      'random',
      '--param',
      'alpha=30000',
      '--trials',
      '3',
      '--folds',
      '2',
      '--experiment',
      'one-point',
      '--register-best',
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/random search of ridge: 1 trial\(s\)/);
    // The tuned best follows the activation rule of `pbi train`, and says why it is not active.
    expect(text.stdout).toMatch(
      /Registered ridge version 2: registered inactive: it does not beat the naive baselines: CV MAE [\d.]+ vs training_mean [\d.]+, order_statistics [\d.]+; --activate forces it \(or `pbi models activate ridge@2`\)\./,
    );
  });

  it('lists, filters, orders, shows and compares runs', async () => {
    const page = await json<{
      runs: { id: number; kind: string; status: string; metrics: Record<string, number> }[];
    }>('runs', 'list', '--experiment', 'tune-ridge', '--kind', 'trial', '--order-by', 'mae');
    expect(page.runs.map((r) => r.status)).toEqual(['finished', 'finished', 'failed']);
    const best = report.trials[0] as Trial;
    const filtered = await json<{ runs: { id: number }[] }>(
      'runs',
      'list',
      '--where',
      `mae<=${(best.mae as number) + 1e-9}`,
    );
    expect(filtered.runs.map((r) => r.id)).toContain(best.runId);
    const shown = await json<{
      run: { id: number; dataDigest: string };
      history: unknown[];
      children: unknown[];
    }>('runs', 'show', String(report.searchRunId));
    expect(shown.children).toHaveLength(3);
    expect(shown.run.dataDigest).toMatch(/^[0-9a-f]{64}$/);
    const text = await pbi('runs', 'compare', String(best.runId), String(report.trials[1]?.runId));
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\* alpha/);
    expect(text.stdout).toMatch(/baseline_training_mean_mae/);
    expect((await pbi('runs', 'show', String(best.runId))).stdout).toMatch(
      /fold\s+baseline_order_statistics_mae/,
    );
  });

  it('fails clearly: exit 1 on bad input, 2 on a refused flag value', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['tune', '--model', 'svm', '--search', 'grid'],
        /unknown model "svm"; known models: ridge, random_forest, gradient_boosting, lasso/,
      ],
      [
        ['tune', '--model', 'ridge', '--search', 'grid', '--param', 'gamma=1'],
        /--param gamma: unknown parameter for ridge/,
      ],
      // Hyperparameters are decimal, as for pbi train.
      [
        ['tune', '--model', 'ridge', '--search', 'grid', '--param', 'alpha=1,0x10'],
        /--param alpha: value "0x10": alpha of ridge must be a number \(written in decimal\)/,
      ],
      [
        ['tune', '--model', 'gradient_boosting', '--search', 'grid', '--trials', '10'],
        /the grid has 72 combinations, more than the trial budget of 10/,
      ],
      [
        [
          'tune',
          '--model',
          'ridge',
          '--search',
          'random',
          '--space',
          path.join('/nonexistent', 'space.json'),
        ],
        /cannot read \/nonexistent\/space\.json: --space: ENOENT/,
      ],
      [['runs', 'show', '999'], /no run with id 999/],
      [
        ['runs', 'list', '--experiment', 'nope'],
        /no experiment named "nope"; experiments: tune-ridge, one-point/,
      ],
      [['runs', 'compare', '1'], /at least two run ids/],
      [['models', 'alias', 'ridge@9', 'champion'], /no version 9/],
      [['models', 'aliases', 'nobody'], /nobody/],
    ];
    for (const [args, message] of cases) {
      const r = await pbi(...args);
      // A value refused for a flag is a usage error, an unknown --param name included (as for
      // pbi train); a missing run, version or experiment is bad input.
      const badInput = args.includes('nope') || !args.some((a) => a.startsWith('--'));
      expect(r.code, args.join(' ')).toBe(badInput ? 1 : 2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});

describe('pbi models alias|aliases|rollback|importance', () => {
  it('moves aliases, shows the history with activations, rolls back', async () => {
    // Neither tuned ridge beats the baselines, so none is active yet: activate the first by hand.
    expect((await pbi('models', 'activate', 'ridge@1')).code).toBe(0);
    expect((await pbi('models', 'alias', 'ridge@1', 'champion')).stdout).toMatch(
      /ridge@champion → version 1 \(new alias\)/,
    );
    expect((await pbi('models', 'activate', 'ridge@2')).code).toBe(0);
    expect((await pbi('models', 'alias', 'ridge@2', 'champion')).stdout).toMatch(/\(was 1\)/);
    const h = await json<{
      current: { alias: string; version: number }[];
      events: { alias: string; version: number | null }[];
    }>('models', 'aliases', 'ridge');
    expect(h.current.map((a) => `${a.alias}=${a.version}`)).toEqual(['active=2', 'champion=2']);
    expect(h.events.map((e) => `${e.alias}:${e.version}`)).toEqual([
      'active:1',
      'champion:1',
      'active:2',
      'champion:2',
    ]);
    expect((await pbi('models', 'rollback', 'ridge')).stdout).toMatch(/Activated ridge version 1 \(was 2\)/);
    expect((await pbi('models', 'rollback', 'ridge', '--alias', 'champion')).stdout).toMatch(
      /ridge@champion → version 1/,
    );
    expect((await pbi('models', 'aliases', 'ridge')).stdout).toMatch(
      /History \(activations under "active"\)/,
    );
  });

  it('prints permutation importance of a ridge model and says why it has no impurity importances', async () => {
    const r = await json<{
      impurity: unknown;
      impurityNote: string;
      permutation: { scores: { feature: string }[] };
    }>('models', 'importance', 'ridge@1', '--repeats', '1');
    expect(r.impurity).toBeNull();
    expect(r.impurityNote).toMatch(/no trees/);
    expect(r.permutation.scores.length).toBeGreaterThan(10);
    expect((await pbi('models', 'importance', 'ridge', '--repeats', '1', '--top', '3')).stdout).toMatch(
      /Permutation \(fold 2/,
    );
  });
});
