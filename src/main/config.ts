/**
 * Configuration is resolved once here (flag > environment > default) into a frozen object (STYLE §9).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppConfig } from '../services/context.js';

/** The project folder (holds the bundled `data/powerball`), whether running from src or dist. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const OFFICIAL_NY_EXPORT_URL = 'https://data.ny.gov/api/views/d6yy-54nr/rows.csv?accessType=DOWNLOAD';

export function resolveConfig(dbFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dbPath = path.resolve(dbFlag ?? env.PBI_DB ?? path.join('data', 'insights.db'));
  return Object.freeze({
    dbPath,
    bundledDataDir: path.join(PROJECT_ROOT, 'data', 'powerball'),
    backupDir: env.PBI_BACKUP_DIR
      ? path.resolve(env.PBI_BACKUP_DIR)
      : path.join(path.dirname(dbPath), 'backups'),
    backupKeep: Number(env.PBI_BACKUP_KEEP ?? 5),
    updateUrl: env.PBI_UPDATE_URL ?? OFFICIAL_NY_EXPORT_URL,
    httpTimeoutMs: Number(env.PBI_HTTP_TIMEOUT_MS ?? 30_000),
    ...(env.PBI_TOKEN ? { serveToken: env.PBI_TOKEN } : {}),
    // Off by default: only a configured endpoint ever sees a question.
    ...(env.PBI_ASK_URL
      ? {
          askModel: Object.freeze({
            url: env.PBI_ASK_URL,
            model: env.PBI_ASK_MODEL || null,
            apiKey: env.PBI_ASK_API_KEY || null,
            timeoutMs: Number(env.PBI_ASK_TIMEOUT_MS ?? 15_000),
          }),
        }
      : {}),
  });
}
