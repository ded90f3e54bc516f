/**
 * The dashboard: pages behind hash routes (`#/<page>/<path…>?<params>`, see url-state.ts). Each page
 * renders into <main> from the view in the URL, so a view can be linked and survives reload; focus
 * moves to the page heading on navigation so keyboard and screen-reader users land on the new
 * content. On a phone the navigation is one row: the brand and a Pages menu button.
 */
import './styles.css';
import { renderAsk } from './pages/ask.js';
import { renderData } from './pages/data.js';
import { renderDraws } from './pages/draws.js';
import { renderCombinations } from './pages/combinations.js';
import { renderEvaluation } from './pages/evaluation.js';
import { renderExperiments } from './pages/experiments.js';
import { renderGaps } from './pages/gaps.js';
import { renderModels } from './pages/models.js';
import { renderNumbers } from './pages/numbers.js';
import { renderOverview } from './pages/overview.js';
import { renderPredictions } from './pages/predictions.js';
import { renderSums } from './pages/sums.js';
import { renderTickets } from './pages/tickets.js';
import { renderTrends } from './pages/trends.js';
import { renderWeekdays } from './pages/weekdays.js';
import { h } from './ui.js';
import { type ViewState, viewState } from './url-state.js';

type Page = (root: HTMLElement, view: ViewState) => Promise<void> | void;

const PAGES: Record<string, { title: string; render: Page }> = {
  overview: { title: 'Overview', render: renderOverview },
  draws: { title: 'Draws', render: renderDraws },
  numbers: { title: 'Numbers', render: renderNumbers },
  trends: { title: 'Trends', render: renderTrends },
  combinations: { title: 'Combinations', render: renderCombinations },
  sums: { title: 'Sums', render: renderSums },
  gaps: { title: 'Gaps', render: renderGaps },
  weekdays: { title: 'Day of week', render: renderWeekdays },
  models: { title: 'Models', render: renderModels },
  predictions: { title: 'Predictions', render: renderPredictions },
  evaluation: { title: 'Evaluation', render: renderEvaluation },
  experiments: { title: 'Experiments', render: renderExperiments },
  tickets: { title: 'My tickets', render: renderTickets },
  ask: { title: 'Ask the numbers', render: renderAsk },
  data: { title: 'Data', render: renderData },
};

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('site-nav') as HTMLElement;
const toggle = document.getElementById('nav-toggle') as HTMLButtonElement;
let generation = 0;

function setMenu(open: boolean): void {
  nav.classList.toggle('open', open);
  toggle.setAttribute('aria-expanded', String(open));
}
toggle.addEventListener('click', () => setMenu(toggle.getAttribute('aria-expanded') !== 'true'));

async function route(): Promise<void> {
  const view = viewState();
  const key = PAGES[view.page] ? view.page : 'overview';
  const page = PAGES[key] as { title: string; render: Page };
  const mine = ++generation;
  document.title = `${page.title} · Powerball Insights`;
  document.querySelectorAll<HTMLAnchorElement>('#nav a').forEach((a) => {
    if (a.dataset.page === key) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  setMenu(false);
  const root = h('div', { class: 'page', 'data-page': key });
  main.replaceChildren(h('h1', { tabindex: -1 }, page.title), root);
  if (mine > 1) (main.querySelector('h1') as HTMLElement).focus();
  await page.render(root, { ...view, page: key });
}

window.addEventListener('hashchange', () => void route());
void route();
