/**
 * One ResizeObserver for every chart: when a chart's container changes width (the window narrows,
 * a phone turns), the chart is redrawn at the new width. Charts removed from the page are released.
 */
type Entry = { readonly resize: (width: number) => void; readonly dispose: () => void; width: number };

const watched = new Map<Element, Entry>();
let observer: ResizeObserver | null = null;

function onResize(entries: ResizeObserverEntry[]): void {
  for (const e of entries) {
    const entry = watched.get(e.target);
    if (!entry) continue;
    if (!e.target.isConnected) {
      observer?.unobserve(e.target);
      watched.delete(e.target);
      entry.dispose();
      continue;
    }
    const width = Math.floor(e.contentRect.width);
    if (width > 0 && width !== entry.width) {
      entry.width = width;
      entry.resize(width);
    }
  }
  // Release charts of pages that were replaced.
  for (const [el, entry] of watched)
    if (!el.isConnected) {
      observer?.unobserve(el);
      watched.delete(el);
      entry.dispose();
    }
}

/** Calls `resize(width)` whenever `el`'s content width changes; `dispose` once it left the page. */
export function observeWidth(
  el: Element,
  resize: (width: number) => void,
  dispose: () => void = () => {},
): void {
  observer ??= new ResizeObserver(onResize);
  watched.set(el, { resize, dispose, width: Math.floor(el.getBoundingClientRect().width) });
  observer.observe(el);
}
