/**
 * Draws: the stored history a page at a time (newest first, a date range, the rule era of each
 * draw), with the forms that change it (pages/draws-forms.ts) and the staleness notice.
 */
import type { DrawPage, PagedDraw } from '../../../http/contract/draws.js';
import type { Overview } from '../../../http/contract/overview.js';
import { api } from '../api.js';
import { inDashboardWords } from '../hints.js';
import { dateParam, focusResult, pager, pageParam } from '../page-kit.js';
import { balls, errorBox, field, fmtDate, h, load, section, table } from '../ui.js';
import { setParams, viewState } from '../url-state.js';
import { drawForm, exportCard, importCard, type DrawFormApi } from './draws-forms.js';
import '../data-pages.css';

const PAGE_SIZE = 50;

interface HistoryView {
  from: string;
  to: string;
  page: number;
}

export async function renderDraws(root: HTMLElement): Promise<void> {
  const params = viewState().params;
  const view: HistoryView = {
    from: dateParam(params.get('from')),
    to: dateParam(params.get('to')),
    page: pageParam(params.get('page')),
  };
  const notice = h('div', {});
  const history = h('div', {});
  const refresh = (kept?: HTMLElement) => {
    void showNotice(notice, refresh, kept);
    void showHistory(history, view, form, false);
  };
  const form: DrawFormApi = drawForm(refresh);
  root.replaceChildren(
    notice,
    section(
      'History',
      filterForm(view, history, () => form),
      history,
    ),
    form.el,
    importCard(refresh),
    exportCard(),
  );
  await Promise.all([showNotice(notice, refresh), showHistory(history, view, form, false)]);
}

/**
 * The staleness notice: scheduled draws that have happened but are not stored, and the fetch.
 * `kept` is what the last fetch said: it stays (focused) even when nothing is missing any more.
 */
async function showNotice(
  el: HTMLElement,
  onChange: (kept?: HTMLElement) => void,
  kept?: HTMLElement,
): Promise<void> {
  try {
    const o = await api.get<Overview>('/overview');
    if (!o.missingDrawsNotice) {
      el.replaceChildren(kept ? h('div', { class: 'card notice', 'data-testid': 'draws-stale' }, kept) : '');
      if (kept) focusResult(kept);
      return;
    }
    const status = h('div', { 'aria-live': 'polite' });
    const button = h('button', { type: 'button' }, 'Fetch the official results');
    button.addEventListener('click', () => {
      button.disabled = true;
      status.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Fetching…'));
      api
        .post<{ inserted: number; updated: number }>('/draws/update')
        .then((r) => {
          const done = h('p', { role: 'status' }, `Fetched: ${r.inserted} new, ${r.updated} changed draws.`);
          status.replaceChildren(done);
          focusResult(done);
          onChange(done);
        })
        .catch((error: unknown) => {
          status.replaceChildren(errorBox(error));
          focusResult(status.firstElementChild as HTMLElement);
        })
        .finally(() => (button.disabled = false));
    });
    el.replaceChildren(
      h(
        'div',
        { class: 'card notice', 'data-testid': 'draws-stale' },
        h('p', {}, `${inDashboardWords(o.missingDrawsNotice, o.hints)}.`),
        button,
        status,
      ),
    );
    if (kept) {
      status.replaceChildren(kept);
      focusResult(kept);
    }
  } catch (error) {
    el.replaceChildren(errorBox(error));
  }
}

function filterForm(view: HistoryView, history: HTMLElement, form: () => DrawFormApi): HTMLElement {
  const from = h('input', { type: 'date', name: 'from', value: view.from, min: '1992-04-22' });
  const to = h('input', { type: 'date', name: 'to', value: view.to, min: '1992-04-22' });
  return h(
    'form',
    {
      class: 'row',
      'aria-label': 'Choose the dates shown',
      onsubmit: (e: Event) => {
        e.preventDefault();
        view.from = from.value;
        view.to = to.value;
        view.page = 1;
        setParams({ from: view.from, to: view.to, page: null });
        void showHistory(history, view, form(), true);
      },
    },
    field('From', from),
    field('To', to),
    h('button', { type: 'submit' }, 'Show draws'),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          from.value = '';
          to.value = '';
          view.from = '';
          view.to = '';
          view.page = 1;
          setParams({ from: null, to: null, page: null });
          void showHistory(history, view, form(), true);
        },
      },
      'All dates',
    ),
  );
}

async function showHistory(
  el: HTMLElement,
  view: HistoryView,
  form: DrawFormApi,
  focus: boolean,
): Promise<void> {
  await load(el, async () => {
    const page = await api.get<DrawPage>('/draws/history', {
      from: view.from,
      to: view.to,
      limit: PAGE_SIZE,
      offset: (view.page - 1) * PAGE_SIZE,
    });
    const go = (n: number) => {
      view.page = n;
      setParams({ page: n > 1 ? n : null });
      void showHistory(el, view, form, true);
    };
    const range = view.from || view.to ? ` from ${view.from || 'the start'} to ${view.to || 'today'}` : '';
    if (page.total === 0) {
      el.replaceChildren(
        h(
          'p',
          { role: 'status', 'data-testid': 'draws-empty' },
          range
            ? `No draw is stored${range}. Choose other dates or show all dates.`
            : 'No draw is stored yet. Import a draw file or fetch the official results below.',
        ),
      );
    } else {
      el.replaceChildren(
        table(
          `Stored draws${range}, newest first`,
          [
            { head: 'Date', cell: (d: PagedDraw) => h('time', { datetime: d.date }, fmtDate(d.date)) },
            { head: 'Numbers', cell: (d) => balls(d.whites, d.powerball) },
            { head: 'Power Play', numeric: true, cell: (d) => (d.multiplier ? `×${d.multiplier}` : '–') },
            {
              head: 'Double Play',
              cell: (d) => (d.doublePlay ? balls(d.doublePlay.whites, d.doublePlay.powerball) : '–'),
            },
            {
              head: 'Era',
              cell: (d) => h('span', { title: `rules in force from ${d.era}` }, `from ${d.era}`),
            },
            {
              head: 'Change',
              cell: (d) => rowActions(d, form, () => void showHistory(el, view, form, true)),
            },
          ],
          page.draws,
        ),
        pager({
          label: 'Draws',
          page: view.page,
          pageSize: PAGE_SIZE,
          shown: page.draws.length,
          total: page.total,
          hasMore: page.hasMore,
          go,
        }),
      );
    }
    if (focus) focusResult(el);
  });
}

/** Edit (fills the form to replace the draw) and a two-step delete. */
function rowActions(d: PagedDraw, form: DrawFormApi, reload: () => void): HTMLElement {
  const status = h('span', { 'aria-live': 'polite' });
  const edit = h(
    'button',
    { type: 'button', class: 'secondary', 'aria-label': `Replace the draw of ${d.date}` },
    'Replace',
  );
  edit.addEventListener('click', () => form.edit(d));
  const remove = h(
    'button',
    { type: 'button', class: 'secondary danger', 'aria-label': `Delete the draw of ${d.date}` },
    'Delete',
  );
  let armed = false;
  remove.addEventListener('click', () => {
    if (!armed) {
      armed = true;
      remove.textContent = 'Confirm delete';
      remove.setAttribute('aria-label', `Confirm: delete the draw of ${d.date}`);
      remove.focus();
      return;
    }
    remove.disabled = true;
    api
      .delete<{ playResultsRemoved: number; scoresRemoved: number }>(`/draws/${d.date}`)
      .then(() => reload())
      .catch((error: unknown) => {
        status.replaceChildren(errorBox(error));
        remove.disabled = false;
      });
  });
  return h('span', { class: 'actions' }, edit, remove, status);
}
