/**
 * Pieces the history-like pages share: a pager that keeps its page in the URL, and moving focus to
 * what an action produced (so keyboard and screen-reader users land on the result).
 */
import { errorBox, h } from './ui.js';

/** Focuses `el` (made focusable without entering the tab order) once it is in the page. */
export function focusResult(el: HTMLElement): void {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: false });
}

/**
 * "Newer / Older" buttons and where we are, e.g. "Draws 51–100 of 1,234". `go(page)` loads another
 * page (1-based); the buttons are disabled at either end.
 */
export function pager(options: {
  label: string;
  page: number;
  pageSize: number;
  shown: number;
  total?: number;
  hasMore: boolean;
  go: (page: number) => void;
  previousText?: string;
  nextText?: string;
}): HTMLElement {
  const first = (options.page - 1) * options.pageSize + 1;
  const last = first + options.shown - 1;
  const where =
    options.shown === 0
      ? 'nothing on this page'
      : `${options.label} ${first.toLocaleString('en-US')}–${last.toLocaleString('en-US')}${
          options.total === undefined ? '' : ` of ${options.total.toLocaleString('en-US')}`
        }`;
  return h(
    'nav',
    { class: 'pager', 'aria-label': `${options.label} pages` },
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        disabled: options.page <= 1,
        onclick: () => options.go(options.page - 1),
      },
      options.previousText ?? '← Newer',
    ),
    h('span', { role: 'status' }, where),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        disabled: !options.hasMore,
        onclick: () => options.go(options.page + 1),
      },
      options.nextText ?? 'Older →',
    ),
  );
}

/** A positive page number from a URL parameter (1 when absent or nonsense). */
export function pageParam(value: string | null): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** A YYYY-MM-DD from a URL parameter, or '' (a bad value is ignored, not sent). */
export function dateParam(value: string | null): string {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '';
}

/**
 * A button that runs `work` on each press, disabled meanwhile: `busy` shows in `out` while it
 * runs, then the element `done` makes of its answer (focused), or the error. `done` may return
 * null when it shows the answer itself (say, by drawing the page again).
 */
export function actionButton<T>(
  label: string,
  out: HTMLElement,
  busy: string,
  work: () => Promise<T>,
  done: (answer: T) => HTMLElement | null,
): HTMLButtonElement {
  const button = h('button', { type: 'button' }, label);
  button.addEventListener('click', () => {
    button.disabled = true;
    out.replaceChildren(h('p', { class: 'muted', role: 'status' }, busy));
    work()
      .then((answer) => {
        const shown = done(answer);
        if (!shown) return;
        out.replaceChildren(shown);
        focusResult(shown);
      })
      .catch((error: unknown) => {
        const box = errorBox(error);
        out.replaceChildren(box);
        focusResult(box);
      })
      .finally(() => (button.disabled = false));
  });
  return button;
}
