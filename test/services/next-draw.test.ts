/**
 * One "next draw" everywhere: the first scheduled draw whose 10:59 pm US Eastern draw time has not
 * passed (injected clock), the same in `init`'s summary, the dashboard overview and `predict`'s
 * default target; missing scheduled draws are counted on every surface; a past draw can be
 * predicted from the draws before it only.
 */
import { inCliWords } from '../../src/interfaces/cli/hints.js';
import { afterEach, describe, expect, it } from 'vitest';
import { drawDatesBetween, missingScheduledDraws, nextScheduledDraw } from '../../src/domain/calendar.js';
import type { IsoDate } from '../../src/domain/dates.js';
import { createTestDb, type TestDb } from './prediction-fixtures.js';

let db: TestDb;
afterEach(() => db?.cleanup());

describe('the next scheduled draw', () => {
  it('is today on a draw day until 10:59 pm US Eastern, in winter (EST) and summer (EDT)', () => {
    // Wednesday 2026-12-02: EST is UTC−5, so 10:59 pm Eastern is 03:59 UTC the next day.
    expect(nextScheduledDraw(new Date('2026-12-02T15:00:00Z'))).toBe('2026-12-02');
    expect(nextScheduledDraw(new Date('2026-12-03T03:58:59Z'))).toBe('2026-12-02');
    expect(nextScheduledDraw(new Date('2026-12-03T03:59:00Z'))).toBe('2026-12-05');
    // Wednesday 2026-07-01: EDT is UTC−4, so the draw is at 02:59 UTC on 07-02.
    expect(nextScheduledDraw(new Date('2026-07-02T02:58:00Z'))).toBe('2026-07-01');
    expect(nextScheduledDraw(new Date('2026-07-02T02:59:00Z'))).toBe('2026-07-04');
    // Sunday → Monday (Monday draws since 2021-08-23); before that Sunday → Wednesday.
    expect(nextScheduledDraw(new Date('2026-11-29T12:00:00Z'))).toBe('2026-11-30');
    expect(nextScheduledDraw(new Date('2020-11-29T12:00:00Z'))).toBe('2020-12-02');
  });

  it('counts the scheduled draws whose time has passed but that are not stored', () => {
    const now = new Date('2026-12-02T15:00:00Z'); // Wednesday before the draw
    const missing = missingScheduledDraws('2026-08-05' as IsoDate, now);
    expect(missing[0]).toBe('2026-08-08');
    expect(missing.at(-1)).toBe('2026-11-30');
    expect(missing).toEqual(drawDatesBetween('2026-08-06' as IsoDate, '2026-12-01' as IsoDate));
    expect(missingScheduledDraws('2026-11-30' as IsoDate, now)).toEqual([]);
  });
});

describe('every surface agrees', () => {
  it('init, the dashboard and predict name the same next draw and the same missing draws', () => {
    db = createTestDb();
    const s = db.open('2026-12-02T15:00:00Z'); // a Wednesday afternoon, before the draw
    const summary = s.draws.summary();
    const overview = s.draws.overview();
    const set = s.predictor.generate({ seed: 1, count: 1 });
    expect(summary.nextDrawDate).toBe('2026-12-02');
    expect(overview.nextDrawDate).toBe('2026-12-02');
    expect(set.targetDrawDate).toBe('2026-12-02');
    expect(summary.missingDraws).toBe(50);
    expect(overview.missingDraws).toBe(50);
    const notice =
      /50 scheduled draws are missing from the stored history \(2026-08-08 to 2026-11-30\): fetch them with `pbi draws update`/;
    // The hint is data; the command line words it as its command.
    expect(inCliWords(summary).missingDrawsNotice).toMatch(notice);
    expect(inCliWords(overview).missingDrawsNotice).toMatch(notice);
    expect(inCliWords(set).notes.join('\n')).toMatch(notice);
    s.close();
  });

  it('predicts a past draw from the draws before it only, and says so', () => {
    db = createTestDb();
    const s = db.open();
    const past = s.predictor.generate({ seed: 1, count: 2, forDate: '2026-08-03', strategy: 'frequency' });
    expect(past.targetDrawDate).toBe('2026-08-03');
    expect(past.notes.join('\n')).toMatch(
      /2026-08-03 is in the past: this set uses only the 3,836 draws before it/,
    );
    // The same as predicting with a store that ends before that draw.
    const cut = createTestDb('2026-08-01');
    const c = cut.open();
    const same = c.predictor.generate({ seed: 1, count: 2, forDate: '2026-08-03', strategy: 'frequency' });
    expect(same.tickets.map((t) => t.whites)).toEqual(past.tickets.map((t) => t.whites));
    c.close();
    cut.cleanup();
    s.close();
  });
});
