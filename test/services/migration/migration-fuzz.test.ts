/**
 * Mutated legacy files (seeded): whatever the readers make of them, a migration never throws, a file
 * either migrates or fails alone with a typed error that is not an internal one, and the database
 * still passes its check.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src/ml/rng.js';
import { MLPredictionService } from '../../../src/services/ml-prediction-service.js';
import { makeTestDb } from '../../support/test-db.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/legacy');
const HISTORY = fs.readFileSync(path.join(FIXTURES, 'app-basic/data/prediction_history.joblib'));

let dir: string;
beforeAll(() => {
  dir = makeTestDb({ prefix: 'pbi-migrate-fuzz-' }).dir;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function mutate(bytes: Buffer, rng: Rng): Buffer {
  const out = Buffer.from(bytes);
  const n = 1 + rng.nextInt(4);
  for (let i = 0; i < n; i++) {
    const at = 2 + rng.nextInt(out.length - 2); // keep the protocol header
    out[at] = rng.nextInt(256);
  }
  return out;
}

describe('migrating mutated legacy histories', () => {
  it('never throws, fails a bad file alone with a typed error, and leaves a consistent database', async () => {
    const rng = new Rng(20261126);
    const outcomes = { migrated: 0, failed: 0 };
    for (let i = 0; i < 40; i++) {
      const run = path.join(dir, `run-${i}`);
      fs.mkdirSync(path.join(run, 'legacy', 'data', 'ml_memory'), { recursive: true });
      fs.writeFileSync(path.join(run, 'legacy', 'data', 'prediction_history.joblib'), mutate(HISTORY, rng));
      fs.copyFileSync(
        path.join(FIXTURES, 'app-basic/data/ml_memory/ridge_memory.json'),
        path.join(run, 'legacy', 'data', 'ml_memory', 'ridge_memory.json'),
      );
      const db = makeTestDb({ name: 'x.db', prefix: 'pbi-migrate-fuzz-', config: { backupKeep: 1 } });
      const service = MLPredictionService.open(db.config);
      try {
        const report = await service.migration.migrate(path.join(run, 'legacy'));
        const history = report.sources.find((s) => s.source === 'data/prediction_history.joblib')!;
        if (history.status === 'failed') {
          outcomes.failed++;
          expect(history.error?.code, history.error?.message).not.toBe('INTERNAL');
          expect(service.context.store.predictions.counts()).toEqual({ sets: 0, predictions: 0 });
          expect(service.context.store.migrations.listLegacyFeedback()).toEqual([]);
        } else {
          outcomes.migrated++;
          for (const c of Object.values(history.records))
            expect(c.migrated + c.alreadyMigrated + c.skipped).toBe(c.read);
        }
        // The other file migrates whatever happened to the history.
        expect(report.sources.find((s) => s.kind === 'ml_memory')?.status).toBe('migrated');
        const check = service.database.check();
        expect(check.problems).toEqual([]);
      } finally {
        service.close();
        fs.rmSync(run, { recursive: true, force: true });
        db.cleanup();
      }
    }
    // The mutations hit both kinds of outcome (a test that only ever sees one proves little).
    expect(outcomes.migrated).toBeGreaterThan(0);
    expect(outcomes.failed).toBeGreaterThan(0);
  }, 120_000);
});
