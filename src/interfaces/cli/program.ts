/**
 * The `pbi` command line: global flags, one module per noun (STYLE §13), one error handler.
 */
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { PbiError, toPbiError } from '../../domain/errors.js';
import type { CliContext } from './cli-context.js';
import { createOutput, type Writer } from './output.js';
import type { AppConfig } from '../../services/context.js';
import { MLPredictionService } from '../../services/ml-prediction-service.js';

/** A noun module: adds its commands to the program. */
export type CommandModule = (program: Command, ctx: () => CliContext) => void;

const MODULES: CommandModule[] = [];

/** Called by each `commands/<noun>.ts` (imported from `commands/index.ts`). */
export function registerCommands(module: CommandModule): void {
  MODULES.push(module);
}

export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
}

/**
 * Runs one `pbi` invocation and returns its exit code (0 ok, 1 bad input, 2 usage).
 * `resolveConfig` turns the global flags into the frozen config (done in src/main).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  resolveConfig: (dbFlag: string | undefined) => AppConfig,
): Promise<number> {
  const program = new Command('pbi')
    .description('Powerball Insights: draw history, models, predictions and honest evaluation')
    .option('--db <path>', 'database file (default $PBI_DB or data/insights.db)')
    .option('--json', 'print one JSON document on stdout')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError(false);

  let service: MLPredictionService | undefined;
  /** This run created the database file: a failed command must not leave an empty one behind. */
  let createdDatabase = false;
  let failed = true;
  let context: CliContext | undefined;
  const ctx = (): CliContext => {
    if (context) return context;
    const opts = program.opts<{ db?: string; json?: boolean }>();
    const config = resolveConfig(opts.db);
    const out = createOutput(opts.json === true, io.stdout, io.stderr);
    context = {
      config,
      out,
      service() {
        if (!service) {
          createdDatabase = !fs.existsSync(config.dbPath);
          service = MLPredictionService.open(config);
        }
        return service;
      },
    };
    return context;
  };
  for (const register of MODULES) register(program, ctx);

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    failed = false;
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return 0;
      return 2;
    }
    const e = toPbiError(error);
    const json = program.opts<{ json?: boolean }>().json === true;
    if (json) io.stderr.write(`${JSON.stringify({ error: e.toJSON() })}\n`);
    else {
      io.stderr.write(`pbi: ${e.message}\n`);
      for (const issue of e.issues.slice(0, 50)) io.stderr.write(`  ${issue.where}: ${issue.reason}\n`);
      if (e.issues.length > 50) io.stderr.write(`  … and ${e.issues.length - 50} more\n`);
      if (e.code === 'INTERNAL' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    }
    return e instanceof PbiError ? e.exitCode : 1;
  } finally {
    if (service && failed && createdDatabase) service.closeAndDiscardIfEmpty();
    else service?.close();
  }
}
