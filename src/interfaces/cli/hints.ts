/**
 * The command line's words for hints (what to do next, domain/hints.ts): the command or flag that
 * does it.
 */
import { type HintWords, type Worded, wordedAll } from '../../domain/hints.js';
import { commandHintWords } from '../command-hints.js';

/** A request field as its flag: `skipInvalid` → `--skip-invalid`. */
export const asFlag = (field: string): string => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

export const cliHintWords: HintWords = commandHintWords(asFlag);

/** A service's report with every hinted text in the command line's words. */
export function inCliWords<T>(report: T): Worded<T> {
  return wordedAll(report, cliHintWords);
}
