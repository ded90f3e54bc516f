/**
 * `pbi models alias NAME@VERSION ALIAS`, `models unalias NAME ALIAS`, `models aliases NAME`,
 * `models rollback NAME [--alias A]` — aliases with history, so a promotion can be undone.
 */
import type { AliasHistory } from '../../../../services/experiment-service.js';
import { table } from '../../output.js';
import type { SubcommandModule } from '../../cli-context.js';

export function renderAliasHistory(h: AliasHistory): string {
  const current = h.current.length
    ? table(
        ['alias', 'version', 'since (UTC)'],
        h.current.map((a) => [a.alias, a.version, a.updatedAt]),
      )
    : 'No aliases.';
  const events = h.events.length
    ? table(
        ['when (UTC)', 'alias', 'from', 'to', 'note'],
        h.events.map((e) => [e.at, e.alias, e.previousVersion ?? '-', e.version ?? 'removed', e.note ?? '']),
      )
    : 'No alias or activation history.';
  return `Model ${h.model}\n\nCurrent:\n${current}\n\nHistory (activations under "active"):\n${events}\n\nRoll back with \`pbi models rollback ${h.model} [--alias ALIAS]\`.`;
}

/** Adds its subcommands to `pbi models`. */
export const registerModelAliases: SubcommandModule = (models, ctx) => {
  models
    .command('alias')
    .description('point an alias (e.g. champion, challenger) at a version; the move is recorded')
    .argument('<model@version>', 'NAME@VERSION')
    .argument('<alias>', 'lowercase name, e.g. champion')
    .action((reference: string, alias: string) => {
      const { out, service } = ctx();
      const result = service().experiments.setAlias(reference, alias);
      out.result(result, () =>
        result.event
          ? `${result.alias.modelName}@${result.alias.alias} → version ${result.alias.version}` +
            (result.event.previousVersion === null
              ? ' (new alias)'
              : ` (was ${result.event.previousVersion})`)
          : `${result.alias.modelName}@${result.alias.alias} already points at version ${result.alias.version}; nothing changed`,
      );
    });

  models
    .command('unalias')
    .description('remove an alias (recorded)')
    .argument('<model>', 'NAME')
    .argument('<alias>', 'alias to remove')
    .action((model: string, alias: string) => {
      const { out, service } = ctx();
      const event = service().experiments.removeAlias(model, alias);
      out.result(
        event,
        () => `Removed ${event.modelName}@${event.alias} (was version ${event.previousVersion}).`,
      );
    });

  models
    .command('aliases')
    .description("a model's aliases and their history: which version held which alias when, and activations")
    .argument('<model>', 'NAME')
    .action((model: string) => {
      const { out, service } = ctx();
      const history = service().experiments.aliasHistory(model);
      out.result(history, () => renderAliasHistory(history));
    });

  models
    .command('rollback')
    .description('move an alias (default: the active version) back to the version it held before')
    .argument('<model>', 'NAME')
    .option('--alias <alias>', 'alias to roll back (default active)', 'active')
    .action((model: string, opts: { alias: string }) => {
      const { out, service } = ctx();
      const result = service().experiments.rollback(model, opts.alias);
      out.result(result, () =>
        opts.alias === 'active'
          ? `Activated ${model} version ${result.to} (was ${result.from ?? '-'}).`
          : `${model}@${result.alias} → version ${result.to} (was ${result.from ?? '-'}).`,
      );
    });
};
