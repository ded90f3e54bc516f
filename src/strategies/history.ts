/**
 * History helpers: the part of a history that means the same thing as the target's era, and a
 * per-history cache so that repeated calls with the same history array do their work once.
 */
import type { Draw } from '../domain/draw.js';
import { eraOf, type RuleEra, sameRanges } from '../domain/eras.js';

/**
 * The newest run of draws played under the same number ranges as `era` (oldest first). Earlier
 * draws used other ranges, so their frequencies do not describe this era's numbers (DESIGN §8).
 */
export function sameRangeSuffix(history: readonly Draw[], era: RuleEra): readonly Draw[] {
  let start = history.length;
  while (start > 0) {
    const d = history[start - 1] as Draw;
    if (d.date < era.from && !sameRanges(eraOf(d.date), era)) break;
    start--;
  }
  return start === 0 ? history : history.slice(start);
}

/**
 * Caches values computed from a history array, keyed by the array's identity and a string key.
 * The service hands strategies the same frozen array for as long as the stored draws do not change
 * (`store.draws.revision()`), so a new revision means a new array and the old entries are dropped
 * with it (WeakMap).
 */
export class HistoryCache<T> {
  private readonly byHistory = new WeakMap<readonly Draw[], Map<string, T>>();

  get(history: readonly Draw[], key: string, compute: () => T): T {
    let m = this.byHistory.get(history);
    if (!m) {
      m = new Map();
      this.byHistory.set(history, m);
    }
    let v = m.get(key);
    if (v === undefined) {
      v = compute();
      // Bound the per-history map: a backtest asks for many keys on ever-new arrays anyway.
      if (m.size > 64) m.clear();
      m.set(key, v);
    }
    return v;
  }
}
