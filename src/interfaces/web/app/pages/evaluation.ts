import { h } from '../ui.js';

export function renderEvaluation(root: HTMLElement): void {
  root.replaceChildren(h('p', {}, 'Coming soon.'));
}
