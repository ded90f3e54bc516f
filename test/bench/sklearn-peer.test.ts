/**
 * The scikit-learn peer reads the layout of `pbi features export` (the same rows and features we train
 * on) and cross-validates the three models. Runs only where Debian's python3-sklearn is installed; the
 * benchmarks fall back to the legacy figures elsewhere. The numpy feature check needs numpy only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  peerScratchDir,
  pythonCanImport,
  runPeer,
  seededDraws,
  writeFeatureCsv,
} from '../support/python-peer.js';

const hasSklearn = pythonCanImport('sklearn');
const hasNumpy = pythonCanImport('numpy');
const dir = peerScratchDir('pbi-peer-');

describe.skipIf(!hasSklearn)('bench/peers/sklearn_cv.py', () => {
  it('cross-validates and predicts on the exported matrix, row for row', async () => {
    const csv = path.join(dir, 'm.csv');
    const m = writeFeatureCsv(seededDraws(5, 260), csv);
    const r = await runPeer(
      'sklearn_cv.py',
      ['--matrix', csv, '--trees', '2', '--jobs', '1', '--predict', '--repeat', '3'],
      120_000,
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
    expect(out.rows).toBe(m.rows);
    expect(out.features).toBe(m.cols);
    expect(Object.keys(out.cv)).toEqual(['ridge', 'random_forest', 'gradient_boosting']);
    for (const v of Object.values(out.cv) as { seconds: number; mean_mae: number }[]) {
      expect(v.seconds).toBeGreaterThan(0);
      // Sorted whites of 1..69 and a Powerball of 1..26: any sane model is off by less than 69.
      expect(v.mean_mae).toBeGreaterThan(0);
      expect(v.mean_mae).toBeLessThan(69);
    }
    expect(out.cv_seconds).toBeCloseTo(
      (Object.values(out.cv) as { seconds: number }[]).reduce((a, b) => a + b.seconds, 0),
      9,
    );
    expect(out.predict_ms).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasNumpy)('bench/peers/features_numpy.py', () => {
  it('numpy builds exactly our feature matrix from the same draws (features_numpy.py --check)', async () => {
    // Few distinct numbers, so pairs and triplets recur and the combo columns are not all zero.
    const draws = seededDraws(9, 300, 12);
    const matrixCsv = path.join(dir, 'features.csv');
    writeFeatureCsv(draws, matrixCsv);
    const drawsCsv = path.join(dir, 'draws.csv');
    const sorted = (w: readonly number[]) => [...w].sort((a, b) => a - b).join(',');
    fs.writeFileSync(
      drawsCsv,
      `draw_date,white_1,white_2,white_3,white_4,white_5,powerball\n${draws.map((d) => `${d.date},${sorted(d.whites)},${d.powerball}`).join('\n')}\n`,
    );
    const peer = 'features_numpy.py';
    const r = await runPeer(peer, ['--draws', drawsCsv, '--check', matrixCsv, '--repeat', '2'], 60_000);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out).toMatchObject({ rows: 200, features: 434, max_abs_diff: 0 });

    // A matrix that differs in one cell is caught.
    const lines = fs.readFileSync(matrixCsv, 'utf8').split('\n');
    const cells = (lines[5] as string).split(',');
    cells[300] = String(Number(cells[300]) + 1);
    lines[5] = cells.join(',');
    fs.writeFileSync(matrixCsv, lines.join('\n'));
    const bad = await runPeer(peer, ['--draws', drawsCsv, '--check', matrixCsv, '--repeat', '1'], 60_000);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/mismatch at row 4 column 299/);
  });
});
