/**
 * What the benchmark harness (bench/run.ts) prints and writes: the one table, the legacy figures of
 * DESIGN §7 where no peer was measured, the growth of cost with size, and docs/benchmarks.md.
 * Pure functions of the results document, so a document can be re-rendered without re-running.
 */

/** One `BENCH {json}` line as a benchmark prints it. */
export interface BenchLine {
  readonly work: string;
  readonly median_ms: number;
  readonly p99_ms?: number;
  readonly budget_ms?: number;
  readonly peer_ms?: number;
  readonly peer?: string;
  readonly n?: number;
  /** Memory of a process the benchmark started itself (servers), instead of the benchmark's own. */
  readonly rss_mb?: number;
  /** `MB` when median/budget are megabytes, not milliseconds. */
  readonly unit?: 'ms' | 'MB' | 'KB';
  /** Rows of one growth curve share a group; `scale_size` is the size of the input. */
  readonly scale_group?: string;
  readonly scale_size?: number;
  /** Which statistic the budget bounds (default: the median, or p99 for the rows in P99_BUDGETS). */
  readonly budget_stat?: 'median' | 'p99';
  /** Further peers measured on the same work in the same run, shown after the main one. */
  readonly other_peers?: readonly OtherPeer[];
  readonly [extra: string]: unknown;
}

/** A further peer of a row: its label, its time, and (in a result) peer_ms ÷ ours. */
export interface OtherPeer {
  readonly peer: string;
  readonly peer_ms: number;
  readonly ratio?: number | null;
  readonly [extra: string]: unknown;
}

export interface Result extends BenchLine {
  readonly file: string;
  readonly unit: 'ms' | 'MB' | 'KB';
  readonly budget_stat: 'median' | 'p99';
  /** peer_ms ÷ median_ms: how many times faster than the peer (null without a peer). */
  readonly ratio: number | null;
  /** `measured` (in this run) or `legacy` (a DESIGN §7 figure of the old Python app). */
  readonly peer_kind: 'measured' | 'legacy' | null;
  readonly within_budget: boolean | null;
  readonly peak_rss_mb: number | null;
}

export interface Failure {
  readonly file: string;
  readonly reason: string;
  readonly stderr: string;
}

export interface Machine {
  readonly platform: string;
  readonly cpus: number;
  readonly cpu_model: string | null;
  readonly memory_gb: number;
  readonly node: string;
  readonly python: { readonly python: string; readonly sklearn: string; readonly numpy: string } | null;
}

export interface ResultsDocument {
  readonly generated_at: string;
  readonly quick: boolean;
  readonly machine: Machine;
  /** 1-, 5- and 15-minute load averages when the run started and ended, and the mean 1-minute load. */
  readonly load: { readonly start: number[]; readonly end: number[]; readonly mean_1m: number };
  readonly duration_s: number;
  readonly results: readonly Result[];
  readonly failures: readonly Failure[];
  readonly scaling: readonly ScalingCurve[];
}

/** A legacy Python figure from DESIGN §7: a range in ms (or MB), and which rows it belongs to. */
interface LegacyFigure {
  readonly match: RegExp;
  readonly low: number;
  readonly high: number;
  readonly text: string;
}

/** DESIGN §7, "legacy Python figure" column. The ratio uses the low end: the old app at its best. */
export const LEGACY_FIGURES: readonly LegacyFigure[] = [
  { match: /^feature engineering, 5,000 draws/, low: 200, high: 500, text: '200–500 ms' },
  {
    match: /^5-fold CV of ridge \+ random forest \+ gradient boosting,? \(?100 trees each/,
    low: 10_000,
    high: 30_000,
    text: '10–30 s',
  },
  {
    match: /generate and store a (weighted )?set of 5/,
    low: 60,
    high: 150,
    text: '50–100 ms + 10–50 ms',
  },
  {
    match: /^(fetch one set|filtered query).*\b1000000 predictions stored/,
    low: 5,
    high: 200,
    text: '5–200 ms',
  },
  {
    match: /^pbi serve peak RSS.*\b1000000 predictions stored/,
    low: 100,
    high: 100,
    text: '100 MB (joblib)',
  },
];

/**
 * Budgets that bound the p99, not the median: DESIGN §7 "retrieve a prediction set / filtered query
 * … ≤ 2 ms p99", and the HTTP API's p99 at a fixed request rate (issue 7).
 */
export const P99_BUDGETS: readonly RegExp[] = [
  /^(fetch one set|filtered query)\b/,
  /^GET \/api\/.* at \d+ req\/s/,
];

/** Turns a benchmark's line into a result: unit, legacy figure when no peer was measured, ratio, budget. */
export function toResult(line: BenchLine, file: string, processRssMb: number | null): Result {
  const unit = line.unit ?? (/\(MB\)\s*$/.test(line.work) ? 'MB' : 'ms');
  let peer = line.peer;
  let peerMs = line.peer_ms;
  let kind: Result['peer_kind'] = null;
  // A figure quoted by the benchmark (not measured in this run) says so in its label.
  if (peerMs !== undefined) kind = /figure/i.test(peer ?? '') ? 'legacy' : 'measured';
  else {
    const legacy = LEGACY_FIGURES.find((f) => f.match.test(line.work));
    if (legacy) {
      peerMs = legacy.low;
      peer = `legacy figure ${legacy.text}`;
      kind = 'legacy';
    }
  }
  const budgetStat = line.budget_stat ?? (P99_BUDGETS.some((re) => re.test(line.work)) ? 'p99' : 'median');
  const bounded = budgetStat === 'p99' ? (line.p99_ms ?? line.median_ms) : line.median_ms;
  return {
    ...line,
    ...(peerMs === undefined ? {} : { peer_ms: peerMs, peer }),
    file,
    unit,
    budget_stat: budgetStat,
    ratio: peerMs !== undefined && line.median_ms > 0 ? peerMs / line.median_ms : null,
    ...(line.other_peers
      ? {
          other_peers: line.other_peers.map((o) => ({
            ...o,
            ratio: line.median_ms > 0 ? o.peer_ms / line.median_ms : null,
          })),
        }
      : {}),
    peer_kind: kind,
    within_budget: line.budget_ms === undefined ? null : bounded <= line.budget_ms,
    peak_rss_mb: line.rss_mb ?? processRssMb,
  };
}

/** A growth curve: one work measured at several sizes. */
export interface ScalingCurve {
  readonly group: string;
  readonly points: readonly { readonly size: number; readonly ms: number; readonly peer_ms: number | null }[];
  /** Slope of log(time) on log(size): 1 = linear, 2 = quadratic. */
  readonly exponent: number;
  readonly peer_exponent: number | null;
}

/** Least-squares slope of log(y) on log(x). */
export function fittedExponent(points: readonly { x: number; y: number }[]): number {
  const pts = points.filter((p) => p.x > 0 && p.y > 0).map((p) => ({ x: Math.log(p.x), y: Math.log(p.y) }));
  const n = pts.length;
  const mx = pts.reduce((a, p) => a + p.x, 0) / n;
  const my = pts.reduce((a, p) => a + p.y, 0) / n;
  const sxy = pts.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = pts.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxx === 0 ? Number.NaN : sxy / sxx;
}

/**
 * Groups results into growth curves: by `scale_group`/`scale_size` where a benchmark gives them, else
 * rows whose work differs only in a parenthesised size or an `Nx`, sized by their `draws` or `rows`.
 */
export function scalingCurves(results: readonly Result[]): ScalingCurve[] {
  const groups = new Map<string, { size: number; ms: number; peer_ms: number | null }[]>();
  for (const r of results) {
    let group = r.scale_group;
    let size = r.scale_size;
    if (group === undefined) {
      const implied = typeof r.draws === 'number' ? r.draws : typeof r.rows === 'number' ? r.rows : undefined;
      const stripped = r.work
        .replace(/\([^)]*\)/g, '')
        .replace(/\b\d+x\b/g, '')
        .replace(/\s+/g, ' ')
        .trim();
      if (implied === undefined || stripped === r.work.trim()) continue;
      group = stripped;
      size = implied;
    }
    if (size === undefined) continue;
    const list = groups.get(group) ?? [];
    list.push({ size, ms: r.median_ms, peer_ms: r.peer_kind === 'measured' ? (r.peer_ms ?? null) : null });
    groups.set(group, list);
  }
  const curves: ScalingCurve[] = [];
  for (const [group, pts] of groups) {
    const points = [...pts].sort((a, b) => a.size - b.size);
    if (new Set(points.map((p) => p.size)).size < 2) continue;
    const withPeer = points.filter((p) => p.peer_ms !== null);
    curves.push({
      group,
      points,
      exponent: fittedExponent(points.map((p) => ({ x: p.size, y: p.ms }))),
      peer_exponent:
        new Set(withPeer.map((p) => p.size)).size >= 2
          ? fittedExponent(withPeer.map((p) => ({ x: p.size, y: p.peer_ms as number })))
          : null,
    });
  }
  return curves;
}

/** Milliseconds (or MB) at a sensible precision. */
export const fmt = (x: number | undefined | null): string =>
  x === undefined || x === null ? '' : x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3);

const withUnit = (x: number | undefined | null, unit: 'ms' | 'MB' | 'KB') =>
  x === undefined || x === null ? '' : unit === 'MB' ? `${fmt(x)} MB` : fmt(x);

const HEADERS = ['work', 'median ms', 'p99 ms', 'budget ms', 'peer', 'ratio', 'peak RSS MB', ''];

const ratioText = (ratio: number | null | undefined): string =>
  ratio === null || ratio === undefined ? '' : `${ratio.toFixed(1)}x`;

/** Peer and ratio cells: the main peer, then any others, separated by `; ` and ` / `. */
function peerCells(r: Result): [string, string] {
  const main =
    r.peer_ms === undefined
      ? ''
      : `${r.peer ?? 'peer'} ${r.peer_kind === 'legacy' ? '' : withUnit(r.peer_ms, r.unit)}`.trim();
  const others = r.other_peers ?? [];
  if (others.length === 0) return [main, ratioText(r.ratio)];
  return [
    [main, ...others.map((o) => `${o.peer} ${withUnit(o.peer_ms, r.unit)}`)]
      .filter((c) => c !== '')
      .join('; '),
    [r.ratio, ...others.map((o) => o.ratio)]
      .map(ratioText)
      .filter((c) => c !== '')
      .join(' / '),
  ];
}

function cells(r: Result): string[] {
  return [
    r.work,
    withUnit(r.median_ms, r.unit),
    withUnit(r.p99_ms, r.unit),
    r.budget_ms === undefined
      ? ''
      : `${withUnit(r.budget_ms, r.unit)}${r.budget_stat === 'p99' ? ' p99' : ''}`,
    ...peerCells(r),
    r.peak_rss_mb === null ? '' : r.peak_rss_mb.toFixed(0),
    r.within_budget === false ? 'OVER BUDGET' : '',
  ];
}

/** The one table, aligned for a terminal. Ratio = peer ÷ ours (above 1: we are faster). */
export function renderTable(results: readonly Result[]): string {
  const rows = results.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cs: readonly string[]) =>
    cs
      .map((c, i) => (i === 0 || i === 4 || i === 7 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [
    line(HEADERS),
    widths
      .map((w) => '-'.repeat(w))
      .join('  ')
      .trimEnd(),
    ...rows.map(line),
  ].join('\n');
}

/** Growth of each curve: sizes, medians, ratio between consecutive sizes and the fitted exponent. */
export function renderScaling(curves: readonly ScalingCurve[]): string {
  if (curves.length === 0) return '';
  const out = ['Scaling (time ∝ size^exponent; 1 = linear):'];
  for (const c of curves) {
    const steps = c.points.map((p, i) => {
      const prev = c.points[i - 1];
      const grow = prev ? ` (×${(p.ms / prev.ms).toFixed(1)} for ×${(p.size / prev.size).toFixed(1)})` : '';
      return `${p.size}: ${fmt(p.ms)} ms${grow}`;
    });
    const peer = c.peer_exponent === null ? '' : `; peer exponent ${c.peer_exponent.toFixed(2)}`;
    out.push(`  ${c.group}: exponent ${c.exponent.toFixed(2)}${peer}\n    ${steps.join(', ')}`);
  }
  return out.join('\n');
}

const mdEscape = (s: string) => s.replace(/\|/g, '\\|');

/** docs/benchmarks.md from a results document. */
export function renderDoc(doc: ResultsDocument): string {
  const m = doc.machine;
  const py = m.python
    ? `Python ${m.python.python}, scikit-learn ${m.python.sklearn}, numpy ${m.python.numpy} (Debian packages)`
    : 'no Python with scikit-learn (peers are the legacy figures of DESIGN §7)';
  const load = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join(' / ');
  // The benchmarks themselves keep both cores busy (worker threads, peers), so a mean load up to the
  // core count is their own; busy means others were running at the start, or more than that.
  const busy = (doc.load.start[0] as number) > m.cpus * 0.5 || doc.load.mean_1m > m.cpus;
  const lines: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench -- --write-doc` (bench/run.ts, bench/report.ts); edit those, not this file. -->',
    '',
    'How this implementation compares with the Python stack on the same work (DESIGN §7, issue 9).',
    "Each row is one measurement; **ratio** is the peer's time divided by ours (above 1: we are faster).",
    'A budget is on the median unless marked p99. Peak RSS is that of the benchmark process.',
    'Peers are scikit-learn/numpy (and XGBoost for training) measured in the same run on the same data where a benchmark has one;',
    'otherwise the legacy Python figures of DESIGN §7 (marked "legacy figure"; the ratio uses their low end).',
    '',
    `## Latest run`,
    '',
    `- Measured ${doc.generated_at} (${doc.quick ? 'quick mode: fewer iterations and sizes, indicative only' : 'full run'}), ${Math.round(doc.duration_s)} s in all.`,
    `- Machine: ${m.cpus} cores (${m.cpu_model ?? 'unknown CPU'}), ${m.memory_gb.toFixed(1)} GB memory, ${m.platform}.`,
    `- Node ${m.node}; ${py}.`,
    `- Load average (1 / 5 / 15 min): ${load(doc.load.start)} at the start, ${load(doc.load.end)} at the end, mean 1-minute load ${doc.load.mean_1m.toFixed(2)} during the run${
      busy
        ? ` — **the machine was busy** (other work at the start, or more runnable processes than ${m.cpus} cores), so timings are inflated, ours and the peers' alike`
        : ''
    }.`,
    '',
    '| work | median | p99 | budget | peer | ratio | peak RSS MB | |',
    '| --- | ---: | ---: | ---: | --- | ---: | ---: | --- |',
  ];
  for (const r of doc.results) {
    const c = cells(r).map(mdEscape);
    const u = r.unit === 'MB' ? '' : ' ms';
    lines.push(
      `| ${c[0]} | ${c[1]}${c[1] && u} | ${c[2]}${c[2] && u} | ${c[3]?.replace(/( p99)?$/, `${c[3] && u}$1`)} | ${c[4]} | ${c[5]} | ${c[6]} | ${c[7] === '' ? '' : '**over budget**'} |`,
    );
  }
  if (doc.failures.length > 0) {
    lines.push('', 'Benchmarks that failed in this run:', '');
    for (const f of doc.failures) lines.push(`- \`${f.file}\`: ${f.reason}`);
  }
  if (doc.scaling.length > 0) {
    lines.push(
      '',
      '## Scaling',
      '',
      'Cost against input size. The exponent is the least-squares slope of log(time) on log(size): 1 is',
      'linear, 2 quadratic. Histories beyond the real one are continued with seeded uniform draws.',
      '',
      '| work | sizes | median ms | growth between sizes | exponent | peer exponent |',
      '| --- | --- | --- | --- | ---: | ---: |',
    );
    for (const c of doc.scaling) {
      const growth = c.points
        .slice(1)
        .map((p, i) => `×${(p.ms / (c.points[i] as { ms: number }).ms).toFixed(1)}`)
        .join(', ');
      lines.push(
        `| ${mdEscape(c.group)} | ${c.points.map((p) => p.size).join(', ')} | ${c.points.map((p) => fmt(p.ms)).join(', ')} | ${growth} | ${c.exponent.toFixed(2)} | ${c.peer_exponent === null ? '' : c.peer_exponent.toFixed(2)} |`,
      );
    }
  }
  lines.push(
    '',
    '## What is measured',
    '',
    '- `bench/draws.bench.ts`: importing and analysing the bundled history.',
    '- `bench/ask.bench.ts`: `pbi ask` without a language model on the real history (parse and answer, draws loaded), budget 20 ms.',
    '- `bench/features.bench.ts`: feature engineering (budget 10 ms for 5,000 draws).',
    '- `bench/training.bench.ts`: the DESIGN §7 CV row: ridge, random forest and gradient boosting with 100 trees each, 5-fold',
    '  walk-forward CV on the real history (the `pbi features export` matrix), budget 3 s, beside scikit-learn and XGBoost',
    '  (`bench/peers/xgboost_cv.py`: histogram method, 256 bins, 2 threads, the same shapes) on the same matrix.',
    '- `bench/scaling.bench.ts`: feature engineering, CV (10-tree ensembles) and prediction at 1×, 4× and 16× the real history.',
    '  numpy builds the same feature matrix from the same draws (`bench/peers/features_numpy.py`, checked cell for cell against',
    '  ours); scikit-learn runs the same CV on the same matrix and predicts the same row (`bench/peers/sklearn_cv.py`, reading the',
    '  layout of `pbi features export`; at 1× it is that export), up to 4× (its boosting would take many minutes at 16×).',
    '  scikit-learn peers use `n_jobs=-1`, as our trees use every core (one thread for a one-row prediction, its fastest).',
    '- `bench/predict.bench.ts`: generating and storing a weighted set of five tickets, and a full backtest.',
    '- `bench/store.bench.ts`: storing a set, fetching one and a filtered query at 10k, 100k and 1M stored predictions; its peer is',
    "  the legacy schema and queries through Python's sqlite3.",
    '- `bench/http.bench.ts`: the HTTP API under load and the memory of `pbi serve` with 1M predictions stored.',
    '- `bench/tune.bench.ts`, `bench/legacy.bench.ts` and, where present, `bench/migrate.bench.ts`: tuning, reading and migrating legacy data.',
    "- Peak RSS is each benchmark process's own peak resident memory (`process.resourceUsage().maxRSS`), or the server's where",
    '  a benchmark measures a server it started.',
    '',
    '## How to reproduce',
    '',
    '```sh',
    'apt-get install -y python3-sklearn python3-xgboost   # optional: the peers (/usr/bin/python3)',
    'npm ci',
    'npm run build                        # the HTTP benchmark runs the built server',
    'npm run bench                        # every benchmark, one table, bench/results.json',
    'npm run bench -- --quick             # fewer iterations and sizes (what CI runs)',
    'npm run bench -- scaling store       # only benchmarks whose file name contains a word',
    'npm run bench -- --write-doc         # also rewrite docs/benchmarks.md from this run',
    'npx tsx bench/run.ts --from bench/results.json --write-doc   # re-render the doc without re-running',
    'pbi bench [--quick] [--json]         # the same harness from the command line',
    '```',
    '',
    'Set `PBI_PEER_PYTHON` to another interpreter with scikit-learn, or to `none` to skip the peers. Run on a quiet machine:',
    'the load averages above say how quiet this one was.',
    '',
  );
  return lines.join('\n');
}
