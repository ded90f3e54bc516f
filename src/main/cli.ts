/**
 * Composition root of the `pbi` executable: the only place that reads argv and the environment.
 */
import { runCli } from '../interfaces/cli/program.js';
import { packageVersion, resolveConfig } from './config.js';

const code = await runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, version: packageVersion() },
  (db) => resolveConfig(db),
);
process.exitCode = code;
