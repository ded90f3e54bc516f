/**
 * Periods as people write them in a question ("since March 2020", "in 2019", "last 100 draws",
 * "this era", "between 2016 and 2018", "in the past 6 months"), found and cut out of the text so
 * the numbers left are the ones asked about. Dates resolve against an injected today.
 */
import { addDays, type IsoDate, isoDateFromParts, isRealDay } from '../../domain/dates.js';
import type { Period } from './ask-query.js';

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const MONTH = `(${Object.keys(MONTHS).join('|')})`;
/** A date as written: ISO, US m/d/yyyy, "march 15 2020", "15 march 2020", "march 2020", "2020". */
const DATE = `(\\d{4}-\\d{1,2}-\\d{1,2}|\\d{1,2}/\\d{1,2}/\\d{4}|${MONTH} \\d{1,2}(?:st|nd|rd|th)? \\d{4}|\\d{1,2}(?:st|nd|rd|th)? ${MONTH} \\d{4}|${MONTH} \\d{4}|(?:19|20)\\d{2})`;

/** A date as written, as the days it covers. */
interface Span {
  readonly start: IsoDate;
  readonly end: IsoDate;
}

/** What a period phrase meant, beside the period itself (trend questions reuse "last 6 months"). */
export interface FoundPeriod {
  readonly period: Period;
  readonly text: string;
  /** Set for "the last N weeks/months/years". */
  readonly relative: { readonly unit: 'weekly' | 'monthly' | 'yearly'; readonly n: number } | null;
}

export interface PeriodScan {
  readonly found: readonly FoundPeriod[];
  /** The text with every period phrase blanked out. */
  readonly rest: string;
  /** Dates that do not exist ("february 30 2020"). */
  readonly invalid: readonly string[];
}

function lastDayOfMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Resolves one written date to the days it covers; null when it is not a real day. */
function span(text: string): Span | null {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const day = (y: number, mo: number, d: number): Span | null => {
    if (!isRealDay(y, mo, d)) return null;
    const at = isoDateFromParts(y, mo, d);
    return { start: at, end: at };
  };
  if (m) return day(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (m) return day(Number(m[3]), Number(m[1]), Number(m[2]));
  m = /^([a-z]+) (\d{1,2})(?:st|nd|rd|th)? (\d{4})$/.exec(text);
  if (m) return day(Number(m[3]), MONTHS[m[1] as string] as number, Number(m[2]));
  m = /^(\d{1,2})(?:st|nd|rd|th)? ([a-z]+) (\d{4})$/.exec(text);
  if (m) return day(Number(m[3]), MONTHS[m[2] as string] as number, Number(m[1]));
  m = /^([a-z]+) (\d{4})$/.exec(text);
  if (m) {
    const y = Number(m[2]);
    const mo = MONTHS[m[1] as string] as number;
    return { start: isoDateFromParts(y, mo, 1), end: isoDateFromParts(y, mo, lastDayOfMonth(y, mo)) };
  }
  const y = Number(text);
  return { start: isoDateFromParts(y, 1, 1), end: isoDateFromParts(y, 12, 31) };
}

function yearOf(today: IsoDate): number {
  return Number(today.slice(0, 4));
}

/** `today` moved back by n units, plus one day: the first day of "the last n units". */
function unitsBack(today: IsoDate, unit: string, n: number): IsoDate {
  if (unit === 'day') return addDays(today, 1 - n);
  if (unit === 'week') return addDays(today, 1 - 7 * n);
  const y = yearOf(today);
  const mo = Number(today.slice(5, 7));
  const d = Number(today.slice(8, 10));
  const months = unit === 'month' ? n : 12 * n;
  const total = y * 12 + (mo - 1) - months;
  const ty = Math.floor(total / 12);
  const tm = (total % 12) + 1;
  return addDays(isoDateFromParts(ty, tm, Math.min(d, lastDayOfMonth(ty, tm))), 1);
}

type Rule = {
  readonly re: RegExp;
  readonly make: (m: RegExpExecArray, today: IsoDate) => Omit<FoundPeriod, 'text'> | 'invalid';
};

const dates = (from: IsoDate | null, to: IsoDate | null): Omit<FoundPeriod, 'text'> => ({
  period: { kind: 'dates', from, to },
  relative: null,
});

/** Spans of both ends, or 'invalid' when one is not a real day. */
function both(a: string, b: string, make: (x: Span, y: Span) => Omit<FoundPeriod, 'text'>) {
  const x = span(a);
  const y = span(b);
  return x && y ? make(x, y) : ('invalid' as const);
}

function one(a: string, make: (x: Span) => Omit<FoundPeriod, 'text'>) {
  const x = span(a);
  return x ? make(x) : ('invalid' as const);
}

const UNIT = '(day|week|month|year)s?';
const UNIT_NAMES = { week: 'weekly', month: 'monthly', year: 'yearly' } as const;

/** Longest phrases first: a rule's match is cut out before the next rule looks. */
const RULES: readonly Rule[] = [
  {
    re: new RegExp(
      `\\b(?:between|from) (?:the )?${DATE} (?:and|to|through|thru|until|till|-) (?:the )?${DATE}`,
    ),
    // DATE has 4 groups (itself and 3 month names): the second date is group 5.
    make: (m) => both(m[1] as string, m[5] as string, (x, y) => dates(x.start, y.end)),
  },
  {
    re: /\b(?:in |over |during |for |from |within )?(?:the )?(?:last|past|latest|previous|most recent|recent) (\d+) (?:draws?|drawings?|games?|results?)\b/,
    make: (m) => ({ period: { kind: 'last', draws: Number(m[1]) }, relative: null }),
  },
  {
    re: new RegExp(
      `\\b(?:in |over |during |for |within )?the (?:last|past) (?:(\\d+) )?${UNIT}\\b|\\b(?:in |over |during |for |within )?past (?:(\\d+) )?${UNIT}\\b`,
    ),
    make: (m, today) => {
      const n = Number(m[1] ?? m[3] ?? 1);
      const unit = (m[2] ?? m[4]) as string;
      return {
        period: { kind: 'dates', from: unitsBack(today, unit, n), to: today },
        relative: unit === 'day' ? null : { unit: UNIT_NAMES[unit as 'week' | 'month' | 'year'], n },
      };
    },
  },
  {
    re: /\b(?:in |during |for |over )?this (year|month)\b/,
    make: (m, today) => {
      const y = yearOf(today);
      const mo = Number(today.slice(5, 7));
      return m[1] === 'year'
        ? dates(isoDateFromParts(y, 1, 1), today)
        : dates(isoDateFromParts(y, mo, 1), today);
    },
  },
  {
    re: /\b(?:in |during |for |over )?last year\b/,
    make: (_m, today) =>
      dates(isoDateFromParts(yearOf(today) - 1, 1, 1), isoDateFromParts(yearOf(today) - 1, 12, 31)),
  },
  {
    re: /\b(?:in |during |for |over |of )?(?:this|the current|current|present|today'?s|the present) (?:rule )?(?:era|rules?|matrix|format|game)\b|\bsince (?:the )?(?:last|latest) (?:rule |matrix )?change\b/,
    make: () => ({ period: { kind: 'era', era: 'current' }, relative: null }),
  },
  {
    re: /\b(?:of |in |over )?all[- ]time\b|\bever\b|\bin (?:all of |the whole |the entire )?history\b|\b(?:in |over |across )?(?:all|every) eras?\b|\b(?:over |in )?the (?:whole|entire|full) history\b|\bsince (?:the )?(?:start|beginning)\b|\b(?:in |over |across )?all (?:the )?draws\b/,
    make: () => ({ period: { kind: 'era', era: 'all' }, relative: null }),
  },
  {
    re: new RegExp(`\\b(since|after|from|starting(?: in| from)?) (?:the )?${DATE}`),
    make: (m) => one(m[2] as string, (x) => dates(m[1] === 'after' ? addDays(x.end, 1) : x.start, null)),
  },
  {
    re: new RegExp(`\\b(before|until|till|up to|through|prior to) (?:the )?${DATE}`),
    make: (m) =>
      one(m[2] as string, (x) =>
        dates(null, m[1] === 'before' || m[1] === 'prior to' ? addDays(x.start, -1) : x.end),
      ),
  },
  {
    re: new RegExp(`\\b(?:in|during|for|of|throughout|within) (?:the year |the month of )?${DATE}`),
    make: (m) => one(m[1] as string, (x) => dates(x.start, x.end)),
  },
  {
    re: /(?<![\d-])((?:19|20)\d{2})(?![\d-])/,
    make: (m) => one(m[1] as string, (x) => dates(x.start, x.end)),
  },
];

/**
 * Finds every period phrase in normalized text (lower case, single spaces).
 * More than one in `found` means the question named two periods.
 */
export function scanPeriods(text: string, today: IsoDate): PeriodScan {
  let rest = ` ${text} `;
  const found: FoundPeriod[] = [];
  const invalid: string[] = [];
  for (const rule of RULES) {
    for (;;) {
      const m = rule.re.exec(rest);
      if (!m) break;
      const made = rule.make(m, today);
      if (made === 'invalid') invalid.push(m[0].trim());
      else found.push({ ...made, text: m[0].trim() });
      rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
    }
  }
  return { found, rest: rest.replace(/\s+/g, ' ').trim(), invalid };
}

/** How a period reads in a sentence, e.g. "since 2020-03-01", "in the newest 100 draws". */
export function describePeriod(p: Period): string {
  if (p.kind === 'era') return p.era === 'current' ? 'in the current era' : 'in the whole history';
  if (p.kind === 'last') return `in the newest ${p.draws} draws`;
  if (p.from && p.to) return p.from === p.to ? `on ${p.from}` : `from ${p.from} to ${p.to}`;
  if (p.from) return `since ${p.from}`;
  if (p.to) return `up to ${p.to}`;
  return 'in the whole history';
}
