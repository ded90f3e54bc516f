/**
 * The XGBoost peer of the training benchmark reads the layout of `pbi features export` and
 * cross-validates the two tree ensembles walk-forward, as our CV does. Runs only where Debian's
 * python3-xgboost is installed (the benchmark then goes without this peer and says so).
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

const PEER = 'xgboost_cv.py';
const hasXgboost = pythonCanImport('xgboost, numpy');
const dir = peerScratchDir('pbi-xgb-peer-');

function exportedMatrix(): { csv: string; rows: number; cols: number } {
  const csv = path.join(dir, 'm.csv');
  return { csv, ...writeFeatureCsv(seededDraws(5, 260), csv) };
}

describe.skipIf(!hasXgboost)('bench/peers/xgboost_cv.py', () => {
  it('cross-validates the forest and boosting on the exported matrix and reports time and MAE', async () => {
    const m = exportedMatrix();
    const args = ['--matrix', m.csv, '--trees', '3', '--rounds', '20', '--threads', '1'];
    const r = await runPeer(PEER, args, 120_000);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
    expect(out.xgboost).toMatch(/^\d+\.\d+/);
    expect(out).toMatchObject({ rows: m.rows, features: m.cols, threads: 1 });
    expect(Object.keys(out.cv)).toEqual(['random_forest', 'gradient_boosting']);
    for (const v of Object.values(out.cv) as { seconds: number; mean_mae: number }[]) {
      expect(v.seconds).toBeGreaterThan(0);
      // Sorted whites of 1..69 and a Powerball of 1..26: a model that learned anything is off by far
      // less than that; 20 rounds at learning rate 0.1 from XGBoost's base score 0.5 have come most
      // of the way from it.
      expect(v.mean_mae).toBeGreaterThan(0);
      expect(v.mean_mae).toBeLessThan(30);
    }
    expect(out.cv.random_forest.mean_mae).toBeLessThan(20);
    expect(out.cv_seconds).toBeCloseTo(out.cv.random_forest.seconds + out.cv.gradient_boosting.seconds, 9);
  });

  it('refuses a matrix too short for the folds, naming both', async () => {
    const csv = path.join(dir, 'short.csv');
    const header = ['draw_date', 'f1', 'white_1', 'white_2', 'white_3', 'white_4', 'white_5', 'powerball'];
    fs.writeFileSync(csv, `${header.join(',')}\n2020-01-01,1,1,2,3,4,5,6\n2020-01-04,2,1,2,3,4,5,6\n`);
    const r = await runPeer(PEER, ['--matrix', csv, '--threads', '1'], 60_000);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/2 rows are too few for 5 folds/);
  });
});
