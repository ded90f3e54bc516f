/**
 * Stored prediction sets: every set with all its tickets and how they scored, filtered by who made
 * it and when, a page at a time from the server; and one page per set (`#/predictions/set/<id>`).
 */
import type { ModelSummary } from '../../../http/contract/models.js';
import type {
  PredictionSetView,
  SetDetail,
  SetPage,
  SetScore,
  TicketScore,
  TicketView,
} from '../../../http/contract/predictions.js';
import { api } from '../api.js';
import { dateParam, focusResult, pager, pageParam } from '../page-kit.js';
import { balls, field, fmtDate, fmtInt, h, load, section, table } from '../ui.js';
import { setParams, viewHash, viewState } from '../url-state.js';
import { beliefText, contributions, STRATEGIES } from './predictions.js';
import '../data-pages.css';

const PAGE_SIZE = 20;

interface Filters {
  source: string;
  since: string;
  until: string;
  forDate: string;
  page: number;
}

function readFilters(): Filters {
  const p = viewState().params;
  return {
    source: p.get('source') ?? '',
    since: dateParam(p.get('since')),
    until: dateParam(p.get('until')),
    forDate: dateParam(p.get('forDate')),
    page: pageParam(p.get('page')),
  };
}

function scoreText(sc: SetScore | undefined): HTMLElement | string {
  if (!sc || sc.scored === 0) return h('span', { class: 'muted' }, 'not drawn / not evaluated yet');
  return `${sc.whiteMatches} white match${sc.whiteMatches === 1 ? '' : 'es'}, ${sc.powerballMatches} Powerball; ${
    sc.bestTier ? `best prize ${sc.bestTier}, $${fmtInt(sc.amount)}` : 'no prize'
  }`;
}

/** The stored sets section: filters, a page of sets, a pager. */
export async function showStored(el: HTMLElement, focus: boolean): Promise<void> {
  const filters = readFilters();
  const list = h('div', {});
  // The page of sets does not wait for the model names that the filter lists.
  const models = api.get<{ models: ModelSummary[] }>('/models').then(
    (r) => r.models,
    () => [],
  );
  el.replaceChildren(section('Stored sets', filterForm(filters, models, list), list));
  await showPage(list, filters, focus);
}

function filterForm(f: Filters, models: Promise<readonly ModelSummary[]>, list: HTMLElement): HTMLElement {
  const source = h(
    'select',
    { name: 'source' },
    h('option', { value: '' }, 'anyone'),
    ...STRATEGIES.map((s) => h('option', { value: s, selected: s === f.source }, s)),
  );
  void models.then((ms) => {
    for (const name of ms.map((m) => m.name).filter((n) => !STRATEGIES.includes(n)))
      source.append(h('option', { value: name, selected: name === f.source }, name));
  });
  const since = h('input', { type: 'date', name: 'since', value: f.since });
  const until = h('input', { type: 'date', name: 'until', value: f.until });
  const forDate = h('input', { type: 'date', name: 'forDate', value: f.forDate });
  return h(
    'form',
    {
      class: 'row',
      'aria-label': 'Filter the stored sets',
      onsubmit: (e: Event) => {
        e.preventDefault();
        f.source = source.value;
        f.since = since.value;
        f.until = until.value;
        f.forDate = forDate.value;
        f.page = 1;
        setParams({ source: f.source, since: f.since, until: f.until, forDate: f.forDate, page: null });
        void showPage(list, f, true);
      },
    },
    field('Made by', source, 'a strategy or a model'),
    field('Created from', since),
    field('Created before', until),
    field('Draw date', forDate),
    h('button', { type: 'submit' }, 'Show sets'),
  );
}

async function showPage(el: HTMLElement, f: Filters, focus: boolean): Promise<void> {
  await load(el, async () => {
    const page = await api.get<SetPage>('/predictions', {
      model: f.source,
      since: f.since,
      until: f.until,
      forDate: f.forDate,
      limit: PAGE_SIZE,
      offset: (f.page - 1) * PAGE_SIZE,
    });
    const ids = page.items.map((s) => s.setId);
    const scores = ids.length
      ? (await api.get<{ scores: SetScore[] }>('/predictions/scores', { sets: ids.join(',') })).scores
      : [];
    const byId = new Map(scores.map((s) => [s.setId, s]));
    const filtered = Boolean(f.source || f.since || f.until || f.forDate);
    if (page.items.length === 0) {
      el.replaceChildren(
        h(
          'p',
          { role: 'status', 'data-testid': 'sets-empty' },
          filtered
            ? 'No stored set matches these filters. Widen them, or generate a set above.'
            : f.page > 1
              ? 'There are no older sets.'
              : 'No prediction set is stored yet. Generate one above.',
        ),
      );
    } else {
      el.replaceChildren(
        table(
          `The newest prediction sets${filtered ? ' matching the filters' : ''} and how they did, page ${f.page}`,
          [
            { head: 'Created', cell: (s: PredictionSetView) => s.createdAt.slice(0, 16).replace('T', ' ') },
            {
              head: 'Set',
              cell: (s) =>
                h('a', { href: viewHash('predictions', ['set', s.setId]) }, h('code', {}, s.setId)),
            },
            {
              head: 'Made by',
              cell: (s) => [
                s.model ? `${s.model.name} v${s.model.version}` : s.source,
                s.isCurrent ? h('span', { class: 'tag' }, ' current') : null,
              ],
            },
            { head: 'For draw', cell: (s) => s.targetDrawDate },
            { head: 'Strength', cell: (s) => s.strength ?? '–' },
            {
              head: `Tickets`,
              cell: (s) =>
                h(
                  'div',
                  { class: 'ticket-list' },
                  ...s.tickets.map((t) => balls(t.whites, t.powerball)),
                  s.total > s.tickets.length ? h('small', {}, `${s.total} in all`) : null,
                ),
            },
            { head: 'Result', cell: (s) => scoreText(byId.get(s.setId)) },
          ],
          page.items,
        ),
        pager({
          label: 'Sets',
          page: f.page,
          pageSize: PAGE_SIZE,
          shown: page.items.length,
          hasMore: page.hasMore,
          go: (n) => {
            f.page = n;
            setParams({ page: n > 1 ? n : null });
            void showPage(el, f, true);
          },
        }),
      );
    }
    if (focus) focusResult(el);
  });
}

function ticketScore(s: TicketScore | undefined): HTMLElement | string {
  if (!s) return h('span', { class: 'muted' }, 'not scored yet');
  return `${s.whiteMatches} white${s.powerballMatch ? ' + Powerball' : ''}: ${
    s.tier ? `prize ${s.tier}${s.amount ? `, $${fmtInt(s.amount)}` : ''}` : 'no prize'
  }`;
}

/** One set: its facts, every ticket with its belief, contributions and score. */
export async function renderSetPage(root: HTMLElement, setId: string): Promise<void> {
  const body = h('div', {});
  root.replaceChildren(h('p', {}, h('a', { href: viewHash('predictions') }, '← All stored sets')), body);
  await load(body, async () => {
    const { set, scores } = await api.get<SetDetail>(`/predictions/${encodeURIComponent(setId)}/detail`);
    const byTicket = new Map(scores.map((s) => [s.predictionId, s]));
    const weights = Object.entries(set.weights).map(([k, v]) => `${k} ${v.toFixed(3)}`);
    body.replaceChildren(
      section(
        `Set ${set.setId}`,
        h(
          'dl',
          { class: 'facts', 'data-testid': 'set-facts' },
          h('dt', {}, 'Made by'),
          h('dd', {}, set.model ? `${set.model.name} version ${set.model.version}` : set.source),
          h('dt', {}, 'For the draw of'),
          h('dd', {}, fmtDate(set.targetDrawDate)),
          h('dt', {}, 'Created'),
          h('dd', {}, set.createdAt.replace('T', ' ').slice(0, 19)),
          h('dt', {}, 'Tickets'),
          h('dd', {}, `${set.total}${set.isCurrent ? ' (the current set of its source)' : ''}`),
          h('dt', {}, 'Seed'),
          h('dd', {}, set.seed === null ? 'unknown' : String(set.seed)),
          h('dt', {}, 'Belief strength'),
          h('dd', {}, set.strength ?? '–'),
          h('dt', {}, 'Strategy weights'),
          h('dd', {}, weights.length ? weights.join(', ') : '–'),
          set.notes ? [h('dt', {}, 'Notes'), h('dd', {}, set.notes)] : null,
        ),
        h(
          'p',
          { class: 'muted' },
          scores.length === 0
            ? 'Not scored yet: scores appear once its draw is stored and the predictions are evaluated.'
            : `Scored against the draw of ${fmtDate(scores[0]?.drawDate)}.`,
        ),
        table(
          `Every ticket of set ${set.setId} with its score`,
          [
            { head: '#', numeric: true, cell: (t: TicketView) => t.position + 1 },
            { head: 'Numbers', cell: (t) => balls(t.whites, t.powerball) },
            { head: 'Belief (not odds)', numeric: true, cell: (t) => beliefText(t.beliefMultiple) },
            { head: 'Contributions', cell: (t) => contributions(t.contributions) },
            { head: 'Score', cell: (t) => ticketScore(byTicket.get(t.id)) },
          ],
          set.tickets,
        ),
      ),
    );
  });
  const heading = body.querySelector('h2');
  if (heading instanceof HTMLElement) focusResult(heading);
}
