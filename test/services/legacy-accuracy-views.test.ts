/**
 * The evaluation views after migrating legacy accuracy (fixtures in the shapes the legacy app
 * really wrote): the service's comparison, `pbi evaluate` (rendered, and the real CLI process) and
 * GET /api/evaluation/legacy all show the legacy figures labelled as legacy, beside the product's
 * own scores and our scoring of the same tickets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEvaluation } from '../../src/interfaces/cli/commands/evaluate.js';
import { createApp } from '../../src/interfaces/http/app.js';
import type { EvaluationReport } from '../../src/services/evaluation-service.js';
import type { EvaluationComparison } from '../../src/services/legacy-accuracy-view.js';
import { MLPredictionService } from '../../src/services/ml-prediction-service.js';
import { runPbi } from '../support/run-pbi.js';
import { makeTestDb } from '../support/test-db.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'legacy-accuracy');

let dir: string;
let service: MLPredictionService;
let report: EvaluationReport;
let before: EvaluationComparison;

beforeAll(async () => {
  const db = makeTestDb({ name: 'insights.db', prefix: 'pbi-legacy-views-' });
  dir = db.dir;
  service = MLPredictionService.open(db.config);
  service.draws.importFile(path.join(FIXTURES, 'draws.csv'));
  await service.migration.migrate(path.join(FIXTURES, 'app-real'));
  before = service.evaluation.comparison();
  report = service.evaluation.evaluate();
}, 60_000);
afterAll(() => {
  service.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the comparison behind the evaluation views', () => {
  it('labels every migrated record legacy, per legacy model, with the figures as the legacy wrote them', () => {
    const stored = service.context.store.legacyAccuracy.list();
    const byId = [...before.legacy.records].sort((a, b) => a.id - b.id);
    expect(byId.map((r) => [r.id, r.label, r.whiteMatches, r.accuracyScore])).toEqual(
      stored
        .map((r) => [r.id, 'legacy', r.whiteMatches, r.accuracyScore])
        .sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    expect(before.legacy.total).toBe(27);
    // Newest draw first, undated records last.
    const dates = before.legacy.records.map((r) => r.drawDate ?? '');
    expect(dates.slice(0, 3)).toEqual(['2026-09-02', '2026-09-02', '2026-09-02']);
    expect(dates.slice(-3)).toEqual(['', '', '']);
    expect(before.legacy.models.map((m) => [m.model, m.records])).toEqual([
      ['Gradient Boosting', 8],
      ['prediction history', 3],
      ['Random Forest', 8],
      ['Ridge Regression', 8],
    ]);
    expect(before.legacy.models.every((m) => m.label === 'legacy')).toBe(true);
  });

  it('scores the same tickets our way beside each linked record, agreeing where the legacy figures agree with the draw', () => {
    const linkedAgreeing = before.legacy.records.filter((r) => r.link !== 'none' && r.check === 'agrees');
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as {
      apps: { 'app-real': { prediction_accuracy: { link: string; check?: string }[] } };
    };
    expect(linkedAgreeing).toHaveLength(
      expected.apps['app-real'].prediction_accuracy.filter((e) => e.link !== 'none' && e.check === 'agrees')
        .length,
    );
    for (const r of linkedAgreeing) {
      expect(r.product, r.legacyRecord).not.toBeNull();
      // The legacy rounded its averages to 2 decimals.
      expect(
        Math.abs(r.product!.meanWhiteMatches - (r.whiteMatches as number)),
        r.legacyRecord,
      ).toBeLessThanOrEqual(0.005 + 1e-9);
      expect(r.product!.powerballHits > 0, r.legacyRecord).toBe(r.powerballMatch);
    }
    const typo = before.legacy.records.filter((r) => r.drawDate === '2025-01-15');
    expect(typo.map((r) => r.check)).toEqual(['disagrees', 'disagrees', 'disagrees']);
  });

  it('checks again against draws imported after the migration', () => {
    const late = () => before.legacy.records.filter((r) => r.drawDate === '2026-09-02');
    expect(late().map((r) => r.check)).toEqual(['no draw', 'no draw', 'no draw']);
    service.draws.add({ date: '2026-09-02', whites: [5, 17, 22, 48, 60], powerball: 11 });
    const now = service.evaluation.comparison().legacy.records.filter((r) => r.drawDate === '2026-09-02');
    expect(now.map((r) => r.check)).toEqual(['agrees', 'agrees', 'agrees']);
    expect(now.every((r) => r.product !== null)).toBe(true);
  });
});

describe('pbi evaluate', () => {
  it("reports the product's own scores per source beside the legacy accuracy per legacy model", () => {
    // pbi evaluate scored the migrated sets against their target draws: the product's own scores.
    expect(report.scored).toBeGreaterThan(0);
    const scores = service.context.store.scores.listScores();
    expect(report.standings.product.map((p) => [p.source, p.tickets])).toEqual(
      [...new Set(scores.map((s) => s.source))]
        .sort()
        .map((s) => [s, scores.filter((x) => x.source === s).length]),
    );
    expect(report.standings.legacy.map((m) => m.model)).toEqual(before.legacy.models.map((m) => m.model));
    const text = renderEvaluation(report);
    expect(text).toMatch(/Scores so far \(this product, every stored score\):/);
    expect(text).toMatch(/Legacy accuracy \(migrated from the legacy app, its own figures as written/);
    for (const m of ['Ridge Regression', 'Random Forest', 'Gradient Boosting'])
      expect(text).toMatch(new RegExp(`^legacy: ${m} +8 `, 'm'));
    expect(text).toMatch(/^legacy: prediction history +3 +0 /m);
    expect(text).toContain("Legacy figures are the legacy app's own");
  });

  it('the CLI prints the same view, and --json carries it', async () => {
    // In process (the runCli the executable calls): a child running tsx per command cost minutes
    // under load and blocked the test worker while it ran.
    const cli = async (args: string[]) => {
      const r = await runPbi(args, { PBI_BACKUP_DIR: path.join(dir, 'backups') });
      return { status: r.code, stdout: r.stdout, stderr: r.stderr };
    };
    const fresh = path.join(dir, 'cli.db');
    expect((await cli(['--db', fresh, 'draws', 'import', path.join(FIXTURES, 'draws.csv')])).status).toBe(0);
    const migrated = await cli(['--db', fresh, 'migrate', path.join(FIXTURES, 'app-real')]);
    expect(migrated.status, migrated.stderr).toBe(0);
    expect(migrated.stdout).toContain(
      '  accuracy records: 20 linked, 4 kept unlinked; against the stored draws 15 agree, 3 disagree (legacy figures kept), 6 not checkable',
    );
    const db = path.join(dir, 'insights.db');
    const text = await cli(['--db', db, 'evaluate']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^legacy: Ridge Regression +8 +\d+ +0\.\d{3} /m);
    const json = await cli(['--db', db, '--json', 'evaluate']);
    expect(json.status, json.stderr).toBe(0);
    const r = JSON.parse(json.stdout) as EvaluationReport;
    expect(r.standings.legacy.map((m) => m.records)).toEqual([8, 3, 8, 8]);
    expect(r.nothingNew).toBe(true);
    const listed = await cli(['--db', db, 'evaluate', '--legacy', '3']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/Legacy accuracy records, newest draw first \(3 of 27\):/);
    expect(listed.stdout).toMatch(
      /^2026-09-02 +legacy: Ridge Regression +set average +0\.20 +no +0\.0333 +current_at_draw/m,
    );
    const bad = await cli(['--db', db, 'evaluate', '--legacy', '0']);
    expect([bad.status, bad.stderr]).toEqual([
      2,
      expect.stringMatching(/--legacy must be a whole number from 1/),
    ]);
  }, 90_000);
});

describe('GET /api/evaluation/legacy', () => {
  it('returns every legacy record with its check, beside the product scores', async () => {
    const { app } = createApp({ service, staticDir: null });
    const res = await app.request('/api/evaluation/legacy');
    expect(res.status).toBe(200);
    const body = (await res.json()) as EvaluationComparison;
    expect(body).toEqual(JSON.parse(JSON.stringify(service.evaluation.comparison())));
    expect(body.legacy.records).toHaveLength(27);
    expect(body.product.length).toBeGreaterThan(0);
    const page = (await (
      await app.request('/api/evaluation/legacy?limit=5&offset=5')
    ).json()) as EvaluationComparison;
    expect(page.legacy.records).toEqual(body.legacy.records.slice(5, 10));
    expect(page.legacy.total).toBe(27);
    expect(page.legacy.models).toEqual(body.legacy.models);
    const bad = await app.request('/api/evaluation/legacy?limit=-1');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: { where: string }[] } }).error.issues[0]?.where).toMatch(
      /limit/,
    );
  });
});
