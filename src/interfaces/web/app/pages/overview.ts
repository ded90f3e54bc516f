import type { ApiHint } from '../../../http/contract/common.js';
import { api } from '../api.js';
import { inDashboardWords } from '../hints.js';
import { balls, errorBox, field, fmtDate, fmtInt, h, load, section, table } from '../ui.js';

interface Era {
  id: string;
  from: string;
  to: string | null;
  whiteMax: number;
  powerballMax: number;
}
export interface Overview {
  latestDraw: { date: string; whites: number[]; powerball: number; multiplier: number | null } | null;
  nextDrawDate: string;
  missingDraws: number;
  missingDrawsNotice: string | null;
  hints?: ApiHint[];
  jackpotOdds: number;
  draws: number;
  firstDate: string | null;
  lastDate: string | null;
  currentEra: Era;
  eras: { era: Era; draws: number }[];
  today: string;
}

interface ImportReport {
  source: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  conflicts: { line: number; date: string }[];
  rejected: { line: number; reason: string }[];
}

function importReport(r: ImportReport): HTMLElement {
  return h(
    'div',
    { role: 'status', 'data-testid': 'import-report' },
    h(
      'p',
      {},
      `${r.source}: ${fmtInt(r.rows)} rows — ${fmtInt(r.inserted)} inserted, ${fmtInt(r.updated)} updated, ${fmtInt(r.unchanged)} unchanged, ${r.conflicts.length} conflicts, ${r.rejected.length} rejected.`,
    ),
    r.rejected.length + r.conflicts.length > 0
      ? h(
          'ul',
          {},
          ...r.rejected.slice(0, 20).map((x) => h('li', {}, `line ${x.line}: ${x.reason}`)),
          ...r.conflicts
            .slice(0, 20)
            .map((x) => h('li', {}, `line ${x.line}: ${x.date} is stored with other numbers (not replaced)`)),
        )
      : null,
  );
}

/** Upload a draw file (any format `pbi draws import` reads), or fetch the official results. */
function importCard(onChange: () => void): HTMLElement {
  const file = h('input', {
    type: 'file',
    name: 'file',
    accept: '.csv,.json,.txt,text/csv,application/json',
    required: true,
  });
  const skip = h('input', { type: 'checkbox', name: 'skipInvalid', id: 'skip-invalid' });
  const status = h('div', { 'aria-live': 'polite' });
  const run = async (button: HTMLButtonElement, work: () => Promise<ImportReport>) => {
    button.disabled = true;
    status.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Working…'));
    try {
      status.replaceChildren(importReport(await work()));
      onChange();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      button.disabled = false;
    }
  };
  const importButton = h('button', { type: 'submit' }, 'Import');
  const updateButton = h('button', { type: 'button', class: 'secondary' }, 'Fetch the official results');
  updateButton.addEventListener(
    'click',
    () => void run(updateButton, () => api.post<ImportReport>('/draws/update')),
  );
  return section(
    'Add draws',
    h(
      'form',
      {
        class: 'row',
        'aria-label': 'Import a draw file',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const chosen = file.files?.[0];
          if (!chosen) return;
          const form = new FormData();
          form.set('file', chosen);
          void run(importButton, () =>
            api.post<ImportReport>('/draws/import', form, { skipInvalid: skip.checked }),
          );
        },
      },
      field('Draw file', file, 'NY open-data CSV, draws CSV, legacy CSV or JSON'),
      h(
        'div',
        { class: 'field check' },
        h('label', { for: 'skip-invalid' }, skip, ' Import the valid rows, report the others'),
      ),
      importButton,
      updateButton,
    ),
    status,
  );
}

export async function renderOverview(root: HTMLElement): Promise<void> {
  const figures = h('div', {});
  root.replaceChildren(
    figures,
    importCard(() => void renderFigures(figures)),
  );
  await renderFigures(figures);
}

async function renderFigures(root: HTMLElement): Promise<void> {
  await load(root, async () => {
    const o = await api.get<Overview>('/overview');
    const latest = o.latestDraw;
    root.replaceChildren(
      h(
        'div',
        { class: 'grid' },
        section(
          'Latest draw',
          latest
            ? h(
                'div',
                {},
                h('p', { class: 'big' }, balls(latest.whites, latest.powerball)),
                h(
                  'p',
                  {},
                  fmtDate(latest.date),
                  latest.multiplier ? ` · Power Play ×${latest.multiplier}` : '',
                ),
              )
            : h(
                'p',
                {},
                'No draws are stored yet. Import a draw file below, or add draws on the ',
                h('a', { href: '#/draws' }, 'Draws page'),
                '.',
              ),
        ),
        section(
          'Next draw',
          h('p', { class: 'big', 'data-testid': 'next-draw' }, fmtDate(o.nextDrawDate)),
          h('p', { class: 'muted' }, 'at 10:59 pm US Eastern'),
          o.missingDrawsNotice
            ? h(
                'p',
                { class: 'note', 'data-testid': 'missing-draws' },
                `${inDashboardWords(o.missingDrawsNotice, o.hints)}.`,
              )
            : null,
          h('p', {}, 'Jackpot odds per ticket: ', h('strong', {}, `1 in ${fmtInt(o.jackpotOdds)}`), '.'),
          h('p', { class: 'muted' }, 'No model changes these odds: every combination is equally likely.'),
        ),
        section(
          'History',
          h('p', { class: 'big', 'data-testid': 'history-size' }, `${fmtInt(o.draws)} draws`),
          h('p', {}, o.firstDate ? `${fmtDate(o.firstDate)} to ${fmtDate(o.lastDate)}` : 'empty'),
          h(
            'p',
            {},
            `Current rules since ${fmtDate(o.currentEra.from)}: 5 whites from 1–${o.currentEra.whiteMax}, Powerball from 1–${o.currentEra.powerballMax}.`,
          ),
        ),
      ),
      section(
        'Rule eras',
        h(
          'p',
          { class: 'muted' },
          'Statistics are computed per era: a number that did not exist in an era is not "cold".',
        ),
        table(
          'Powerball rule eras and the stored draws in each',
          [
            { head: 'From', cell: (e: Overview['eras'][number]) => e.era.from },
            { head: 'To', cell: (e) => e.era.to ?? 'today' },
            { head: 'Whites', cell: (e) => `1–${e.era.whiteMax}` },
            { head: 'Powerball', cell: (e) => `1–${e.era.powerballMax}` },
            { head: 'Draws', numeric: true, cell: (e) => fmtInt(e.draws) },
          ],
          [...o.eras].reverse(),
        ),
      ),
    );
  });
}
