import { describe, expect, it } from 'vitest';
import { remoteUnitCount, runUnits, warmUpWorkers } from '../../src/ml/parallel/pool.js';

describe('runUnits', () => {
  it('returns every unit in order even when the workers fail on the batch (they redo nothing wrong)', async () => {
    await warmUpWorkers(2);
    // The workers cannot run this batch (no binned matrix): they reply with an error and no results,
    // so every unit is computed by the calling thread.
    const done: number[] = [];
    const out = runUnits<number>({
      kind: 'forest',
      batch: { bogus: true },
      units: 50,
      threads: 2,
      local: (i) => i * i,
      revive: () => -1,
      onDone: (d) => done.push(d),
    });
    expect(out).toEqual(Array.from({ length: 50 }, (_, i) => i * i));
    expect(done.at(-1)).toBe(50);
    for (let i = 1; i < done.length; i++) expect(done[i]).toBeGreaterThan(done[i - 1] as number);
  });

  it('stays on the calling thread with threads = 1', () => {
    const before = remoteUnitCount();
    const out = runUnits<number>({
      kind: 'forest',
      batch: null,
      units: 7,
      threads: 1,
      local: (i) => i + 1,
      revive: () => 0,
    });
    expect(out).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(remoteUnitCount()).toBe(before);
  });
});
