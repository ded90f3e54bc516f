/**
 * Property tests: any valid history written in any supported format reads back as the same draws
 * (whites sorted), and a file with one invalid row is always rejected whole, naming that line.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawDatesBetween } from '../../../src/domain/calendar.js';
import { addDays, type IsoDate, weekdayOf } from '../../../src/domain/dates.js';
import { createDraw, type Draw, allowedMultipliers } from '../../../src/domain/draw.js';
import { eraOf } from '../../../src/domain/eras.js';
import { PbiError } from '../../../src/domain/errors.js';
import { DrawService } from '../../../src/services/draw-service.js';
import { parseDrawFile } from '../../../src/services/draw-import/parse-draw-file.js';
import { makeTestContext, type TestContext } from '../../support/test-db.js';

const TODAY = '2026-08-06' as IsoDate;
const DATES = drawDatesBetween('1992-04-22' as IsoDate, '2026-08-05' as IsoDate);
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

interface RawDraw {
  readonly date: IsoDate;
  /** In the order written to the file (not sorted). */
  readonly whites: readonly number[];
  readonly powerball: number;
  readonly multiplier: number | null;
}

const rawDraw = (dateIndex: fc.Arbitrary<number>): fc.Arbitrary<RawDraw> =>
  dateIndex.chain((i) => {
    const date = DATES[i] as IsoDate;
    const era = eraOf(date);
    return fc.record({
      date: fc.constant(date),
      whites: fc.uniqueArray(fc.integer({ min: 1, max: era.whiteMax }), { minLength: 5, maxLength: 5 }),
      powerball: fc.integer({ min: 1, max: era.powerballMax }),
      // Only multipliers Power Play had on that date (none before 2001-03-07).
      multiplier:
        allowedMultipliers(date).length === 0
          ? fc.constant(null)
          : fc.option(fc.constantFrom(...allowedMultipliers(date)), { nil: null }),
    });
  });

const history = fc.uniqueArray(rawDraw(fc.integer({ min: 0, max: DATES.length - 1 })), {
  minLength: 1,
  maxLength: 25,
  selector: (d) => d.date,
});

const pad = (n: number) => String(n).padStart(2, '0');
const [y, m, d] = [(s: string) => s.slice(0, 4), (s: string) => s.slice(5, 7), (s: string) => s.slice(8, 10)];

const DATE_STYLES: readonly ((iso: string) => string)[] = [
  (s) => s,
  (s) => `${m(s)}/${d(s)}/${y(s)}`,
  (s) => `${m(s)}-${d(s)}-${y(s)}`,
  (s) => `${m(s)}/${d(s)}/${y(s).slice(2)}`,
  (s) =>
    `"${weekdayOf(s as IsoDate).slice(0, 3)}, ${MONTHS[Number(m(s)) - 1]!.slice(0, 3)} ${Number(d(s))}, ${y(s)}"`,
  (s) => `"${weekdayOf(s as IsoDate)}, ${MONTHS[Number(m(s)) - 1]} ${Number(d(s))}, ${y(s)}"`,
  (s) => `"${MONTHS[Number(m(s)) - 1]} ${Number(d(s))}, ${y(s)}"`,
];

type Writer = (rows: readonly RawDraw[], style: number) => string;

const WRITERS: Record<string, Writer> = {
  ny: (rows) =>
    'Draw Date,Winning Numbers,Multiplier\n' +
    rows
      .map(
        (r) =>
          `${m(r.date)}/${d(r.date)}/${y(r.date)},${[...r.whites, r.powerball].map(pad).join(' ')},${r.multiplier ?? ''}`,
      )
      .join('\n'),
  normalized: (rows) =>
    'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier\n' +
    rows.map((r) => `${r.date},${r.whites.join(',')},${r.powerball},${r.multiplier ?? ''}`).join('\n'),
  legacyColumns: (rows, style) =>
    [
      'draw_date,n1,n2,n3,n4,n5,powerball',
      'Draw_Date,WB1,WB2,WB3,WB4,WB5,PB',
      'date,N1,N2,N3,N4,N5,Powerball',
    ][style % 3] +
    '\n' +
    rows.map((r) => `${DATE_STYLES[style]!(r.date)},${r.whites.join(',')},${r.powerball}`).join('\n'),
  legacyGrouped: (rows, style) =>
    (style % 2 === 0 ? 'draw_date,numbers,powerball\n' : 'draw_date,winning_numbers\n') +
    rows
      .map((r) =>
        style % 2 === 0
          ? `${DATE_STYLES[style]!(r.date)},"[${r.whites.join(', ')}]",${r.powerball}`
          : `${DATE_STYLES[style]!(r.date)},${[...r.whites, r.powerball].join(' ')}`,
      )
      .join('\n'),
  json: (rows) => JSON.stringify(rows, null, style2(rows.length)),
  /** One element per line, so element i starts on line i + 2. */
  jsonLines: (rows) => `[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]`,
};

function style2(n: number): number {
  return n % 2 === 0 ? 2 : 0;
}

const expected = (rows: readonly RawDraw[], withMultiplier: boolean): Draw[] =>
  rows.map((r) => createDraw({ ...r, multiplier: withMultiplier ? r.multiplier : null }, TODAY));

describe('importers round-trip valid rows', () => {
  for (const [name, write] of Object.entries(WRITERS)) {
    it(`${name}: every valid history reads back as the same draws`, () => {
      fc.assert(
        fc.property(history, fc.integer({ min: 0, max: DATE_STYLES.length - 1 }), (rows, style) => {
          const parsed = parseDrawFile(write(rows, style), name, 'auto');
          expect(parsed.errors).toEqual([]);
          const draws = parsed.rows.map((r) => createDraw(r.input, TODAY));
          expect(draws).toEqual(expected(rows, !name.startsWith('legacy')));
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('invalid rows are always rejected', () => {
  let ctx: TestContext;
  let service: DrawService;
  beforeAll(() => {
    ctx = makeTestContext({ today: TODAY });
    service = new DrawService(ctx);
  });
  afterAll(() => ctx.cleanup());

  type Breaker = (r: RawDraw) => RawDraw;
  const BREAKERS: Record<string, Breaker> = {
    'white out of range': (r) => ({ ...r, whites: [eraOf(r.date).whiteMax + 1, ...r.whites.slice(1)] }),
    'white zero': (r) => ({ ...r, whites: [0, ...r.whites.slice(1)] }),
    'duplicate white': (r) => ({ ...r, whites: [r.whites[1]!, ...r.whites.slice(1)] }),
    'Powerball out of range': (r) => ({ ...r, powerball: eraOf(r.date).powerballMax + 1 }),
    'non-draw weekday': (r) => ({ ...r, date: addDays(r.date, 1) }),
    'future date': (r) => ({ ...r, date: '2026-08-08' as IsoDate }),
  };

  it('a file with one broken row is rejected whole, that line named, nothing stored', () => {
    fc.assert(
      fc.property(
        history,
        fc.constantFrom(...Object.keys(BREAKERS)),
        fc.constantFrom('ny', 'normalized', 'legacyColumns', 'jsonLines'),
        fc.nat(),
        (rows, breaker, format, at) => {
          const index = at % rows.length;
          const broken = rows.map((r, i) => (i === index ? BREAKERS[breaker]!(r) : r));
          // A shifted date may collide with another row's date; that is a rejection too.
          const text = WRITERS[format]!(broken, 0);
          let error: unknown;
          try {
            service.importText(text, 'prop', { format: 'auto' });
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(PbiError);
          expect((error as PbiError).code).toBe('IMPORT_REJECTED');
          expect((error as PbiError).issues.map((i) => i.where)).toContain(`prop:${index + 2}`);
          expect(ctx.store.draws.count()).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
