/**
 * The API's words for hints (what to do next, domain/hints.ts): the command line's, with request
 * fields named where this request sends them (`query.skipInvalid`, `body.overwrite`). Answers carry
 * the hints as data too, `{ kind, …, words }`, `words` being the phrase in the text that says it.
 */
import type { FieldNamer } from '../../domain/errors.js';
import { type Hint, type HintWords, wordedAll } from '../../domain/hints.js';

/** A hint as an API answer carries it. */
export type ApiHint = Hint & { readonly words: string };

/** The API's words for a hint, naming request fields with `name`. */
export function apiHintWords(name: FieldNamer): HintWords {
  return (hint) => {
    switch (hint.kind) {
      case 'fetch-draws':
        return 'fetch them with `pbi draws update` or the dashboard’s “Fetch the official results” button';
      case 'import-valid-rows':
        return `(use ${name('skipInvalid')} to import the valid rows)`;
      case 'import-valid-lines':
        return `(use ${name('skipInvalid')} to import the valid lines)`;
      case 'overwrite-draw':
        return `(use ${name('overwrite')} to replace it with ${hint.with})`;
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
