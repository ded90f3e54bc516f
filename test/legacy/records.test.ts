import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readJoblibFile } from '../../src/legacy/joblib/index.js';
import {
  normalizeDate,
  normalizeTimestamp,
  readExperimentsDb,
  readMlMemory,
  readModelPredictionsDb,
  readPredictionHistory,
  type LegacySqlSource,
} from '../../src/legacy/records/index.js';
import { openConnection } from '../../src/store/connection.js';
import { FIXTURES } from './helpers.js';

const expected = JSON.parse(readFileSync(`${FIXTURES}/reference/expected.json`, 'utf8')) as {
  history: { predictions: number; accuracy: number; feedback: number };
};

function sqlite(file: string): LegacySqlSource {
  const c = openConnection(file, { readonly: true });
  return { all: (sql) => c.prepare(sql).all() as Record<string, unknown>[] };
}

/** What the fixture script wrote as timestamp i of the history (see ts_variants). */
function historyStamp(i: number, base: number): string {
  const us = (i * 7919) % 1_000_000;
  const t = base + (7 * i * 3600 + (i % 60) * 60 + (i % 59)) * 1000;
  const k = i % 6;
  const ms = k === 2 || k === 5 ? 0 : Math.floor(us / 1000);
  return new Date(t + ms + (k === 4 ? 5 * 3600_000 : 0)).toISOString();
}

describe('prediction_history.joblib', () => {
  const h = readPredictionHistory(
    readJoblibFile(`${FIXTURES}/app-basic/data/prediction_history.joblib`).value,
  );

  it('reads every entry, skipping only the broken ones with reasons', () => {
    expect(h.counts).toEqual(expected.history);
    expect(h.predictions).toHaveLength(expected.history.predictions - 3);
    const skipped = h.problems.filter((p) => p.skipped && p.source === 'prediction_history.predictions');
    expect(skipped.map((p) => [p.record, p.reason])).toEqual([
      ['#420', 'white_numbers is not a list of 5 integers'],
      ['#421', 'white_numbers has duplicates'],
      ['#424', 'entry is not a dict'],
    ]);
    expect(h.accuracy).toHaveLength(expected.history.accuracy - 1);
    expect(h.feedback).toHaveLength(expected.history.feedback);
    expect(h.meta).toEqual({ last_updated: '2024-01-15T10:30:00.000Z', version: '2.1' });
  });

  it('normalises the six timestamp shapes the old app wrote to UTC', () => {
    const base = Date.UTC(2023, 2, 1, 9, 0, 0);
    for (const p of h.predictions.filter((x) => x.index < 420))
      expect(p.timestamp, `#${p.index}`).toBe(historyStamp(p.index, base));
    const missing = h.problems
      .filter((p) => !p.skipped && p.field === 'timestamp')
      .map((p) => [p.record, p.reason]);
    expect(missing).toEqual([
      ['#422', 'timestamp missing'],
      ['#423', "timestamp unrecognised timestamp 'not a date'"],
    ]);
  });

  it('turns numpy numbers, arrays and nested tool dicts into plain values', () => {
    const p0 = h.predictions[0];
    expect(p0?.predictionId).toBe('pred_000000');
    expect(p0?.whites).toHaveLength(5);
    expect(p0?.whites.every((w) => Number.isInteger(w) && w >= 1 && w <= 69)).toBe(true);
    expect(typeof p0?.powerball).toBe('number');
    const contributions = Object.values(p0?.toolContributions ?? {});
    expect(contributions.length).toBeGreaterThan(0);
    expect(contributions[0]).toMatchObject({ white_numbers: expect.any(Array), weight: expect.any(Number) });
    expect(h.predictions[1]?.toolContributions).toSatisfy((c: object) =>
      Object.values(c).every((x) => typeof x === 'number'),
    );
    expect(p0?.extra['analysis']).toMatchObject({ features: [0, 1 / 3, 2 / 3, 1] });
    const fb = h.feedback[0];
    expect(fb?.weightsBefore).toEqual({
      frequency: 0.2,
      recency: 0.15,
      trends: 0.15,
      combo: 0.15,
      sum: 0.15,
      dow: 0.1,
      ml: 0.1,
    });
    expect(fb?.drawDate).toBe('2023-03-01');
    const acc = h.accuracy[0];
    expect(acc?.drawDate).toBe('2023-03-01');
    expect(acc?.predictedWhites).toEqual(p0?.whites);
    expect(acc?.powerballMatch).toBeTypeOf('boolean');
  });
});

describe('model_predictions.db', () => {
  const db = readModelPredictionsDb(sqlite(`${FIXTURES}/app-basic/data/model_predictions.db`));

  it('reads the three tables with per-record problems', () => {
    expect(db.counts).toEqual({ prediction_sets: 35, model_predictions: 160, prediction_accuracy: 41 });
    expect(db.hasArtifactPathColumn).toBe(true);
    const skipped = db.problems
      .filter((p) => p.skipped)
      .map((p) => `${p.source} ${p.field}: ${p.reason.replace(/\(.*\)/, '(...)')}`);
    expect(skipped).toEqual([
      'model_predictions white_numbers: white_numbers is malformed JSON (...)',
      'model_predictions white_numbers: white_numbers has 4 numbers, expected 5 distinct',
      'model_predictions white_numbers: white_numbers is malformed JSON (...)',
    ]);
    expect(db.predictions).toHaveLength(157);
    const bad = db.predictions.find((p) => p.featuresUsed === null);
    // set 15 is a ridge set whose features_used was written as a Python repr: the row is kept
    expect(bad?.hyperparameters).toEqual({ alpha: 1 });
    expect(db.problems.filter((p) => p.field === 'features_used').map((p) => p.skipped)).toEqual([false]);
  });

  it('normalises every created_at format', () => {
    const base = Date.UTC(2023, 8, 1, 8, 0, 0, 250);
    expect(db.sets).toHaveLength(35);
    for (let s = 0; s < 36; s++) {
      if (s === 20) continue; // the set whose row is missing
      const t = base + (3 * s * 86400 + s * 60) * 1000;
      const fmt = s % 6;
      const wantMs = fmt === 0 || fmt === 2 || fmt === 5 ? t - 250 : t;
      const want = new Date(wantMs - (fmt === 3 ? 2 * 3600_000 : 0)).toISOString();
      const row = db.sets[s < 20 ? s : s - 1];
      expect(row?.createdAt, `set ${s} (${String(row?.createdAtRaw)})`).toBe(want);
    }
    expect(db.problems.filter((p) => p.field === 'created_at' && p.source !== 'prediction_accuracy')).toEqual(
      [],
    );
  });

  it('groups predictions into sets, repairing what the old code wrote badly', () => {
    const notes = (id: string): readonly string[] | undefined => db.groups.find((g) => g.setId === id)?.notes;
    const single = db.groups.filter((g) => g.set?.totalPredictions === 5 && g.predictions.length === 1);
    expect(single.length).toBeGreaterThan(0);
    const empties = db.groups.filter((g) => g.legacySetId === '');
    expect(empties.length).toBeGreaterThan(0);
    expect(empties.every((g) => g.predictions.length === 1 && g.setId.startsWith('legacy-row-'))).toBe(true);
    const rerun = db.groups.filter((g) => g.setId.endsWith('#2'));
    expect(rerun).toHaveLength(1);
    expect(notes(rerun[0]?.legacySetId ?? '')).toContain('set id reused by 2 runs; this is run 1');
    const orphan = db.groups.filter((g) => g.set === null && g.legacySetId !== '' && !g.setId.includes('#'));
    expect(orphan).toHaveLength(1);
    expect(orphan[0]?.notes[0]).toMatch(/no prediction_sets row/);
    expect(orphan[0]?.createdAt).not.toBeNull();
    // unique ids, and every readable prediction in exactly one group
    expect(new Set(db.groups.map((g) => g.setId)).size).toBe(db.groups.length);
    expect(db.groups.reduce((n, g) => n + g.predictions.length, 0)).toBe(db.predictions.length);
    const withArtifact = db.sets.filter((s) => s.modelArtifactPath !== null);
    expect(withArtifact.map((s) => s.modelArtifactPath)).toContain('models/ridge_20240115_103000.joblib');
  });

  it('reads an older database without model_artifact_path', () => {
    const old = readModelPredictionsDb(sqlite(`${FIXTURES}/app-minimal/data/model_predictions.db`));
    expect(old.hasArtifactPathColumn).toBe(false);
    expect(old.sets.every((s) => s.modelArtifactPath === null)).toBe(true);
    expect(old.sets.length).toBeGreaterThan(0);
  });

  it('reads the older per-ticket prediction_accuracy layout with normalised draw dates', () => {
    // Every row is kept: one for a prediction that does not exist too (it migrates unlinked).
    expect(db.accuracy).toHaveLength(41);
    expect(db.accuracy.every((a) => a.shape === 'ticket')).toBe(true);
    expect(db.accuracy.at(-1)).toMatchObject({ predictionId: 'pred_does_not_exist', evaluatedAt: null });
    expect(
      db.problems.filter((p) => p.source === 'prediction_accuracy').map((p) => [p.record, p.reason]),
    ).toEqual([
      ['row 8', 'actual_white_numbers is not a JSON list of integers'],
      ['row 41', "created_at unrecognised timestamp 'yesterday'"],
    ]);
    expect(db.accuracy.every((a) => a.drawDate === null || /^\d{4}-\d{2}-\d{2}$/.test(a.drawDate))).toBe(
      true,
    );
    expect(db.accuracy[0]?.drawDate).toBe('2023-09-02'); // written as 09/02/2023
  });
});

describe('experiments.db', () => {
  const e = readExperimentsDb(sqlite(`${FIXTURES}/app-basic/data/experiment_tracking/experiments.db`));

  it('reads jobs, runs and metric history, keeping runs of a missing job', () => {
    expect(e.counts).toEqual({ experiment_jobs: 5, experiment_runs: 20, metrics_timeseries: 161 });
    expect(e.jobs).toHaveLength(5);
    expect(e.runs).toHaveLength(20);
    expect(e.runs.filter((r) => !r.jobExists).map((r) => r.jobId)).toEqual(['job_missing']);
    expect(e.metrics).toHaveLength(160);
    expect(e.problems.filter((p) => p.skipped).map((p) => p.reason)).toEqual([
      'run run_nowhere does not exist',
    ]);
    expect(e.jobs[3]?.config).toBeNull();
    expect(e.problems.some((p) => p.field === 'config' && /malformed JSON/.test(p.reason))).toBe(true);
    expect(e.runs[0]?.metrics).toMatchObject({ mae: expect.any(Number), fold_mae: expect.any(Array) });
    expect(e.metrics.every((m) => m.timestamp !== null)).toBe(true);
  });
});

describe('ml_memory/*.json', () => {
  it('reads each model memory and reports the broken file', () => {
    const dir = `${FIXTURES}/app-basic/data/ml_memory`;
    const files = readdirSync(dir).map((name) => ({ name, text: readFileSync(`${dir}/${name}`, 'utf8') }));
    const m = readMlMemory(files);
    expect(m.records.map((r) => r.modelName)).toEqual(['gradient_boosting', 'random_forest', 'ridge']);
    expect(m.records[2]?.lastTrainedAt).toBe('2024-01-15T10:30:00.000Z');
    expect(m.problems).toEqual([expect.objectContaining({ record: 'broken_memory.json', skipped: true })]);
  });
});

describe('timestamp normalisation', () => {
  it.each([
    ['2024-01-15 10:30:00', '2024-01-15T10:30:00.000Z'],
    ['2024-01-15T10:30:00.123456', '2024-01-15T10:30:00.123Z'],
    ['2024-01-15T10:30:00Z', '2024-01-15T10:30:00.000Z'],
    ['2024-01-15T10:30:00+02:00', '2024-01-15T08:30:00.000Z'],
    ['2024-01-15T10:30:00-0500', '2024-01-15T15:30:00.000Z'],
    ['2024-01-15', '2024-01-15T00:00:00.000Z'],
    ['01/15/2024 10:30', '2024-01-15T10:30:00.000Z'],
    [1705314600, '2024-01-15T10:30:00.000Z'],
    ['1705314600', '2024-01-15T10:30:00.000Z'],
    [1705314600123, '2024-01-15T10:30:00.123Z'],
  ])('%s → %s', (input, iso) => {
    expect(normalizeTimestamp(input)).toEqual({ iso });
  });

  it.each([['yesterday'], ['2024-02-30 10:00:00'], ['2024-13-01'], [''], [null], [-5], [Number.NaN]])(
    'refuses %s',
    (input) => {
      expect(normalizeTimestamp(input)).toHaveProperty('error');
    },
  );

  it('normalises draw dates', () => {
    expect(normalizeDate('09/02/2023')).toEqual({ date: '2023-09-02' });
    expect(normalizeDate('2023-09-02')).toEqual({ date: '2023-09-02' });
    expect(normalizeDate('2023-02-29')).toHaveProperty('error');
  });
});

/**
 * The tables exactly as the legacy app's own code created and filled them (see
 * scripts/make-legacy-accuracy-fixtures.py): every column of every row must reach the record.
 */
describe('prediction_accuracy as the legacy evaluator wrote it', () => {
  const file = `${FIXTURES}/../legacy-accuracy/app-real/data/model_predictions.db`;
  const source = sqlite(file);
  const db = readModelPredictionsDb(source);
  const raw = source.all('SELECT * FROM prediction_accuracy ORDER BY id');

  it('has the columns the legacy evaluator created, and no prediction_id', () => {
    expect(source.all('PRAGMA table_info(prediction_accuracy)').map((c) => c['name'])).toEqual([
      'id',
      'prediction_set_id',
      'model_name',
      'draw_date',
      'actual_white_numbers',
      'actual_powerball',
      'white_numbers_matched',
      'powerball_matched',
      'total_matches',
      'accuracy_score',
      'evaluated_at',
    ]);
  });

  it('reads every column of every valid row into its field, as written', () => {
    const valid = raw.filter(
      (r) => typeof r['white_numbers_matched'] === 'number' && r['white_numbers_matched'] <= 5,
    );
    expect(valid.length).toBe(raw.length - 2);
    expect(db.accuracy.map((a) => a.rowId)).toEqual(valid.map((r) => r['id']));
    db.accuracy.forEach((a, i) => {
      const r = valid[i] as Record<string, unknown>;
      const label = `row ${String(r['id'])}`;
      expect(a.shape, label).toBe('summary');
      expect(a.setId, label).toBe(r['prediction_set_id'] === '' ? null : r['prediction_set_id']);
      expect(a.modelName, label).toBe(r['model_name']);
      expect(a.drawDate, label).toBe(r['draw_date']);
      expect(a.actualWhites, label).toEqual(JSON.parse(r['actual_white_numbers'] as string));
      expect(a.actualPowerball, label).toBe(r['actual_powerball']);
      expect(a.whiteMatches, label).toBe(r['white_numbers_matched']);
      expect(a.powerballMatch, label).toBe(r['powerball_matched'] === 1);
      expect(a.totalMatches, label).toBe(r['total_matches']);
      expect(a.accuracyScore, label).toBe(r['accuracy_score']);
      expect(a.evaluatedAt, label).toBe(new Date(r['evaluated_at'] as string).toISOString());
      const { id, ...columns } = r;
      expect(a.columns, label).toEqual({ id, ...columns });
    });
  });

  it('keeps fractional averages and empty set ids, and skips only impossible figures', () => {
    expect(db.accuracy.filter((a) => !Number.isInteger(a.whiteMatches)).length).toBeGreaterThan(0);
    expect(db.accuracy.filter((a) => a.setId === null).length).toBeGreaterThan(db.accuracy.length / 2);
    expect(db.problems.filter((p) => p.source === 'prediction_accuracy')).toEqual([
      {
        source: 'prediction_accuracy',
        record: 'row 25',
        field: 'white_numbers_matched',
        reason: 'white_numbers_matched is 7, outside 0–5',
        skipped: true,
      },
      {
        source: 'prediction_accuracy',
        record: 'row 26',
        field: 'white_numbers_matched',
        reason: 'white_numbers_matched is not a number',
        skipped: true,
      },
    ]);
  });
});

describe('prediction_history accuracy as update_with_new_draw appended it', () => {
  const h = readPredictionHistory(
    readJoblibFile(`${FIXTURES}/../legacy-accuracy/app-single/data/prediction_history.joblib`).value,
  );

  it('reads {white_matches, pb_match, white_accuracy, full_match} entries, skipping a white count above 5', () => {
    expect(h.counts).toEqual({ predictions: 1, accuracy: 4, feedback: 3 });
    // The three updates were for the draws of 2025-02-01, 02-03 and 02-05 (real results, pinned
    // beside the fixture), each scoring the only prediction.
    const draws = new Map(
      readFileSync(`${FIXTURES}/../legacy-accuracy/draws.csv`, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
        .map((c) => [c[0], { whites: c.slice(1, 6).map(Number), powerball: Number(c[6]) }] as const),
    );
    const p = h.predictions[0]!;
    const want = ['2025-02-01', '2025-02-03', '2025-02-05'].map((d) => {
      const draw = draws.get(d)!;
      const wm = p.whites.filter((w) => draw.whites.includes(w)).length;
      const pb = p.powerball === draw.powerball;
      return [wm, pb, wm / 5, wm === 5 && pb, null];
    });
    expect(
      h.accuracy.map((a) => [a.whiteMatches, a.powerballMatch, a.whiteAccuracy, a.fullMatch, a.actualWhites]),
    ).toEqual(want);
    expect(h.problems.filter((p) => p.skipped)).toEqual([
      {
        source: 'prediction_history.accuracy',
        record: '#3',
        field: 'white_matches',
        reason: 'white_matches is 6, not a count from 0 to 5',
        skipped: true,
      },
    ]);
    // The weighted predictor's number → tools map is kept.
    expect(Object.keys(h.predictions[0]?.extra['sources_by_number'] as object)).toHaveLength(6);
  });
});
