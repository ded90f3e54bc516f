import { api } from '../api.js';
import { chart, intervalPlot } from '../charts.js';
import { jobForm, recentJobs } from '../jobs-panel.js';
import { errorBox, field, fmt, fmtDate, fmtPct, h, load, section, table } from '../ui.js';
import { renderStandings } from './standings.js';

interface MeanEstimate {
  mean: number;
  sd: number;
  n: number;
  ci95: [number, number] | null;
  interval: string;
}
interface FamilyTest {
  key: string;
  what: string;
  observed: number;
  expected: number;
  direction: string;
  pValue: number;
  adjustedP: number;
  significant: boolean;
}
interface StrategyBacktest {
  strategy: string;
  draws: number;
  tickets: number;
  llr: MeanEstimate;
  whiteMatches: MeanEstimate & { expected: number };
  powerballHits: MeanEstimate & { expected: number };
  logScore: { mean: number; chanceMean: number; chanceSd: number };
  tiers: { tier: string; hits: number; rate: number; expected: number; pValue: number }[];
  tests: FamilyTest[];
  significant: boolean;
  verdict: string;
}
interface BacktestServiceReport {
  reports: { from: string; to: string; draws: number; seed: number; results: StrategyBacktest[] }[];
  results: StrategyBacktest[];
  family: { method: string; alpha: number; tests: number; strategies: number; chanceSequences: number };
  skipped: { strategy: string; reason: string }[];
  notice: string;
  elapsedMs: number;
}
interface Job {
  id: string;
  status: string;
  progress: { fraction: number; message: string };
  result: BacktestServiceReport | null;
  error: { message: string } | null;
}
interface WeightRecord {
  at: string;
  drawDate: string | null;
  weights: Record<string, number>;
  reason: string;
}

const DEFAULT_WEIGHTS: Record<string, number> = {
  frequency: 0.2,
  recency: 0.15,
  trends: 0.15,
  combo: 0.15,
  sum: 0.15,
  dow: 0.1,
  ml: 0.1,
};

export async function renderEvaluation(root: HTMLElement): Promise<void> {
  const results = h('div', { 'aria-live': 'polite' });
  const weights = h('div', {});
  const standings = h('div', {});
  root.replaceChildren(
    backtestForm(results),
    results,
    // A backtest outlives the page (a server job): coming back shows the newest result again.
    section(
      'Recent backtests',
      recentJobs<BacktestServiceReport>(
        'backtest',
        { one: 'backtest', many: 'backtests' },
        (job, out) =>
          out.replaceChildren(job.result ? showBacktest(job.result) : errorBox(new Error('no result'))),
        results,
      ),
    ),
    evaluateCard(() => {
      void showWeights(weights);
      void renderStandings(standings);
    }),
    standings,
    weights,
  );
  await Promise.all([showWeights(weights), renderStandings(standings)]);
}

function backtestForm(results: HTMLElement): HTMLElement {
  const strategy = h(
    'select',
    { name: 'strategy' },
    ...['all', 'weighted', 'frequency', 'recency', 'trends', 'combo', 'sum', 'dow', 'ml'].map((s) =>
      h('option', { value: s }, s),
    ),
  );
  const from = h('input', { name: 'from', type: 'date', min: '2015-10-07' });
  const seed = h('input', { name: 'seed', type: 'number', min: 0, value: 42, inputmode: 'numeric' });
  return jobForm({
    title: 'Backtest',
    intro:
      'Walk-forward over the current era: at each draw every strategy sees only earlier draws. Scored by the log-likelihood of what was drawn against the uniform distribution (0 = no better than chance).',
    label: 'Run a backtest',
    submit: 'Run backtest',
    progress: 'Backtest progress',
    fields: [
      field('Strategy', strategy),
      field('From', from, 'default: the start of the era'),
      field('Seed', seed),
    ],
    out: results,
    start: () =>
      api.post<Job>('/backtest', {
        strategy: strategy.value,
        ...(from.value ? { from: from.value } : {}),
        seed: Number(seed.value || 42),
      }),
    show: (done) =>
      results.replaceChildren(
        done.result ? showBacktest(done.result) : errorBox(new Error(done.error?.message ?? 'failed')),
      ),
  });
}

const ciText = (e: MeanEstimate, digits: number) =>
  e.ci95 ? `${fmt(e.ci95[0], digits)} to ${fmt(e.ci95[1], digits)}` : 'too few draws for an interval';

function showBacktest(r: BacktestServiceReport): HTMLElement {
  return h('div', { 'data-testid': 'backtest-result' }, llrSection(r), testsSection(r), tiersSection(r));
}

/** Each strategy's log-likelihood ratio with its interval, and the summary table. */
function llrSection(r: BacktestServiceReport): HTMLElement {
  const rows = r.results;
  const range = r.reports.map((p) => `${fmtDate(p.from)} to ${fmtDate(p.to)} (${p.draws} draws)`).join('; ');
  const withInterval = rows.filter((s) => s.llr.ci95 !== null);
  const withoutInterval = rows.filter((s) => s.llr.ci95 === null);
  const f = r.family;
  return section(
    'Log-likelihood against uniform',
    h('p', {}, range),
    withInterval.length > 0
      ? intervalPlot({
          title:
            'Mean log-likelihood ratio per draw against the uniform distribution, with 95% confidence intervals (Student t, from 30 draws)',
          description: withInterval
            .map((s) => `${s.strategy}: ${fmt(s.llr.mean, 4)} (${ciText(s.llr, 4)})`)
            .join('; '),
          rows: withInterval.map((s) => ({
            label: s.strategy,
            mean: s.llr.mean,
            low: (s.llr.ci95 as [number, number])[0],
            high: (s.llr.ci95 as [number, number])[1],
          })),
          reference: 0,
          referenceLabel: 'chance',
          xLabel: 'nats per draw',
        })
      : null,
    withoutInterval.length > 0
      ? h(
          'p',
          { 'data-testid': 'no-interval' },
          `No interval for ${withoutInterval.map((s) => s.strategy).join(', ')}: ${withoutInterval[0]?.llr.interval}.`,
        )
      : null,
    h(
      'p',
      { class: 'muted', 'data-testid': 'family' },
      `Significance: every strategy's log score, white matches, Powerball hits and prize tiers are compared with ${f.chanceSequences.toLocaleString('en-US')} replays of this backtest on simulated uniform draws (Monte Carlo p-values, valid at any number of draws), corrected together: one ${f.method} family of ${f.tests} tests over ${f.strategies} strategies at α = ${f.alpha}. An interval that alone excludes chance is not a finding.`,
    ),
    table(
      'Backtest per strategy',
      [
        { head: 'Strategy', cell: (s: StrategyBacktest) => s.strategy },
        { head: 'Draws', numeric: true, cell: (s) => s.draws },
        { head: 'LLR (nats/draw)', numeric: true, cell: (s) => fmt(s.llr.mean, 4) },
        { head: '95% CI', numeric: true, cell: (s) => ciText(s.llr, 4) },
        {
          head: 'Log score (chance)',
          numeric: true,
          cell: (s) =>
            `${fmt(s.logScore.mean, 4)} (${fmt(s.logScore.chanceMean, 4)} ± ${fmt(s.logScore.chanceSd, 4)})`,
        },
        {
          head: 'White matches / ticket',
          numeric: true,
          cell: (s) => `${fmt(s.whiteMatches.mean, 3)} (chance ${fmt(s.whiteMatches.expected, 3)})`,
        },
        {
          head: 'Powerball hit rate',
          numeric: true,
          cell: (s) => `${fmtPct(s.powerballHits.mean, 2)} (chance ${fmtPct(s.powerballHits.expected, 2)})`,
        },
        { head: 'Verdict', cell: (s) => s.verdict },
      ],
      rows,
    ),
    r.skipped.length > 0
      ? h('ul', {}, ...r.skipped.map((s) => h('li', {}, `${s.strategy} skipped: ${s.reason}`)))
      : null,
  );
}

/** Every test of the corrected family, before and after the correction. */
function testsSection(r: BacktestServiceReport): HTMLElement {
  const rows = r.results;
  const f = r.family;
  return section(
    'Tests against chance',
    table(
      `Every test of the family (${f.tests}), with its p-value before and after the ${f.method} correction`,
      [
        { head: 'Strategy', cell: (t: { s: string; t: FamilyTest }) => t.s },
        { head: 'Test', cell: (t) => t.t.what },
        { head: 'Observed', numeric: true, cell: (t) => fmt(t.t.observed, 3) },
        { head: 'Chance expects', numeric: true, cell: (t) => fmt(t.t.expected, 3) },
        { head: 'p', numeric: true, cell: (t) => fmt(t.t.pValue, 3) },
        { head: `p (${f.method})`, numeric: true, cell: (t) => fmt(t.t.adjustedP, 3) },
        {
          head: 'Verdict',
          cell: (t) => (t.t.significant ? `significant: ${t.t.direction} than chance` : 'chance'),
        },
      ],
      rows.flatMap((s) => s.tests.map((t) => ({ s: s.strategy, t }))),
    ),
  );
}

/** Prize-tier hit rates against the exact odds. */
function tiersSection(r: BacktestServiceReport): HTMLElement {
  const rows = r.results;
  return section(
    'Prize tiers against their exact odds',
    table(
      'Prize-tier hit rates per strategy against the exact probability per ticket',
      [
        { head: 'Strategy', cell: (t: { s: string; tier: StrategyBacktest['tiers'][number] }) => t.s },
        { head: 'Tier', cell: (t) => t.tier.tier },
        { head: 'Hits', numeric: true, cell: (t) => t.tier.hits },
        { head: 'Rate', numeric: true, cell: (t) => fmtPct(t.tier.rate, 3) },
        { head: 'Exact odds', numeric: true, cell: (t) => fmtPct(t.tier.expected, 3) },
        { head: 'p (uncorrected)', numeric: true, cell: (t) => fmt(t.tier.pValue, 3) },
      ],
      rows.flatMap((s) => s.tiers.filter((t) => t.expected > 1e-5).map((tier) => ({ s: s.strategy, tier }))),
    ),
    h('p', { class: 'muted' }, r.notice),
  );
}

function evaluateCard(onDone: () => void): HTMLElement {
  const status = h('div', { 'aria-live': 'polite' });
  const button = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        button.disabled = true;
        try {
          const r = await api.post<{
            scored: number;
            amount: number;
            updates: unknown[];
            nothingNew: boolean;
          }>('/evaluate');
          status.replaceChildren(
            h(
              'p',
              { role: 'status' },
              r.nothingNew
                ? 'Nothing new to evaluate.'
                : `Scored ${r.scored} predictions ($${r.amount} won); ${r.updates.length} weight update(s).`,
            ),
          );
          onDone();
        } catch (error) {
          status.replaceChildren(errorBox(error));
        } finally {
          button.disabled = false;
        }
      },
    },
    'Evaluate stored predictions',
  );
  return section(
    'Evaluate',
    h(
      'p',
      { class: 'muted' },
      'Scores every stored prediction whose draw is in the database and updates each strategy’s weight from its score.',
    ),
    button,
    status,
  );
}

async function showWeights(el: HTMLElement): Promise<void> {
  await load(el, async () => {
    const { history } = await api.get<{ history: WeightRecord[] }>('/weights');
    if (history.length === 0) {
      el.replaceChildren(
        section(
          'Strategy weights',
          h(
            'p',
            {},
            'No weight update is stored yet: the legacy defaults are in use (frequency .20, recency .15, trends .15, combo .15, sum .15, dow .10, ml .10).',
          ),
        ),
      );
      return;
    }
    const names = [...new Set(history.flatMap((r) => Object.keys(r.weights)))];
    const last = history[history.length - 1] as WeightRecord;
    // Point 0 is where learning started: the legacy default weights (DESIGN §3).
    const points: { label: string; weights: Record<string, number> }[] = [
      { label: 'start', weights: DEFAULT_WEIGHTS },
      ...history.map((r) => ({ label: r.drawDate ?? r.at.slice(0, 10), weights: r.weights })),
    ];
    el.replaceChildren(
      section(
        'Strategy weights over time',
        chart({
          title: 'Weight of each strategy after each update',
          description: `${history.length} update(s) since the default weights; now ${names.map((n) => `${n} ${fmt(last.weights[n] ?? 0, 3)}`).join(', ')}.`,
          x: points.map((_, i) => i),
          xLabel: 'Draw evaluated',
          yLabel: 'Weight',
          xFormat: (i) => points[Math.round(i)]?.label ?? '',
          series: names.map((n) => ({
            label: n,
            values: points.map((p) => p.weights[n] ?? null),
            kind: 'line' as const,
          })),
        }),
      ),
    );
  });
}
