import type { MLPredictionService } from '../../services/ml-prediction-service.js';
import type { AppConfig } from '../../services/context.js';
import type { Output } from './output.js';

/** What every command receives: the resolved config, the output, and the service (opened lazily). */
export interface CliContext {
  readonly config: AppConfig;
  readonly out: Output;
  /** Opens the database on first use, so `--help` never creates a file. */
  service(): MLPredictionService;
}
