/**
 * `ml_memory/*.json` (the last training session per model) → a finished train run in experiment
 * "legacy ml_memory" with the last training's metrics and the whole document as a tag.
 */
import path from 'node:path';
import { PbiError } from '../../domain/errors.js';
import { readMlMemory, type LegacyMemoryRecord, type LegacySourceFile } from '../../legacy/index.js';
import type { JsonObject, JsonValue } from '../../domain/json.js';
import type { MetricPoint } from '../../domain/run.js';
import type { SourceAccumulator } from './ledger.js';
import { MAPPING } from './mapping.js';
import type { MappingRun, Prepared } from './mapping-run.js';
import { flattenParams, isoOr, sanitizeKey, sha256 } from './sanitize.js';

const asObject = (v: JsonValue | undefined): JsonObject | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : null;

/** The numbers of the last training and of every history entry, as metric points. */
function memoryMetrics(doc: JsonObject, startedAt: string): MetricPoint[] {
  const metrics: MetricPoint[] = [];
  const lm = asObject(asObject(doc['last_training'])?.['metrics']);
  if (lm)
    for (const [k, v] of Object.entries(lm))
      if (typeof v === 'number')
        metrics.push({ key: sanitizeKey(k), step: 0, value: v, timestamp: startedAt });
  const hist = doc['history'];
  if (Array.isArray(hist))
    hist.forEach((item: JsonValue, i) => {
      const entry = asObject(item);
      if (!entry) return;
      const ts = typeof entry['timestamp'] === 'string' ? isoOr(entry['timestamp'], startedAt) : startedAt;
      for (const [k, v] of Object.entries(entry))
        if (typeof v === 'number')
          metrics.push({ key: sanitizeKey(`history.${k}`), step: i, value: v, timestamp: ts });
    });
  return metrics;
}

/** Reads one training memory document; the write stores it as a run. */
export function prepareMemory(
  run: MappingRun,
  src: LegacySourceFile,
  text: string,
  acc: SourceAccumulator,
): Prepared {
  const name = path.basename(src.rel);
  const mem = readMlMemory([{ name, text }]);
  acc.read('ml_memory');
  acc.mapping.ml_memory = MAPPING.ml_memory as string;
  const broken = mem.problems.find((p) => p.skipped);
  if (broken) throw new PbiError('MALFORMED_FILE', `${src.rel} is unreadable: ${broken.reason}`);
  acc.problems(mem.problems, () => 'ml_memory');
  const record = mem.records[0] as LegacyMemoryRecord;
  return () => {
    const key = 'document';
    const checksum = sha256(JSON.stringify(record.document));
    if (acc.state('ml_memory', key, checksum, name) !== 'new') return;
    const startedAt = record.lastTrainedAt ?? run.now();
    if (!record.lastTrainedAt) acc.note(name, 'no last_training.timestamp; the migration time is used');
    const doc = record.document;
    const lt = asObject(doc['last_training']) ?? {};
    const seconds = typeof lt['training_duration'] === 'number' ? lt['training_duration'] : 0;
    const id = run.store.runs.record({
      experiment: 'legacy ml_memory',
      kind: 'train',
      modelName: record.modelName,
      params: flattenParams(lt['hyperparameters'] ?? null),
      tags: { legacy_file: src.rel, legacy_memory: JSON.stringify(doc) },
      startedAt,
      status: 'finished',
      endedAt: new Date(Date.parse(startedAt) + Math.max(0, seconds) * 1000).toISOString(),
      durationMs: Math.max(0, seconds) * 1000,
      metrics: memoryMetrics(doc, startedAt),
    });
    acc.details.runId = id;
    acc.migrated('ml_memory', key, checksum, `run:${id}`, 'training-memory');
  };
}
