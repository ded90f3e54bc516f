import type { PredictionReport } from '../../../http/contract/predictions.js';
import { api } from '../api.js';
import { COLORS } from '../charts.js';
import { inDashboardWords } from '../hints.js';
import { focusResult } from '../page-kit.js';
import { balls, errorBox, field, fmtDate, fmtInt, fmtPct, h, section, table } from '../ui.js';
import { viewState } from '../url-state.js';
import { renderSetPage, showStored } from './predictions-stored.js';

export const STRATEGIES = ['weighted', 'frequency', 'recency', 'trends', 'combo', 'sum', 'dow', 'ml'];

type Ticket = PredictionReport['tickets'][number];

/** "1.10× a random ticket, by this strategy's belief" (as the CLI prints it). */
export function beliefText(m: number): string {
  const n = m < 10 ? m.toFixed(2) : m.toLocaleString('en-US', { maximumSignificantDigits: 3 });
  return `${n}× a random ticket, by this strategy's belief`;
}

const strategyColor = (name: string) =>
  COLORS.series[Math.max(0, STRATEGIES.indexOf(name) - 1) % COLORS.series.length] ?? '#555';

/** Each strategy's share of a ticket: a stacked bar (hidden from screen readers) and the same as text. */
export function contributions(c: Readonly<Record<string, number>> | null): HTMLElement {
  if (!c || Object.keys(c).length === 0) return h('span', { class: 'muted' }, '–');
  const entries = Object.entries(c).sort((a, b) => b[1] - a[1]);
  const total = entries.reduce((s, [, v]) => s + v, 0) || 1;
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'contrib', 'aria-hidden': 'true' },
      ...entries.map(([k, v]) =>
        h('span', { style: `width:${(v / total) * 100}%;background:${strategyColor(k)}`, title: k }),
      ),
    ),
    h('small', {}, entries.map(([k, v]) => `${k} ${fmtPct(v / total, 0)}`).join(', ')),
  );
}

export async function renderPredictions(root: HTMLElement): Promise<void> {
  const view = viewState();
  if (view.path[0] === 'set' && view.path[1]) {
    await renderSetPage(root, view.path[1]);
    return;
  }
  const result = h('div', { 'aria-live': 'polite' });
  const past = h('div', {});
  root.replaceChildren(
    generateForm(result, () => void showStored(past, false)),
    result,
    past,
  );
  await showStored(past, false);
}

function generateForm(result: HTMLElement, onStored: () => void): HTMLElement {
  const count = h('input', {
    name: 'count',
    type: 'number',
    min: 1,
    max: 100,
    value: 5,
    required: true,
    inputmode: 'numeric',
  });
  const strategy = h('select', { name: 'strategy' }, ...STRATEGIES.map((s) => h('option', { value: s }, s)));
  const forDate = h('input', { name: 'forDate', type: 'date', min: '2015-10-07' });
  const strength = h(
    'select',
    { name: 'strength' },
    ...['calibrated', 'raw', '0.75', '0.5', '0.25', '0.1', '0'].map((s) => h('option', { value: s }, s)),
  );
  const seed = h('input', {
    name: 'seed',
    type: 'number',
    min: 0,
    placeholder: 'random',
    inputmode: 'numeric',
  });
  const button = h('button', { type: 'submit' }, 'Generate');
  const form = h(
    'form',
    {
      class: 'row',
      'aria-label': 'Generate a prediction set',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        button.disabled = true;
        result.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Generating…'));
        try {
          const report = await api.post<PredictionReport>('/predict', {
            count: Number(count.value),
            strategy: strategy.value,
            strength: /^[\d.]+$/.test(strength.value) ? Number(strength.value) : strength.value,
            ...(forDate.value ? { forDate: forDate.value } : {}),
            ...(seed.value.trim() === '' ? {} : { seed: Number(seed.value) }),
          });
          const shown = showReport(report);
          result.replaceChildren(shown);
          focusResult(shown);
          onStored();
        } catch (error) {
          const box = errorBox(error);
          result.replaceChildren(box);
          focusResult(box);
        } finally {
          button.disabled = false;
        }
      },
    },
    field('Tickets', count, '1 to 100'),
    field('Strategy', strategy),
    field(
      'Belief strength',
      strength,
      'calibrated: backtest-chosen, near uniform; raw: the unshrunk belief; a number: its weight against uniform',
    ),
    field('Seed', seed, 'same seed, same tickets'),
    field('For draw', forDate, 'default: the next draw (10:59 pm US Eastern)'),
    button,
  );
  return section(
    'Generate a set',
    h(
      'p',
      { class: 'note' },
      'Every ticket has the same odds of winning the jackpot: 1 in 292,201,338. Strategies only change which tickets you get.',
    ),
    form,
  );
}

function showReport(r: PredictionReport): HTMLElement {
  return section(
    `Set ${r.setId}`,
    h(
      'p',
      { 'data-testid': 'generated-set', 'data-set-id': r.setId },
      `${r.count} tickets from the ${r.strategy} strategy at strength ${r.strength.label} for the draw of ${fmtDate(r.targetDrawDate)} (seed ${r.seed}, weights ${r.weightsSource}).`,
    ),
    table(
      'Generated tickets with each strategy’s contribution',
      [
        { head: '#', numeric: true, cell: (t: Ticket & { i: number }) => t.i + 1 },
        { head: 'Numbers', cell: (t) => balls(t.whites, t.powerball) },
        {
          head: 'Belief (not odds)',
          numeric: true,
          cell: (t) => beliefText(t.beliefMultiple),
        },
        { head: 'Contributions', cell: (t) => contributions(t.contributions) },
      ],
      r.tickets.map((t, i) => ({ ...t, i })),
    ),
    h('p', { class: 'note' }, `True odds of every ticket: 1 in ${fmtInt(r.jackpotOdds)}.`),
    h(
      'div',
      { 'data-testid': 'strength-cost' },
      h(
        'p',
        {},
        `Strength ${r.strength.label}: what it cost on the real draws (log-likelihood against chance)`,
      ),
      h('ul', {}, ...r.strength.costs.map((c) => h('li', {}, c.text))),
      h('p', { class: 'muted' }, r.strength.whyCalibrated),
    ),
    h('p', { class: 'muted' }, inDashboardWords(r.notice, r.hints)),
    r.notes.length > 0 ? h('ul', {}, ...r.notes.map((n) => h('li', {}, inDashboardWords(n, r.hints)))) : null,
    playSetButton(r.setId),
  );
}

/** "Play this set": records its tickets under My tickets, linked to the set. */
function playSetButton(setId: string): HTMLElement {
  const status = h('span', { role: 'status' });
  const button = h('button', { type: 'button', class: 'secondary' }, 'Play this set');
  button.addEventListener('click', () => {
    button.disabled = true;
    api
      .post<{ tickets: unknown[] }>('/tickets/from-set', { setId })
      .then((res) => status.replaceChildren(` Recorded as ${res.tickets.length} ticket(s) under My tickets.`))
      .catch((error: unknown) => {
        status.replaceChildren(errorBox(error));
        button.disabled = false;
      });
  });
  return h('p', {}, button, status);
}
