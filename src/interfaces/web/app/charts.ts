/**
 * Charts on uPlot (small, fast canvas charts made for numeric series). Every chart is a figure with
 * a text description for screen readers, a readout of the point under the pointer or picked with
 * the arrow keys (announced politely), and its data as a table one click away. Charts follow their
 * container's width (a ResizeObserver), so narrowing the window narrows them too.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { observeWidth } from './resize.js';
import { h, table } from './ui.js';

export const COLORS = {
  bar: '#1f5fa8',
  barAlt: '#c8102e',
  expected: '#222222',
  band: 'rgba(0, 0, 0, 0.12)',
  series: ['#1f5fa8', '#c8102e', '#2e7d32', '#8e24aa', '#ef6c00', '#00838f', '#5d4037', '#455a64'],
};

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color?: string;
  /** bars, a line, or a dashed line (expectations: the chance line). */
  readonly kind?: 'bar' | 'line' | 'dashed' | 'points';
}

export interface ChartSpec {
  readonly title: string;
  /** One sentence for screen readers: what the chart shows and its main message. */
  readonly description: string;
  readonly x: readonly number[];
  /** Axis labels name the unit, e.g. "Gap (draws)". */
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** A shaded band (for example the range expected by chance), drawn behind the series. */
  readonly band?: {
    readonly label: string;
    readonly low: readonly number[];
    readonly high: readonly number[];
  };
  /** Format of x values in the axis, the readout and the table (dates given as epoch days, for example). */
  readonly xFormat?: (x: number) => string;
  /** A log-scaled x axis, for parameters searched on a log grid (alpha, learning rate). */
  readonly xLog?: boolean;
  readonly height?: number;
}

/**
 * What was seen (bars, or a line) and, dashed beside it, what chance expects: the pair of series
 * most analysis charts draw. The chance series is labelled "Expected by chance" unless told.
 */
export function chanceBars(
  label: string,
  seen: readonly (number | null)[],
  expected: readonly (number | null)[],
  options: { color?: string | undefined; expectedLabel?: string; kind?: 'bar' | 'line' } = {},
): ChartSeries[] {
  return [
    { label, values: seen, kind: options.kind ?? 'bar', ...(options.color ? { color: options.color } : {}) },
    {
      label: options.expectedLabel ?? 'Expected by chance',
      values: expected,
      kind: 'dashed',
      color: COLORS.expected,
    },
  ];
}

/** Draws a chart into a new figure element (drawn once the figure is in the document and has a width). */
export function chart(spec: ChartSpec): HTMLElement {
  const readout = h(
    'p',
    { class: 'readout', 'aria-live': 'polite' },
    'Point at the chart, or focus it and use the arrow keys, to read each value.',
  );
  const holder = h('div', {
    class: 'chart',
    tabindex: 0,
    role: 'group',
    'aria-roledescription': 'chart',
    'aria-label': `${spec.title}. ${spec.description} Arrow keys read the values one by one.`,
  });
  const rows = spec.x.map((x, i) => ({ x, i }));
  const fx = (x: number) => (spec.xFormat ? spec.xFormat(x) : String(x));
  const dataTable = table(
    spec.title,
    [
      { head: spec.xLabel, cell: (r: { x: number; i: number }) => fx(r.x) },
      ...(spec.band
        ? [
            {
              head: spec.band.label,
              numeric: true,
              cell: (r: { x: number; i: number }) =>
                `${round(spec.band?.low[r.i])}–${round(spec.band?.high[r.i])}`,
            },
          ]
        : []),
      ...spec.series.map((s) => ({
        head: s.label,
        numeric: true,
        cell: (r: { x: number; i: number }) => round(s.values[r.i]),
      })),
    ],
    rows,
  );
  const figure = h(
    'figure',
    { class: 'figure' },
    holder,
    readout,
    h('figcaption', {}, spec.description),
    h('details', {}, h('summary', {}, 'Show the data as a table'), dataTable),
  );
  const say = (i: number) => {
    const parts = spec.series.map((s) => `${s.label} ${round(s.values[i])}`);
    if (spec.band) parts.push(`${spec.band.label} ${round(spec.band.low[i])}–${round(spec.band.high[i])}`);
    readout.textContent = `${spec.xLabel} ${fx(spec.x[i] as number)}: ${parts.join(', ')}.`;
  };
  requestAnimationFrame(() => draw(holder, spec, say));
  return figure;
}

export function round(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toFixed(3)).toString();
}

function draw(holder: HTMLElement, spec: ChartSpec, say: (i: number) => void): void {
  if (!holder.isConnected) return;
  const bars = spec.series.filter((s) => (s.kind ?? 'bar') === 'bar').length;
  const barPaths = uPlot.paths.bars?.({ size: [bars > 1 ? 0.4 : 0.7, 40], gap: 1 });
  const fx = (v: number) => (spec.xFormat ? spec.xFormat(v) : String(v));
  const series: uPlot.Series[] = [{ label: spec.xLabel, value: (_u, v) => (v === null ? '–' : fx(v)) }];
  const data: (readonly (number | null)[])[] = [spec.x];
  if (spec.band) {
    series.push({
      label: spec.band.label,
      stroke: COLORS.band,
      fill: COLORS.band,
      width: 0,
      points: { show: false },
    });
    series.push({ label: '', stroke: 'transparent', points: { show: false }, class: 'u-hidden-legend' });
    data.push(spec.band.low, spec.band.high);
  }
  spec.series.forEach((s, i) => {
    const color = s.color ?? COLORS.series[i % COLORS.series.length] ?? '#333';
    const kind = s.kind ?? 'bar';
    series.push({
      label: s.label,
      stroke: color,
      width: kind === 'bar' ? 0 : 2,
      fill: kind === 'bar' ? color : undefined,
      dash: kind === 'dashed' ? [6, 4] : undefined,
      paths: kind === 'bar' ? barPaths : kind === 'points' ? () => null : undefined,
      points: { show: kind === 'points', size: 6, fill: color },
      spanGaps: true,
    });
    data.push(s.values);
  });
  const integerX = spec.x.every(Number.isInteger);
  const opts: uPlot.Options = {
    width: Math.max(240, holder.clientWidth),
    height: spec.height ?? 260,
    series,
    bands: spec.band ? [{ series: [2, 1], fill: COLORS.band }] : [],
    scales: {
      x: spec.xLog
        ? { time: false, distr: 3, log: 10 }
        : { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] },
      // Bars start at zero: a cut axis would exaggerate differences that chance explains.
      y: {
        range: (_u, min, max) => [bars > 0 ? Math.min(0, min) : min, max + (max - Math.min(0, min)) * 0.05],
      },
    },
    axes: [
      {
        label: spec.xLabel,
        // Whole-number x values (numbers, folds, versions, years) get whole-number ticks only.
        ...(integerX && !spec.xLog && { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }),
        values: (_u, vals) => vals.map((v) => (v === null ? '' : fx(v))),
      },
      { label: spec.yLabel, size: 56 },
    ],
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
    hooks: {
      setCursor: [
        (u) => {
          if (u.cursor.idx !== null && u.cursor.idx !== undefined) say(u.cursor.idx);
        },
      ],
    },
  };
  const plot = new uPlot(opts, data as uPlot.AlignedData, holder);
  observeWidth(
    holder,
    (width) => plot.setSize({ width: Math.max(240, width), height: plot.height }),
    () => plot.destroy(),
  );
  let index = -1;
  holder.addEventListener('keydown', (e) => {
    const last = spec.x.length - 1;
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowUp'
        ? Math.min(last, index + 1)
        : e.key === 'ArrowLeft' || e.key === 'ArrowDown'
          ? Math.max(0, index < 0 ? 0 : index - 1)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    index = next;
    const x = spec.x[index] as number;
    const y = spec.series[0]?.values[index] ?? 0;
    plot.setCursor({ left: plot.valToPos(x, 'x'), top: plot.valToPos(y ?? 0, 'y') });
    say(index);
  });
}

/**
 * Estimates with confidence intervals, one row each, against a reference line (a forest plot), in
 * SVG so it scales to any width.
 */
export function intervalPlot(spec: {
  title: string;
  description: string;
  rows: readonly { label: string; mean: number; low: number; high: number }[];
  reference: number;
  referenceLabel: string;
  xLabel: string;
}): HTMLElement {
  const ns = 'http://www.w3.org/2000/svg';
  const rowH = 30;
  const left = 110;
  const right = 20;
  const width = 640;
  const height = spec.rows.length * rowH + 50;
  const values = spec.rows
    .flatMap((r) => [r.low, r.high])
    .concat(spec.reference)
    .filter(Number.isFinite);
  let min = Math.min(...values);
  let max = Math.max(...values);
  const pad = (max - min || 1) * 0.1;
  min -= pad;
  max += pad;
  const x = (v: number) => left + ((v - min) / (max - min)) * (width - left - right);
  const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width: '100%',
    role: 'img',
    'aria-label': `${spec.title}. ${spec.description}`,
  });
  svg.append(
    el('line', {
      x1: x(spec.reference),
      x2: x(spec.reference),
      y1: 5,
      y2: height - 35,
      stroke: '#222',
      'stroke-dasharray': '5 4',
    }),
  );
  svg.append(
    el(
      'text',
      { x: x(spec.reference), y: height - 22, 'text-anchor': 'middle', 'font-size': 12, fill: '#222' },
      spec.referenceLabel,
    ),
  );
  spec.rows.forEach((r, i) => {
    const y = 20 + i * rowH;
    const crosses = r.low <= spec.reference && r.high >= spec.reference;
    const color = crosses ? '#1f5fa8' : '#c8102e';
    svg.append(
      el('text', { x: left - 8, y: y + 4, 'text-anchor': 'end', 'font-size': 13, fill: '#1a1a1a' }, r.label),
    );
    svg.append(el('line', { x1: x(r.low), x2: x(r.high), y1: y, y2: y, stroke: color, 'stroke-width': 3 }));
    svg.append(el('circle', { cx: x(r.mean), cy: y, r: 5, fill: color }));
  });
  const ticks = 5;
  for (let t = 0; t <= ticks; t++) {
    const v = min + ((max - min) * t) / ticks;
    svg.append(
      el(
        'text',
        { x: x(v), y: height - 6, 'text-anchor': 'middle', 'font-size': 11, fill: '#4a4f57' },
        v.toFixed(3),
      ),
    );
  }
  return h(
    'figure',
    { class: 'figure' },
    svg as unknown as HTMLElement,
    h(
      'figcaption',
      {},
      `${spec.description} (${spec.xLabel}; red: the interval excludes ${spec.referenceLabel}.)`,
    ),
  );
}
