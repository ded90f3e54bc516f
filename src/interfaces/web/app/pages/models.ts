import { h } from '../ui.js';

export function renderModels(root: HTMLElement): void {
  root.replaceChildren(h('p', {}, 'Coming soon.'));
}
