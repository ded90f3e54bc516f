/**
 * My tickets: a keyboard-first entry form (type the date, the six numbers, Enter; focus comes back
 * to the numbers for the next ticket), the plays still to be drawn, the checked plays with their
 * prizes, and what was spent against what was won, beside what the odds make expected.
 */
import { api } from '../api.js';
import { chart, COLORS } from '../charts.js';
import { balls, errorBox, field, fmtDate, fmtInt, h, load, section, table } from '../ui.js';

interface GameResult {
  tier: string | null;
  amount: number | null;
}
interface PlayResult extends GameResult {
  multiplier: number | null;
  powerPlay: string;
  doublePlay: GameResult | null;
  doublePlayPending: boolean;
  won: number;
}
interface Play {
  ticketId: number;
  playId: number;
  drawDate: string;
  price: number;
  whites: number[];
  powerball: number;
  powerPlay: boolean;
  doublePlay: boolean;
  note: string | null;
  jackpotAmount: number | null;
  result: PlayResult | null;
}
interface MoneyRow {
  period: string;
  plays: number;
  checkedPlays: number;
  spent: number;
  won: number;
  net: number;
}
interface Summary {
  tickets: number;
  plays: number;
  checkedPlays: number;
  upcomingPlays: number;
  spent: number;
  won: number;
  net: number;
  byMonth: MoneyRow[];
  byYear: MoneyRow[];
  checked: { spent: number; won: number; expectedWon: number; expectedNet: number; actualNet: number };
  expectedNote: string;
  jackpots: number;
  best: { drawDate: string; tier: string; label: string; ticketId: number } | null;
  luck: string;
  cumulative: { date: string; spent: number; won: number }[];
}
interface AddReport {
  checked: number;
  ticket: { id: number; price: number; draws: number; firstDrawDate: string };
}

const usd = (n: number) =>
  `${n < 0 ? '−' : ''}$${Math.abs(n).toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
const DAY = 86_400_000;
const epochDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY);
const isoOfDay = (d: number) => new Date(d * DAY).toISOString().slice(0, 10);
const addOns = (p: { powerPlay: boolean; doublePlay: boolean }) =>
  [p.powerPlay ? 'Power Play' : '', p.doublePlay ? 'Double Play' : ''].filter(Boolean).join(', ') || '–';

function resultText(r: PlayResult, jackpotAmount: number | null): string {
  const main =
    r.tier === null
      ? 'no prize'
      : r.amount === null
        ? `${r.tier}: jackpot${jackpotAmount ? ` (${usd(jackpotAmount)}, as you gave it)` : ''}`
        : `${r.tier}: ${usd(r.amount)}${r.multiplier ? ` (×${r.multiplier})` : ''}`;
  const dp = r.doublePlay
    ? `; Double Play ${r.doublePlay.tier === null ? 'no prize' : `${r.doublePlay.tier}: ${r.doublePlay.amount === null ? 'top prize' : usd(r.doublePlay.amount)}`}`
    : r.doublePlayPending
      ? '; Double Play numbers not in yet'
      : '';
  return main + dp;
}

export async function renderTickets(root: HTMLElement): Promise<void> {
  const body = h('div', {});
  const refresh = () => void showAll(body);
  const overview = await api.get<{ nextDrawDate: string }>('/overview').catch(() => null);
  root.replaceChildren(entryForm(overview?.nextDrawDate ?? '', refresh), body);
  await showAll(body);
}

function entryForm(nextDraw: string, onStored: () => void): HTMLElement {
  const date = h('input', { name: 'date', type: 'date', value: nextDraw, required: true });
  const numbers = h('input', {
    name: 'numbers',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    placeholder: 'e.g. 4 8 19 27 34 10',
    required: true,
  });
  const draws = h('input', {
    name: 'draws',
    type: 'number',
    min: 1,
    max: 156,
    value: 1,
    inputmode: 'numeric',
  });
  const powerPlay = h('input', { name: 'powerPlay', type: 'checkbox', id: 'ticket-pp' });
  const doublePlay = h('input', { name: 'doublePlay', type: 'checkbox', id: 'ticket-dp' });
  const note = h('input', { name: 'note', type: 'text', maxlength: 500, autocomplete: 'off' });
  const button = h('button', { type: 'submit' }, 'Record ticket');
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'ticket-status' });
  const form = h(
    'form',
    {
      class: 'row',
      'aria-label': 'Record a played ticket',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const parts = numbers.value.split(/[^0-9]+/).filter((x) => x !== '');
        if (parts.length !== 6) {
          status.replaceChildren(
            h(
              'p',
              { class: 'error', role: 'alert' },
              `Type the five white balls then the Powerball: 6 numbers, got ${parts.length}.`,
            ),
          );
          numbers.focus();
          return;
        }
        const n = parts.map(Number);
        button.disabled = true;
        try {
          const r = await api.post<AddReport>('/tickets', {
            date: date.value,
            whites: n.slice(0, 5),
            powerball: n[5],
            draws: Number(draws.value || 1),
            powerPlay: powerPlay.checked,
            doublePlay: doublePlay.checked,
            ...(note.value.trim() ? { note: note.value.trim() } : {}),
          });
          status.replaceChildren(
            h(
              'p',
              { role: 'status' },
              `Recorded ticket ${r.ticket.id}: ${r.ticket.draws} draw(s) from ${fmtDate(r.ticket.firstDrawDate)}, ${usd(r.ticket.price)}; ${r.checked} play(s) already drawn and checked.`,
            ),
          );
          numbers.value = '';
          onStored();
        } catch (error) {
          status.replaceChildren(errorBox(error));
        } finally {
          button.disabled = false;
          numbers.focus();
        }
      },
    },
    field('First draw', date),
    field('Numbers', numbers, 'five white balls, then the Powerball; Enter records'),
    field('Draws', draws, 'consecutive draws'),
    field('Power Play', powerPlay),
    field('Double Play', doublePlay, 'from 2021-08-23'),
    field('Note', note),
    button,
  );
  return section('Record a ticket', form, status);
}

async function showAll(body: HTMLElement): Promise<void> {
  await load(body, async () => {
    const [summary, upcoming, checked] = await Promise.all([
      api.get<Summary>('/tickets/summary'),
      api.get<{ plays: Play[] }>('/tickets/plays', { status: 'upcoming' }),
      api.get<{ plays: Play[] }>('/tickets/plays', { status: 'checked' }),
    ]);
    body.replaceChildren(
      summaryCard(summary),
      section(
        'Upcoming plays',
        upcoming.plays.length === 0
          ? h('p', { class: 'muted' }, 'No play is waiting for its draw.')
          : playTable('Plays still to be drawn', upcoming.plays, false),
      ),
      section(
        'Checked plays',
        checked.plays.length === 0
          ? h('p', { class: 'muted' }, 'No play has been drawn yet.')
          : playTable(
              'Drawn plays and their prizes, newest first',
              [...checked.plays].reverse().slice(0, 200),
              true,
            ),
      ),
    );
  });
}

function playTable(caption: string, plays: readonly Play[], withResult: boolean): HTMLElement {
  return table(
    caption,
    [
      { head: 'Draw', cell: (p: Play) => p.drawDate },
      { head: 'Ticket', numeric: true, cell: (p) => p.ticketId },
      { head: 'Numbers', cell: (p) => balls(p.whites, p.powerball) },
      { head: 'Add-ons', cell: (p) => addOns(p) },
      { head: 'Price', numeric: true, cell: (p) => usd(p.price) },
      ...(withResult
        ? [
            { head: 'Result', cell: (p: Play) => (p.result ? resultText(p.result, p.jackpotAmount) : '') },
            {
              head: 'Won',
              numeric: true,
              cell: (p: Play) => usd((p.result?.won ?? 0) + (p.jackpotAmount ?? 0)),
            },
          ]
        : []),
    ],
    plays,
  );
}

function summaryCard(s: Summary): HTMLElement {
  if (s.plays === 0)
    return section('Spent and won', h('p', {}, 'No ticket is recorded yet: type one above and press Enter.'));
  const moneyTable = (caption: string, rows: MoneyRow[]) =>
    table(
      caption,
      [
        { head: 'Period', cell: (r: MoneyRow) => r.period },
        { head: 'Plays', numeric: true, cell: (r) => fmtInt(r.plays) },
        { head: 'Drawn', numeric: true, cell: (r) => fmtInt(r.checkedPlays) },
        { head: 'Spent', numeric: true, cell: (r) => usd(r.spent) },
        { head: 'Won', numeric: true, cell: (r) => usd(r.won) },
        { head: 'Net', numeric: true, cell: (r) => usd(r.net) },
      ],
      rows,
    );
  const x = s.cumulative.map((c) => epochDay(c.date));
  return section(
    'Spent and won',
    h(
      'p',
      { class: 'big', 'data-testid': 'tickets-net' },
      `Spent ${usd(s.spent)} · won ${usd(s.won)} · net ${usd(s.net)}`,
    ),
    h(
      'p',
      {},
      `${fmtInt(s.plays)} plays on ${fmtInt(s.tickets)} ticket(s): ${fmtInt(s.checkedPlays)} drawn, ${fmtInt(s.upcomingPlays)} to come. On the drawn plays the odds make ${usd(s.checked.expectedWon)} of fixed prizes expected against ${usd(s.checked.won)} won.`,
    ),
    h('p', { 'data-testid': 'tickets-luck' }, s.luck),
    s.best
      ? h(
          'p',
          {},
          `Best win: ${s.best.label} (${s.best.tier}) on ${fmtDate(s.best.drawDate)}, ticket ${s.best.ticketId}.`,
        )
      : null,
    s.jackpots > 0
      ? h('p', { class: 'note' }, `Jackpots won: ${s.jackpots} (not in the amounts: pari-mutuel).`)
      : null,
    h('p', { class: 'muted' }, s.expectedNote),
    chart({
      title: 'Cumulative spend and winnings',
      description: `Running totals by draw date: ${usd(s.spent)} spent against ${usd(s.won)} won.`,
      x,
      xLabel: 'draw date',
      yLabel: 'dollars',
      xFormat: (d) => isoOfDay(Math.round(d)),
      series: [
        { label: 'spent', values: s.cumulative.map((c) => c.spent), color: COLORS.barAlt, kind: 'line' },
        { label: 'won', values: s.cumulative.map((c) => c.won), color: COLORS.bar, kind: 'line' },
      ],
    }),
    moneyTable('Spent and won by year', s.byYear),
    h('details', {}, h('summary', {}, 'By month'), moneyTable('Spent and won by month', s.byMonth)),
  );
}
