/**
 * Configuration is resolved once here (flag > environment > default) into a frozen object (STYLE §9).
 * Every environment variable is checked: a bad value is a usage error naming the variable, never a
 * NaN that surfaces later as a strange failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PbiError } from '../domain/errors.js';
import type { AppConfig } from '../services/context.js';

/** The project folder (holds the bundled `data/powerball`), whether running from src or dist. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const OFFICIAL_NY_EXPORT_URL = 'https://data.ny.gov/api/views/d6yy-54nr/rows.csv?accessType=DOWNLOAD';

/** Defaults of the settings an environment variable can change. */
export const CONFIG_DEFAULTS = Object.freeze({
  dbPath: path.join('data', 'insights.db'),
  backupKeep: 5,
  httpTimeoutMs: 30_000,
  maxConcurrentJobs: 1,
});

/** The package version (`pbi --version`). */
export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return pkg.version ?? 'unknown';
}

function badEnv(name: string, value: string, expected: string): PbiError {
  return new PbiError('USAGE', `environment variable ${name} must be ${expected}, got "${value}"`, [
    { where: name, reason: `expected ${expected}` },
  ]);
}

/** An integer variable in [min, max], or `fallback` when unset or empty. @throws PbiError (USAGE). */
function intEnv(env: NodeJS.ProcessEnv, name: string, min: number, max: number, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max)
    throw badEnv(name, raw, `a whole number from ${min} to ${max}`);
  return n;
}

/** An http(s) URL variable. @throws PbiError (USAGE). */
function urlEnv(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badEnv(name, raw, 'an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badEnv(name, raw, 'an http:// or https:// URL');
  return raw;
}

/** A non-empty string variable (an empty one counts as unset). */
function textEnv(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

/**
 * The frozen configuration: the `--db` flag over `$PBI_DB` over `data/insights.db` (relative to the
 * working folder), and the other settings from their variables or defaults.
 * @throws PbiError (USAGE) naming a variable whose value is invalid.
 */
export function resolveConfig(dbFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dbPath = path.resolve(dbFlag ?? textEnv(env, 'PBI_DB') ?? CONFIG_DEFAULTS.dbPath);
  const backupDir = textEnv(env, 'PBI_BACKUP_DIR');
  const token = textEnv(env, 'PBI_TOKEN');
  return Object.freeze({
    dbPath,
    bundledDataDir: path.join(PROJECT_ROOT, 'data', 'powerball'),
    backupDir: backupDir ? path.resolve(backupDir) : path.join(path.dirname(dbPath), 'backups'),
    backupKeep: intEnv(env, 'PBI_BACKUP_KEEP', 1, 1000, CONFIG_DEFAULTS.backupKeep),
    updateUrl: urlEnv(env, 'PBI_UPDATE_URL', OFFICIAL_NY_EXPORT_URL),
    httpTimeoutMs: intEnv(env, 'PBI_HTTP_TIMEOUT_MS', 1, 3_600_000, CONFIG_DEFAULTS.httpTimeoutMs),
    maxConcurrentJobs: intEnv(env, 'PBI_MAX_JOBS', 1, 16, CONFIG_DEFAULTS.maxConcurrentJobs),
    ...(token ? { serveToken: token } : {}),
    // Off by default: only a configured endpoint ever sees a question.
    ...(env.PBI_ASK_URL
      ? {
          askModel: Object.freeze({
            url: urlEnv(env, 'PBI_ASK_URL', env.PBI_ASK_URL),
            model: env.PBI_ASK_MODEL || null,
            apiKey: env.PBI_ASK_API_KEY || null,
            timeoutMs: intEnv(env, 'PBI_ASK_TIMEOUT_MS', 1, 600_000, 15_000),
          }),
        }
      : {}),
  });
}
