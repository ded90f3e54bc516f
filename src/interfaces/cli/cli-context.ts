import type { Command } from 'commander';
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

/** A noun module (`commands/<noun>.ts`): adds its command and subcommands to the program. */
export type CommandModule = (program: Command, ctx: () => CliContext) => void;

/** A part of a noun split over several files: adds subcommands to the noun's command. */
export type SubcommandModule = (noun: Command, ctx: () => CliContext) => void;
