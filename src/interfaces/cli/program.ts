/**
 * The `pbi` command line: global flags, one module per noun (STYLE §13), one error handler.
 */
import fs from 'node:fs';
import { Command, CommanderError } from 'commander';
import { PbiError, toPbiError } from '../../domain/errors.js';
import { inFlagTerms } from './param-flags.js';
import { escapeUnprintable } from '../../domain/text.js';
import type { CliContext, CommandModule } from './cli-context.js';
import { createOutput, type Writer } from './output.js';
import type { AppConfig } from '../../services/context.js';
import { MLPredictionService } from '../../services/ml-prediction-service.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerAsk } from './commands/ask.js';
import { registerBacktest } from './commands/backtest.js';
import { registerBench } from './commands/bench.js';
import { registerDb } from './commands/db.js';
import { registerDraws } from './commands/draws.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerFeatures } from './commands/features.js';
import { registerInit } from './commands/init.js';
import { registerMigrate } from './commands/migrate.js';
import { registerModels } from './commands/models/index.js';
import { registerPredict } from './commands/predict.js';
import { registerPredictions } from './commands/predictions.js';
import { registerRuns } from './commands/runs.js';
import { registerServe } from './commands/serve.js';
import { registerTickets } from './commands/tickets.js';
import { registerTrain } from './commands/train.js';
import { registerTune } from './commands/tune.js';

/** Every noun, in the order `pbi --help` lists them. */
const NOUNS: readonly CommandModule[] = [
  registerInit,
  registerServe,
  registerFeatures,
  registerDraws,
  registerAnalyze,
  registerDb,
  registerModels,
  registerPredictions,
  registerTrain,
  registerTune,
  registerRuns,
  registerPredict,
  registerEvaluate,
  registerBacktest,
  registerMigrate,
  registerBench,
  registerTickets,
  registerAsk,
];

export interface CliIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** What `pbi --version` prints (the package version, read in src/main). */
  readonly version?: string;
}

/** `--json` among the global flags (before `--`), known even when commander could not parse. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** Commander's own message without its `error: ` prefix and trailing newline. */
function usageMessage(error: CommanderError): string {
  return error.message.replace(/^error: /, '').trim();
}

/**
 * A value refused for a flag (every issue names one: `--limit`, `--since`, `--model`) is a usage
 * error, exit 2, whichever layer found it; bad data (a file's rows, a draw's numbers) stays exit 1.
 */
function asUsage(e: PbiError): PbiError {
  if (e.code !== 'INVALID_INPUT' || e.issues.length === 0 || !e.issues.every((i) => i.where.startsWith('--')))
    return e;
  return new PbiError('USAGE', e.message, e.issues, { cause: e });
}

/** Writes an error once: its message, then only the issues that add something to it. */
function writeError(io: CliIo, e: PbiError, json: boolean, error: unknown): void {
  if (json) {
    io.stderr.write(`${JSON.stringify({ error: e.toJSON() })}\n`);
    return;
  }
  io.stderr.write(`pbi: ${escapeUnprintable(e.message)}\n`);
  // An issue whose place and reason the message already says would print the error twice.
  const issues = e.issues.filter(
    (i) => !(e.message.includes(i.where) && e.message.includes(i.reason.replace(/^expected /, ''))),
  );
  for (const issue of issues.slice(0, 50))
    io.stderr.write(`  ${escapeUnprintable(issue.where)}: ${escapeUnprintable(issue.reason)}\n`);
  if (issues.length > 50) io.stderr.write(`  … and ${issues.length - 50} more\n`);
  if (e.code === 'INTERNAL' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
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
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      // Usage errors are written once, by the handler below (as JSON under --json).
      writeErr: (s) => {
        if (!s.startsWith('error: ')) io.stderr.write(s);
      },
    })
    .showHelpAfterError(false);
  if (io.version !== undefined) program.version(io.version, '-V, --version', 'print the version');

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
  for (const register of NOUNS) register(program, ctx);

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    failed = false;
    return 0;
  } catch (error) {
    const json = wantsJson(argv) || program.opts<{ json?: boolean }>().json === true;
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return 0;
      writeError(io, new PbiError('USAGE', usageMessage(error)), json, error);
      return 2;
    }
    const e = asUsage(toPbiError(inFlagTerms(error)));
    writeError(io, e, json, error);
    return e.exitCode;
  } finally {
    if (service && failed && createdDatabase) service.closeAndDiscardIfEmpty();
    else service?.close();
  }
}
