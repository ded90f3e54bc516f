import { api } from '../api.js';
import { balls, fmtDate, fmtInt, h, load, section, table } from '../ui.js';

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
  jackpotOdds: number;
  draws: number;
  firstDate: string | null;
  lastDate: string | null;
  currentEra: Era;
  eras: { era: Era; draws: number }[];
  today: string;
}

export async function renderOverview(root: HTMLElement): Promise<void> {
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
                'No draws are stored yet. Run ',
                h('code', {}, 'pbi init'),
                ' to load the bundled history.',
              ),
        ),
        section(
          'Next draw',
          h('p', { class: 'big', 'data-testid': 'next-draw' }, fmtDate(o.nextDrawDate)),
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
