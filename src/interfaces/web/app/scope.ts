/**
 * The era and date-range pickers of the analysis pages. Their values live in the URL (`era`, `from`,
 * `to`), so a view can be linked and survives reload; changing one rewrites the URL and redraws.
 */
import type { EraSpans } from '../../http/contract/analysis.js';
import { api } from './api.js';
import { field, fmtInt, h } from './ui.js';
import { setParams, viewState } from './url-state.js';

export interface Scope {
  readonly era: string;
  readonly from: string;
  readonly to: string;
}

let erasCache: Promise<EraSpans> | null = null;

/** The eras with stored draws (fetched once per page load). */
export function knownEras(): Promise<EraSpans> {
  erasCache ??= api.get<EraSpans>('/analysis/eras').catch((error: unknown) => {
    erasCache = null;
    throw error;
  });
  return erasCache;
}

/** The scope in the URL now. */
export function scopeFromUrl(): Scope {
  const p = viewState().params;
  return { era: p.get('era') ?? '', from: p.get('from') ?? '', to: p.get('to') ?? '' };
}

/** Query parameters of the analysis API for a scope (empty values dropped by the API client). */
export function scopeQuery(s: Scope): Record<string, string> {
  return { era: s.era, from: s.from, to: s.to };
}

/**
 * Era select (newest first) and, with `dates`, from/to inputs; `onChange` runs after the URL was
 * updated. Returns the controls, ready to insert.
 */
export async function scopeControls(options: {
  readonly dates: boolean;
  readonly onChange: (s: Scope) => void;
}): Promise<HTMLElement> {
  const { eras } = await knownEras();
  const current = scopeFromUrl();
  const stored = eras.filter((e) => e.draws > 0);
  const newest = stored[stored.length - 1];
  const select = h(
    'select',
    { id: 'era-select', name: 'era' },
    ...[...stored]
      .reverse()
      .map((e) =>
        h(
          'option',
          { value: e.era.id, selected: e.era.id === (current.era || newest?.era.id) },
          `${e.era.from} – ${e.era.to ?? 'today'} (1–${e.era.whiteMax} / PB 1–${e.era.powerballMax}, ${fmtInt(e.draws)} draws)`,
        ),
      ),
  );
  const from = h('input', { id: 'scope-from', name: 'from', type: 'date', value: current.from });
  const to = h('input', { id: 'scope-to', name: 'to', type: 'date', value: current.to });
  const emit = () => {
    const s: Scope = {
      era: select.value === newest?.era.id ? '' : select.value,
      from: options.dates ? from.value : '',
      to: options.dates ? to.value : '',
    };
    setParams({ ...s });
    options.onChange({ ...s, era: select.value });
  };
  select.addEventListener('change', () => {
    // A range from another era would hold no draws of this one.
    from.value = '';
    to.value = '';
    emit();
  });
  from.addEventListener('change', emit);
  to.addEventListener('change', emit);
  return h(
    'div',
    { class: 'controls' },
    field('Rule era', select),
    options.dates ? field('From', from) : null,
    options.dates ? field('To', to) : null,
  );
}

/** The scope to ask the API for: the era picked (or the newest), and the dates. */
export async function resolvedScope(): Promise<Scope> {
  const s = scopeFromUrl();
  if (s.era) return s;
  const { eras } = await knownEras();
  const newest = eras.filter((e) => e.draws > 0).at(-1);
  return { ...s, era: newest?.era.id ?? '' };
}

/** Moves focus to a result that just appeared, so keyboard and screen-reader users land on it. */
export function focusResult(el: HTMLElement): void {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: false });
}
