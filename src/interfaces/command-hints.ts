/**
 * The words the command line and the API share for hints (what to do next, domain/hints.ts): the
 * `pbi` command that does it, with request fields named by each interface (`--skip-invalid` on the
 * command line, `query.skipInvalid` in the API).
 */
import type { FieldNamer } from '../domain/errors.js';
import type { HintWords } from '../domain/hints.js';

export function commandHintWords(name: FieldNamer): HintWords {
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
