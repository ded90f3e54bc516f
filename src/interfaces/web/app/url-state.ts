/**
 * The view lives in the URL so that it can be linked and survives reload: `#/<page>/<id…>?<params>`,
 * e.g. `#/predictions/set/abc?page=2` or `#/draws?from=2020-01-01&page=3`.
 *
 * Pages read their state with `viewState()` when they render, and write filter changes back with
 * `setParams()`, which replaces the URL without re-rendering the page (the page has already applied
 * the change). `navigate()` moves to another view and renders it.
 */

export interface ViewState {
  /** The page name (first segment), e.g. `predictions`. */
  readonly page: string;
  /** Segments after the page name, decoded, e.g. `['set', 'abc']`. */
  readonly path: readonly string[];
  readonly params: URLSearchParams;
}

export function viewState(hash: string = location.hash): ViewState {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const route = q < 0 ? body : body.slice(0, q);
  const segments = route
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  return {
    page: segments[0] ?? '',
    path: segments.slice(1),
    params: new URLSearchParams(q < 0 ? '' : body.slice(q + 1)),
  };
}

/** The hash of a view: `viewHash('predictions', ['set', id], { page: 2 })`. Empty values are dropped. */
export function viewHash(
  page: string,
  path: readonly string[] = [],
  params: Readonly<Record<string, string | number | boolean | null | undefined>> = {},
): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== null && v !== undefined && v !== '') query.set(k, String(v));
  const route = [page, ...path].map(encodeURIComponent).join('/');
  const qs = query.toString();
  return `#/${route}${qs ? `?${qs}` : ''}`;
}

/**
 * Merges `patch` into the current view's parameters (null/undefined/'' removes one) and replaces the
 * URL without a hashchange, so the page is not rendered again.
 */
export function setParams(
  patch: Readonly<Record<string, string | number | boolean | null | undefined>>,
): void {
  const state = viewState();
  const merged: Record<string, string> = Object.fromEntries(state.params.entries());
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === '') delete merged[k];
    else merged[k] = String(v);
  }
  history.replaceState(history.state, '', viewHash(state.page, state.path, merged));
}

/** Goes to another view (a history entry; the router renders it). */
export function navigate(hash: string): void {
  location.hash = hash;
}
