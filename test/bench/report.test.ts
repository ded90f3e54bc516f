/**
 * The harness's report: legacy figures where no peer was measured, units, growth curves and the
 * generated documentation.
 */
import { describe, expect, it } from 'vitest';
import {
  fittedExponent,
  renderDoc,
  renderScaling,
  renderTable,
  type ResultsDocument,
  scalingCurves,
  toResult,
} from '../../bench/report.js';

describe('toResult', () => {
  it('gives a DESIGN §7 row without a measured peer its legacy figure, ratio from the low end', () => {
    const r = toResult(
      { work: 'feature engineering, 5,000 draws', median_ms: 4, budget_ms: 10 },
      'f.bench.ts',
      90,
    );
    expect(r.peer_kind).toBe('legacy');
    expect(r.peer).toBe('legacy figure 200–500 ms');
    expect(r.ratio).toBe(50);
    expect(r.within_budget).toBe(true);
    expect(r.peak_rss_mb).toBe(90);
  });

  it('keeps a measured peer and marks it measured; rows outside DESIGN §7 get no peer', () => {
    const cv = toResult(
      {
        work: '5-fold CV of ridge + random forest + gradient boosting, 100 trees each (1290x434)',
        median_ms: 4000,
        budget_ms: 3000,
        peer_ms: 60_000,
        peer: 'scikit-learn 1.2.1',
      },
      's.bench.ts',
      null,
    );
    expect(cv.peer_kind).toBe('measured');
    expect(cv.ratio).toBe(15);
    expect(cv.within_budget).toBe(false);
    const other = toResult({ work: 'analyze current era', median_ms: 3 }, 'd.bench.ts', null);
    expect(other.peer_ms).toBeUndefined();
    expect(other.ratio).toBeNull();
  });

  it('a peer measured in this run is "measured" even when it runs the legacy schema; a quoted figure is "legacy"', () => {
    const store = toResult(
      {
        work: 'fetch one set (1000000 predictions stored)',
        median_ms: 0.2,
        peer_ms: 1.5,
        peer: 'legacy schema via Python sqlite3',
      },
      'store.bench.ts',
      null,
    );
    expect(store.peer_kind).toBe('measured');
    expect(store.peer).toBe('legacy schema via Python sqlite3');
    const quoted = toResult(
      {
        work: 'predict: generate and store a weighted set of 5',
        median_ms: 3,
        peer_ms: 60,
        peer: 'legacy Python figure 50-100 ms',
      },
      'predict.bench.ts',
      null,
    );
    expect(quoted.peer_kind).toBe('legacy');
    expect(quoted.ratio).toBe(20);
  });

  it('the same CV row without scikit-learn falls back to the 10–30 s legacy figure', () => {
    const cv = toResult(
      {
        work: '5-fold CV of ridge + random forest + gradient boosting, 100 trees each (1290x434)',
        median_ms: 2000,
      },
      's.bench.ts',
      null,
    );
    expect(cv.peer).toBe('legacy figure 10–30 s');
    expect(cv.ratio).toBe(5);
  });

  it('a server memory row is in MB (budget and legacy 100 MB figure), and its own rss_mb wins', () => {
    const r = toResult(
      {
        work: 'pbi serve peak RSS under load, 1000000 predictions stored (MB)',
        median_ms: 120,
        budget_ms: 150,
        rss_mb: 120,
      },
      'h.bench.ts',
      400,
    );
    expect(r.unit).toBe('MB');
    expect(r.peak_rss_mb).toBe(120);
    expect(r.peer).toBe('legacy figure 100 MB (joblib)');
    expect(renderTable([r])).toMatch(/120 MB\s+150 MB\s+legacy figure 100 MB \(joblib\)\s+0\.8x\s+120/);
  });
});

describe('a second peer', () => {
  it('is shown after the main one with its own ratio, in the table and the document', () => {
    const r = toResult(
      {
        work: '5-fold CV random forest (1290x434)',
        median_ms: 2000,
        peer_ms: 30_000,
        peer: 'scikit-learn 1.2.1 (n_jobs=-1)',
        other_peers: [{ peer: 'XGBoost 1.7.4 (hist, 2 threads)', peer_ms: 50_000, peer_mae: 9.1 }],
      },
      'training.bench.ts',
      null,
    );
    expect(r.ratio).toBe(15);
    expect(r.other_peers).toEqual([
      { peer: 'XGBoost 1.7.4 (hist, 2 threads)', peer_ms: 50_000, peer_mae: 9.1, ratio: 25 },
    ]);
    const row =
      /scikit-learn 1\.2\.1 \(n_jobs=-1\) 30000; XGBoost 1\.7\.4 \(hist, 2 threads\) 50000\s+15\.0x \/ 25\.0x/;
    expect(renderTable([r])).toMatch(row);
    const doc: ResultsDocument = {
      generated_at: '2026-12-02T00:00:00.000Z',
      quick: false,
      machine: { platform: 'Linux', cpus: 2, cpu_model: null, memory_gb: 4, node: 'v20', python: null },
      load: { start: [0.1, 0.1, 0.1], end: [0.1, 0.1, 0.1], mean_1m: 0.1 },
      duration_s: 1,
      results: [r],
      failures: [],
      scaling: [],
    };
    expect(renderDoc(doc)).toMatch(/; XGBoost[^|]*50000 \| 15\.0x \/ 25\.0x \|/);
  });

  it('a row without one renders as before', () => {
    const r = toResult(
      { work: 'analyze current era', median_ms: 3, peer_ms: 6, peer: 'numpy' },
      'd.bench.ts',
      null,
    );
    expect(r.other_peers).toBeUndefined();
    expect(renderTable([r])).toMatch(/numpy 6\.00\s+2\.0x/);
  });
});

describe('p99 budgets', () => {
  it('a fetch, a filtered query and the API at a fixed rate are held to their p99', () => {
    const fetch = toResult(
      { work: 'fetch one set (1000000 predictions stored)', median_ms: 0.05, p99_ms: 2.5, budget_ms: 2 },
      's.bench.ts',
      null,
    );
    expect(fetch.budget_stat).toBe('p99');
    expect(fetch.within_budget).toBe(false);
    expect(renderTable([fetch])).toMatch(/0\.050\s+2\.50\s+2\.00 p99/);
    const api = toResult(
      {
        work: 'GET /api/predictions (20 sets) at 500 req/s, 1000000 predictions stored',
        median_ms: 3,
        p99_ms: 12,
        budget_ms: 20,
      },
      'h.bench.ts',
      null,
    );
    expect(api.within_budget).toBe(true);
    const storeSet = toResult(
      { work: 'store a set of 5', median_ms: 1, p99_ms: 9, budget_ms: 2 },
      's.bench.ts',
      null,
    );
    expect(storeSet.budget_stat).toBe('median');
    expect(storeSet.within_budget).toBe(true);
    const explicit = toResult(
      { work: 'other', median_ms: 1, p99_ms: 9, budget_ms: 2, budget_stat: 'p99' },
      'o.bench.ts',
      null,
    );
    expect(explicit.within_budget).toBe(false);
  });
});

describe('growth', () => {
  it('fits the exponent of a power law', () => {
    expect(fittedExponent([1, 4, 16].map((x) => ({ x, y: 3 * x })))).toBeCloseTo(1, 10);
    expect(fittedExponent([1, 4, 16].map((x) => ({ x, y: 0.5 * x * x })))).toBeCloseTo(2, 10);
    expect(fittedExponent([10, 100, 1000].map((x) => ({ x, y: 7 })))).toBeCloseTo(0, 10);
  });

  it('groups explicit scale rows and store/feature rows that differ only by size', () => {
    const rows = [
      {
        work: 'scaling: CV, 1x (1290 rows)',
        median_ms: 10,
        scale_group: 'CV',
        scale_size: 1000,
        peer_ms: 50,
        peer: 'scikit-learn',
      },
      {
        work: 'scaling: CV, 4x (5160 rows)',
        median_ms: 40,
        scale_group: 'CV',
        scale_size: 4000,
        peer_ms: 500,
        peer: 'scikit-learn',
      },
      { work: 'scaling: CV, 16x (20640 rows)', median_ms: 160, scale_group: 'CV', scale_size: 16000 },
      { work: 'fetch one set (10000 predictions stored)', median_ms: 0.1, rows: 10_000 },
      { work: 'fetch one set (100000 predictions stored)', median_ms: 0.1, rows: 100_000 },
      { work: 'feature engineering, real history 1x (1390 draws)', median_ms: 2, draws: 1390 },
      { work: 'feature engineering, real history 4x (5560 draws)', median_ms: 8, draws: 5560 },
      { work: 'feature engineering, 5,000 draws', median_ms: 7, draws: 5000 },
      { work: 'analyze current era', median_ms: 3 },
    ].map((l) => toResult(l, 'x.bench.ts', null));
    const curves = scalingCurves(rows);
    expect(curves.map((c) => c.group)).toEqual(['CV', 'fetch one set', 'feature engineering, real history']);
    const [cv, fetch, features] = curves;
    expect(cv?.exponent).toBeCloseTo(1, 10);
    // Time ×10 for size ×4: the peer grows as size^(log 10 / log 4).
    expect(cv?.peer_exponent).toBeCloseTo(Math.log(10) / Math.log(4), 10);
    expect(fetch?.exponent).toBeCloseTo(0, 10);
    expect(fetch?.peer_exponent).toBeNull();
    expect(features?.points.map((p) => p.size)).toEqual([1390, 5560]);
    const text = renderScaling(curves);
    expect(text).toMatch(/CV: exponent 1\.00; peer exponent 1\.66/);
    expect(text).toMatch(/4000: 40\.00 ms \(×4\.0 for ×4\.0\)/);
  });
});

describe('renderDoc', () => {
  const doc: ResultsDocument = {
    generated_at: '2026-11-26T11:00:00.000Z',
    quick: false,
    machine: {
      platform: 'Linux 6.1 x64',
      cpus: 2,
      cpu_model: 'Test CPU',
      memory_gb: 24,
      node: 'v20.20.2',
      python: { python: '3.11.2', sklearn: '1.2.1', numpy: '1.24.2' },
    },
    load: { start: [9.5, 9, 8], end: [10, 9, 8], mean_1m: 9.8 },
    duration_s: 300,
    results: [toResult({ work: 'a | b', median_ms: 2, p99_ms: 3, budget_ms: 1 }, 'a.bench.ts', 50)],
    failures: [{ file: 'b.bench.ts', reason: 'timed out', stderr: '' }],
    scaling: [],
  };

  it('describes the machine, the load, the table and how to reproduce', () => {
    const md = renderDoc(doc);
    expect(md).toMatch(/2 cores \(Test CPU\), 24\.0 GB memory/);
    expect(md).toMatch(/Node v20\.20\.2; Python 3\.11\.2, scikit-learn 1\.2\.1, numpy 1\.24\.2/);
    expect(md).toMatch(/mean 1-minute load 9\.80 during the run — \*\*the machine was busy\*\*/);
    expect(md).toMatch(/\| a \\\| b \| 2\.00 ms \| 3\.00 ms \| 1\.00 ms \|.*\*\*over budget\*\*/);
    expect(md).toMatch(/`b\.bench\.ts`: timed out/);
    expect(md).toMatch(/npm run bench -- --write-doc/);
    const p99 = renderDoc({
      ...doc,
      results: [
        toResult(
          { work: 'fetch one set (10 predictions stored)', median_ms: 1, p99_ms: 1.5, budget_ms: 2 },
          's.bench.ts',
          9,
        ),
      ],
    });
    expect(p99).toMatch(
      /\| fetch one set \(10 predictions stored\) \| 1\.00 ms \| 1\.50 ms \| 2\.00 ms p99 \|/,
    );
  });

  it('says when the peers are the legacy figures and does not call a quiet machine busy', () => {
    const md = renderDoc({
      ...doc,
      machine: { ...doc.machine, python: null },
      // Quiet at the start; a mean below the core count is the benchmarks' own threads.
      load: { start: [0.2, 1.1, 2], end: [1.9, 1.7, 1.9], mean_1m: 1.6 },
    });
    expect(md).toMatch(/no Python with scikit-learn \(peers are the legacy figures of DESIGN §7\)/);
    expect(md).not.toMatch(/busy/);
  });
});
