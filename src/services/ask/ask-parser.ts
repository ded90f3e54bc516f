/**
 * Plain-English questions to structured queries, by rules a reader can follow: cut out the period
 * ("since March 2020"), then the numbers with a role ("top 10", "sum above 200", "Powerball 7"),
 * then find what is asked by keywords (the legacy page's summary, average sum, frequent, weekday,
 * pairs, overdue and trends, and more). Two different questions in one, or a question missing what
 * it needs, is refused with the nearest forms understood: the parser never guesses.
 */
import type { IsoDate } from '../../domain/dates.js';
import { QuestionRefusedError } from './ask-errors.js';
import { suggestionsFor } from './ask-examples.js';
import { type FoundPeriod, scanPeriods } from './ask-periods.js';
import type { AskKind, AskQuery, PatternName, Period, Pool, TierName } from './ask-query.js';

/** Longest question read; a longer one is refused before any work. */
export const MAX_QUESTION_CHARS = 300;

type Intents = Set<AskKind>;

/** Keywords of each kind of question, tried on the text without its period phrases. */
const INTENTS: readonly [AskKind, RegExp][] = [
  [
    'help',
    /\b(help|features|what can (?:i|you) ask|how (?:do i|to) use|capabilities|guide|what questions)\b/,
  ],
  [
    'summary',
    /\b(summary|summari[sz]e|overview|about (?:this|the) (?:app|data|history)|what is this|what does this app do|how many draws (?:are there|are stored|do you have|in total|have there been|were there)|how big is the history)\b/,
  ],
  [
    'odds',
    /\b(odds|chances? (?:of|to) (?:win|winning|hit|hitting|match|matching|get|getting)|probability of (?:winning|matching|hitting|getting)|likelihood of (?:winning|matching))\b/,
  ],
  [
    'pattern',
    /\b(?:all|only|every|each)\b(?:\s+\S+){0,4}?\s+(?:odd|even|high|low)\b|\bconsecutive\b|\bin a row\b|\bsequential\b/,
  ],
  ['together', /\b(together|pairs?|same draw|alongside|combinations?|combos?)\b/],
  [
    'weekday',
    /\b(week ?days?|days? of (?:the )?week|which day|what day|(?:mon|tues|wednes|thurs|fri|satur|sun)days?|dow)\b/,
  ],
  [
    'overdue',
    /\b(overdue|due|recency|longest gap|gaps?|cold streak|(?:has|have)n'?t (?:been drawn|come up|hit|appeared)|not (?:been )?drawn (?:in|for) (?:a )?(?:long|while)|days since)\b/,
  ],
  [
    'last',
    /\blast (?:drawn|seen|came up|come up|hit|appeared|appearance|time|showed up|show up|pulled)\b|\bwhen (?:was|did|has|is|were)\b|\bmost recent(?:ly)?\b|\bdraws ago\b/,
  ],
  [
    'rank',
    /\b(most|least) (?:frequent(?:ly)?|common(?:ly)?|drawn|popular|often|picked|seen|appearing)\b|\b(?:hot|hottest|cold|coldest|popular|frequent|common|rarest|rare)(?: white)? (?:numbers?|balls?|whites?|powerballs?)\b|\bc[oa]mes? up (?:the )?(?:most|least)\b|\bdrawn (?:the )?(?:most|least)\b/,
  ],
  ['sum', /\b(sums?|totals?)\b/],
  [
    'trend',
    /\b(trend(?:s|ing)?|rising|falling|heating up|cooling (?:off|down)|over time|momentum|on the rise)\b/,
  ],
  [
    'count',
    /\bhow (?:often|many times|frequently)\b|\bnumber of times\b|\bcount\b|\btimes\b|\bfrequency\b|\b(?:been|was|were|is|get|got|gets) (?:drawn|picked|pulled|chosen)\b|\bc[oa]me up\b|\bappear(?:ed|s)?\b|\bshow(?:n|ed)? up\b/,
  ],
];

/** When both are found, the first kind is what is asked (the second's keywords are part of it). */
const DOMINATES: Partial<Record<AskKind, readonly AskKind[]>> = {
  odds: ['count', 'rank', 'sum', 'pattern', 'summary', 'last', 'together', 'weekday', 'overdue', 'trend'],
  pattern: ['sum', 'count', 'rank', 'summary'],
  together: ['count', 'rank', 'last'],
  weekday: ['count', 'rank'],
  overdue: ['last', 'count'],
  last: ['count'],
  rank: ['count'],
  trend: ['rank', 'count'],
  sum: ['count', 'summary'],
  summary: ['count'],
};

/** Questions about the next draw: answered by a refusal that says why the history cannot tell. */
const NEXT_DRAW =
  /\b(next draw|next drawing|will (?:be|come up|hit|win)|going to (?:be drawn|come up|hit|win)|(?:most )?likely to (?:be drawn|come up|hit|win)|predict|should i (?:play|pick)|which numbers? (?:to|should i) (?:play|pick))\b/;

function normalize(question: string): string {
  return question
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\bpower[- ]ball/g, 'powerball')
    .replace(/#(\d)/g, '$1')
    .replace(/&/g, ' and ')
    .replace(/\bno\.\s*(\d)/g, '$1')
    .replace(/(\d)\.(?!\d)/g, '$1 ')
    .replace(/[?!;:()"“”,]|\.(?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Roles {
  rest: string;
  top: number | null;
  sum: { pattern: PatternName; value: number } | null;
  powerball: number | null;
  white: number | null;
}

const COMPARATORS: readonly [RegExp, PatternName, number][] = [
  [/^(?:at least|>=)$/, 'sum-above', -1],
  [/^(?:at most|<=)$/, 'sum-below', 1],
  [/^(?:above|over|greater than|more than|higher than|exceeding|exceeds?|>)$/, 'sum-above', 0],
  [/^(?:below|under|less than|lower than|<)$/, 'sum-below', 0],
  [/^(?:equal to|equals?|exactly|of|=)$/, 'sum-equal', 0],
];

/** Cuts out the numbers that have a role; what is left holds the numbers asked about. */
function extractRoles(text: string): Roles {
  const r: Roles = { rest: ` ${text} `, top: null, sum: null, powerball: null, white: null };
  const take = (re: RegExp, use: (m: RegExpExecArray) => void): void => {
    const m = re.exec(r.rest);
    if (!m) return;
    use(m);
    r.rest = `${r.rest.slice(0, m.index)} ${r.rest.slice(m.index + m[0].length)}`;
  };
  take(/\btop (\d+)\b|\b(\d+) (?=(?:most|least|hottest|coldest|hot|cold)\b)/, (m) => {
    r.top = Number(m[1] ?? m[2]);
  });
  take(
    /\b(?:sums?|totals?)(?: of (?:the |all )?(?:(?:five |5 )?white(?: balls?)?|whites|(?:white )?numbers|balls))?(?: of(?= (?:at|above|over|greater|more|higher|exceed|below|under|less|lower|equal|exactly)))?(?: (?:is|was|were|being))? (at least|at most|above|over|greater than|more than|higher than|exceeding|exceeds?|below|under|less than|lower than|equal to|equals?|exactly|of|>=|<=|=|>|<) ?(\d+)\b/,
    (m) => {
      const word = m[1] as string;
      const [, pattern, shift] = COMPARATORS.find(([re]) => re.test(word)) as [RegExp, PatternName, number];
      r.sum = { pattern, value: Number(m[2]) + shift };
    },
  );
  take(/\b(?:the )?(?:powerball|pb|red ball)(?: number| no)? (?:of |was |is |= ?)?(\d+)\b/, (m) => {
    r.powerball = Number(m[1]);
  });
  take(
    /\b(\d+) (?:(?:as|for|was|is|been|being) )?(?:(?:the|a) )?(?:powerball|pb|red ball)\b(?! numbers?)/,
    (m) => {
      r.powerball = Number(m[1]);
    },
  );
  take(
    /\b(\d+) (?:(?:as|for) )?(?:(?:a|the) )?white(?: ball)?\b|\bwhite(?: ball)? (?:number )?(\d+)\b/,
    (m) => {
      r.white = Number(m[1] ?? m[2]);
    },
  );
  r.rest = r.rest.replace(/\s+/g, ' ').trim();
  return r;
}

function poolOf(text: string, roles: Roles): Pool | null {
  if (
    /\bat all\b|\beither\b|\bany (?:ball|position|pool)\b|\bwhite (?:ball )?or (?:as )?(?:the |a )?(?:powerball|red)|\bor (?:as )?(?:the |a )?powerball\b|\bboth\b/.test(
      text,
    )
  )
    return 'any';
  if (roles.white !== null) return 'white';
  if (roles.powerball !== null) return 'powerball';
  const white = /\bwhites?\b|\bwhite balls?\b/.test(text);
  const red =
    /\bpowerballs\b|\b(?:the|a) powerball\b|\bpowerball numbers?\b|\bred (?:balls?|numbers?)\b|\bpb\b/.test(
      text,
    );
  if (white && red) return 'any';
  if (white) return 'white';
  if (red) return 'powerball';
  return null;
}

/** The tier of an odds question, or null when none is named. */
function tierOf(text: string): TierName | null | 'no-prize' {
  if (
    /\bjackpot\b|\bgrand prize\b|\bwin(?:ning)? (?:it )?all\b|\ball (?:five|5|six|6)(?: numbers| balls)? and (?:the )?(?:powerball|pb)/.test(
      text,
    )
  )
    return '5+PB';
  if (
    /\bany prize\b|\b(?:win|winning) (?:anything|something|a prize|any prize|at all)\b|\bany(?:thing| win)\b/.test(
      text,
    )
  )
    return 'any';
  const words: Record<string, string> = { one: '1', two: '2', three: '3', four: '4', five: '5' };
  const t = text.replace(/\b(one|two|three|four|five)\b/g, (w) => words[w] as string);
  const plus =
    /\b([0-5])(?: white(?: balls?)?| whites| numbers| balls)? ?(?:\+|plus|and|with) ?(?:the )?(?:powerball|pb|red ball)\b/.exec(
      t,
    );
  if (plus) return plus[1] === '0' ? 'PB' : (`${plus[1]}+PB` as TierName);
  if (/\b(?:only|just) (?:the )?(?:powerball|pb|red ball)\b|\bthe powerball alone\b/.test(t)) return 'PB';
  const match =
    /\b(?:match(?:ing|es)?|get(?:ting)?|hit(?:ting)?) ([1-5])(?: white(?: balls?)?| whites| numbers| balls)?\b/.exec(
      t,
    ) ?? /\b([1-5]) (?:white balls?|whites|numbers|balls)\b/.exec(t);
  if (!match) return null;
  const k = Number(match[1]);
  return k >= 3 ? (String(k) as TierName) : 'no-prize';
}

function refuse(
  message: string,
  reason: string,
  kinds: readonly AskKind[],
  n: number | null,
  understood = false,
): never {
  throw new QuestionRefusedError(message, reason, suggestionsFor(kinds, n), understood);
}

function findIntents(rest: string, roles: Roles): Intents {
  const found: Intents = new Set(INTENTS.filter(([, re]) => re.test(rest)).map(([k]) => k));
  if (roles.sum) found.add('pattern');
  if (roles.top !== null) found.add('rank');
  for (const [winner, losers] of Object.entries(DOMINATES) as [AskKind, AskKind[]][])
    if (found.has(winner)) for (const l of losers) if (l !== winner) found.delete(l);
  if (found.size > 1) found.delete('help');
  return found;
}

/** The one period named, or the kind's default; two periods are refused. */
function periodOf(
  found: readonly FoundPeriod[],
  fallback: Period,
  kinds: AskKind[],
  n: number | null,
): Period {
  const distinct = [...new Map(found.map((f) => [JSON.stringify(f.period), f])).values()];
  if (distinct.length > 1)
    refuse(
      `the question names ${distinct.length} periods (${distinct.map((f) => `"${f.text}"`).join(', ')}); ask about one`,
      'more than one period',
      kinds,
      n,
    );
  return distinct[0]?.period ?? fallback;
}

const CURRENT: Period = { kind: 'era', era: 'current' };
const ALL: Period = { kind: 'era', era: 'all' };

/**
 * The structured query a question asks, with dates resolved against `today`.
 * @throws QuestionRefusedError when it is empty, too long, two questions in one, or not understood.
 */
export function parseQuestion(question: string, today: IsoDate): AskQuery {
  const trimmed = question.trim();
  if (trimmed.length === 0) refuse('the question is empty', 'empty', [], null);
  if (trimmed.length > MAX_QUESTION_CHARS)
    refuse(
      `the question is ${trimmed.length} characters long; ask in at most ${MAX_QUESTION_CHARS}`,
      `longer than ${MAX_QUESTION_CHARS} characters`,
      [],
      null,
    );
  const text = normalize(trimmed);
  if (NEXT_DRAW.test(text))
    refuse(
      'the history cannot say what the next draw will be: draws are independent, and every white ball has the same 5 in 69 chance (every Powerball 1 in 26) whatever came before',
      'asks about the next draw',
      ['rank', 'overdue', 'odds'],
      null,
      true,
    );
  const scan = scanPeriods(text, today);
  if (scan.invalid.length > 0)
    refuse(`"${scan.invalid[0]}" is not a real date`, 'impossible date', [], null, true);
  const roles = extractRoles(scan.rest);
  const numbers = [...roles.rest.matchAll(/(?<![\d+-])(\d+)(?![\d+])/g)].map((m) => Number(m[1]));
  const firstNumber = roles.white ?? roles.powerball ?? numbers[0] ?? null;
  for (const x of [...numbers, roles.white, roles.powerball])
    if (x !== null && x !== undefined && (x < 1 || x > 99))
      refuse(
        `${x} is not a Powerball number: ${x < 1 ? 'balls are numbered from 1' : 'no ball has ever been numbered above 69'}`,
        'not a ball number',
        [],
        null,
        true,
      );
  const intents = findIntents(roles.rest, roles);
  const kinds = [...intents];
  if (kinds.length === 0)
    refuse(
      'the question is none of the forms understood',
      firstNumber === null ? 'no known question' : `no known question about ${firstNumber}`,
      [],
      firstNumber,
    );
  if (kinds.length > 1)
    refuse(
      `the question asks ${kinds.length} things at once (${kinds.join(', ')}); ask one at a time`,
      'ambiguous: more than one question',
      kinds,
      firstNumber,
    );
  return buildQuery(kinds[0] as AskKind, { text, scan: scan.found, roles, numbers, firstNumber });
}

interface Parsed {
  readonly text: string;
  readonly scan: readonly FoundPeriod[];
  readonly roles: Roles;
  readonly numbers: readonly number[];
  readonly firstNumber: number | null;
}

/** One number asked about (a white or Powerball role counts); null when none; refused when several. */
function subject(kind: AskKind, p: Parsed, required: boolean): { number: number | null; role: Pool | null } {
  const explicit = p.roles.white ?? p.roles.powerball;
  const all = explicit !== null ? [explicit, ...p.numbers] : [...p.numbers];
  if (all.length > 1)
    refuse(
      `the question names ${all.length} numbers (${all.join(', ')}) but asks about one; ask about each, or whether they were drawn together`,
      'ambiguous: which number?',
      [kind, 'together'],
      all[0] as number,
    );
  if (all.length === 0 && required)
    refuse('which number? The question names none', 'no number', [kind], null);
  return {
    number: all[0] ?? null,
    role: p.roles.white !== null ? 'white' : p.roles.powerball !== null ? 'powerball' : null,
  };
}

function noStrayNumbers(kind: AskKind, p: Parsed): void {
  const stray = [...p.numbers, ...(p.roles.white !== null ? [p.roles.white] : [])];
  if (stray.length > 0)
    refuse(
      `the number ${stray[0]} has no place in this question; did you mean to ask about it?`,
      'ambiguous: unexpected number',
      [kind, 'count'],
      stray[0] as number,
    );
}

function buildQuery(kind: AskKind, p: Parsed): AskQuery {
  const period = (fallback: Period) => periodOf(p.scan, fallback, [kind], p.firstNumber);
  const pool = poolOf(p.text, p.roles);
  switch (kind) {
    case 'count':
    case 'last':
    case 'overdue':
    case 'weekday': {
      if (kind === 'count' && p.roles.powerball !== null && (p.roles.white !== null || p.numbers.length > 0))
        return buildQuery('together', p);
      const s = subject(kind, p, kind === 'count' || kind === 'last');
      const q = { number: s.number, pool: s.role ?? pool ?? 'any' };
      if (kind === 'last') return { kind, ...q, number: s.number as number, period: period(ALL) };
      if (kind === 'count') return { kind, ...q, number: s.number as number, period: period(CURRENT) };
      return { kind, ...q, period: period(CURRENT) };
    }
    case 'rank':
      noStrayNumbers(kind, p);
      if (p.roles.powerball !== null)
        refuse(
          'which numbers? "Powerball N" names one number',
          'ambiguous',
          ['rank', 'count'],
          p.roles.powerball,
        );
      return {
        kind,
        order: /\b(least|cold|coldest|rarest|rare|rarely|fewest)\b/.test(p.text) ? 'least' : 'most',
        pool: pool ?? 'any',
        top: Math.min(p.roles.top ?? 5, 26),
        period: period(CURRENT),
      };
    case 'sum':
      noStrayNumbers(kind, p);
      return {
        kind,
        stat: /\bmedian\b|\bmiddle\b/.test(p.text)
          ? 'median'
          : /\b(range|min(?:imum)?|max(?:imum)?|lowest|highest|smallest|largest|biggest|spread)\b/.test(
                p.text,
              )
            ? 'range'
            : 'mean',
        period: period(CURRENT),
      };
    case 'together': {
      const whites = [...(p.roles.white !== null ? [p.roles.white] : []), ...p.numbers];
      if (new Set(whites).size !== whites.length)
        refuse('a number is named twice', 'repeated number', ['together'], whites[0] ?? null);
      if (whites.length > 5)
        refuse(
          `a draw holds 5 white balls; the question names ${whites.length}`,
          'too many numbers',
          ['together'],
          whites[0] ?? null,
        );
      if (whites.length === 1 && p.roles.powerball === null)
        refuse(
          `together with what? The question names only ${whites[0]}`,
          'one number',
          ['together', 'count'],
          whites[0] ?? null,
        );
      // Sorted, so "12 and 34" and "34 and 12" are one query.
      return {
        kind,
        whites: [...whites].sort((a, b) => a - b),
        powerball: p.roles.powerball,
        period: period(CURRENT),
      };
    }
    case 'pattern':
      return patternQuery(p, period(CURRENT));
    case 'odds':
      return oddsQuery(p);
    case 'trend':
      return trendQuery(p, pool);
    case 'summary':
    case 'help':
      return { kind };
  }
}

function oddsQuery(p: Parsed): AskQuery {
  const tier = tierOf(p.text);
  if (tier === 'no-prize')
    refuse(
      'matching fewer than 3 white balls without the Powerball wins no prize',
      'no such prize tier',
      ['odds'],
      null,
      true,
    );
  if (tier === null)
    refuse(
      'the odds of which prize? Name the matches, e.g. "4 white balls and the Powerball"',
      'no prize tier',
      ['odds'],
      null,
    );
  return { kind: 'odds', tier };
}

function trendQuery(p: Parsed, pool: Pool | null): AskQuery {
  noStrayNumbers('trend', p);
  const rel = p.scan.find((f) => f.relative !== null)?.relative ?? null;
  if (p.scan.length > 0 && rel === null)
    refuse(
      'trends compare the last weeks, months or years with those before; name them, e.g. "in the last 6 months"',
      'trend period',
      ['trend'],
      null,
    );
  const unit = rel?.unit ?? (/\bweek/.test(p.text) ? 'weekly' : /\byear/.test(p.text) ? 'yearly' : 'monthly');
  return {
    kind: 'trend',
    pool: pool ?? 'any',
    unit,
    units: Math.min(rel?.n ?? (unit === 'weekly' ? 8 : unit === 'monthly' ? 6 : 1), 100),
  };
}

function patternQuery(p: Parsed, period: Period): AskQuery {
  if (p.roles.sum) {
    noStrayNumbers('pattern', p);
    return { kind: 'pattern', pattern: p.roles.sum.pattern, value: p.roles.sum.value, period };
  }
  noStrayNumbers('pattern', p);
  const m = /\b(odd|even|high|low)\b/.exec(p.text);
  const pattern: PatternName = /\bconsecutive\b|\bin a row\b|\bsequential\b/.test(p.text)
    ? 'consecutive'
    : (`all-${(m?.[1] ?? 'odd') as 'odd' | 'even' | 'high' | 'low'}` as PatternName);
  return { kind: 'pattern', pattern, value: null, period };
}
