/**
 * What every source mapper works with during one run (the store parts it writes, the run's clock,
 * what this run converted) and the two store steps several mappers share.
 */
import { ConflictError } from '../../domain/errors.js';
import type { ModelRef } from '../../store/model-registry-types.js';
import type { StorePredictionsRequest, StorePredictionsResponse } from '../../store/prediction-types.js';
import type { Store } from '../../store/store.js';

/** The parts of the store the mappers read and write. */
export type MigrationStore = Pick<
  Store,
  'draws' | 'models' | 'predictions' | 'runs' | 'migrations' | 'legacyAccuracy'
>;

export interface MappingRun {
  readonly store: MigrationStore;
  /** The run's clock, as UTC ISO text. */
  now(): string;
  /** Artifacts converted in this run: in a dry run their versions are rolled back before sets could link them. */
  readonly convertedArtifacts: Set<string>;
}

/**
 * The read half of a source: a mapper parses and checks outside the transaction and returns this,
 * which writes its records and their ledger entries inside it.
 */
export type Prepared = () => void;

/** Stores a set, choosing another id when the preferred one is taken (checked before any write). */
export function storeSet(
  store: MigrationStore,
  request: StorePredictionsRequest & { setId: string },
): StorePredictionsResponse {
  for (let attempt = 1; ; attempt++) {
    const setId = attempt === 1 ? request.setId : `${request.setId.slice(0, 110)}-legacy${attempt}`;
    try {
      return store.predictions.storePredictions({ ...request, setId });
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt > 20) throw error;
    }
  }
}

/** The migrated model version a legacy artifact path became, when it was migrated and still exists. */
export function modelFor(store: MigrationStore, artifactPath: string | null): ModelRef | null {
  if (!artifactPath) return null;
  const base = artifactPath.split(/[\\/]/).pop() ?? '';
  const rec = store.migrations.findLegacyRecord(`models/${base}`, 'artifact');
  const m = rec ? /^(.+)@(\d+)$/.exec(rec.targetId.split(',')[0] ?? '') : null;
  if (!m) return null;
  try {
    const v = store.models.getVersion(m[1] as string, Number(m[2]));
    return { name: v.name, version: v.version };
  } catch {
    return null; // pruned since
  }
}
