/**
 * The forms of question `pbi ask` understands, one example each: the help answer, the dashboard's
 * clickable examples, and the suggestions offered when a question is refused (filled in with the
 * number the user asked about, when there was one).
 */
import type { AskKind } from './ask-query.js';

const FORMS: Readonly<Record<Exclude<AskKind, 'help'>, readonly ((n: number) => string)[]>> = {
  count: [
    (n) => `How often has ${n} been drawn as a white ball since March 2020?`,
    (n) => `How many times was ${n} the Powerball in 2019?`,
  ],
  last: [(n) => `When was ${n} last drawn?`],
  rank: [
    () => 'Which numbers are most frequent in the last 100 draws?',
    () => 'What are the least common Powerballs this era?',
  ],
  sum: [
    () => 'What is the average sum of the white balls since 2020?',
    () => 'What is the median sum in 2019?',
  ],
  together: [(n) => `How often do ${n} and ${n === 34 ? 35 : 34} appear together?`],
  weekday: [
    (n) => `Which weekday has had the most draws with ${n}?`,
    () => 'How many draws were on each weekday?',
  ],
  overdue: [(n) => `Is ${n} overdue?`, () => 'Which numbers are most overdue?'],
  pattern: [
    () => 'How many draws had all odd white balls?',
    () => 'How many draws had consecutive numbers in the last 100 draws?',
    () => 'How many draws had a sum above 200?',
  ],
  odds: [
    () => 'What are the odds of matching 4 white balls and the Powerball?',
    () => 'What are the odds of winning any prize?',
  ],
  trend: [() => 'Which numbers are trending in the last 6 months?'],
  summary: [() => 'Give me a summary of the draw history'],
};

/** One example of each form (23 stands in for a number). */
export function exampleQuestions(): string[] {
  return Object.values(FORMS).flatMap((forms) => forms.map((f) => f(23)));
}

/** Examples of the given kinds first (with `n` as the number), then a few others, at most `max`. */
export function suggestionsFor(kinds: readonly AskKind[], n: number | null, max = 5): string[] {
  const num = n !== null && n >= 1 && n <= 69 ? n : 23;
  const first = kinds.flatMap((k) => (k === 'help' ? [] : FORMS[k].map((f) => f(num))));
  const withNumber =
    n !== null && kinds.length === 0
      ? [...FORMS.count, ...FORMS.last, ...FORMS.overdue].map((f) => f(num))
      : [];
  const rest = exampleQuestions();
  return [...new Set([...first, ...withNumber, ...rest])].slice(0, max);
}
