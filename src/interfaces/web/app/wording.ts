/**
 * The server's messages are shared with the command line and some end in a CLI hint (a flag, a
 * `pbi …` command). The dashboard shows them in its own words: the button or page that does it.
 */
const DASHBOARD_TERMS: readonly (readonly [RegExp, string])[] = [
  [
    /fetch them with `pbi draws update` or the dashboard’s “Fetch the official results” button/g,
    'fetch them with the “Fetch the official results” button',
  ],
  // Draw files (rows) have that box on the Overview page; ticket files (lines) have none.
  [
    /\(use (?:--skip-invalid|query\.skipInvalid|skipInvalid) to import the valid rows\)/g,
    '(tick “Import the valid rows, report the others” to import the valid rows)',
  ],
  [
    /\(use (?:--skip-invalid|query\.skipInvalid|skipInvalid) to import the valid lines\)/g,
    '(correct or remove those lines and import again)',
  ],
  [
    /\(use (?:--overwrite|body\.overwrite) to replace it with (.+)\)$/g,
    '(press Replace on that draw to store $1 instead)',
  ],
  [/; --activate forces it/g, '; its Activate button in the versions table makes it active anyway'],
  [/activated by --activate/g, 'activated by hand'],
  [/run `pbi train`(?: first)?( to use the ml strategy)?/g, 'train a model on the Models page$1'],
  [/run `pbi init` or `pbi draws import FILE` first/g, 'load the draw history on the Overview page first'],
  [/`pbi evaluate` scores it/g, '“Evaluate stored predictions” on the Evaluation page scores it'],
];

/** `text` with every CLI hint the dashboard knows put in the dashboard's words. */
export function inDashboardTerms(text: string): string {
  return DASHBOARD_TERMS.reduce((t, [cli, words]) => t.replace(cli, words), text);
}
