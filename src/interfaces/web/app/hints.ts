/**
 * The dashboard's words for hints (what to do next): the button or page that does it. Answers carry
 * their hints as data (`hints`, or an error's `hint`), each with the words it has in the answer's
 * texts; those words are put in the dashboard's.
 */
import type { ApiHint } from '../../http/contract/common.js';

/** The dashboard's words for a hint. */
export function dashboardHintWords(hint: ApiHint): string {
  switch (hint.kind) {
    case 'fetch-draws':
      return 'fetch them with the “Fetch the official results” button';
    // Draw files (rows) have that box on the Overview page; ticket files (lines) have none.
    case 'import-valid-rows':
      return '(tick “Import the valid rows, report the others” to import the valid rows)';
    case 'import-valid-lines':
      return '(correct or remove those lines and import again)';
    case 'overwrite-draw':
      return `(press Replace on that draw to store ${hint.with} instead)`;
    case 'force-activate':
      return hint.done
        ? 'activated by hand'
        : 'its Activate button in the versions table makes it active anyway';
    case 'train-model':
      return `train a model on the Models page${hint.for === 'ml-strategy' ? ' to use the ml strategy' : ''}`;
    case 'load-history':
      return 'load the draw history on the Overview page first';
    case 'evaluate':
      return '“Evaluate stored predictions” on the Evaluation page scores it';
  }
}

/** `text` (from an answer) with the words of each of the answer's `hints` in the dashboard's words. */
export function inDashboardWords(text: string, hints: readonly ApiHint[] | undefined): string {
  // Longest first: one hint's words may begin another's (`run pbi train`, `run pbi train first`).
  const byLength = [...(hints ?? [])].sort((a, b) => b.words.length - a.words.length);
  return byLength.reduce((t, hint) => t.split(hint.words).join(dashboardHintWords(hint)), text);
}
