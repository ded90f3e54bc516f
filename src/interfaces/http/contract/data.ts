/**
 * Response schemas of the database's own state (/api/data…): integrity check, size, backups, and
 * the legacy migration runs.
 */
import { z } from '@hono/zod-openapi';
import { JsonValueSchema } from './common.js';

export const IntegrityReportSchema = z
  .object({
    database: z.string(),
    ok: z.boolean(),
    problems: z.array(z.string()),
    notes: z.array(z.string()).optional(),
  })
  .openapi('IntegrityReport');

export const DatabaseStatusSchema = z
  .object({
    database: z.string().openapi({ description: 'path of the database file on the server' }),
    bytes: z.number().int(),
    walBytes: z.number().int().openapi({ description: 'write-ahead log not yet folded into the file' }),
    draws: z.number().int(),
    backupDir: z.string(),
    backupKeep: z.number().int().openapi({ description: 'backups kept; older ones are removed' }),
    backups: z.array(z.object({ file: z.string(), bytes: z.number().int(), createdAt: z.string() })),
  })
  .openapi('DatabaseStatus');

export const BackupReportSchema = z
  .object({
    file: z.string(),
    bytes: z.number().int(),
    draws: z.number().int().openapi({ description: 'draws read back from the backup' }),
    removed: z.array(z.string()).openapi({ description: 'older backups removed by rotation' }),
    kept: z.number().int(),
  })
  .openapi('BackupReport');

export const MigrationRunSchema = z
  .object({
    id: z.number().int(),
    sourceDir: z.string(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    status: z.enum(['running', 'completed', 'failed']),
    dryRun: z.boolean(),
    report: z.record(z.string(), JsonValueSchema).nullable(),
  })
  .openapi('MigrationRun');

export type IntegrityReport = z.infer<typeof IntegrityReportSchema>;
export type DatabaseStatus = z.infer<typeof DatabaseStatusSchema>;
export type BackupReport = z.infer<typeof BackupReportSchema>;
export type MigrationRun = z.infer<typeof MigrationRunSchema>;
