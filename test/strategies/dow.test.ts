import { describe, expect, it } from 'vitest';
import { weekdayIndex } from '../../src/domain/dates.js';
import { createDowStrategy } from '../../src/strategies/dow.js';
import { argmax, history } from './helpers.js';
import { runStrategyConformance } from './strategy-conformance.js';

runStrategyConformance({ create: () => createDowStrategy() });

describe('dow strategy', () => {
  it("counts only draws held on the target's weekday", () => {
    const rows: number[][] = [];
    for (let i = 0; i < 30; i++) rows.push([1, 2, 3, 4, 5, 6]);
    const { draws, next } = history(rows);
    // Rewrite each draw's numbers by weekday: Mondays 11..15, Wednesdays 21..25, Saturdays 31..35.
    const byDay: Record<number, number[]> = {
      1: [11, 12, 13, 14, 15, 1],
      3: [21, 22, 23, 24, 25, 3],
      6: [31, 32, 33, 34, 35, 6],
    };
    const dated = draws.map((d) => {
      const r = byDay[weekdayIndex(d.date)] as number[];
      return { ...d, whites: r.slice(0, 5) as unknown as typeof d.whites, powerball: r[5] as number };
    });
    const d = createDowStrategy({ uniformWeight: 0 }).distribution(Object.freeze(dated), next);
    const day = weekdayIndex(next.date);
    const expected = byDay[day] as number[];
    expect(expected.slice(0, 5)).toContain(argmax(d.whites));
    expect(argmax(d.powerball)).toBe(expected[5]);
  });
});
