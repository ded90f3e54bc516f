/**
 * The question parser: paraphrases of one question give one query (fast-check over wordings,
 * casing, punctuation and filler), any text gives a schema-valid query or a typed refusal, and the
 * bad inputs of the issue (empty, 10 KB, numbers outside every era, dates before 1992 or in the
 * future, ambiguous questions) get a clear refusal naming what was wrong — never a guess.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../../../src/domain/dates.js';
import { QuestionRefusedError } from '../../../src/services/ask/ask-errors.js';
import { parseQuestion } from '../../../src/services/ask/ask-parser.js';
import { type AskQuery, AskQuerySchema } from '../../../src/services/ask/ask-query.js';
import { makeTestService, type TestService } from '../../support/test-db.js';

const TODAY = '2026-08-06' as IsoDate;
const parse = (q: string) => parseQuestion(q, TODAY);

/** Random casing, extra spaces, a question mark or not, polite filler before or after. */
const noise = (core: string) =>
  fc
    .tuple(
      fc.constantFrom('', 'please tell me ', 'hey, ', 'quick question: ', 'i wonder '),
      fc.constantFrom('', '?', '??', ' ?', '.', '!'),
      fc.array(fc.boolean(), { minLength: core.length, maxLength: core.length }),
      fc.constantFrom(' ', '  ', '\t'),
    )
    .map(([pre, end, upper, space]) => {
      const cased = [...core].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('');
      return `${pre}${cased.replace(/ /g, space)}${end}`;
    });

function samePhrasings(phrasings: fc.Arbitrary<string>, expected: AskQuery): void {
  fc.assert(
    fc.property(phrasings.chain(noise), (q) => {
      expect(parse(q)).toEqual(expected);
    }),
    { numRuns: 300 },
  );
}

describe('paraphrases of one question give one query', () => {
  it('how often a white ball was drawn since March 2020', () => {
    const phrasings = fc
      .tuple(
        fc.constantFrom(
          'how often has {n} been drawn {pool} {period}',
          'how many times has {n} been drawn {pool} {period}',
          'how often was {n} drawn {pool} {period}',
          'how many times did {n} come up {pool} {period}',
          'how frequently has {n} appeared {pool} {period}',
          '{period} how often was {n} drawn {pool}',
          'number of times {n} was drawn {pool} {period}',
        ),
        fc.constantFrom('as a white ball', 'as a white', 'as white ball'),
        fc.constantFrom(
          'since march 2020',
          'since mar 2020',
          'since 2020-03-01',
          'since 03/01/2020',
          'since 1 march 2020',
          'since March 1st 2020',
          'starting march 2020',
        ),
      )
      .map(([t, pool, period]) => t.replace('{n}', '23').replace('{pool}', pool).replace('{period}', period));
    samePhrasings(phrasings, {
      kind: 'count',
      number: 23,
      pool: 'white',
      period: { kind: 'dates', from: '2020-03-01', to: null },
    });
  });

  it('any number as the Powerball in any year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 26 }),
        fc.integer({ min: 1993, max: 2025 }),
        fc.constantFrom(
          'how many times was {n} the powerball in {y}',
          'how often was powerball {n} drawn in {y}',
          'in {y}, how often was {n} drawn as the powerball',
          'How often did {n} come up as the PB during {y}',
        ),
        (n, y, t) => {
          expect(parse(t.replace('{n}', String(n)).replace('{y}', String(y)))).toEqual({
            kind: 'count',
            number: n,
            pool: 'powerball',
            period: { kind: 'dates', from: `${y}-01-01`, to: `${y}-12-31` },
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the most frequent numbers in the last K draws', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.constantFrom(
          'which numbers are most frequent in the last {k} draws',
          'what are the most common numbers over the past {k} draws',
          'most frequently drawn numbers in the latest {k} draws',
          'in the last {k} drawings which numbers came up the most',
        ),
        (k, t) => {
          expect(parse(t.replace('{k}', String(k)))).toEqual({
            kind: 'rank',
            order: 'most',
            pool: 'any',
            top: 5,
            period: { kind: 'last', draws: k },
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('two numbers together, in either order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 69 }), { minLength: 2, maxLength: 2 }),
        fc.constantFrom(
          'how often do {a} and {b} appear together',
          'how many times were {a} & {b} drawn together',
          'how often have {a} and {b} come up in the same draw',
          'pair {a} {b}: how often together',
        ),
        ([a, b], t) => {
          expect(parse(t.replace('{a}', String(a)).replace('{b}', String(b)))).toEqual({
            kind: 'together',
            whites: [Math.min(a!, b!), Math.max(a!, b!)],
            powerball: null,
            period: { kind: 'era', era: 'current' },
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('overdue, average sum, all-odd, odds: their phrasings', () => {
    samePhrasings(
      fc.constantFrom(
        'is 23 overdue',
        'is 23 due',
        'is number 23 overdue this era',
        '23: overdue?',
        'has 23 become overdue in the current era',
      ),
      {
        kind: 'overdue',
        number: 23,
        pool: 'any',
        period: { kind: 'era', era: 'current' },
      },
    );
    samePhrasings(
      fc.constantFrom(
        'what is the average sum of the white balls in 2019',
        'average sum in 2019',
        'mean total of the whites during 2019',
        'what was the typical sum in 2019',
      ),
      {
        kind: 'sum',
        stat: 'mean',
        period: { kind: 'dates', from: '2019-01-01', to: '2019-12-31' },
      },
    );
    samePhrasings(
      fc.constantFrom(
        'how many draws had all odd white balls',
        'how often were all five whites odd',
        'how many draws had only odd numbers',
        'draws where every white ball was odd',
      ),
      {
        kind: 'pattern',
        pattern: 'all-odd',
        value: null,
        period: { kind: 'era', era: 'current' },
      },
    );
    samePhrasings(
      fc.constantFrom(
        'what are the odds of matching 4 white balls and the powerball',
        'odds of 4 + powerball',
        'chances of matching four whites plus the pb',
        'probability of winning with 4 numbers and the powerball',
      ),
      { kind: 'odds', tier: '4+PB' },
    );
  });
});

describe('any text: a schema-valid query or a typed refusal', () => {
  it('never throws anything else, and every query passes the schema', () => {
    const words = fc.constantFrom(
      'how',
      'often',
      'was',
      '23',
      '70',
      'drawn',
      'since',
      'march',
      '2020',
      'the',
      'powerball',
      'white',
      'ball',
      'most',
      'frequent',
      'overdue',
      'sum',
      'above',
      '200',
      'and',
      '12',
      'together',
      'last',
      '100',
      'draws',
      'odds',
      'of',
      '4',
      '+',
      'weekday',
      'in',
      '1990',
      '2031',
      'ever',
      'trend',
      '?',
      'between',
      'to',
      'jackpot',
      'is',
      'odd',
      'all',
      'consecutive',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.array(words, { maxLength: 14 }).map((w) => w.join(' ')),
        ),
        (q) => {
          try {
            expect(AskQuerySchema.safeParse(parse(q)).success).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(QuestionRefusedError);
            const e = error as QuestionRefusedError;
            expect(e.code).toBe('INVALID_INPUT');
            expect(e.message.length).toBeGreaterThan(5);
            expect(e.issues[0]?.where).toBe('question');
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('bad input: a clear answer or a clear refusal', () => {
  let t: TestService;
  beforeAll(() => {
    t = makeTestService();
  });
  afterAll(() => t.cleanup());

  const refusal = (q: string): QuestionRefusedError => {
    try {
      t.service.ask.answer(q);
    } catch (error) {
      expect(error).toBeInstanceOf(QuestionRefusedError);
      return error as QuestionRefusedError;
    }
    throw new Error(`"${q.slice(0, 40)}" was answered`);
  };

  it('empty and blank questions', () => {
    for (const q of ['', '   ', '\n\t']) {
      const e = refusal(q);
      expect(e.message).toBe('the question is empty');
      expect(e.suggestions.length).toBeGreaterThan(0);
    }
  });

  it('a 10 KB question is refused before any work, saying how long it is', () => {
    const q = `how often was 23 drawn ${'and then some more words '.repeat(410)}`.slice(0, 10_240);
    const t0 = performance.now();
    const e = refusal(q);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(e.message).toBe('the question is 10240 characters long; ask in at most 300');
    expect(e.httpStatus).toBe(400);
    expect(e.exitCode).toBe(1);
  });

  it('70 has never been a valid white ball; 50 has never been a Powerball; 65 could not be drawn in 2010', () => {
    expect(refusal('how often was 70 drawn as a white ball').message).toMatch(
      /^70 has never been a valid white ball \(whites have run 1–45 from 1992-04-22, .*1–69 from 2015-10-07\), so it has never been drawn$/,
    );
    expect(refusal('how often was 70 drawn').message).toBe(
      '70 has never been a valid Powerball number: white balls have run at most 1–69, the Powerball at most 1–45',
    );
    expect(refusal('how often was 50 the powerball').message).toMatch(/^50 has never been a valid Powerball/);
    expect(refusal('how often was 0 drawn').message).toMatch(/^0 is not a Powerball number/);
    expect(refusal('how often was 150 drawn').message).toMatch(
      /^150 is not a Powerball number: no ball has ever been numbered above 69/,
    );
    // Valid once, but not in the period asked: answered, saying it could not be drawn then.
    const a = t.service.ask.answer('how often was 65 drawn as a white ball in 2010');
    expect(a.figures).toEqual([{ name: 'white count', value: 0, chance: 0, era: '2009-01-07' }]);
    expect(a.sentence).toContain('could not be drawn as a white ball in the 2009-01-07 era');
    // Asked about either pool: the impossible one is left out with a note, the other answered.
    const b = t.service.ask.answer('how often was 60 drawn this era');
    expect(b.figures.map((f) => f.name)).toEqual(['white count']);
    expect(b.sentence).toContain('60 has never been a valid Powerball');
  });

  it('dates before 1992 or in the future, and impossible dates', () => {
    expect(refusal('how often was 23 drawn since 1990').message).toBe(
      '1990-01-01 is before the first Powerball draw (1992-04-22); ask "ever" or "since 1992" for the whole history',
    );
    expect(refusal('how often was 23 drawn before 1992-04-01').message).toBe(
      '1992-03-31 is before the first Powerball draw (1992-04-22)',
    );
    expect(refusal('how often was 23 drawn in 2031').message).toBe(
      '2031-01-01 is in the future (today is 2026-08-06): there are no draws to count yet',
    );
    expect(refusal('how often was 23 drawn since September 2026').message).toMatch(
      /^2026-09-01 is in the future/,
    );
    expect(refusal('how often was 23 drawn since february 30 2020').message).toBe(
      '"since february 30 2020" is not a real date',
    );
    expect(refusal('how often was 23 drawn between 2020 and 2018').message).toBe(
      'the period starts (2020-01-01) after it ends (2018-12-31)',
    );
    // "since 1992" and "in 2026" (to today) are fine.
    expect(t.service.ask.answer('how often was 23 drawn as a white ball since 1992').coverage?.from).toBe(
      '1992-04-22',
    );
    expect(t.service.ask.answer('how often was 23 drawn as a white ball in 2026').coverage?.to).toBe(
      '2026-08-05',
    );
  });

  it('ambiguous questions are refused with the forms that would answer them', () => {
    const two = refusal('how often were 12 and 34 drawn');
    expect(two.message).toMatch(/names 2 numbers \(12, 34\) but asks about one/);
    expect(two.suggestions).toContain('How often do 12 and 34 appear together?');
    const both = refusal('which numbers are most frequent and which are overdue');
    expect(both.message).toMatch(/asks 2 things at once/);
    expect(refusal('how often was 23 drawn in 2019 since 2020').message).toMatch(
      /names 2 periods \("since 2020", "in 2019"\)/,
    );
    expect(refusal('is 12 or 13 overdue').message).toMatch(/names 2 numbers/);
    const none = refusal('tell me about 23');
    expect(none.message).toBe('the question is none of the forms understood');
    expect(none.suggestions[0]).toBe('How often has 23 been drawn as a white ball since March 2020?');
    expect(refusal('what are the odds').message).toMatch(/^the odds of which prize/);
    expect(refusal('odds of matching 2 white balls').message).toBe(
      'matching fewer than 3 white balls without the Powerball wins no prize',
    );
  });

  it('questions about the next draw are refused with the reason', () => {
    expect(refusal('which numbers will come up in the next draw').message).toMatch(
      /^the history cannot say what the next draw will be: draws are independent/,
    );
  });

  it('a question whose period holds no stored draw says so', () => {
    // A Thursday and a Friday: no draw days.
    expect(() => t.service.ask.answer('how often was 23 drawn between 2020-03-05 and 2020-03-06')).toThrow(
      'no draws to analyse between 2020-03-05 and 2020-03-06',
    );
  });
});
