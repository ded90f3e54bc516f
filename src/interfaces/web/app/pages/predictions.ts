import { h } from '../ui.js';

export function renderPredictions(root: HTMLElement): void {
  root.replaceChildren(h('p', {}, 'Coming soon.'));
}
