/**
 * What a page says when there is nothing to show yet, in the dashboard's words (a sentence and a
 * link to where the user can fix it), not the CLI's.
 */
import { ApiError } from './api.js';
import { h } from './ui.js';

/** A friendly note for "no draws" errors, or null for any other error. */
export function noDataNote(error: unknown): HTMLElement | null {
  if (!(error instanceof ApiError) || error.code !== 'INSUFFICIENT_DATA') return null;
  return h(
    'div',
    { class: 'note', role: 'status' },
    h('p', {}, 'There are no stored draws in this range yet.'),
    h(
      'p',
      {},
      'Choose another era or widen the dates, or load the draw history on the ',
      h('a', { href: '#/overview' }, 'Overview'),
      ' page.',
    ),
  );
}
