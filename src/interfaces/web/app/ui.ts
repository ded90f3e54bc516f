/**
 * Small DOM helpers: building elements, tables with captions, number balls, errors and busy states.
 * Plain TypeScript: five pages of forms, tables and charts do not need a framework's runtime.
 */
import { ApiError, setToken } from './api.js';
import { inDashboardWords } from './hints.js';

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

/** Creates an element: `h('button', { type: 'submit', onclick }, 'Go')`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const nf = new Intl.NumberFormat('en-US');
export const fmtInt = (n: number): string => nf.format(n);
// One formatter per precision, made once: toLocaleString with options builds a new one per call,
// which a table of a few hundred cells pays for visibly.
const byDigits = new Map<number, Intl.NumberFormat>();
export const fmt = (n: number, digits = 2): string => {
  if (!Number.isFinite(n)) return '–';
  let f = byDigits.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    byDigits.set(digits, f);
  }
  return f.format(n);
};
export const fmtPct = (p: number, digits = 1): string => `${(p * 100).toFixed(digits)}%`;

const dateFormat = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** A date YYYY-MM-DD as "Sat, May 31, 2025". */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  return dateFormat.format(new Date(`${iso.slice(0, 10)}T12:00:00Z`));
}

/** Five white balls and the red Powerball, readable by a screen reader as one phrase. */
export function balls(whites: readonly number[], powerball: number | null): HTMLElement {
  const label = `${whites.join(', ')}${powerball !== null ? `, Powerball ${powerball}` : ''}`;
  return h(
    'span',
    { class: 'balls', role: 'img', 'aria-label': label },
    ...whites.map((w) => h('span', { class: 'ball', 'aria-hidden': 'true' }, w)),
    powerball !== null ? h('span', { class: 'ball pb', 'aria-hidden': 'true' }, powerball) : null,
  );
}

export interface Column<T> {
  readonly head: string;
  /** Shown in the header instead of `head` (a sort button, say); `head` still labels the cells. */
  readonly headNode?: Node;
  readonly cell: (row: T) => Child | Child[];
  readonly numeric?: boolean;
}

/** A table with a caption (its accessible name) and column headers. */
export function table<T>(caption: string, columns: readonly Column<T>[], rows: readonly T[]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...columns.map((c) =>
            h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.headNode ?? c.head),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h(
            'tr',
            {},
            ...columns.map((c) =>
              h('td', { class: c.numeric ? 'num' : null, 'data-label': c.head }, c.cell(r)),
            ),
          ),
        ),
      ),
    ),
  );
}

/** A titled section of a page. */
export function section(title: string, ...children: (Child | Child[])[]): HTMLElement {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** Shows an error where the user is looking; a 401 offers to enter the server's token. */
export function errorBox(error: unknown, retry?: () => void): HTMLElement {
  const e = error instanceof ApiError ? error : null;
  const hints = e?.hint ? [e.hint] : [];
  const box = h(
    'div',
    { class: 'error', role: 'alert' },
    h(
      'strong',
      {},
      inDashboardWords(e ? e.message : String(error instanceof Error ? error.message : error), hints),
    ),
    e && e.issues.length > 0
      ? h(
          'ul',
          {},
          ...e.issues
            .slice(0, 10)
            .map((i) => h('li', {}, inDashboardWords(`${i.where}: ${i.reason}`, hints))),
        )
      : null,
  );
  if (e?.status === 401) {
    const input = h('input', { id: 'token-input', type: 'password', autocomplete: 'off', required: true });
    box.append(
      h(
        'form',
        {
          class: 'inline',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            setToken(input.value.trim());
            box.remove();
            retry?.();
          },
        },
        h('label', { for: 'token-input' }, 'Server token'),
        input,
        h('button', { type: 'submit' }, 'Use token'),
      ),
    );
  }
  return box;
}

/** Replaces the content of `el` with a loading note, runs `work`, and shows its error if it fails. */
export async function load(el: HTMLElement, work: () => Promise<void>): Promise<void> {
  el.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  el.setAttribute('aria-busy', 'true');
  try {
    await work();
  } catch (error) {
    el.replaceChildren(errorBox(error, () => void load(el, work)));
  } finally {
    el.removeAttribute('aria-busy');
  }
}

let fieldCounter = 0;

/** A labelled form field. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || `f-${++fieldCounter}`;
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('small', { id: hintId }, hint) : null,
  );
}

/** A progress bar with an accessible value and a text status. */
export function progressBar(label: string): {
  el: HTMLElement;
  set(fraction: number, message: string): void;
  /** Shows a Cancel button that calls `cancel` once (a job's cancel endpoint). */
  cancellable(cancel: () => Promise<unknown>): void;
} {
  const bar = h('progress', { max: 1, value: 0, 'aria-label': label });
  const text = h('span', { class: 'muted', role: 'status' }, '');
  const el = h('div', { class: 'progress' }, bar, text);
  return {
    el,
    set(fraction, message) {
      bar.value = fraction;
      text.textContent = `${Math.round(fraction * 100)}% – ${message}`;
    },
    cancellable(cancel) {
      const button = h('button', { type: 'button', 'data-testid': 'cancel-job' }, 'Cancel');
      button.onclick = () => {
        button.disabled = true;
        text.textContent = 'cancelling…';
        void cancel().catch((error: unknown) => (text.textContent = String(error)));
      };
      el.append(button);
    },
  };
}
