/**
 * A structured query to its answer: one function per kind, all reading `analyzeDraws`.
 */
import type { IsoDate } from '../../domain/dates.js';
import type { Draw } from '../../domain/draw.js';
import {
  answerHelp,
  answerOdds,
  answerPattern,
  answerSum,
  answerSummary,
  answerTogether,
  answerTrend,
  answerWeekday,
} from './ask-answers-draws.js';
import { answerCount, answerLast, answerOverdue, answerRank } from './ask-answers-numbers.js';
import type { AskResult } from './ask-format.js';
import type { AskQuery } from './ask-query.js';

/**
 * Answers a validated query from `draws` (oldest first) as of `today`.
 * @throws QuestionRefusedError for a period or number no draw could have; InsufficientDataError
 * when the period holds no stored draw.
 */
export function answerQuery(draws: readonly Draw[], query: AskQuery, today: IsoDate): AskResult {
  switch (query.kind) {
    case 'count':
      return answerCount(draws, query, today);
    case 'last':
      return answerLast(draws, query, today);
    case 'rank':
      return answerRank(draws, query, today);
    case 'overdue':
      return answerOverdue(draws, query, today);
    case 'sum':
      return answerSum(draws, query, today);
    case 'together':
      return answerTogether(draws, query, today);
    case 'weekday':
      return answerWeekday(draws, query, today);
    case 'pattern':
      return answerPattern(draws, query, today);
    case 'odds':
      return answerOdds(query);
    case 'trend':
      return answerTrend(draws, query);
    case 'summary':
      return answerSummary(draws);
    case 'help':
      return answerHelp();
  }
}
