/**
 * `pbi predict | evaluate | backtest` as a user runs them (in-process runCli, the code path of
 * bin/pbi.js): text and --json output, exit codes, and nothing stored on bad input.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runPbiBinary } from '../support/child-process.js';
import { createTestDb, type TestDb } from './prediction-fixtures.js';

let db: TestDb;
afterEach(() => db?.cleanup());

const counts = (t: TestDb) => {
  const s = t.open();
  try {
    return s.context.store.predictions.counts();
  } finally {
    s.close();
  }
};

describe('pbi predict', () => {
  it('prints and stores a set, stating the odds and that draws are independent', async () => {
    db = createTestDb();
    const r = await db.pbi('predict', '--seed', '4', '--for-date', '2026-08-08');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Prediction set set_\S+ for the draw of 2026-08-08 \(strategy weighted, strength calibrated, seed 4\)/,
    );
    expect(r.stdout).toContain('1 in 292,201,338');
    expect(r.stdout).toMatch(/independent/);
    expect(r.stdout).toMatch(/ml left out/);
    expect(r.stdout.match(/ PB \d\d/g)).toHaveLength(5);
    expect(counts(db)).toEqual({ sets: 1, predictions: 5 });
  });

  it('prints one JSON document with --json, the same tickets for the same seed', async () => {
    db = createTestDb();
    const a = await db.pbi('--json', 'predict', '--count', '3', '--strategy', 'sum', '--seed', '9');
    const b = await db.pbi('--json', 'predict', '--count', '3', '--strategy', 'sum', '--seed', '9');
    expect(a.code).toBe(0);
    const ja = JSON.parse(a.stdout);
    const jb = JSON.parse(b.stdout);
    expect(ja.tickets).toHaveLength(3);
    expect(ja.jackpotOdds).toBe(292_201_338);
    expect(ja.notice).toMatch(/independent/);
    expect(jb.tickets.map((t: { whites: number[] }) => t.whites)).toEqual(
      ja.tickets.map((t: { whites: number[] }) => t.whites),
    );
    const shown = await db.pbi('--json', 'predictions', 'show', ja.setId);
    expect(JSON.parse(shown.stdout).seed).toBe(9);
  });

  it.each([
    [['--count', '0'], /--count must be a whole number from 1 to 100/, 2],
    [['--count', '101'], /--count/, 2],
    [['--strategy', 'lucky'], /--strategy must be one of/, 2],
    [['--for-date', '2026-08-07'], /not a draw day/, 1],
    [['--for-date', '2015-10-03'], /not in the current era/, 1],
    [['--strength', '1.5'], /--strength must be calibrated, raw, or a number from 0 to 1/, 2],
    [['--strength', 'max'], /--strength must be calibrated, raw, or a number from 0 to 1/, 2],
    [['--strategy', 'ml'], /pbi train/, 1],
  ])('pbi predict %j fails (usage 2, bad input 1) and stores nothing', async (args, message, code) => {
    db = createTestDb();
    const r = await db.pbi('predict', ...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(counts(db)).toEqual({ sets: 0, predictions: 0 });
  });

  it('fails with exit 1 when no draws are loaded', async () => {
    db = createTestDb(undefined, false);
    const r = await db.pbi('--json', 'predict');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.code).toBe('INSUFFICIENT_DATA');
  });
});

describe('pbi evaluate', () => {
  it('scores, updates weights, and changes nothing when run twice', async () => {
    db = createTestDb('2026-08-01');
    await db.pbi('predict', '--seed', '1', '--count', '10', '--for-date', '2026-08-03');
    const s = db.open();
    s.draws.importText(
      'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier\n2026-08-03,8,30,41,48,54,4,2\n',
      'manual',
    );
    s.close();
    const first = await db.pbi('--json', 'evaluate');
    expect(first.code).toBe(0);
    const j = JSON.parse(first.stdout);
    expect(j.scored).toBe(10);
    expect(j.updates).toHaveLength(1);
    const text = await db.pbi('evaluate');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Nothing new to evaluate/);
    expect(text.stdout).toContain('1 in 292,201,338');
    expect(j.notice).toMatch(/independent/);
    const again = JSON.parse((await db.pbi('--json', 'evaluate')).stdout);
    expect(again.nothingNew).toBe(true);
    expect(again.weights).toEqual(j.weights);
  });
});

describe('pbi backtest', () => {
  it('prints per-strategy results with a verdict, and JSON with --json', async () => {
    db = createTestDb();
    const r = await db.pbi('backtest', '--strategy', 'recency', '--from', '2026-01-01', '--seed', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Walk-forward over \d+ draws, 2026-01-03 to 2026-08-05/);
    // Seed 1 over 2026: the interval alone excludes 0 (p = 0.024 uncorrected), not significant over 12 tests.
    expect(r.stdout).toMatch(
      /recency: no significant difference from chance \(log-likelihood ratio 0\.0053 nats\/draw, 95% CI 0\.0002 to 0\.0104 \(Student t interval over 93 draws\); the interval alone excludes 0/,
    );
    expect(r.stdout).toMatch(
      /smallest p = 0\.024 \(log score of the drawn numbers\), 0\.29 after correction/,
    );
    expect(r.stdout).toContain('chance 0.3623');
    const j = JSON.parse(
      (await db.pbi('--json', 'backtest', '--strategy', 'recency', '--from', '2026-01-01', '--seed', '1'))
        .stdout,
    );
    expect(j.results[0].strategy).toBe('recency');
    expect(j.results[0].llr.ci95).toHaveLength(2);
    const two = await db.pbi('backtest', '--strategy', 'weighted', '--from', '2026-08-03');
    expect(two.stdout).toMatch(
      /weighted: no significant difference from chance \(log-likelihood ratio -?0\.\d+ nats\/draw over 2 draws; too few draws for an interval/,
    );
    expect(two.stdout).not.toMatch(/significant:/);
    const bad = await db.pbi('backtest', '--strategy', 'nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--strategy must be one of all, weighted/);
  });
});

describe('the built pbi binary (a real process; `npm test` builds first)', () => {
  it('predicts, then refuses a bad --count with exit 2 and stores nothing more', async () => {
    db = createTestDb();
    // A child process the test waits for without blocking its worker (a synchronous child held
    // the worker's event loop and, on a busy machine, made the runner's RPC time out).
    const run = async (...args: string[]) => {
      const r = await runPbiBinary(['--db', db.config.dbPath, ...args]);
      return { status: r.code, stdout: r.stdout, stderr: r.stderr };
    };
    const ok = await run('--json', 'predict', '--seed', '5', '--count', '2');
    expect(ok.status).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.tickets).toHaveLength(2);
    expect(report.notice).toContain('292,201,338');
    const bad = await run('predict', '--count', '0');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--count must be a whole number from 1 to 100/);
    expect(counts(db)).toEqual({ sets: 1, predictions: 2 });
  });
});
