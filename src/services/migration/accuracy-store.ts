/**
 * Storing legacy accuracy records (from the joblib history and from model_predictions.db): each
 * not migrated before is linked and checked, stored as written, and reported when unlinked or when
 * it disagrees with the stored draw.
 */
import type { LegacyAccuracyInput } from '../../store/legacy-accuracy-repository.js';
import type { AccuracyCheck } from './accuracy-linking.js';
import type { SourceAccumulator } from './ledger.js';
import type { MigrationStore } from './mapping-run.js';

/**
 * One legacy accuracy record with its ledger key; `build` links and checks it (only for records not
 * migrated before, so a second run over a large history does no linking work).
 */
export interface AccuracyItem {
  readonly key: string;
  readonly label: string;
  readonly checksum: string;
  readonly build: () => { readonly input: LegacyAccuracyInput; readonly check: AccuracyCheck };
}

/**
 * Stores legacy accuracy records not migrated before, reporting each unlinked record and each
 * disagreement with the real draw as a note (never changing the legacy figures).
 */
export function storeAccuracy(
  store: MigrationStore,
  acc: SourceAccumulator,
  kind: string,
  items: readonly AccuracyItem[],
): void {
  const fresh = items
    .filter((it) => acc.state(kind, it.key, it.checksum, it.label) === 'new')
    .map((it) => ({ ...it, ...it.build() }));
  const ids = fresh.length ? store.legacyAccuracy.store(fresh.map((it) => it.input)) : [];
  const tally = { linked: 0, unlinked: 0, agrees: 0, disagrees: 0, unchecked: 0 };
  fresh.forEach((it, i) => {
    if (it.input.link === 'none') {
      tally.unlinked++;
      acc.note(
        it.label,
        `kept unlinked (model ${it.input.modelName ?? '(none)'}, draw ${it.input.drawDate ?? '(none)'}): ${it.input.linkNote ?? 'no link found'}`,
      );
    } else tally.linked++;
    if (it.check.status === 'agrees') tally.agrees++;
    else if (it.check.status === 'disagrees') {
      tally.disagrees++;
      acc.note(
        it.label,
        `disagrees with the stored draw of ${it.input.drawDate}: ${it.check.differences.join('; ')}; the legacy figures are kept as written`,
      );
    } else tally.unchecked++;
    acc.migrated(kind, it.key, it.checksum, `legacy_accuracy:${ids[i]}`, 'accuracy');
  });
  acc.details.accuracy = tally;
}
