/** Legacy migration (`pbi migrate`): the service, its report and the rules other modules reuse. */
export { MigrationService } from './migration-service.js';
export { MAPPING } from './mapping.js';
export { migratedProbability, uniformTicketProbability } from './tickets.js';
export { checkFigures, type AccuracyCheckStatus, type Numbers } from './accuracy-linking.js';
export type {
  MigrateOptions,
  MigrationReport,
  RecordCounts,
  ReportedRecord,
  SourceKind,
  SourceReport,
  SourceStatus,
} from './report.js';
