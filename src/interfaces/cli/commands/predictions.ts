/**
 * `pbi predictions list [--model M] [--current] [--since DATE] [--limit N] [--offset N] | show SET_ID`.
 */
import type { Command } from 'commander';
import { JACKPOT_ODDS } from '../../../domain/prizes.js';
import { beliefText } from '../../../domain/belief.js';
import type { Page } from '../../../domain/page.js';
import type { PredictionSetView as PredictionSet } from '../../../services/prediction-query-service.js';
import { table } from '../output.js';
import { intFlag } from '../parse.js';
import type { CommandModule } from '../cli-context.js';

const ticketText = (t: { whites: readonly number[]; powerball: number }): string =>
  `${t.whites.map((w) => String(w).padStart(2, '0')).join(' ')} PB ${String(t.powerball).padStart(2, '0')}`;

export function renderSetList(page: Page<PredictionSet>): string {
  if (page.items.length === 0)
    return page.offset > 0
      ? 'No more prediction sets.'
      : 'No prediction sets stored yet (`pbi predict` makes one).';
  const rows = page.items.map((s) => [
    s.setId,
    s.source,
    s.createdAt,
    s.targetDrawDate,
    s.isCurrent ? 'yes' : '',
    s.total,
    s.tickets[0] ? ticketText(s.tickets[0]) + (s.total > 1 ? ' …' : '') : '-',
  ]);
  const more = page.hasMore ? `\nMore sets follow: --offset ${page.offset + page.limit}` : '';
  return (
    table(['set', 'model/strategy', 'created', 'for draw', 'current', 'tickets', 'first ticket'], rows) + more
  );
}

export function renderSet(s: PredictionSet): string {
  const head = table(
    ['', ''],
    [
      ['set', s.setId],
      ['model/strategy', s.source + (s.model ? ` (${s.model.name}@${s.model.version})` : '')],
      ['created', s.createdAt],
      ['for draw', s.targetDrawDate],
      ['current', s.isCurrent ? 'yes' : 'no'],
      ['seed', s.seed === null ? '-' : String(s.seed)],
      ['strength', s.strength ?? (s.legacy ? '- (legacy)' : 'calibrated')],
      [
        'weights',
        Object.keys(s.weights).length === 0
          ? '-'
          : Object.entries(s.weights)
              .map(([k, v]) => `${k} ${v.toFixed(3)}`)
              .join(', '),
      ],
      ...(s.notes ? [['notes', s.notes] as [string, string]] : []),
    ],
  );
  const tickets = table(
    ['#', 'ticket', 'belief (not odds)'],
    s.tickets.map((t) => [t.position + 1, ticketText(t), beliefText(t.beliefMultiple)]),
  );
  return `${head}\n\n${tickets}\nThe true jackpot odds of every ticket are 1 in ${JACKPOT_ODDS.toLocaleString('en-US')}.`;
}

/** Adds `pbi predictions` to the program. */
export const registerPredictions: CommandModule = (program: Command, ctx) => {
  const predictions = program.command('predictions').description('stored prediction sets: list, show');

  predictions
    .command('list')
    .description('stored prediction sets, newest first')
    .option('--model <name>', 'only sets of this model or strategy')
    .option('--current', "only each model's current set")
    .option('--since <date>', 'only sets created on or after this day (YYYY-MM-DD)')
    .option('--limit <n>', 'sets per page (1-1000)', intFlag('--limit', 1, 1000), 20)
    .option('--offset <n>', 'skip this many sets', intFlag('--offset', 0), 0)
    .action((flags: { model?: string; current?: boolean; since?: string; limit: number; offset: number }) => {
      const { out, service } = ctx();
      const page = service().predictions.list({
        ...(flags.model === undefined ? {} : { model: flags.model }),
        current: flags.current === true,
        ...(flags.since === undefined ? {} : { since: flags.since }),
        limit: flags.limit,
        offset: flags.offset,
      });
      out.result(page, () => renderSetList(page));
    });

  predictions
    .command('show')
    .description('one prediction set with its tickets')
    .argument('<set-id>', 'the set id (see `pbi predictions list`)')
    .action((setId: string) => {
      const { out, service } = ctx();
      const set = service().predictions.show(setId);
      out.result(set, () => renderSet(set));
    });
};
