/**
 * Which legacy files a legacy app folder (DESIGN §5) holds, in the order `pbi migrate` reads them.
 * The legacy app kept them under `data/` and `models/`; a folder where the same files sit at its
 * root (a copy of `data/` alone, say) is read the same way. Only looks at names and file types:
 * reading and parsing each file is the migration's job, file by file.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What a legacy file holds. */
export type LegacyFileKind =
  | 'model_artifact'
  | 'prediction_models'
  | 'prediction_history'
  | 'model_predictions_db'
  | 'experiments_db'
  | 'ml_memory';

export interface LegacySourceFile {
  /** Path relative to the legacy folder, `/`-separated: the source's name in reports and the ledger. */
  readonly rel: string;
  /** Absolute path. */
  readonly file: string;
  readonly kind: LegacyFileKind;
}

export interface LegacyFolderPlan {
  /** The files found, models first so the sets that name them can link them. */
  readonly plan: readonly LegacySourceFile[];
  /** The optional sources that were not found, by their usual place (`data/…`, `models/*.joblib`). */
  readonly missing: readonly string[];
}

interface Single {
  readonly kind: LegacyFileKind;
  /** Where the legacy app wrote it, relative to the `data/` folder. */
  readonly name: string;
}

interface Many {
  readonly kind: LegacyFileKind;
  /** Folder relative to the legacy folder (`data/` ones are also looked for at the root). */
  readonly dir: string;
  readonly ext: string;
}

/** In migration order. */
const SOURCES: readonly (Single | Many)[] = [
  { kind: 'model_artifact', dir: 'models', ext: '.joblib' },
  { kind: 'prediction_models', name: 'prediction_models.joblib' },
  { kind: 'prediction_history', name: 'prediction_history.joblib' },
  { kind: 'model_predictions_db', name: 'model_predictions.db' },
  { kind: 'experiments_db', name: 'experiment_tracking/experiments.db' },
  { kind: 'ml_memory', dir: 'data/ml_memory', ext: '.json' },
];

/** Every optional source by its usual place, as the messages name them. */
export const LEGACY_SOURCE_NAMES: readonly string[] = SOURCES.map((s) =>
  'name' in s ? `data/${s.name}` : `${s.dir}/*${s.ext}`,
);

const isFile = (f: string): boolean => existsSync(f) && statSync(f).isFile();
const isDir = (f: string): boolean => existsSync(f) && statSync(f).isDirectory();

/** The places a `data/` path may be: under `data/` first, else at the folder's root. */
function candidates(rel: string): string[] {
  return rel.startsWith('data/') ? [rel, rel.slice('data/'.length)] : [rel];
}

/**
 * The legacy files in `root` (an existing folder), in migration order; for each source, its usual
 * place under `data/` wins over the same name at the root.
 */
export function discoverLegacyFolder(root: string): LegacyFolderPlan {
  const plan: LegacySourceFile[] = [];
  const missing: string[] = [];
  for (const [i, s] of SOURCES.entries()) {
    if ('name' in s) {
      const rel = candidates(`data/${s.name}`).find((c) => isFile(path.join(root, c)));
      if (rel === undefined) missing.push(LEGACY_SOURCE_NAMES[i] as string);
      else plan.push({ rel, file: path.join(root, rel), kind: s.kind });
      continue;
    }
    const dir = candidates(s.dir).find((c) => isDir(path.join(root, c)));
    const names =
      dir === undefined
        ? []
        : readdirSync(path.join(root, dir))
            .filter((n) => n.endsWith(s.ext) && isFile(path.join(root, dir, n)))
            .sort();
    if (names.length === 0) missing.push(LEGACY_SOURCE_NAMES[i] as string);
    for (const n of names)
      plan.push({ rel: `${dir}/${n}`, file: path.join(root, dir as string, n), kind: s.kind });
  }
  return { plan, missing };
}
