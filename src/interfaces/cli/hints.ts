/**
 * The command line's words for hints (what to do next, domain/hints.ts): the command or flag that
 * does it.
 */
import { type HintWords, type Worded, wordedAll } from '../../domain/hints.js';

export const cliHintWords: HintWords = (hint) => {
  switch (hint.kind) {
    case 'fetch-draws':
      return 'fetch them with `pbi draws update` or the dashboard’s “Fetch the official results” button';
    case 'import-valid-rows':
      return '(use --skip-invalid to import the valid rows)';
    case 'import-valid-lines':
      return '(use --skip-invalid to import the valid lines)';
    case 'overwrite-draw':
      return `(use --overwrite to replace it with ${hint.with})`;
    case 'force-activate':
      return hint.done ? 'activated by --activate' : '--activate forces it';
    case 'train-model':
      return `run \`pbi train\`${hint.first ? ' first' : ''}${hint.for === 'ml-strategy' ? ' to use the ml strategy' : ''}`;
    case 'load-history':
      return 'run `pbi init` or `pbi draws import FILE` first';
    case 'evaluate':
      return '`pbi evaluate` scores it';
  }
};

/** A service's report with every hinted text in the command line's words. */
export function inCliWords<T>(report: T): Worded<T> {
  return wordedAll(report, cliHintWords);
}
