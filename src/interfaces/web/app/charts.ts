/**
 * Charts on uPlot (small, fast canvas charts made for numeric series). Every chart is a figure with
 * a text description for screen readers and its data as a table one click away.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
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
  /** bars, a line, or a dashed line (expectations). */
  readonly kind?: 'bar' | 'line' | 'dashed' | 'points';
}

export interface ChartSpec {
  readonly title: string;
  /** One sentence for screen readers: what the chart shows and its main message. */
  readonly description: string;
  readonly x: readonly number[];
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  /** A shaded band (for example the range expected by chance), drawn behind the series. */
  readonly band?: {
    readonly label: string;
    readonly low: readonly number[];
    readonly high: readonly number[];
  };
  /** Format of x values in the axis and the table (dates given as epoch days, for example). */
  readonly xFormat?: (x: number) => string;
  readonly height?: number;
}

const charts = new Set<{ plot: uPlot; el: HTMLElement }>();
let resizeBound = false;

function bindResize(): void {
  if (resizeBound) return;
  resizeBound = true;
  let t: number | undefined;
  window.addEventListener('resize', () => {
    clearTimeout(t);
    t = window.setTimeout(() => {
      for (const c of charts) {
        if (!c.el.isConnected) {
          c.plot.destroy();
          charts.delete(c);
        } else c.plot.setSize({ width: c.el.clientWidth, height: c.plot.height });
      }
    }, 100);
  });
}

/** Draws a chart into a new figure element (call after the figure is in the document for its width). */
export function chart(spec: ChartSpec): HTMLElement {
  const holder = h('div', {
    class: 'chart',
    role: 'img',
    'aria-label': `${spec.title}. ${spec.description}`,
  });
  const rows = spec.x.map((x, i) => ({ x, i }));
  const dataTable = table(
    spec.title,
    [
      {
        head: spec.xLabel,
        cell: (r: { x: number; i: number }) => (spec.xFormat ? spec.xFormat(r.x) : String(r.x)),
      },
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
    h('figcaption', {}, spec.description),
    h('details', {}, h('summary', {}, 'Show the data as a table'), dataTable),
  );
  // Draw once the holder has a width.
  requestAnimationFrame(() => draw(holder, spec));
  return figure;
}

function round(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toFixed(3)).toString();
}

function draw(holder: HTMLElement, spec: ChartSpec): void {
  if (!holder.isConnected) return;
  bindResize();
  const bars = spec.series.filter((s) => (s.kind ?? 'bar') === 'bar').length;
  const barPaths = uPlot.paths.bars?.({ size: [bars > 1 ? 0.4 : 0.7, 40], gap: 1 });
  const series: uPlot.Series[] = [
    { label: spec.xLabel, value: (_u, v) => (spec.xFormat ? spec.xFormat(v) : String(v)) },
  ];
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
  const opts: uPlot.Options = {
    width: Math.max(280, holder.clientWidth),
    height: spec.height ?? 260,
    series,
    bands: spec.band ? [{ series: [2, 1], fill: COLORS.band }] : [],
    scales: {
      x: { time: false, range: (_u, min, max) => [min - 0.6, max + 0.6] },
      // Bars start at zero: a cut axis would exaggerate differences that chance explains.
      y: {
        range: (_u, min, max) => [bars > 0 ? Math.min(0, min) : min, max + (max - Math.min(0, min)) * 0.05],
      },
    },
    axes: [
      {
        label: spec.xLabel,
        // Whole-number x values (numbers, folds, versions) get whole-number ticks only.
        ...(spec.x.every(Number.isInteger) && { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }),
        values: (_u, vals) => vals.map((v) => (spec.xFormat ? spec.xFormat(v) : String(v))),
      },
      { label: spec.yLabel, size: 56 },
    ],
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
  };
  const plot = new uPlot(opts, data as uPlot.AlignedData, holder);
  charts.add({ plot, el: holder });
}

/** A heat map of a square matrix (pairs of numbers) on a canvas, with a colour legend. */
export function heatMap(spec: {
  title: string;
  description: string;
  size: number;
  /** Row-major size×size counts for numbers 1..size (index (a-1)*size+(b-1)). */
  values: readonly number[];
  expected: number;
}): HTMLElement {
  const canvas = h('canvas', {
    class: 'heat',
    role: 'img',
    'aria-label': `${spec.title}. ${spec.description}`,
  });
  const max = Math.max(1, ...spec.values);
  const min = Math.min(...spec.values.filter((_, i) => Math.floor(i / spec.size) !== i % spec.size));
  const tip = h(
    'p',
    { class: 'muted', 'aria-live': 'polite' },
    'Point at a cell to see the pair and its count.',
  );
  requestAnimationFrame(() => {
    const width = Math.min(640, Math.max(260, canvas.parentElement?.clientWidth ?? 320));
    const ratio = window.devicePixelRatio || 1;
    canvas.width = width * ratio;
    canvas.height = width * ratio;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${width}px`;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.scale(ratio, ratio);
    const cell = width / spec.size;
    for (let a = 0; a < spec.size; a++) {
      for (let b = 0; b < spec.size; b++) {
        if (a === b) {
          ctx.fillStyle = '#ffffff';
        } else {
          const v = spec.values[a * spec.size + b] ?? 0;
          const t = (v - min) / Math.max(1, max - min);
          // Light yellow to dark blue: readable in grey too.
          const r = Math.round(255 - t * (255 - 12));
          const g = Math.round(247 - t * (247 - 44));
          const bl = Math.round(188 + t * (132 - 188));
          ctx.fillStyle = `rgb(${r},${g},${bl})`;
        }
        ctx.fillRect(b * cell, a * cell, Math.ceil(cell), Math.ceil(cell));
      }
    }
    canvas.onmousemove = (e) => {
      const rect = canvas.getBoundingClientRect();
      const a = Math.floor(((e.clientY - rect.top) / rect.height) * spec.size);
      const b = Math.floor(((e.clientX - rect.left) / rect.width) * spec.size);
      if (a < 0 || b < 0 || a >= spec.size || b >= spec.size || a === b) return;
      tip.textContent = `${a + 1} with ${b + 1}: drawn together ${spec.values[a * spec.size + b] ?? 0} times (chance expects ${spec.expected.toFixed(1)})`;
    };
  });
  return h(
    'figure',
    { class: 'figure' },
    canvas,
    h(
      'div',
      { class: 'legend-scale', 'aria-hidden': 'true' },
      h('span', {}, String(min)),
      h('span', { class: 'scale' }),
      h('span', {}, String(max)),
    ),
    tip,
    h('figcaption', {}, spec.description),
  );
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
