/**
 * `pbi tickets add | import | list | show | check | remove | summary`: the tickets a person played,
 * checked against every draw.
 */
import type { Command } from 'commander';
import { ValidationError } from '../../../domain/errors.js';
import type { PlayedTicket, PlayResult } from '../../../domain/ticket-plays.js';
import type { TicketImportReport, TicketSummary } from '../../../services/ticket-service.js';
import { table } from '../output.js';
import { choiceFlag, intFlag } from '../parse.js';
import type { CliContext, CommandModule } from '../cli-context.js';

const usd = (n: number): string =>
  `${n < 0 ? '-' : ''}$${Math.abs(n).toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
const pad = (n: number) => String(n).padStart(2, '0');
const numbersText = (t: { whites: readonly number[]; powerball: number }) =>
  `${t.whites.map(pad).join(' ')} PB ${pad(t.powerball)}`;
const addOns = (t: { powerPlay: boolean; doublePlay: boolean }) =>
  [t.powerPlay ? 'Power Play' : '', t.doublePlay ? 'Double Play' : ''].filter(Boolean).join(' + ');

/** A play's result in words: the tier and prize, or why there is none yet. */
export function resultText(r: PlayResult | null, jackpotAmount: number | null = null): string {
  if (!r) return 'not drawn yet';
  const main =
    r.tier === null
      ? 'no prize'
      : r.amount === null
        ? jackpotAmount !== null
          ? `${r.tier}: JACKPOT, ${usd(jackpotAmount)} (as you gave it)`
          : `${r.tier}: JACKPOT (pari-mutuel; give your share with pbi tickets jackpot)`
        : `${r.tier}: ${usd(r.amount)}${r.multiplier !== null ? ` (Power Play x${r.multiplier})` : r.powerPlay === 'fixed' ? ' (Power Play)' : ''}`;
  const unknown =
    r.powerPlay === 'multiplier-unknown' && r.tier !== null ? ' [multiplier not stored: base prize]' : '';
  const dp = r.doublePlay
    ? `; Double Play ${r.doublePlay.tier === null ? 'no prize' : r.doublePlay.amount === null ? `${r.doublePlay.tier}: top prize` : `${r.doublePlay.tier}: ${usd(r.doublePlay.amount)}`}`
    : r.doublePlayPending
      ? '; Double Play numbers not stored yet'
      : '';
  return `${main}${unknown}${dp}`;
}

export function renderTicket(t: PlayedTicket): string {
  const head = `Ticket ${t.id}: ${numbersText(t)}${addOns(t) ? ` with ${addOns(t)}` : ''}, ${t.draws} draw(s) ${t.firstDrawDate} → ${t.lastDrawDate}, ${usd(t.price)}`;
  const from =
    t.origin === 'set'
      ? `from prediction set ${t.setId} (ticket ${(t.setPosition ?? 0) + 1})`
      : t.origin === 'import'
        ? `imported from ${t.importSource}:${t.importLine}`
        : 'typed in';
  return [
    head,
    `  ${from}${t.note ? `; note: ${t.note}` : ''}`,
    table(
      ['play', 'draw', 'price', 'result'],
      t.plays.map((p) => [p.id, p.drawDate, usd(p.price), resultText(p.result, p.jackpotAmount)]),
    ),
  ].join('\n');
}

function renderList(items: readonly PlayedTicket[]): string {
  if (items.length === 0) return 'No tickets recorded; add one with pbi tickets add DATE W1 W2 W3 W4 W5 PB.';
  return table(
    ['id', 'numbers', 'add-ons', 'draws', 'first', 'last', 'price', 'checked', 'won'],
    items.map((t) => [
      t.id,
      numbersText(t),
      addOns(t),
      t.draws,
      t.firstDrawDate,
      t.lastDrawDate,
      usd(t.price),
      `${t.plays.filter((p) => p.result).length}/${t.plays.length}`,
      usd(t.plays.reduce((s, p) => s + (p.result?.won ?? 0), 0)),
    ]),
  );
}

function renderImport(r: TicketImportReport): string {
  const lines = [
    `${r.source}: ${r.rows} line(s): ${r.inserted} ticket(s) stored with ${r.plays} play(s) (${usd(r.spent)}), ${r.checked} play(s) checked, ${r.rejected.length} rejected`,
  ];
  for (const x of r.rejected) lines.push(`  line ${x.line}: rejected: ${x.reason}`);
  return lines.join('\n');
}

export function renderSummary(s: TicketSummary): string {
  if (s.plays === 0) return 'No tickets recorded yet.';
  const money = (rows: TicketSummary['byMonth'], head: string) =>
    table(
      [head, 'plays', 'drawn', 'spent', 'won', 'net'],
      rows.map((r) => [r.period, r.plays, r.checkedPlays, usd(r.spent), usd(r.won), usd(r.net)]),
    );
  const lines = [
    `${s.tickets} ticket(s), ${s.plays} play(s): ${s.checkedPlays} drawn, ${s.upcomingPlays} still to be drawn.`,
    `Spent ${usd(s.spent)}, won ${usd(s.won)}, net ${usd(s.net)}.`,
    '',
    money(s.byYear, 'year'),
    '',
    money(s.byMonth, 'month'),
    '',
    `Drawn plays: spent ${usd(s.checked.spent)}; won ${usd(s.checked.won)} in fixed prizes (net ${usd(s.checked.actualNet)}); expected ${usd(s.checked.expectedWon)} (net ${usd(s.checked.expectedNet)}).`,
    s.expectedNote,
  ];
  if (s.jackpots > 0)
    lines.push(
      `Jackpot(s) won: ${s.jackpots} (pari-mutuel; ${s.jackpotAmountsGiven > 0 ? `${usd(s.jackpotAmountsGiven)} as you gave it is in the amounts won` : 'not in the amounts above; give your share with pbi tickets jackpot'}).`,
    );
  if (s.doublePlayTopPrizes > 0)
    lines.push(`Double Play top prize(s) won: ${s.doublePlayTopPrizes} (not in the amounts above).`);
  if (s.multiplierUnknown > 0)
    lines.push(
      `${s.multiplierUnknown} Power Play play(s) have no multiplier stored for their draw: counted at the base prize.`,
    );
  if (s.doublePlayPending > 0)
    lines.push(`${s.doublePlayPending} Double Play play(s) wait for the Double Play numbers of their draw.`);
  lines.push(
    s.best
      ? `Best win: ${s.best.label} (${s.best.tier}) on ${s.best.drawDate}, ticket ${s.best.ticketId}.`
      : 'No win yet.',
  );
  lines.push(s.luck);
  return lines.join('\n');
}

function ballArg(name: string, value: string): number {
  if (!/^\d{1,3}$/.test(value.trim()))
    throw new ValidationError(
      `${name} must be a whole number, got "${value}"`,
      [{ where: name, reason: 'not a whole number' }],
      'INVALID_NUMBERS',
    );
  return Number(value);
}

interface AddFlags {
  powerPlay?: boolean;
  doublePlay?: boolean;
  draws?: number;
  note?: string;
  fromSet?: string;
}

/** `pbi tickets add`: one ticket typed in, or every ticket of a stored prediction set. */
function registerAdd(tickets: Command, ctx: () => CliContext): void {
  tickets
    .command('add')
    .description(
      'record a ticket you played (DATE is its first draw), or play a stored prediction set with --from-set',
    )
    .argument('[date]', 'first draw date (YYYY-MM-DD or MM/DD/YYYY)')
    .argument('[numbers...]', 'five white balls then the Powerball: W1 W2 W3 W4 W5 PB')
    .option('--power-play', 'the ticket has Power Play')
    .option('--double-play', 'the ticket has Double Play (draws from 2021-08-23)')
    .option('--draws <n>', 'consecutive draws the ticket is for', intFlag('--draws', 1, 156))
    .option('--note <text>', 'a note kept with the ticket')
    .option('--from-set <id>', 'play every ticket of a stored prediction set for its draw')
    .action((date: string | undefined, numbers: string[], flags: AddFlags) => {
      const { out, service } = ctx();
      const options = {
        ...(flags.draws !== undefined && { draws: flags.draws }),
        powerPlay: flags.powerPlay === true,
        doublePlay: flags.doublePlay === true,
        ...(flags.note !== undefined && { note: flags.note }),
      };
      if (flags.fromSet !== undefined) {
        if (date !== undefined)
          throw new ValidationError('--from-set takes no DATE or numbers: the set gives them', [
            { where: '--from-set', reason: 'DATE and numbers given too' },
          ]);
        const report = service().tickets.playSet(flags.fromSet, options);
        out.result(report, () =>
          [
            `Played set ${report.setId}: ${report.tickets.length} ticket(s), ${report.checked} play(s) checked now.`,
            ...report.tickets.map(renderTicket),
          ].join('\n\n'),
        );
        return;
      }
      if (date === undefined || numbers.length !== 6)
        throw new ValidationError(
          `expected DATE and six numbers (W1 W2 W3 W4 W5 PB), got ${date === undefined ? 'nothing' : `${numbers.length} number(s)`}`,
          [{ where: 'numbers', reason: `expected 6, got ${numbers.length}` }],
          'INVALID_NUMBERS',
        );
      const balls = numbers.map((v, i) => ballArg(i < 5 ? `W${i + 1}` : 'PB', v));
      const report = service().tickets.add({
        date,
        whites: balls.slice(0, 5),
        powerball: balls[5] as number,
        ...options,
      });
      out.result(
        report,
        () => `Recorded; ${report.checked} play(s) checked now.\n${renderTicket(report.ticket)}`,
      );
    });
}

/** `pbi tickets jackpot`: the owner's share of a jackpot, which has no fixed amount. */
function registerJackpot(tickets: Command, ctx: () => CliContext): void {
  tickets
    .command('jackpot')
    .description('record the jackpot share a play won (the jackpot is pari-mutuel); "clear" removes it')
    .argument('<play>', 'play id (pbi tickets show lists them)', intFlag('PLAY_ID', 1))
    .argument('<amount>', 'whole dollars, or clear')
    .action((playId: number, amount: string) => {
      const { out, service } = ctx();
      const value = amount === 'clear' ? null : intFlag('AMOUNT', 1)(amount.replace(/[$,]/g, ''));
      const play = service().tickets.setJackpot(playId, value);
      out.result(play, () =>
        value === null
          ? `Play ${play.id}: jackpot amount cleared.`
          : `Play ${play.id} (${play.drawDate}): jackpot share ${usd(value)} recorded.`,
      );
    });
}

/** Adds `pbi tickets` to the program. */
export const registerTickets: CommandModule = (program: Command, ctx) => {
  const tickets = program
    .command('tickets')
    .description('the tickets you played, checked against every draw');

  registerAdd(tickets, ctx);

  tickets
    .command('import')
    .description(
      'import tickets from a CSV file (format in the README); all-or-nothing unless --skip-invalid',
    )
    .argument('<file>', 'the CSV file')
    .option('--skip-invalid', 'store the valid lines and report the others')
    .option('--dry-run', 'check the file and report without storing')
    .action((file: string, flags: { skipInvalid?: boolean; dryRun?: boolean }) => {
      const { out, service } = ctx();
      const report = service().tickets.importFile(file, {
        skipInvalid: flags.skipInvalid === true,
        dryRun: flags.dryRun === true,
      });
      out.result(report, () => renderImport(report));
    });

  tickets
    .command('list')
    .description('recorded tickets, newest first draw first')
    .option(
      '--status <s>',
      'all | upcoming (a play still to be drawn) | checked',
      choiceFlag('--status', ['all', 'upcoming', 'checked'] as const),
      'all',
    )
    .option('--limit <n>', 'page size, 1-1000', intFlag('--limit', 1, 1000), 100)
    .option('--offset <n>', 'skip this many', intFlag('--offset', 0), 0)
    .action((flags: { status: 'all' | 'upcoming' | 'checked'; limit: number; offset: number }) => {
      const { out, service } = ctx();
      const page = service().tickets.list(flags);
      out.result(
        page,
        () =>
          renderList(page.items) +
          (page.hasMore ? `\n… more with --offset ${flags.offset + flags.limit}` : ''),
      );
    });

  tickets
    .command('show')
    .description('one ticket with the result of each of its draws')
    .argument('<id>', 'ticket id', intFlag('ID', 1))
    .action((id: number) => {
      const { out, service } = ctx();
      const ticket = service().tickets.show(id);
      out.result(ticket, () => renderTicket(ticket));
    });

  tickets
    .command('check')
    .description(
      'check every play whose draw is stored and has no result yet (plays are checked when draws arrive)',
    )
    .action(() => {
      const { out, service } = ctx();
      const report = service().tickets.check();
      out.result(
        report,
        () => `${report.checked} play(s) checked now; ${report.awaitingDraw} play(s) wait for their draw.`,
      );
    });

  tickets
    .command('remove')
    .description('delete a ticket with its plays and results')
    .argument('<id>', 'ticket id', intFlag('ID', 1))
    .action((id: number) => {
      const { out, service } = ctx();
      const ticket = service().tickets.remove(id);
      out.result(
        { removed: ticket },
        () => `Removed ticket ${ticket.id} (${numbersText(ticket)}, ${ticket.draws} draw(s)).`,
      );
    });

  registerJackpot(tickets, ctx);

  tickets
    .command('summary')
    .description('plays, spent, won and net by month and year; expected return beside actual; the best win')
    .action(() => {
      const { out, service } = ctx();
      const summary = service().tickets.summary();
      out.result(summary, () => renderSummary(summary));
    });
};
