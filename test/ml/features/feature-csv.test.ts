import { describe, expect, it } from 'vitest';
import type { PbiError } from '../../../src/domain/errors.js';
import { buildFeatureMatrix, formatFeatureCsv, parseFeatureCsv } from '../../../src/ml/features/index.js';
import { loadBundledDraws } from '../../strategies/bundled-draws.js';

describe('feature CSV', () => {
  it('round-trips the real matrix exactly: dates, names, every value and the six targets', () => {
    const m = buildFeatureMatrix([...loadBundledDraws()]);
    const text = formatFeatureCsv(m);
    const header = text.slice(0, text.indexOf('\n')).split(',');
    expect(header[0]).toBe('draw_date');
    expect(header.slice(-6)).toEqual([
      'target_w1',
      'target_w2',
      'target_w3',
      'target_w4',
      'target_w5',
      'target_pb',
    ]);
    const back = parseFeatureCsv(text, 'features.csv');
    expect(back.names).toEqual(m.names);
    expect(back.dates).toEqual(m.dates);
    expect(back.targetNames).toEqual(m.targetNames);
    expect(back.x.rows).toBe(m.x.rows);
    expect(Buffer.from(back.x.data.buffer).equals(Buffer.from(m.x.data.buffer))).toBe(true);
    expect(Buffer.from((back.y?.data as Float64Array).buffer).equals(Buffer.from(m.y.data.buffer))).toBe(
      true,
    );
  });

  it('reads feature-only files (no date, no targets), quoted cells and CRLF line ends', () => {
    const back = parseFeatureCsv('"a",b\r\n1,"2.5"\r\n-3,4e2\r\n', 'in.csv');
    expect(back.names).toEqual(['a', 'b']);
    expect(Array.from(back.x.data)).toEqual([1, 2.5, -3, 400]);
    expect(back.dates).toBeNull();
    expect(back.y).toBeNull();
  });

  it('names the line and column of every bad cell', () => {
    const bad = (text: string) => {
      try {
        parseFeatureCsv(text, 'in.csv');
      } catch (error) {
        return error as PbiError;
      }
      throw new Error('expected an error');
    };
    const e = bad('a,b\n1,2\n1,x\n3\n,4\n');
    expect(e.code).toBe('MALFORMED_FILE');
    expect(e.issues).toEqual([
      { where: 'in.csv:3', reason: 'b: "x" is not a number' },
      { where: 'in.csv:4', reason: '1 cells, header has 2' },
      { where: 'in.csv:5', reason: 'a: "" is not a number' },
    ]);
    expect(bad('').message).toMatch(/empty/);
    expect(bad('a,a\n1,2\n').issues[0]?.reason).toMatch(/twice/);
  });
});
