/**
 * Hints (what to do next) are data a service says; each interface words each kind its own way:
 * the command line as its command or flag, the API with its field names (and the hint as data),
 * the dashboard as the button or page. A pure check of each wording function, per kind.
 */
import { describe, expect, it } from 'vitest';
import { type Hint, Hinted, revived, said } from '../../src/domain/hints.js';
import { PbiError } from '../../src/domain/errors.js';
import { cliHintWords, inCliWords } from '../../src/interfaces/cli/hints.js';
import { answered, apiHintWords } from '../../src/interfaces/http/hints.js';
import { dashboardHintWords, inDashboardWords } from '../../src/interfaces/web/app/hints.js';

// kind → [command line, API (body fields), dashboard]
const CASES: readonly [Hint, string, string, string][] = [
  [
    { kind: 'fetch-draws' },
    'fetch them with `pbi draws update` or the dashboard’s “Fetch the official results” button',
    'fetch them with `pbi draws update` or the dashboard’s “Fetch the official results” button',
    'fetch them with the “Fetch the official results” button',
  ],
  [
    { kind: 'import-valid-rows' },
    '(use --skip-invalid to import the valid rows)',
    '(use body.skipInvalid to import the valid rows)',
    '(tick “Import the valid rows, report the others” to import the valid rows)',
  ],
  [
    { kind: 'import-valid-lines' },
    '(use --skip-invalid to import the valid lines)',
    '(use body.skipInvalid to import the valid lines)',
    '(correct or remove those lines and import again)',
  ],
  [
    { kind: 'overwrite-draw', with: '1 2 3 4 5 PB 6' },
    '(use --overwrite to replace it with 1 2 3 4 5 PB 6)',
    '(use body.overwrite to replace it with 1 2 3 4 5 PB 6)',
    '(press Replace on that draw to store 1 2 3 4 5 PB 6 instead)',
  ],
  [
    { kind: 'force-activate' },
    '--activate forces it',
    '--activate forces it',
    'its Activate button in the versions table makes it active anyway',
  ],
  [
    { kind: 'force-activate', done: true },
    'activated by --activate',
    'activated by --activate',
    'activated by hand',
  ],
  [{ kind: 'train-model' }, 'run `pbi train`', 'run `pbi train`', 'train a model on the Models page'],
  [
    { kind: 'train-model', first: true },
    'run `pbi train` first',
    'run `pbi train` first',
    'train a model on the Models page',
  ],
  [
    { kind: 'train-model', for: 'ml-strategy' },
    'run `pbi train` to use the ml strategy',
    'run `pbi train` to use the ml strategy',
    'train a model on the Models page to use the ml strategy',
  ],
  [
    { kind: 'load-history' },
    'run `pbi init` or `pbi draws import FILE` first',
    'run `pbi init` or `pbi draws import FILE` first',
    'load the draw history on the Overview page first',
  ],
  [
    { kind: 'evaluate' },
    '`pbi evaluate` scores it',
    '`pbi evaluate` scores it',
    '“Evaluate stored predictions” on the Evaluation page scores it',
  ],
];

describe('each interface words each hint', () => {
  it.each(CASES)('%j', (hint, cli, api, dashboard) => {
    expect(cliHintWords(hint)).toBe(cli);
    const apiWords = apiHintWords((field) => `body.${field}`);
    expect(apiWords(hint)).toBe(api);
    expect(dashboardHintWords({ ...hint, words: api })).toBe(dashboard);
    // The dashboard finds the API's words in a text by the hint the answer carries.
    const text = said`before ${hint} after`;
    const fromApi = typeof text === 'string' ? text : text.worded(apiWords);
    expect(inDashboardWords(fromApi, [{ ...hint, words: api }])).toBe(`before ${dashboard} after`);
    expect(inCliWords({ notes: [text] }).notes[0]).toBe(`before ${cli} after`);
  });
});

describe('the API hands hints over as data', () => {
  it('words hinted texts of an answer and lists their hints once', () => {
    const report = {
      notes: [
        said`no trained model is active; ${{ kind: 'train-model' }}`,
        said`again ${{ kind: 'train-model' }}`,
      ],
      n: 1,
    };
    expect(answered('GET', report)).toEqual({
      notes: ['no trained model is active; run `pbi train`', 'again run `pbi train`'],
      n: 1,
      hints: [{ kind: 'train-model', words: 'run `pbi train`' }],
    });
    expect(answered('GET', { n: 1 })).toEqual({ n: 1 });
  });

  it('hands an answer without hints over as it is, not a copy of every row', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ id: i, whites: [1, 2, 3, 4, 5] }));
    const page = { rows, total: rows.length };
    expect(answered('GET', page)).toBe(page);
    const withNote = { rows, note: said`${{ kind: 'evaluate' }}` };
    const out = answered('GET', withNote) as { rows: unknown; note: string };
    expect(out.rows).toBe(rows);
    expect(out.note).toBe('`pbi evaluate` scores it');
  });

  it('an error keeps its hint as data once worded', () => {
    const e = new PbiError('INSUFFICIENT_DATA', said`no draws are stored; ${{ kind: 'load-history' }}`);
    expect(e.hint).toEqual({ kind: 'load-history' });
    expect(e.message).toBe('no draws are stored; load the draw history first');
    const cli = e.inWords(cliHintWords);
    expect(cli.message).toBe('no draws are stored; run `pbi init` or `pbi draws import FILE` first');
    expect(cli.hint).toEqual({ kind: 'load-history' });
    expect(cli.inWords(() => 'other')).toBe(cli);
  });
});

describe('hinted texts across a worker thread', () => {
  it('come back as hinted texts from a structured clone', () => {
    const text = said`no draws are stored; ${{ kind: 'load-history' }}`;
    const back = revived(structuredClone({ result: { notes: [text, 'plain'] } }));
    expect(back.result.notes[0]).toBeInstanceOf(Hinted);
    expect(inCliWords(back).result.notes).toEqual([
      'no draws are stored; run `pbi init` or `pbi draws import FILE` first',
      'plain',
    ]);
  });
});
