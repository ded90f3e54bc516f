/**
 * The dashboard: five pages behind hash routes (#/overview, #/numbers, …). Each page renders into
 * <main>; focus moves to the page heading on navigation so keyboard and screen-reader users land
 * on the new content.
 */
import './styles.css';
import { renderAsk } from './pages/ask.js';
import { renderData } from './pages/data.js';
import { renderDraws } from './pages/draws.js';
import { renderEvaluation } from './pages/evaluation.js';
import { renderExperiments } from './pages/experiments.js';
import { renderModels } from './pages/models.js';
import { renderNumbers } from './pages/numbers.js';
import { renderOverview } from './pages/overview.js';
import { renderPredictions } from './pages/predictions.js';
import { renderTickets } from './pages/tickets.js';
import { h } from './ui.js';

type Page = (root: HTMLElement) => Promise<void> | void;

const PAGES: Record<string, { title: string; render: Page }> = {
  overview: { title: 'Overview', render: renderOverview },
  draws: { title: 'Draws', render: renderDraws },
  numbers: { title: 'Numbers', render: renderNumbers },
  models: { title: 'Models', render: renderModels },
  predictions: { title: 'Predictions', render: renderPredictions },
  evaluation: { title: 'Evaluation', render: renderEvaluation },
  experiments: { title: 'Experiments', render: renderExperiments },
  tickets: { title: 'My tickets', render: renderTickets },
  ask: { title: 'Ask the numbers', render: renderAsk },
  data: { title: 'Data', render: renderData },
};

const main = document.getElementById('main') as HTMLElement;
let generation = 0;

async function route(): Promise<void> {
  const name = location.hash.replace(/^#\/?/, '').split(/[/?]/)[0] || 'overview';
  const page = PAGES[name] ?? PAGES.overview;
  const key = PAGES[name] ? name : 'overview';
  const mine = ++generation;
  document.title = `${page?.title ?? ''} · Powerball Insights`;
  document.querySelectorAll<HTMLAnchorElement>('#nav a').forEach((a) => {
    if (a.dataset.page === key) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const root = h('div', { class: 'page', 'data-page': key });
  main.replaceChildren(h('h1', { tabindex: -1 }, page?.title ?? ''), root);
  if (mine > 1) (main.querySelector('h1') as HTMLElement).focus();
  await page?.render(root);
}

window.addEventListener('hashchange', () => void route());
void route();
