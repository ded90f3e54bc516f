/**
 * The database itself (as `pbi db check|backup`) and the legacy migration runs (`pbi migrate`):
 * integrity, size, backups.
 */
import { createRoute, z } from '@hono/zod-openapi';
import {
  BackupReportSchema,
  DatabaseStatusSchema,
  IntegrityReportSchema,
  MigrationRunSchema,
} from '../contract/data.js';
import type { RouteModule } from '../deps.js';
import { reply } from '../reply.js';
import { errorResponses, ok, readRoute } from '../schemas.js';

const status = readRoute(
  {
    path: '/data',
    tag: 'data',
    summary: "The database file's size and the backups kept in the server's backup folder, newest first",
  },
  DatabaseStatusSchema,
  'database status',
);

const check = readRoute(
  {
    path: '/data/check',
    tag: 'data',
    summary:
      "SQLite's integrity check, foreign keys and every invariant of the stored data (as `pbi db check`)",
  },
  IntegrityReportSchema,
  'integrity report',
);

const backup = createRoute({
  method: 'post',
  path: '/data/backups',
  tags: ['data'],
  summary:
    "Write a consistent backup into the server's backup folder (as `pbi db backup`), keeping the newest ones",
  security: [{ bearerToken: [] }],
  responses: { ...ok(BackupReportSchema, 'the backup written'), ...errorResponses(400, 401) },
});

const migrations = createRoute({
  method: 'get',
  path: '/migrations',
  tags: ['migration'],
  summary: 'Legacy migration runs (`pbi migrate`): when, from where, counts, checksums and rejected records',
  responses: ok(z.object({ runs: z.array(MigrationRunSchema) }), 'migration runs'),
});

export const dataRoutes: RouteModule = (api, { service }) => {
  api.openapi(status, (c) => reply(c, DatabaseStatusSchema, service.database.status()));
  api.openapi(check, (c) => reply(c, IntegrityReportSchema, service.database.check()));
  api.openapi(backup, async (c) => reply(c, BackupReportSchema, await service.database.backup()));
  api.openapi(migrations, (c) =>
    reply(c, z.object({ runs: z.array(MigrationRunSchema) }), { runs: service.migration.runs() }),
  );
};
