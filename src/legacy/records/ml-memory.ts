/**
 * `ml_memory/*.json` → typed records: the last training session the legacy app remembered per
 * model. The files are plain JSON; a broken file is a problem, not a failure.
 */
import type { JsonValue } from '../../domain/json.js';
import { normalizeTimestamp, type LegacyProblem } from './common.js';

export interface LegacyMemoryRecord {
  /** File name, e.g. `ridge_memory.json`: the record's identity. */
  readonly file: string;
  /** `model_name`, else the file name without `_memory.json`. */
  readonly modelName: string;
  /** `last_training.timestamp` as UTC ISO-8601, or null. */
  readonly lastTrainedAt: string | null;
  /** The whole document, parsed. */
  readonly document: { readonly [key: string]: JsonValue };
}

export interface LegacyMemory {
  readonly records: readonly LegacyMemoryRecord[];
  readonly problems: readonly LegacyProblem[];
}

/** Reads memory files given as `{ name, text }` (the caller lists and reads the folder). */
export function readMlMemory(
  files: readonly { readonly name: string; readonly text: string }[],
): LegacyMemory {
  const records: LegacyMemoryRecord[] = [];
  const problems: LegacyProblem[] = [];
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    let doc: unknown;
    try {
      doc = JSON.parse(f.text);
    } catch (e) {
      problems.push({
        source: 'ml_memory',
        record: f.name,
        reason: `malformed JSON (${e instanceof Error ? e.message.slice(0, 60) : 'parse error'})`,
        skipped: true,
      });
      continue;
    }
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      problems.push({ source: 'ml_memory', record: f.name, reason: 'not a JSON object', skipped: true });
      continue;
    }
    const d = doc as { [key: string]: JsonValue };
    const last = d['last_training'];
    const ts =
      typeof last === 'object' && last !== null && !Array.isArray(last) ? last['timestamp'] : undefined;
    let lastTrainedAt: string | null = null;
    if (ts !== undefined) {
      const t = normalizeTimestamp(ts);
      if ('iso' in t) lastTrainedAt = t.iso;
      else
        problems.push({
          source: 'ml_memory',
          record: f.name,
          field: 'last_training.timestamp',
          reason: `timestamp ${t.error}`,
          skipped: false,
        });
    }
    const name = d['model_name'];
    records.push({
      file: f.name,
      modelName: typeof name === 'string' && name !== '' ? name : f.name.replace(/(_memory)?\.json$/, ''),
      lastTrainedAt,
      document: d,
    });
  }
  return { records, problems };
}
