import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toEpochDay, weekdayIndex, type IsoDate } from '../../../src/domain/dates.js';
import type { Draw } from '../../../src/domain/draw.js';
import { CURRENT_ERA, ERAS, type RuleEra } from '../../../src/domain/eras.js';
import { PbiError } from '../../../src/domain/errors.js';
import type { Whites } from '../../../src/domain/ticket.js';
import {
  alignFeatures,
  buildFeatureMatrix,
  featureLayout,
  nextDrawFeatures,
  TARGET_NAMES,
} from '../../../src/ml/features/index.js';
import { loadBundledDraws } from '../../strategies/bundled-draws.js';

const ALL = [...loadBundledDraws()];
const ERA_DRAWS = ALL.filter((d) => d.date >= CURRENT_ERA.from);

function row(m: { x: { cols: number; data: Float64Array } }, r: number): number[] {
  return Array.from(m.x.data.subarray(r * m.x.cols, (r + 1) * m.x.cols));
}

/** A straightforward recomputation of one feature of draw t from era draws 0..t-1 (the reference). */
function reference(e: readonly Draw[], t: number, name: string, era: RuleEra): number {
  const hist = e.slice(0, t);
  const windowOf = (w: number) => hist.slice(Math.max(0, t - w));
  let m: RegExpMatchArray | null;
  if ((m = /^freq_(w|pb)_(\d+)_(\d+)$/.exec(name))) {
    const n = Number(m[2]);
    return windowOf(Number(m[3])).filter((d) => (m?.[1] === 'w' ? d.whites.includes(n) : d.powerball === n))
      .length;
  }
  if ((m = /^gap_(w|pb)_(\d+)$/.exec(name))) {
    const n = Number(m[2]);
    for (let j = t - 1; j >= 0; j--) {
      const d = e[j] as Draw;
      if (m[1] === 'w' ? d.whites.includes(n) : d.powerball === n) return t - j;
    }
    return t + 1;
  }
  const date = (e[t] as Draw).date;
  if (name === 'dow_mon') return weekdayIndex(date) === 1 ? 1 : 0;
  if (name === 'dow_wed') return weekdayIndex(date) === 3 ? 1 : 0;
  if (name === 'dow_sat') return weekdayIndex(date) === 6 ? 1 : 0;
  if (name === 'draw_index') return t;
  if (name === 'days_since_prev') return toEpochDay(date) - toEpochDay((e[t - 1] as Draw).date);
  const last = e[t - 1] as Draw;
  const sum = (d: Draw) => d.whites.reduce((a, b) => a + b, 0);
  const odd = (d: Draw) => d.whites.filter((w) => w % 2 === 1).length;
  const high = (d: Draw) => d.whites.filter((w) => w > Math.floor(era.whiteMax / 2)).length;
  const spread = (d: Draw) => d.whites[4] - d.whites[0];
  if ((m = /^last_w(\d)$/.exec(name))) return last.whites[Number(m[1]) - 1] as number;
  if (name === 'last_pb') return last.powerball;
  if (name === 'last_sum') return sum(last);
  if (name === 'last_mean') return sum(last) / 5;
  if (name === 'last_spread') return spread(last);
  if (name === 'last_std') {
    const mu = sum(last) / 5;
    return Math.sqrt(last.whites.reduce((a, w) => a + (w - mu) ** 2, 0) / 5);
  }
  if (name === 'last_odd') return odd(last);
  if (name === 'last_even') return 5 - odd(last);
  if (name === 'last_high') return high(last);
  if (name === 'last_low') return 5 - high(last);
  if (name === 'last_repeat') return last.whites.filter((w) => (e[t - 2] as Draw).whites.includes(w)).length;
  if ((m = /^roll_(\w+?)_(\d+)$/.exec(name))) {
    const ds = windowOf(Number(m[2]));
    const stat = m[1] as string;
    const f = (d: Draw): number =>
      stat === 'sum'
        ? sum(d)
        : stat === 'spread'
          ? spread(d)
          : stat === 'odd'
            ? odd(d)
            : stat === 'high'
              ? high(d)
              : stat === 'pb'
                ? d.powerball
                : (d.whites[Number(stat.slice(1)) - 1] as number);
    return ds.reduce((a, d) => a + f(d), 0) / ds.length;
  }
  if ((m = /^combo_(pairs|triplets)_(seen|total)$/.exec(name))) {
    const k = m[1] === 'pairs' ? 2 : 3;
    const w = last.whites;
    const groups: number[][] = [];
    for (let a = 0; a < 5; a++)
      for (let b = a + 1; b < 5; b++) {
        if (k === 2) groups.push([w[a] as number, w[b] as number]);
        else for (let c = b + 1; c < 5; c++) groups.push([w[a] as number, w[b] as number, w[c] as number]);
      }
    const before = e.slice(0, t - 1);
    const counts = groups.map((g) => before.filter((d) => g.every((n) => d.whites.includes(n))).length);
    return m[2] === 'seen' ? counts.filter((c) => c > 0).length : counts.reduce((a, b) => a + b, 0);
  }
  throw new Error(`no reference for ${name}`);
}

describe('feature layout', () => {
  it('has stable, unique names for the current era', () => {
    const layout = featureLayout(CURRENT_ERA);
    expect(new Set(layout.names).size).toBe(layout.names.length);
    // 3 windows × (69 + 26) frequencies, 95 gaps, 5 temporal, 15 last-draw, 3 × 10 rolling, 4 combination.
    expect(layout.names.length).toBe(285 + 95 + 5 + 15 + 30 + 4);
    expect(layout.names[0]).toBe('freq_w_1_10');
    expect(layout.names[69]).toBe('freq_pb_1_10');
    expect(layout.names.indexOf('freq_w_12_50')).toBe(95 + 11);
    expect(layout.names.indexOf('gap_pb_7')).toBe(285 + 69 + 6);
    expect(layout.names.slice(-4)).toEqual([
      'combo_pairs_seen',
      'combo_pairs_total',
      'combo_triplets_seen',
      'combo_triplets_total',
    ]);
    // A change to any name or to the order breaks stored models: it must be a deliberate version bump.
    const digest = createHash('sha256').update(layout.names.join('\n')).digest('hex').slice(0, 16);
    expect({ id: layout.id, digest }).toMatchInlineSnapshot(`
      {
        "digest": "c1e8325fad783f2e",
        "id": "pbi-features/1;whites=1-69;powerball=1-26;windows=10,50,100",
      }
    `);
  });

  it('rejects invalid windows', () => {
    expect(() => featureLayout(CURRENT_ERA, [])).toThrow(PbiError);
    expect(() => featureLayout(CURRENT_ERA, [10, 10])).toThrow(/distinct/);
    expect(() => featureLayout(CURRENT_ERA, [0])).toThrow(/window 0/);
  });
});

describe('buildFeatureMatrix on the real history', () => {
  const m = buildFeatureMatrix(ALL);

  it('builds one row per current-era draw after the warm-up, with the sorted targets', () => {
    expect(m.eraDraws).toBe(ERA_DRAWS.length);
    expect(m.warmup).toBe(100);
    expect(m.x.rows).toBe(ERA_DRAWS.length - 100);
    expect(m.x.cols).toBe(m.names.length);
    expect(m.targetNames).toEqual(TARGET_NAMES);
    expect(m.dates[0]).toBe(ERA_DRAWS[100]?.date);
    const last = ERA_DRAWS[ERA_DRAWS.length - 1] as Draw;
    expect(m.dates[m.x.rows - 1]).toBe(last.date);
    expect(Array.from(m.y.data.subarray((m.x.rows - 1) * 6))).toEqual([...last.whites, last.powerball]);
    expect(m.x.data.every(Number.isFinite)).toBe(true);
  });

  it('matches a direct recomputation of every feature on sampled rows', () => {
    const rows = [0, 1, 2, 50, 333, 777, m.x.rows - 2, m.x.rows - 1];
    for (const r of rows) {
      const t = r + m.warmup;
      const got = row(m, r);
      m.names.forEach((name, c) => {
        const want = reference(ERA_DRAWS, t, name, CURRENT_ERA);
        if (Math.abs((got[c] as number) - want) > 1e-9) {
          throw new Error(`row ${r} (${m.dates[r]}) ${name}: got ${got[c]}, want ${want}`);
        }
      });
    }
  });

  it('gives the next draw exactly the row it gets once it happened', () => {
    for (const t of [100, 101, 640, ERA_DRAWS.length - 1]) {
      const history = ALL.filter((d) => d.date < (ERA_DRAWS[t] as Draw).date);
      const next = nextDrawFeatures(history, (ERA_DRAWS[t] as Draw).date);
      expect(next.names).toEqual(m.names);
      expect(Array.from(next.row)).toEqual(row(m, t - 100));
    }
  });
});

describe('no leakage', () => {
  const base = ERA_DRAWS.slice(0, 400);
  const baseline = buildFeatureMatrix(base);

  it('row t never changes when draw t and later draws change (numbers, or later draws removed)', () => {
    const numbers = fc
      .uniqueArray(fc.integer({ min: 1, max: 69 }), { minLength: 5, maxLength: 5 })
      .map((ws) => [...ws].sort((a, b) => a - b));
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 399 }),
        fc.array(fc.tuple(numbers, fc.integer({ min: 1, max: 26 })), { minLength: 300, maxLength: 300 }),
        fc.boolean(),
        (t, replacements, truncate) => {
          const changed: Draw[] = base.map((d, i) => {
            if (i < t) return d;
            const [ws, pb] = replacements[i - 100] as [number[], number];
            return { ...d, whites: ws as unknown as Whites, powerball: pb };
          });
          const m = buildFeatureMatrix(truncate ? changed.slice(0, t + 1) : changed);
          for (let r = 0; r <= t - 100; r++) {
            const a = row(m, r);
            const b = row(baseline, r);
            for (let c = 0; c < a.length; c++) if (a[c] !== b[c]) return false;
          }
          return true;
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the targets of row t are draw t, which the features never see', () => {
    const t = 250;
    const changed = base.map((d, i) =>
      i === t ? { ...d, whites: [1, 2, 3, 4, 5] as unknown as Whites, powerball: 26 } : d,
    );
    const m = buildFeatureMatrix(changed);
    const r = t - 100;
    expect(row(m, r)).toEqual(row(baseline, r));
    expect(Array.from(m.y.data.subarray(r * 6, r * 6 + 6))).toEqual([1, 2, 3, 4, 5, 26]);
    expect(row(m, r + 1)).not.toEqual(row(baseline, r + 1));
  });
});

describe('era handling and bad input', () => {
  it('ignores draws of other eras and can build an older era with its own ranges', () => {
    const onlyEra = buildFeatureMatrix(ERA_DRAWS);
    const all = buildFeatureMatrix(ALL);
    expect(Buffer.from(onlyEra.x.data.buffer).equals(Buffer.from(all.x.data.buffer))).toBe(true);
    const era2012 = ERAS.find((e) => e.from === '2012-01-18') as RuleEra;
    const old = buildFeatureMatrix(ALL, { era: era2012, windows: [10, 50], warmup: 50 });
    expect(old.names).toContain('freq_w_59_50');
    expect(old.names).not.toContain('freq_w_60_50');
    expect(old.names).toContain('gap_pb_35');
    expect(old.dates.every((d) => d >= era2012.from && d < CURRENT_ERA.from)).toBe(true);
  });

  it('returns no rows when the era has no more draws than the warm-up', () => {
    const m = buildFeatureMatrix(ERA_DRAWS.slice(0, 100));
    expect(m.x.rows).toBe(0);
    expect(m.x.data.length).toBe(0);
    expect(buildFeatureMatrix([]).x.rows).toBe(0);
  });

  it('refuses unsorted or repeated draws', () => {
    const swapped = [ERA_DRAWS[1] as Draw, ERA_DRAWS[0] as Draw];
    expect(() => buildFeatureMatrix(swapped)).toThrow(/sorted/);
    expect(() => buildFeatureMatrix([ERA_DRAWS[0] as Draw, ERA_DRAWS[0] as Draw])).toThrow(/sorted/);
  });

  it('nextDrawFeatures refuses a date inside the history, outside the era, or too little history', () => {
    const last = ERA_DRAWS[ERA_DRAWS.length - 1] as Draw;
    expect(() => nextDrawFeatures(ALL, last.date)).toThrow(/not after/);
    expect(() => nextDrawFeatures(ALL.slice(0, 10), '1992-06-03' as IsoDate)).toThrow(/not in the era/);
    try {
      nextDrawFeatures(ERA_DRAWS.slice(0, 20), '2016-01-02' as IsoDate);
      expect.unreachable();
    } catch (error) {
      expect((error as PbiError).code).toBe('INSUFFICIENT_DATA');
    }
  });
});

describe('alignFeatures', () => {
  it('reorders columns by name and names every missing one', () => {
    const x = { rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, 4, 5, 6]) };
    const out = alignFeatures(x, ['a', 'b', 'c'], ['c', 'a']);
    expect(Array.from(out.data)).toEqual([3, 1, 6, 4]);
    try {
      alignFeatures(x, ['a', 'b', 'c'], ['a', 'zz', 'yy']);
      expect.unreachable();
    } catch (error) {
      expect((error as PbiError).code).toBe('INVALID_INPUT');
      expect((error as PbiError).issues.map((i) => i.where)).toEqual(['zz', 'yy']);
    }
  });
});
