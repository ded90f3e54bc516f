/**
 * A heat map of a matrix on a canvas, with numbered axes, a colour legend, and a readout of the
 * cell under the pointer or picked with the arrow keys (announced politely). It follows its
 * container's width.
 */
import { observeWidth } from './resize.js';
import { h } from './ui.js';

export interface HeatMapSpec {
  readonly title: string;
  readonly description: string;
  /** Row labels (top to bottom) and column labels (left to right). */
  readonly rows: readonly (string | number)[];
  readonly columns: readonly (string | number)[];
  readonly rowAxis: string;
  readonly columnAxis: string;
  /** Row-major rows × columns; null cells (a number with itself) are blank. */
  readonly values: readonly (number | null)[];
  /** What a cell means, for the readout: `(row, column, value) => sentence`. */
  readonly describe: (row: string | number, column: string | number, value: number) => string;
}

/** Room for the row labels (weekday names need more than numbers). */
const leftOf = (spec: HeatMapSpec) =>
  Math.max(30, 10 + 6.5 * Math.max(...spec.rows.map((r) => String(r).length)));
const BOTTOM = 30;

/** Light yellow to dark blue: readable in grey too. */
function colour(t: number): string {
  const r = Math.round(255 - t * (255 - 12));
  const g = Math.round(247 - t * (247 - 44));
  const b = Math.round(188 + t * (132 - 188));
  return `rgb(${r},${g},${b})`;
}

/** Every k-th label so they do not overlap: 1, 5, 10, … for many numbers. */
function labelStep(count: number, room: number): number {
  for (const step of [1, 2, 5, 10, 20]) if ((room / count) * step >= 18) return step;
  return 50;
}

/** Draws the cells, the axis labels and the keyboard cursor at `width`; returns the cell size. */
function paintHeat(
  canvas: HTMLCanvasElement,
  spec: HeatMapSpec,
  width: number,
  cursor: { r: number; c: number } | null,
  min: number,
  max: number,
): { cw: number; ch: number } {
  const nr = spec.rows.length;
  const nc = spec.columns.length;
  const LEFT = leftOf(spec);
  const plotW = Math.max(120, width - LEFT);
  const cw = plotW / nc;
  const ch = Math.min(cw * 1.5, Math.max(cw, 360 / nr));
  const height = ch * nr + BOTTOM;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return { cw, ch };
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  for (let r = 0; r < nr; r++)
    for (let c = 0; c < nc; c++) {
      const v = spec.values[r * nc + c];
      ctx.fillStyle = v === null || v === undefined ? '#ffffff' : colour((v - min) / Math.max(1, max - min));
      ctx.fillRect(LEFT + c * cw, r * ch, Math.ceil(cw), Math.ceil(ch));
    }
  ctx.fillStyle = '#1a1a1a';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const rs = labelStep(nr, ch * nr);
  spec.rows.forEach((label, r) => {
    if (r % rs === 0 || nr <= 10) ctx.fillText(String(label), LEFT - 4, r * ch + ch / 2);
  });
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const cs = labelStep(nc, cw * nc);
  spec.columns.forEach((label, c) => {
    if (c % cs === 0 || nc <= 10) ctx.fillText(String(label), LEFT + c * cw + cw / 2, nr * ch + 3);
  });
  ctx.fillText(spec.columnAxis, LEFT + (cw * nc) / 2, nr * ch + 16);
  if (cursor) {
    ctx.strokeStyle = '#c8102e';
    ctx.lineWidth = 2;
    ctx.strokeRect(LEFT + cursor.c * cw + 1, cursor.r * ch + 1, cw - 2, ch - 2);
  }
  return { cw, ch };
}

export function heatMap(spec: HeatMapSpec): HTMLElement {
  const nr = spec.rows.length;
  const nc = spec.columns.length;
  const canvas = h('canvas', { class: 'heat', 'aria-hidden': 'true' });
  const holder = h(
    'div',
    {
      class: 'heat-holder',
      tabindex: 0,
      role: 'group',
      'aria-roledescription': 'heat map',
      'aria-label': `${spec.title}. ${spec.description} Arrow keys move from cell to cell and read each value.`,
    },
    canvas,
  );
  const finite = spec.values.filter((v): v is number => v !== null);
  const max = Math.max(1, ...finite);
  const min = finite.length > 0 ? Math.min(...finite) : 0;
  const readout = h(
    'p',
    { class: 'readout', 'aria-live': 'polite' },
    'Point at a cell, or focus the map and use the arrow keys, to read its value.',
  );
  let cursor: { r: number; c: number } | null = null;
  let geometry = { cw: 1, ch: 1 };

  const paint = (width: number) => {
    geometry = paintHeat(canvas, spec, width, cursor, min, max);
  };
  const say = (r: number, c: number) => {
    const v = spec.values[r * nc + c];
    readout.textContent =
      v === null || v === undefined
        ? `${spec.rowAxis} ${spec.rows[r]}, ${spec.columnAxis} ${spec.columns[c]}: no value.`
        : spec.describe(spec.rows[r] as string | number, spec.columns[c] as string | number, v);
  };
  canvas.addEventListener('mousemove', (e) => {
    const rect = canvas.getBoundingClientRect();
    const c = Math.floor((e.clientX - rect.left - leftOf(spec)) / geometry.cw);
    const r = Math.floor((e.clientY - rect.top) / geometry.ch);
    if (r < 0 || c < 0 || r >= nr || c >= nc) return;
    say(r, c);
  });
  holder.addEventListener('keydown', (e) => {
    const at = cursor ?? { r: 0, c: nr === nc ? 1 : 0 };
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
    };
    const m = moves[e.key];
    if (!m && e.key !== 'Home') return;
    e.preventDefault();
    cursor =
      e.key === 'Home'
        ? { r: 0, c: 0 }
        : cursor === null
          ? at
          : {
              r: Math.min(nr - 1, Math.max(0, at.r + (m?.[0] ?? 0))),
              c: Math.min(nc - 1, Math.max(0, at.c + (m?.[1] ?? 0))),
            };
    paint(canvas.clientWidth || holder.clientWidth);
    say(cursor.r, cursor.c);
  });
  requestAnimationFrame(() => {
    if (!holder.isConnected) return;
    paint(Math.min(720, holder.clientWidth));
    observeWidth(holder, (w) => paint(Math.min(720, w)));
  });
  return h(
    'figure',
    { class: 'figure' },
    h('p', { class: 'axis-note' }, `Rows: ${spec.rowAxis}. Columns: ${spec.columnAxis}.`),
    holder,
    h(
      'div',
      { class: 'legend-scale', 'aria-hidden': 'true' },
      h('span', {}, String(Number(min.toFixed(2)))),
      h('span', { class: 'scale' }),
      h('span', {}, String(Number(max.toFixed(2)))),
    ),
    readout,
    h('figcaption', {}, spec.description),
  );
}
