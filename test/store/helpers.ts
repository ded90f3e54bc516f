/**
 * Shared test helpers for the store: valid requests to vary, and a checksum of
 * every table's content (to prove a rejected request changed nothing).
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { IsoDate } from '../../src/domain/dates.js';
import type { RegisterModelVersionRequest } from '../../src/store/model-registry-types.js';
import type { StorePredictionsRequest, TicketInput } from '../../src/store/prediction-types.js';

/** SHA-256 of every row of every table (ordered), keyed by table name. */
export function tableChecksums(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[];
    const out: Record<string, string> = {};
    for (const { name } of tables) {
      const h = createHash('sha256');
      const cols = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[]).map(
        (c) => `"${c.name}"`,
      );
      for (const row of db
        .prepare(`SELECT * FROM "${name}" ORDER BY ${cols.join(', ')}`)
        .raw()
        .iterate())
        h.update(
          JSON.stringify(row, (_k, v: unknown) =>
            Buffer.isBuffer(v) ? v.toString('hex') : typeof v === 'bigint' ? v.toString() : v,
          ),
        );
      out[name] = h.digest('hex');
    }
    return out;
  } finally {
    db.close();
  }
}

/** A valid ticket of the current era; `n` varies it. */
export function ticket(n = 0, probability = 1e-8): TicketInput {
  const base = (n * 7) % 60;
  return {
    whites: [base + 5, base + 1, base + 9, base + 3, base + 7],
    powerball: (n % 26) + 1,
    probability,
  };
}

/** A valid request for `count` tickets; override any field. */
export function setRequest(
  overrides: Partial<StorePredictionsRequest> = {},
  count = 5,
): StorePredictionsRequest {
  return {
    source: 'weighted',
    targetDrawDate: '2026-01-03' as IsoDate,
    createdAt: '2026-01-02T10:00:00Z',
    seed: 42,
    weights: { frequency: 0.2, recency: 0.15, ml: 0.1 },
    tickets: Array.from({ length: count }, (_, i) => ({
      ...ticket(i),
      contributions: { frequency: 0.5, ml: 0.5 },
    })),
    ...overrides,
  };
}

/** A valid registration; override any field. */
export function versionRequest(
  overrides: Partial<RegisterModelVersionRequest> = {},
): RegisterModelVersionRequest {
  return {
    name: 'ridge',
    kind: 'ridge',
    hyperparameters: { alpha: 1, fitIntercept: true },
    featureNames: ['sum_mean_10', 'gap_white_1'],
    folds: [
      { fold: 0, trainSize: 100, testSize: 20, metrics: { mae: 10 }, baselines: { mean: { mae: 12 } } },
      { fold: 1, trainSize: 120, testSize: 20, metrics: { mae: 12 }, baselines: { mean: { mae: 14 } } },
    ],
    trainingDurationMs: 25.5,
    seed: 7,
    artifact: new Uint8Array([1, 2, 3, 250, 0, 9]),
    createdAt: '2026-01-01T00:00:00Z',
    ...overrides,
  };
}
