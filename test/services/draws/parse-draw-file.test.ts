import { describe, expect, it } from 'vitest';
import { PbiError } from '../../../src/domain/errors.js';
import { parseDrawDate } from '../../../src/services/draw-import/draw-dates.js';
import { parseDrawFile } from '../../../src/services/draw-import/parse-draw-file.js';
import { RowProblem } from '../../../src/services/draw-import/types.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof PbiError ? e.code : 'not a PbiError';
  }
  return undefined;
}

const rowsOf = (text: string, format: 'auto' | 'ny' | 'csv' | 'json' = 'auto') =>
  parseDrawFile(text, 'f', format);

describe('NY open-data CSV', () => {
  it('reads dates, six numbers with the Powerball last, and the multiplier', () => {
    const p = rowsOf(
      'Draw Date,Winning Numbers,Multiplier\n01/13/2016,04 08 19 27 34 10,2\n01/16/2016,03 51 52 61 64 06,\n',
    );
    expect(p.format).toBe('ny');
    expect(p.errors).toEqual([]);
    expect(p.rows).toEqual([
      { line: 2, input: { date: '2016-01-13', whites: [4, 8, 19, 27, 34], powerball: 10, multiplier: 2 } },
      { line: 3, input: { date: '2016-01-16', whites: [3, 51, 52, 61, 64], powerball: 6, multiplier: null } },
    ]);
  });

  it('accepts quoted fields, CRLF, a BOM and reads the Double Play column', () => {
    const text =
      '\uFEFF"Draw Date","Winning Numbers","Multiplier","Double Play Winning Numbers"\r\n' +
      '"07/26/2025","05 13 22 41 61 20","2","01 02 03 04 05 06"\r\n';
    const p = rowsOf(text);
    expect(p.format).toBe('ny');
    expect(p.rows[0]?.input).toEqual({
      date: '2025-07-26',
      whites: [5, 13, 22, 41, 61],
      powerball: 20,
      multiplier: 2,
      doublePlay: { whites: [1, 2, 3, 4, 5], powerball: 6 },
    });
  });

  it('reports each bad line with its number and reason', () => {
    const p = rowsOf(
      'Draw Date,Winning Numbers,Multiplier\n' +
        '01/13/2016,04 08 19 27 34,2\n' + // five numbers
        '13/01/2016,04 08 19 27 34 10,2\n' + // month 13
        '01/16/2016,03 51 x 61 64 06,\n' + // not a number
        '01/20/2016,03 51 52 61 64 06\n' + // missing field
        '"01/23/2016,03 51 52 61 64 06,2\n', // unterminated quote
    );
    expect(p.rows).toEqual([]);
    expect(p.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6]);
    expect(p.errors[0]?.reason).toMatch(/holds 5 numbers; expected 6/);
    expect(p.errors[1]?.reason).toMatch(/not a real calendar day/);
    expect(p.errors[2]?.reason).toMatch(/"x" is not a whole number/);
    expect(p.errors[3]?.reason).toMatch(/expected 3 fields/);
    expect(p.errors[4]?.reason).toMatch(/unterminated quoted field/);
  });
});

describe('per-ball CSV (normalized and legacy)', () => {
  it('reads the normalized history format', () => {
    const p = rowsOf(
      'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier\n2025-05-31,1,11,18,30,41,7,3\n',
    );
    expect(p.format).toBe('csv');
    expect(p.rows[0]?.input).toEqual({
      date: '2025-05-31',
      whites: [1, 11, 18, 30, 41],
      powerball: 7,
      multiplier: 3,
    });
  });

  it.each([
    ['draw_date,n1,n2,n3,n4,n5,powerball', '2025-05-31,41,11,18,30,1,7'],
    ['Draw_Date,WB1,WB2,WB3,WB4,WB5,PB', '05/31/2025,41,11,18,30,1,7'],
    ['date,N1,N2,N3,N4,N5,Powerball', '05-31-2025,41,11,18,30,1,7'],
    ['draw_date,numbers,powerball', '05/31/25,"[41, 11, 18, 30, 1]",7'],
    ['draw_date,white_balls,powerball', '"Sat, May 31, 2025",41 11 18 30 1,7'],
    ['draw_date,winning_numbers', '"Saturday, May 31, 2025",41 11 18 30 1 7'],
    ['draw_date,numbers,pb', '"May 31, 2025","[41, 11, 18, 30, 1, 7]",7'],
    ['draw_date,numbers,extra', '2025-05-31 00:00:00,"41 11 18 30 1 7",ignored'],
  ])('reads the legacy header %s', (header, row) => {
    const p = rowsOf(`${header}\n${row}\n`);
    expect(p.errors).toEqual([]);
    expect(p.rows[0]?.input).toMatchObject({ date: '2025-05-31', whites: [41, 11, 18, 30, 1], powerball: 7 });
  });

  it('rejects grouped columns of the wrong size and a sixth number that contradicts the Powerball column', () => {
    const p = rowsOf(
      'draw_date,numbers,powerball\n2025-05-31,1 2 3 4,7\n2025-06-02,1 2 3 4 5 6,7\n2025-06-04,1 2 3 4 5,\n',
    );
    expect(p.errors.map((e) => [e.line, e.reason])).toEqual([
      [2, expect.stringMatching(/holds 4 numbers/)],
      [3, expect.stringMatching(/ends with Powerball 6 but powerball is 7/)],
      [4, expect.stringMatching(/powerball "" is not a whole number/)],
    ]);
    expect(rowsOf('date,numbers\n2025-05-31,1 2 3 4 5\n').errors[0]?.reason).toMatch(/no Powerball column/);
  });
});

describe('JSON', () => {
  it('reads an array of draws and reports bad elements by line', () => {
    const text = `[
  {"date": "2025-05-31", "whites": [41, 1, 30, 11, 18], "powerball": 7, "multiplier": 2},
  {"date": "2025-06-02", "whites": [1, 2, 3, 4, 5], "powerball": "7"},
  {"date": "June 4, 2025",
   "whites": [1, 2, 3, 4, 5], "powerball": 8, "multiplier": null},
  {"date": "2025-06-07"}
]`;
    const p = rowsOf(text);
    expect(p.format).toBe('json');
    expect(p.rows).toEqual([
      { line: 2, input: { date: '2025-05-31', whites: [41, 1, 30, 11, 18], powerball: 7, multiplier: 2 } },
      { line: 4, input: { date: '2025-06-04', whites: [1, 2, 3, 4, 5], powerball: 8, multiplier: null } },
    ]);
    expect(p.errors.map((e) => e.line)).toEqual([3, 6]);
    expect(p.errors[0]?.reason).toMatch(/draw #2: powerball/);
    expect(p.errors[1]?.reason).toMatch(/whites/);
  });

  it('broken JSON and a non-array are malformed files naming the line', () => {
    try {
      rowsOf('[\n {"date": "2025-05-31",\n "whites": [1,2,3,4,5] "powerball": 1}\n]');
      expect.unreachable();
    } catch (e) {
      expect((e as PbiError).code).toBe('MALFORMED_FILE');
      expect((e as PbiError).issues[0]?.where).toBe('f:3');
    }
    expect(codeOf(() => rowsOf('{"date": "2025-05-31"}'))).toBe('MALFORMED_FILE');
  });
});

describe('format detection and bad files', () => {
  it('empty, blank and header-only files are malformed', () => {
    expect(codeOf(() => rowsOf(''))).toBe('MALFORMED_FILE');
    expect(codeOf(() => rowsOf('\n  \n'))).toBe('MALFORMED_FILE');
    expect(codeOf(() => rowsOf('Draw Date,Winning Numbers,Multiplier\n'))).toBe('MALFORMED_FILE');
    expect(codeOf(() => rowsOf('[]'))).toBe('MALFORMED_FILE');
  });

  it('an unrecognised header is an unknown format naming line 1', () => {
    try {
      rowsOf('id,when,balls\n1,2,3\n');
      expect.unreachable();
    } catch (e) {
      expect((e as PbiError).code).toBe('UNKNOWN_FORMAT');
      expect((e as PbiError).issues[0]?.where).toBe('f:1');
    }
    expect(codeOf(() => rowsOf('just some text\n'))).toBe('UNKNOWN_FORMAT');
  });

  it('--format overrides detection, and a file of another format is refused', () => {
    const ny = 'Draw Date,Winning Numbers,Multiplier\n01/13/2016,04 08 19 27 34 10,2\n';
    expect(rowsOf(ny, 'ny').format).toBe('ny');
    expect(codeOf(() => rowsOf(ny, 'json'))).toBe('MALFORMED_FILE');
    expect(codeOf(() => rowsOf('draw_date,n1,n2,n3,n4,n5,pb\n2025-05-31,1,2,3,4,5,6\n', 'ny'))).toBe(
      'MALFORMED_FILE',
    );
    expect(codeOf(() => rowsOf('[{"date":"2025-05-31","whites":[1,2,3,4,5],"powerball":1}]', 'csv'))).toBe(
      'MALFORMED_FILE',
    );
    // The NY header also reads as a grouped-column CSV when asked for.
    expect(rowsOf(ny, 'csv').rows[0]?.input.powerball).toBe(10);
  });
});

describe('dates', () => {
  it.each([
    ['2025-05-31', '2025-05-31'],
    ['05/31/2025', '2025-05-31'],
    ['5/31/2025', '2025-05-31'],
    ['05-31-2025', '2025-05-31'],
    ['05/31/25', '2025-05-31'],
    ['04/22/92', '1992-04-22'],
    ['Sat, May 31, 2025', '2025-05-31'],
    ['Saturday, May 31, 2025', '2025-05-31'],
    ['May 31, 2025', '2025-05-31'],
    ['Sept 3, 2025', '2025-09-03'],
    ['2025-05-31T00:00:00Z', '2025-05-31'],
  ])('%s → %s', (text, iso) => {
    expect(parseDrawDate(text)).toBe(iso);
  });

  it.each([
    ['', /empty/],
    ['2025-02-30', /not a real calendar day/],
    ['31/05/2025', /not a real calendar day/],
    ['Fri, May 31, 2025', /is a Saturday, not "Fri"/],
    ['Mayo 31, 2025', /unknown month/],
    ['2025/05/31', /not in a known form/],
    ['yesterday', /not in a known form/],
  ])('%s is refused', (text, reason) => {
    expect(() => parseDrawDate(text)).toThrow(RowProblem);
    expect(() => parseDrawDate(text)).toThrow(reason);
  });
});
