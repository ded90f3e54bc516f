/**
 * Ask the numbers: a question in plain English, answered by the server from the stored draws with
 * the code of `pbi analyze` (one sentence, the figures beside their chance values, the command that
 * reproduces them). Example questions are one click away; a refused question offers the nearest
 * forms understood, also clickable.
 */
import { api, ApiError } from '../api.js';
import { errorBox, field, fmt, h, load, section, table } from '../ui.js';

interface Figure {
  name: string;
  value: number | string | number[] | string[] | null;
  chance: number | null;
  era: string | null;
}
interface Answer {
  question: string;
  query: { kind: string };
  path: { kind: 'parser' } | { kind: 'model'; endpoint: string; model: string; hosted: boolean };
  sentence: string;
  figures: Figure[];
  command: string | null;
  note: string;
}
interface Examples {
  examples: string[];
  model: { configured: boolean; endpoint: string | null; model: string | null; hosted: boolean };
}

function value(v: Figure['value']): string {
  if (v === null) return '–';
  if (Array.isArray(v)) return v.join(', ');
  return typeof v === 'number' ? fmt(v, v !== 0 && Math.abs(v) < 0.01 ? 6 : 2) : v;
}

function renderAnswer(a: Answer): HTMLElement {
  const path =
    a.path.kind === 'parser'
      ? 'Read by the built-in parser: nothing left this machine.'
      : `Translated into a query by the language model ${a.path.model} at ${a.path.endpoint}${a.path.hosted ? ' (a hosted service: the question text was sent there)' : ''}; every figure was computed here.`;
  return h(
    'div',
    { 'data-testid': 'ask-answer' },
    h('p', { class: 'big-answer', 'data-testid': 'ask-sentence' }, a.sentence),
    a.figures.length > 0
      ? table<Figure>(
          'Figures of the answer, each beside its value by chance',
          [
            { head: 'figure', cell: (f) => f.name },
            { head: 'era from', cell: (f) => f.era ?? 'whole period' },
            { head: 'value', cell: (f) => value(f.value), numeric: true },
            { head: 'by chance', cell: (f) => (f.chance === null ? '–' : value(f.chance)), numeric: true },
          ],
          a.figures,
        )
      : null,
    a.command ? h('p', {}, 'Reproduce with ', h('code', { 'data-testid': 'ask-command' }, a.command)) : null,
    h('p', { class: 'muted', 'data-testid': 'ask-path' }, path),
    h('p', { class: 'note' }, /^.*?\.(?= |$)/.exec(a.note)?.[0] ?? a.note),
  );
}

function exampleButtons(questions: readonly string[], ask: (q: string) => void, label: string): HTMLElement {
  return h(
    'ul',
    { class: 'examples', 'aria-label': label },
    ...questions.map((q) =>
      h('li', {}, h('button', { type: 'button', class: 'secondary example', onclick: () => ask(q) }, q)),
    ),
  );
}

export async function renderAsk(root: HTMLElement): Promise<void> {
  const input = h('input', {
    type: 'text',
    name: 'question',
    maxlength: 300,
    autocomplete: 'off',
    required: true,
    placeholder: 'How often has 23 been drawn since March 2020?',
  });
  input.classList.add('question');
  const submit = h('button', { type: 'submit' }, 'Ask');
  const result = h('div', { 'aria-live': 'polite', 'data-testid': 'ask-result' });
  const examples = h('div', {});

  const ask = async (question: string): Promise<void> => {
    input.value = question;
    submit.disabled = true;
    result.replaceChildren(h('p', { class: 'muted', role: 'status' }, 'Working…'));
    try {
      result.replaceChildren(renderAnswer(await api.post<Answer>('/ask', { question })));
    } catch (error) {
      const tries = error instanceof ApiError ? error.issues.filter((i) => i.where === 'try') : [];
      const shown =
        error instanceof ApiError
          ? new ApiError(
              error.status,
              error.code,
              error.message,
              error.issues.filter((i) => i.where !== 'try'),
            )
          : error;
      result.replaceChildren(
        h(
          'div',
          { 'data-testid': 'ask-refusal' },
          errorBox(shown, () => void ask(question)),
          tries.length > 0
            ? h(
                'div',
                {},
                h('p', {}, 'Questions of the forms understood:'),
                exampleButtons(
                  tries.map((t) => t.reason),
                  (q) => void ask(q),
                  'Suggested questions',
                ),
              )
            : null,
        ),
      );
    } finally {
      submit.disabled = false;
    }
  };

  root.replaceChildren(
    section(
      'Ask a question',
      h(
        'p',
        { class: 'muted' },
        'Every figure in an answer is computed from the stored draws by the same code as the statistics pages, per rule era, beside what chance would give. Draws are independent: no answer predicts the next draw.',
      ),
      h(
        'form',
        {
          class: 'row',
          'aria-label': 'Ask a question about the draws',
          onsubmit: (e: Event) => {
            e.preventDefault();
            if (input.value.trim()) void ask(input.value);
          },
        },
        field('Your question', input, 'Plain English: a number, a period ("since 2020", "last 100 draws")…'),
        submit,
      ),
      result,
    ),
    section('Example questions', examples),
  );
  await load(examples, async () => {
    const ex = await api.get<Examples>('/ask/examples');
    examples.replaceChildren(
      exampleButtons(ex.examples, (q) => void ask(q), 'Example questions'),
      h(
        'p',
        { class: 'muted', 'data-testid': 'ask-model' },
        ex.model.configured
          ? `Questions the parser cannot read go to the language model ${ex.model.model} at ${ex.model.endpoint}${ex.model.hosted ? ' (hosted)' : ''}, which only translates them into a query.`
          : 'No language model is configured: questions are read by the built-in parser only.',
      ),
    );
  });
  const q = new URLSearchParams(location.hash.split('?')[1] ?? '').get('q');
  if (q) await ask(q);
}
