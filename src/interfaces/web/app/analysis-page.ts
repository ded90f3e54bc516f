/**
 * The frame every analysis page shares: the era (and date-range) pickers from the URL, the page's
 * own controls, and a result area that reloads when the scope changes. Errors and empty results
 * speak to a dashboard user.
 */
import { noDataNote } from './empty.js';
import { focusResult, type Scope, resolvedScope, scopeControls } from './scope.js';
import { errorBox, field, h, load } from './ui.js';
import { setParams, viewState } from './url-state.js';

export interface AnalysisPage {
  /** Show from/to date pickers besides the era. */
  readonly dates: boolean;
  /** Extra controls of the page (already wired to call `refresh`). */
  readonly controls?: (refresh: () => void) => HTMLElement | null;
  /** Fills `out` for the scope. */
  readonly show: (scope: Scope, out: HTMLElement) => Promise<void>;
}

export async function renderAnalysisPage(root: HTMLElement, page: AnalysisPage): Promise<void> {
  const scopeBox = h('div', {});
  const body = h('div', { class: 'result' });
  let scope: Scope | null = null;
  // After a user's action (not the first render) focus moves to the result: the element marked
  // data-result, else the first heading.
  const show = async (acted: boolean) => {
    await load(body, async () => {
      scope ??= await resolvedScope();
      try {
        await page.show(scope, body);
      } catch (error) {
        body.replaceChildren(noDataNote(error) ?? errorBox(error, refresh));
      }
    });
    if (acted)
      focusResult(
        body.querySelector<HTMLElement>('[data-result]') ??
          body.querySelector<HTMLElement>('h2, .note, .error') ??
          body,
      );
  };
  const refresh = () => void show(true);
  root.replaceChildren(scopeBox, page.controls?.(refresh) ?? '', body);
  try {
    scopeBox.replaceChildren(
      await scopeControls({
        dates: page.dates,
        onChange: (s) => {
          scope = s;
          refresh();
        },
      }),
    );
  } catch (error) {
    scopeBox.replaceChildren(noDataNote(error) ?? errorBox(error));
    return;
  }
  await show(false);
}

/**
 * A choice kept in the URL under `param` that only redraws what the page already has: the first
 * option is the default and leaves the URL clean.
 */
function urlChoice(
  param: string,
  options: readonly (readonly [value: string, label: string])[],
  onChange: () => void,
): HTMLSelectElement {
  const current = viewState().params.get(param);
  const chosen = options.some(([v]) => v === current) ? current : options[0]?.[0];
  const select = h(
    'select',
    { name: param },
    ...options.map(([value, label]) => h('option', { value, selected: value === chosen }, label)),
  );
  select.addEventListener('change', () => {
    setParams({ [param]: select.value === options[0]?.[0] ? null : select.value });
    onChange();
  });
  return select;
}

/**
 * An analysis page over era and dates with one choice kept in the URL: `fetch` asks the server
 * for the scope, `fill` lays the answer out, and `redraw` draws the part that depends on the
 * choice — again on its own when the choice changes, without asking the server again.
 */
export async function renderChoicePage<V>(
  root: HTMLElement,
  o: {
    readonly choice: {
      readonly label: string;
      readonly param: string;
      readonly options: readonly (readonly [value: string, label: string])[];
    };
    readonly fetch: (scope: Scope) => Promise<V>;
    readonly redraw: (answer: V, choice: string) => void;
    readonly fill: (answer: V, out: HTMLElement) => void;
  },
): Promise<void> {
  let latest: V | null = null;
  const select = urlChoice(o.choice.param, o.choice.options, () => {
    if (latest !== null) o.redraw(latest, select.value);
  });
  await renderAnalysisPage(root, {
    dates: true,
    controls: () => h('div', { class: 'controls' }, field(o.choice.label, select)),
    show: async (scope, out) => {
      const answer = await o.fetch(scope);
      latest = answer;
      o.redraw(answer, select.value);
      o.fill(answer, out);
    },
  });
}
