/**
 * Reading stored predictions through the service and `pbi predictions list|show` (in-process CLI,
 * real database): what the sets the store holds look like to a user, before any generator exists.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../src/domain/dates.js';
import { runCli } from '../../src/interfaces/cli/program.js';
import type { AppConfig } from '../../src/services/context.js';
import { MLPredictionService } from '../../src/services/ml-prediction-service.js';
import { setRequest } from '../store/helpers.js';
import { makeTestDb } from '../support/test-db.js';

let dir: string;
let config: AppConfig;
let setIds: string[];

beforeEach(() => {
  ({ dir, config } = makeTestDb({ name: 'x.db', prefix: 'pbi-predictions-', config: { backupKeep: 1 } }));
  const service = MLPredictionService.open(config);
  setIds = [];
  // 2026-01-01 .. 2026-01-08: odd days 'ml', even days 'weighted'; sizes 1..8.
  for (let i = 0; i < 8; i++)
    setIds.push(
      service.context.store.predictions.storePredictions(
        setRequest(
          {
            source: i % 2 ? 'weighted' : 'ml',
            createdAt: `2026-01-0${i + 1}T09:00:00Z`,
            targetDrawDate: '2026-01-10' as IsoDate,
          },
          i + 1,
        ),
      ).setId,
    );
  service.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function pbi(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    ['--db', config.dbPath, ...argv],
    { stdout: { write: (s) => void (stdout += s) }, stderr: { write: (s) => void (stderr += s) } },
    () => config,
  );
  return { code, stdout, stderr };
}

describe('PredictionQueryService', () => {
  it('filters by model, current, since, and pages', () => {
    const service = MLPredictionService.open(config);
    try {
      const q = service.predictions;
      expect(q.list().items.map((s) => s.setId)).toEqual([...setIds].reverse());
      expect(q.list({ model: 'ml' }).items.map((s) => s.total)).toEqual([7, 5, 3, 1]);
      expect(q.list({ current: true }).items.map((s) => s.setId)).toEqual([setIds[7], setIds[6]]);
      expect(q.list({ since: '2026-01-07' }).items.map((s) => s.setId)).toEqual([setIds[7], setIds[6]]);
      const page = q.list({ limit: 3, offset: 3 });
      expect(page).toMatchObject({ limit: 3, offset: 3, hasMore: true });
      expect(page.items.map((s) => s.setId)).toEqual([setIds[4], setIds[3], setIds[2]]);
      expect(q.list({ limit: 3, offset: 6 }).hasMore).toBe(false);
      expect(q.listPredictions({ model: 'weighted', limit: 10 }).items).toHaveLength(10);
      expect(q.current('ml')?.setId).toBe(setIds[6]);
      expect(q.show(setIds[3] as string).tickets).toHaveLength(4);
      expect(() => q.list({ since: '2026-02-30' })).toThrow(
        expect.objectContaining({ issues: [expect.objectContaining({ where: 'since' })] }) as Error,
      );
      expect(() => q.show('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
    } finally {
      service.close();
    }
  });
});

describe('pbi predictions', () => {
  it('list prints newest first with a next-page hint; --json is one document', async () => {
    const text = await pbi('predictions', 'list', '--limit', '2');
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[2]).toContain(setIds[7]);
    expect(lines[3]).toContain(setIds[6]);
    expect(text.stdout).toMatch(/More sets follow: --offset 2/);
    const json = JSON.parse(
      (await pbi('--json', 'predictions', 'list', '--model', 'ml', '--current')).stdout,
    );
    expect(json.items).toHaveLength(1);
    expect(json.items[0]).toMatchObject({ setId: setIds[6], source: 'ml', isCurrent: true, total: 7 });
    expect(json.items[0].tickets).toHaveLength(7);
  });

  it('show prints each ticket’s belief as a multiple of a random ticket, and the true odds once', async () => {
    const r = await pbi('predictions', 'show', setIds[2] as string);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/for draw\s+2026-01-10/);
    // Stored probability 1e-8 = 2.92 × 1/292,201,338.
    expect(r.stdout).toMatch(/1\s+01 03 05 07 09 PB 01\s+2\.92× a random ticket, by this strategy's belief/);
    expect(r.stdout).toMatch(/true jackpot odds of every ticket are 1 in 292,201,338/);
    expect(r.stdout).not.toMatch(/probability/);
    const json = JSON.parse((await pbi('--json', 'predictions', 'show', setIds[2] as string)).stdout);
    expect(json.tickets[0].beliefMultiple).toBeCloseTo(2.92201338, 8);
    expect(json.tickets[0]).not.toHaveProperty('probability');
    expect(json.tickets.map((t: { whites: number[] }) => t.whites)).toEqual([
      [1, 3, 5, 7, 9],
      [8, 10, 12, 14, 16],
      [15, 17, 19, 21, 23],
    ]);
  });

  it('rejects bad flags naming them (exit 2), and unknown sets with exit 1', async () => {
    const since = await pbi('predictions', 'list', '--since', 'yesterday');
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since/);
    const limit = await pbi('predictions', 'list', '--limit', '0');
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/--limit/);
    const missing = await pbi('--json', 'predictions', 'show', 'set_nope');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr).error.code).toBe('NOT_FOUND');
  });
});
