/**
 * The API's words for hints (what to do next, domain/hints.ts): the command line's, with request
 * fields named where this request sends them (`query.skipInvalid`, `body.overwrite`). Answers carry
 * the hints as data too, `{ kind, …, words }`, `words` being the phrase in the text that says it.
 */
import type { FieldNamer } from '../../domain/errors.js';
import { type Hint, type HintWords, wordedAll } from '../../domain/hints.js';
import { commandHintWords } from '../command-hints.js';

/** A hint as an API answer carries it. */
export type ApiHint = Hint & { readonly words: string };

/** The API's words for a hint, naming request fields with `name`. */
export function apiHintWords(name: FieldNamer): HintWords {
  return commandHintWords(name);
}

/** Each distinct hint once, with its words. */
export function apiHints(hints: readonly Hint[], words: HintWords): ApiHint[] {
  const out = new Map<string, ApiHint>();
  for (const h of hints) {
    const w = words(h);
    out.set(`${h.kind}\n${w}`, { ...h, words: w });
  }
  return [...out.values()];
}

/**
 * An answer with every hinted text in the API's words; an object answer that holds hints also lists
 * them as data in `hints`.
 */
export function answered(method: string, value: unknown): unknown {
  const part = method === 'GET' ? 'query' : 'body';
  const words = apiHintWords((field) => `${part}.${field}`);
  const found: Hint[] = [];
  const out = wordedAll(value, words, found);
  if (found.length === 0 || typeof out !== 'object' || out === null || Array.isArray(out)) return out;
  return { ...out, hints: apiHints(found, words) };
}
