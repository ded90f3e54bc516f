/**
 * `pbi models …`: one noun, its subcommands in sibling files — the stored versions (list, show,
 * activate, prune), running one on feature rows, aliases, feature importance.
 */
import type { CommandModule } from '../../cli-context.js';
import { registerModelAliases } from './aliases.js';
import { registerModelImportance } from './importance.js';
import { registerModelPredict } from './predict.js';
import { registerModelVersions } from './versions.js';

/** Adds `pbi models` and every subcommand, in the order `pbi models --help` lists them. */
export const registerModels: CommandModule = (program, ctx) => {
  const models = program.command('models').description('the model registry: list, show, activate, prune');
  for (const register of [
    registerModelVersions,
    registerModelPredict,
    registerModelAliases,
    registerModelImportance,
  ])
    register(models, ctx);
};
