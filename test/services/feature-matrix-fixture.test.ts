/**
 * The committed feature matrix (test/fixtures/sklearn/matrix.csv) that the ML tests, the
 * scikit-learn/XGBoost peers and the training benchmarks read is what `pbi features export` writes
 * for the pinned history today: a change to the features fails here, saying to re-export, instead
 * of leaving the peers comparing against yesterday's matrix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX_CSV } from '../ml/sklearn-fixture.js';
import { makeTestService, type TestService } from '../support/test-db.js';

let t: TestService;
beforeAll(() => {
  t = makeTestService();
});
afterAll(() => t.cleanup());

describe('the committed feature matrix', () => {
  it('equals a fresh export of the pinned history, byte for byte', () => {
    const fresh = path.join(t.dir, 'matrix.csv');
    const report = t.service.features.exportCsv(fresh);
    expect(report.rows).toBe(1290);
    const committed = fs.readFileSync(MATRIX_CSV, 'utf8');
    const exported = fs.readFileSync(fresh, 'utf8');
    // Compared line by line first, so a drift names the first row (or the header) that differs.
    const a = committed.split('\n');
    const b = exported.split('\n');
    const first = a.findIndex((line, i) => line !== b[i]);
    expect(
      first,
      `line ${first + 1} differs: re-export with \`pbi --db <pinned db> features export ${path.relative(process.cwd(), MATRIX_CSV)}\``,
    ).toBe(-1);
    expect(exported).toBe(committed);
  });
});
