/**
 * `pbi ask` against a table of questions on the real history (a real SQLite store loaded by init),
 * each expected figure recomputed in the test from the stored draws by oracle.ts — plain loops, the
 * era table written out again, periods resolved by hand — never from the parser or analyzeDraws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Draw } from '../../../src/domain/draw.js';
import type { AskAnswer } from '../../../src/services/ask-service.js';
import { makeTestService, type TestService } from '../../support/test-db.js';
import {
  between,
  binom,
  countFigures,
  currentEra,
  type Expected,
  gaps,
  hasWhite,
  lastK,
  pbCounts,
  percentile,
  rank,
  scheduled,
  splitEras,
  sumOf,
  sumProbabilities,
  weekdayName,
  whiteCounts,
} from './oracle.js';

let t: TestService;
let H: readonly Draw[];
beforeAll(() => {
  t = makeTestService(); // the bundled history, clock at 2026-08-06
  H = t.service.context.store.draws.list();
});
afterAll(() => t.cleanup());

type Row = readonly [question: string, expected: (h: readonly Draw[]) => Expected[]];
type Pool = 'white' | 'powerball';

const count =
  (n: number, pools: Pool[], pick: (h: readonly Draw[]) => readonly Draw[]) => (h: readonly Draw[]) =>
    countFigures(pick(h), n, pools);
const all = (h: readonly Draw[]) => h;
const W = (e: { W: number }) => e.W;

function last(n: number, pool: Pool): (h: readonly Draw[]) => Expected[] {
  return (h) => {
    const has = (d: Draw) => (pool === 'white' ? hasWhite(d, n) : d.powerball === n);
    const i = h.findLastIndex(has);
    const newest = splitEras(h).at(-1)!;
    const max = pool === 'white' ? newest.W : newest.P;
    return [
      {
        name: `${pool} last drawn`,
        era: i >= 0 ? eraOf(h[i]!.date) : null,
        value: i >= 0 ? h[i]!.date : null,
      },
      {
        name: `${pool} draws ago`,
        era: null,
        value: i >= 0 ? h.length - 1 - i : null,
        chance: n <= max ? max / (pool === 'white' ? 5 : 1) : null,
      },
    ];
  };
}
const eraOf = (date: string) => splitEras([{ date } as Draw])[0]!.id;

function ranked(
  order: 'most' | 'least',
  pool: Pool,
  top: number,
  pick: (h: readonly Draw[]) => readonly Draw[],
) {
  return (h: readonly Draw[]): Expected[] =>
    splitEras(pick(h)).flatMap((e) => {
      const counts = pool === 'white' ? whiteCounts(e.draws, e.W) : pbCounts(e.draws, e.P);
      const list = rank(counts, order, top);
      const chance = (e.draws.length * (pool === 'white' ? 5 : 1)) / (pool === 'white' ? e.W : e.P);
      return [
        { name: `${order} frequent ${pool}s`, era: e.id, value: list },
        {
          name: `${order} frequent ${pool} counts`,
          era: e.id,
          value: list.map((x) => counts[x - 1]!),
          chance,
        },
      ];
    });
}

function sums(stat: 'mean' | 'median' | 'range', pick: (h: readonly Draw[]) => readonly Draw[]) {
  return (h: readonly Draw[]): Expected[] =>
    splitEras(pick(h)).flatMap((e) => {
      const s = e.draws.map(sumOf);
      const mid = (5 * (e.W + 1)) / 2;
      if (stat === 'mean')
        return [{ name: 'mean sum', era: e.id, value: s.reduce((a, b) => a + b, 0) / s.length, chance: mid }];
      if (stat === 'median')
        return [{ name: 'median sum', era: e.id, value: percentile(s, 50), chance: mid }];
      return [
        { name: 'lowest sum', era: e.id, value: Math.min(...s), chance: 15 },
        { name: 'highest sum', era: e.id, value: Math.max(...s), chance: 5 * W(e) - 10 },
      ];
    });
}

function together(whites: number[], pb: number | null, pick: (h: readonly Draw[]) => readonly Draw[]) {
  return (h: readonly Draw[]): Expected[] => {
    const eras = splitEras(pick(h));
    const has = (d: Draw) => whites.every((w) => hasWhite(d, w)) && (pb === null || d.powerball === pb);
    const out: Expected[] = [];
    let total = 0;
    let chance = 0;
    let lastDate: string | null = null;
    for (const e of eras) {
      const ok = whites.every((w) => w <= e.W) && (pb === null || pb <= e.P);
      const p = ok
        ? (binom(e.W - whites.length, 5 - whites.length) / binom(e.W, 5)) * (pb === null ? 1 : 1 / e.P)
        : 0;
      const hits = e.draws.filter(has);
      if (hits.length) lastDate = hits.at(-1)!.date;
      total += hits.length;
      chance += e.draws.length * p;
      out.push({ name: 'draws together', era: e.id, value: hits.length, chance: e.draws.length * p });
    }
    if (eras.length > 1) out.push({ name: 'draws together', era: null, value: total, chance });
    out.push({ name: 'last together', era: lastDate ? eraOf(lastDate) : null, value: lastDate });
    return out;
  };
}

function topPairs(pick: (h: readonly Draw[]) => readonly Draw[]) {
  return (h: readonly Draw[]): Expected[] =>
    splitEras(pick(h)).flatMap((e) => {
      const counts = new Map<string, number>();
      for (const d of e.draws)
        for (let i = 0; i < 5; i++)
          for (let j = i + 1; j < 5; j++) {
            const key = `${Math.min(d.whites[i]!, d.whites[j]!)}-${Math.max(d.whites[i]!, d.whites[j]!)}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
      const order = [...counts]
        .filter(([, c]) => c >= 2)
        .sort((a, b) => {
          const [a1, a2] = a[0].split('-').map(Number);
          const [b1, b2] = b[0].split('-').map(Number);
          return b[1] - a[1] || a1! - b1! || a2! - b2!;
        });
      const top = order.slice(0, 5);
      return [
        { name: 'most frequent pairs', era: e.id, value: top.map(([k]) => k) },
        {
          name: 'pair counts',
          era: e.id,
          value: top.map(([, c]) => c),
          chance: (e.draws.length * binom(e.W - 2, 3)) / binom(e.W, 5),
        },
      ];
    });
}

function weekdays(n: number | null, pick: (h: readonly Draw[]) => readonly Draw[]) {
  return (h: readonly Draw[]): Expected[] =>
    splitEras(pick(h)).flatMap((e) => {
      const days = [...new Set(e.draws.map((d) => weekdayName(d.date)))];
      if (n === null) {
        const sched = scheduled(e.draws[0]!.date, e.draws.at(-1)!.date);
        return days.map((w) => ({
          name: `${w} draws`,
          era: e.id,
          value: e.draws.filter((d) => weekdayName(d.date) === w).length,
          chance: sched.get(w) ?? 0,
        }));
      }
      return days.map((w) => {
        const on = e.draws.filter((d) => weekdayName(d.date) === w);
        return {
          name: `${w} draws with ${n}`,
          era: e.id,
          value: on.filter((d) => hasWhite(d, n)).length,
          chance: (on.length * 5) / e.W,
        };
      });
    });
}

function overdue(n: number, pool: Pool, pick: (h: readonly Draw[]) => readonly Draw[]) {
  return (h: readonly Draw[]): Expected[] => {
    const e = splitEras(pick(h)).at(-1)!;
    const size = pool === 'white' ? e.W : e.P;
    const per = pool === 'white' ? 5 : 1;
    const g = gaps(e.draws, (d) => (pool === 'white' ? hasWhite(d, n) : d.powerball === n));
    return [
      { name: `${pool} gap`, era: e.id, value: g.gap, chance: size / per },
      { name: `${pool} chance of a gap this long`, era: e.id, value: (1 - per / size) ** g.gap },
      { name: `${pool} longest gap`, era: e.id, value: g.longest },
      { name: `${pool} next-draw chance`, era: e.id, value: per / size },
    ];
  };
}

function mostOverdue(pool: Pool, pick: (h: readonly Draw[]) => readonly Draw[]) {
  return (h: readonly Draw[]): Expected[] => {
    const e = splitEras(pick(h)).at(-1)!;
    const size = pool === 'white' ? e.W : e.P;
    const gs = Array.from(
      { length: size },
      (_, i) =>
        [
          i + 1,
          gaps(e.draws, (d) => (pool === 'white' ? hasWhite(d, i + 1) : d.powerball === i + 1)).gap,
        ] as const,
    );
    gs.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return [
      { name: `longest ${pool} gaps`, era: e.id, value: gs.slice(0, 5).map(([x]) => x) },
      {
        name: `${pool} gap lengths`,
        era: e.id,
        value: gs.slice(0, 5).map(([, g]) => g),
        chance: size / (pool === 'white' ? 5 : 1),
      },
    ];
  };
}

type PatternName =
  'all-odd' | 'all-even' | 'all-high' | 'all-low' | 'consecutive' | 'sum-above' | 'sum-below' | 'sum-equal';
function pattern(name: PatternName, s: number | null, pick: (h: readonly Draw[]) => readonly Draw[]) {
  return (h: readonly Draw[]): Expected[] => {
    const eras = splitEras(pick(h));
    const out: Expected[] = [];
    let total = 0;
    let chance = 0;
    for (const e of eras) {
      const half = Math.floor(e.W / 2);
      const test: Record<PatternName, (d: Draw) => boolean> = {
        'all-odd': (d) => d.whites.every((w) => w % 2 === 1),
        'all-even': (d) => d.whites.every((w) => w % 2 === 0),
        'all-high': (d) => d.whites.every((w) => w > half),
        'all-low': (d) => d.whites.every((w) => w <= half),
        consecutive: (d) => d.whites.some((w) => d.whites.includes(w + 1)),
        'sum-above': (d) => sumOf(d) > s!,
        'sum-below': (d) => sumOf(d) < s!,
        'sum-equal': (d) => sumOf(d) === s,
      };
      const sp = s === null ? null : sumProbabilities(e.W, s);
      const p: Record<PatternName, () => number> = {
        'all-odd': () => binom(Math.ceil(e.W / 2), 5) / binom(e.W, 5),
        'all-even': () => binom(half, 5) / binom(e.W, 5),
        'all-high': () => binom(e.W - half, 5) / binom(e.W, 5),
        'all-low': () => binom(half, 5) / binom(e.W, 5),
        consecutive: () => 1 - binom(e.W - 4, 5) / binom(e.W, 5),
        'sum-above': () => sp!.above,
        'sum-below': () => sp!.below,
        'sum-equal': () => sp!.equal,
      };
      const c = e.draws.filter(test[name]).length;
      const x = e.draws.length * p[name]();
      total += c;
      chance += x;
      out.push({ name, era: e.id, value: c, chance: x });
    }
    if (eras.length > 1) out.push({ name, era: null, value: total, chance });
    return out;
  };
}

function odds(tier: string, whites: number, pb: boolean) {
  return (): Expected[] => {
    const p = ((binom(5, whites) * binom(64, 5 - whites)) / binom(69, 5)) * (pb ? 1 / 26 : 25 / 26);
    return [
      { name: `${tier} probability`, era: '2015-10-07', value: p },
      { name: `${tier} one in`, era: '2015-10-07', value: Math.round(1 / p) },
    ];
  };
}

function anyPrize(): Expected[] {
  const tiers: [number, boolean][] = [
    [5, true],
    [5, false],
    [4, true],
    [4, false],
    [3, true],
    [3, false],
    [2, true],
    [1, true],
    [0, true],
  ];
  const p = tiers.reduce(
    (s, [k, pb]) => s + ((binom(5, k) * binom(64, 5 - k)) / binom(69, 5)) * (pb ? 1 / 26 : 25 / 26),
    0,
  );
  return [{ name: 'any prize probability', era: '2015-10-07', value: p }];
}

function trend(months: number) {
  return (h: readonly Draw[]): Expected[] => {
    const cur = currentEra(h);
    const end = cur.at(-1)!.date;
    const back = (date: string, m: number) => {
      const d = new Date(`${date}T00:00:00Z`);
      d.setUTCMonth(d.getUTCMonth() - m); // no month-end clamping needed from the 5th
      return d.toISOString().slice(0, 10);
    };
    const mid = back(end, months);
    const start = back(mid, months);
    const recent = cur.filter((d) => d.date > mid);
    const previous = cur.filter((d) => d.date > start && d.date <= mid);
    const rc = whiteCounts(recent, 69);
    const pc = whiteCounts(previous, 69);
    const change = rc.map((c, i) => [i + 1, c / recent.length - pc[i]! / previous.length] as const);
    const rising = change
      .filter(([, c]) => c > 0)
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 5)
      .map(([x]) => x);
    const falling = change
      .filter(([, c]) => c < 0)
      .sort((a, b) => a[1] - b[1] || a[0] - b[0])
      .slice(0, 5)
      .map(([x]) => x);
    return [
      { name: 'rising whites', era: '2015-10-07', value: rising },
      { name: 'falling whites', era: '2015-10-07', value: falling },
      { name: 'white expected per window', era: '2015-10-07', value: (recent.length * 5) / 69 },
    ];
  };
}

function summary(h: readonly Draw[]): Expected[] {
  return [
    ...splitEras(h).map((e) => ({ name: 'draws', era: e.id, value: e.draws.length })),
    { name: 'draws', era: null, value: h.length },
  ];
}

const since = (from: string) => (h: readonly Draw[]) => between(h, from, null);
const range = (from: string, to: string) => (h: readonly Draw[]) => between(h, from, to);
const last100 = (h: readonly Draw[]) => lastK(h, 100);

const ROWS: readonly Row[] = [
  // how often, by pool and period (the period forms of the issue)
  [
    'How often has 23 been drawn as a white ball since March 2020?',
    count(23, ['white'], since('2020-03-01')),
  ],
  ['How many times was 7 the Powerball in 2019?', count(7, ['powerball'], range('2019-01-01', '2019-12-31'))],
  ['how often was 23 drawn', count(23, ['white', 'powerball'], currentEra)],
  ['How often has 23 been drawn at all this era?', count(23, ['white', 'powerball'], currentEra)],
  ['How many times has 45 come up as a white ball ever?', count(45, ['white'], all)],
  ['how often was 30 the powerball in all eras', count(30, ['powerball'], all)],
  ['How often was 12 drawn as a white ball in the last 100 draws?', count(12, ['white'], last100)],
  [
    'how many times was 69 drawn as a white ball between 2016 and 2018',
    count(69, ['white'], range('2016-01-01', '2018-12-31')),
  ],
  [
    'How often was Powerball 1 drawn in March 2021?',
    count(1, ['powerball'], range('2021-03-01', '2021-03-31')),
  ],
  [
    'how frequently has 10 appeared as a white ball since 2020-06-15',
    count(10, ['white'], since('2020-06-15')),
  ],
  ['How often was 33 drawn in 2015?', count(33, ['white', 'powerball'], range('2015-01-01', '2015-12-31'))],
  [
    'How often was 59 drawn as a white ball in 2010?',
    count(59, ['white'], range('2010-01-01', '2010-12-31')),
  ],
  ['How many times has 26 been the Powerball this era?', count(26, ['powerball'], currentEra)],
  [
    'How often has 5 been drawn as a white ball in the past 6 months?',
    count(5, ['white'], range('2026-02-07', '2026-08-06')),
  ],
  [
    'How often was 17 drawn as a white ball before 2000?',
    count(17, ['white'], range('1992-01-01', '1999-12-31')),
  ],
  ['How often was 17 drawn as a white ball after 2019?', count(17, ['white'], since('2020-01-01'))],
  [
    'How often has 8 been drawn as a white ball this year?',
    count(8, ['white'], range('2026-01-01', '2026-08-06')),
  ],
  [
    'How often was 8 drawn as the powerball last year?',
    count(8, ['powerball'], range('2025-01-01', '2025-12-31')),
  ],
  [
    'How many times did 42 come up as a white ball since 15 March 2018?',
    count(42, ['white'], since('2018-03-15')),
  ],
  ['How often has 3 been drawn as a white ball since 12/25/2019?', count(3, ['white'], since('2019-12-25'))],
  [
    'How often was 44 drawn as a white ball from 2005 to 2008?',
    count(44, ['white'], range('2005-01-01', '2008-12-31')),
  ],
  ['How often was 20 drawn as a white ball in the whole history?', count(20, ['white'], all)],
  ['How often has 66 been drawn as a white ball ever?', count(66, ['white'], all)],
  [
    'How often was 40 drawn as the powerball between 1995 and 2005?',
    count(40, ['powerball'], range('1995-01-01', '2005-12-31')),
  ],
  [
    'HOW OFTEN WAS 23 DRAWN AS A WHITE BALL IN 2019??',
    count(23, ['white'], range('2019-01-01', '2019-12-31')),
  ],
  // when last
  ['When was 23 last drawn as a white ball?', last(23, 'white')],
  ['When was 23 last drawn as the Powerball?', last(23, 'powerball')],
  ['when did 69 last come up as a white ball', last(69, 'white')],
  ['When was 40 last the powerball?', last(40, 'powerball')],
  ['When was 1 last drawn as a white ball?', last(1, 'white')],
  // most / least frequent
  [
    'Which numbers are most frequent in the last 100 draws?',
    (h) => [...ranked('most', 'white', 5, last100)(h), ...ranked('most', 'powerball', 5, last100)(h)],
  ],
  ['What are the least common Powerballs this era?', ranked('least', 'powerball', 5, currentEra)],
  ['Top 10 most frequent white balls since 2020', ranked('most', 'white', 10, since('2020-01-01'))],
  [
    'Which white balls were drawn the least in 2018?',
    ranked('least', 'white', 5, range('2018-01-01', '2018-12-31')),
  ],
  ['What are the hot white balls in the last 50 draws?', ranked('most', 'white', 5, (h) => lastK(h, 50))],
  ['most common white balls ever', ranked('most', 'white', 5, all)],
  // sums
  ['What is the average sum of the white balls since 2020?', sums('mean', since('2020-01-01'))],
  ['What is the median sum in 2019?', sums('median', range('2019-01-01', '2019-12-31'))],
  ['What is the range of the sum this era?', sums('range', currentEra)],
  ['typical sum of the whites ever', sums('mean', all)],
  ['median total in the last 200 draws', sums('median', (h) => lastK(h, 200))],
  // together
  ['How often do 23 and 34 appear together?', together([23, 34], null, currentEra)],
  ['How often were 34 and 23 drawn together ever?', together([23, 34], null, all)],
  ['How often did 12 come up with Powerball 7 since 2016?', together([12], 7, since('2016-01-01'))],
  ['how many times were 5, 10 and 15 drawn together in all eras', together([5, 10, 15], null, all)],
  ['Which pairs come up most often?', topPairs(currentEra)],
  ['most common pairs in the last 300 draws', topPairs((h) => lastK(h, 300))],
  // weekdays
  ['Which weekday has had the most draws with 23?', weekdays(23, currentEra)],
  ['How many draws were on each day of the week this era?', weekdays(null, currentEra)],
  [
    'What day of the week is 11 drawn as a white ball on most, since 2022?',
    weekdays(11, since('2022-01-01')),
  ],
  ['draws per weekday in 2020', weekdays(null, range('2020-01-01', '2020-12-31'))],
  // overdue
  ['Is 23 overdue as a white ball?', overdue(23, 'white', currentEra)],
  ['Is 9 due as the powerball?', overdue(9, 'powerball', currentEra)],
  ['Which white balls are most overdue?', mostOverdue('white', currentEra)],
  ['Which Powerballs have the longest gap?', mostOverdue('powerball', currentEra)],
  ['is 64 overdue as a white ball in the last 500 draws', overdue(64, 'white', (h) => lastK(h, 500))],
  // patterns
  ['How many draws had all odd white balls?', pattern('all-odd', null, currentEra)],
  ['How many draws had all even numbers ever?', pattern('all-even', null, all)],
  ['How many draws had consecutive numbers in the last 100 draws?', pattern('consecutive', null, last100)],
  ['How many draws had a sum above 200?', pattern('sum-above', 200, currentEra)],
  ['how many draws had a sum below 100 since 2018', pattern('sum-below', 100, since('2018-01-01'))],
  ['How many draws had a sum of exactly 175?', pattern('sum-equal', 175, currentEra)],
  [
    'how many draws had a sum of at least 250 in 2015',
    pattern('sum-above', 249, range('2015-01-01', '2015-12-31')),
  ],
  ['How many draws had all white balls high?', pattern('all-high', null, currentEra)],
  ['How often were all the whites low in the whole history?', pattern('all-low', null, all)],
  // odds
  ['What are the odds of matching 4 white balls and the Powerball?', odds('4+PB', 4, true)],
  ['What are the odds of the jackpot?', odds('5+PB', 5, true)],
  ['odds of matching 5 white balls', odds('5', 5, false)],
  ['What are the chances of matching only the Powerball?', odds('PB', 0, true)],
  ['odds of 3 + powerball', odds('3+PB', 3, true)],
  ['What are the odds of winning any prize?', anyPrize],
  // trends and summary
  ['Which numbers are trending in the last 6 months?', trend(6)],
  ['white ball trends over the past 3 months', trend(3)],
  ['Give me a summary of the draw history', summary],
];

function check(answer: AskAnswer, e: Expected): void {
  const f = answer.figures.find((x) => x.name === e.name && x.era === e.era);
  expect(
    f,
    `figure "${e.name}" (era ${e.era}) in ${JSON.stringify(answer.figures.map((x) => [x.name, x.era]))}`,
  ).toBeDefined();
  if (typeof e.value === 'number') expect(f!.value as number).toBeCloseTo(e.value, 9);
  else expect(f!.value).toEqual(e.value);
  if (e.chance === undefined) return;
  if (e.chance === null) expect(f!.chance).toBeNull();
  else expect(f!.chance as number).toBeCloseTo(e.chance, 9);
}

describe('the question table: answers against figures recomputed from the stored draws', () => {
  it('has at least 60 questions', () => expect(ROWS.length).toBeGreaterThanOrEqual(60));

  it.each(ROWS.map(([q, f]) => [q, f] as const))('%s', (question, expected) => {
    const answer = t.service.ask.answer(question);
    const figures = expected(H);
    expect(figures.length).toBeGreaterThan(0);
    for (const e of figures) check(answer, e);
    // The sentence carries the main figure and, for history questions, the command that reproduces it.
    const main = (figures.find((f) => f.era === null && typeof f.value === 'number') ?? figures[0]!).value;
    if (typeof main === 'number' && Number.isInteger(main) && main >= 10)
      expect(answer.sentence.replace(/,(\d{3})/g, '$1')).toContain(String(main));
    if (answer.query.kind !== 'odds') expect(answer.command).toMatch(/^pbi analyze/);
    expect(answer.path).toEqual({ kind: 'parser' });
  });
});
