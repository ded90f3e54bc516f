/**
 * The forms that change the history: enter or replace one draw, import a file after previewing
 * what it would change, and the export downloads.
 */
import type { AddDrawReport, Draw, ImportReport } from '../../../http/contract/draws.js';
import { api, ApiError } from '../api.js';
import { focusResult } from '../page-kit.js';
import { balls, errorBox, field, fmtDate, fmtInt, h, section, table } from '../ui.js';

export interface DrawFormApi {
  readonly el: HTMLElement;
  /** Fills the form with a stored draw, set to replace it, and moves focus there. */
  edit(draw: Draw): void;
}

const numberInput = (name: string, label: string, max: number) =>
  h('input', {
    name,
    type: 'number',
    min: 1,
    max,
    required: true,
    inputmode: 'numeric',
    'aria-label': label,
    class: 'ball-input',
  });

/** Enter a draw by hand, or replace a stored one (the same form, with "replace" ticked). */
export function drawForm(onChange: () => void): DrawFormApi {
  const date = h('input', { name: 'date', type: 'date', required: true, min: '1992-04-22' });
  const whites = [1, 2, 3, 4, 5].map((i) => numberInput(`white${i}`, `White ball ${i}`, 70));
  const powerball = numberInput('powerball', 'Powerball', 45);
  const multiplier = h('input', {
    name: 'multiplier',
    type: 'number',
    min: 1,
    max: 10,
    inputmode: 'numeric',
    placeholder: 'unknown',
  });
  const replace = h('input', { type: 'checkbox', name: 'replace', id: 'draw-replace' });
  const result = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit' }, 'Save the draw');
  const form = h(
    'form',
    {
      class: 'row',
      'aria-label': 'Enter a draw',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        button.disabled = true;
        const numbers = {
          whites: whites.map((w) => Number(w.value)),
          powerball: Number(powerball.value),
          multiplier: multiplier.value.trim() === '' ? null : Number(multiplier.value),
        };
        try {
          const report = replace.checked
            ? await api.put<AddDrawReport>(`/draws/${date.value}`, numbers)
            : await api.post<AddDrawReport>('/draws', { date: date.value, ...numbers });
          const done = h(
            'p',
            { role: 'status', 'data-testid': 'draw-saved' },
            report.status === 'unchanged'
              ? `The draw of ${fmtDate(report.draw.date)} is already stored with these numbers.`
              : `${report.status === 'inserted' ? 'Stored' : 'Replaced'} the draw of ${fmtDate(report.draw.date)}: `,
            report.status === 'unchanged' ? null : balls(report.draw.whites, report.draw.powerball),
            report.playsChecked > 0 ? ` ${report.playsChecked} played ticket(s) checked against it.` : null,
          );
          result.replaceChildren(done);
          focusResult(done);
          onChange();
        } catch (error) {
          const box =
            error instanceof ApiError && error.code === 'CONFLICT'
              ? h(
                  'div',
                  { class: 'error', role: 'alert' },
                  h('strong', {}, `A draw with other numbers is stored for ${fmtDate(date.value)}.`),
                  h('p', {}, 'Tick “Replace the stored draw” and save again to replace it.'),
                )
              : errorBox(error);
          result.replaceChildren(box);
          focusResult(box);
        } finally {
          button.disabled = false;
        }
      },
    },
    field('Draw date', date),
    h(
      'fieldset',
      { class: 'balls-input' },
      h('legend', {}, 'White balls and Powerball'),
      ...whites,
      powerball,
    ),
    field('Power Play', multiplier, 'leave empty when unknown'),
    h(
      'div',
      { class: 'field check' },
      h('label', { for: 'draw-replace' }, replace, ' Replace the stored draw of that date'),
    ),
    button,
  );
  const el = section('Enter or replace a draw', form, result);
  return {
    el,
    edit(draw) {
      date.value = draw.date;
      draw.whites.forEach((w, i) => {
        const input = whites[i];
        if (input) input.value = String(w);
      });
      powerball.value = String(draw.powerball);
      multiplier.value = draw.multiplier === null ? '' : String(draw.multiplier);
      replace.checked = true;
      result.replaceChildren(
        h('p', { class: 'muted' }, `Editing the draw of ${fmtDate(draw.date)}: change its numbers and save.`),
      );
      date.focus();
    },
  };
}

/** Counts of what an import did or would do, and the refused and conflicting rows. */
function importSummary(r: ImportReport, preview: boolean): HTMLElement {
  const verb = preview ? 'would be' : 'were';
  return h(
    'div',
    { 'data-testid': preview ? 'import-preview' : 'import-done' },
    h(
      'p',
      {},
      `${r.source}: ${fmtInt(r.rows)} rows. ${fmtInt(r.inserted)} new, ${fmtInt(r.updated)} changed draws ${verb} stored; ` +
        `${fmtInt(r.unchanged)} unchanged; ${r.conflicts.length} differ from the stored draw (kept unless replaced); ` +
        `${r.rejected.length} refused.`,
    ),
    r.rejected.length > 0
      ? table(
          `Refused rows (${r.rejected.length})`,
          [
            { head: 'Line', numeric: true, cell: (x: ImportReport['rejected'][number]) => x.line },
            { head: 'Why', cell: (x) => x.reason },
          ],
          r.rejected.slice(0, 100),
        )
      : null,
    r.conflicts.length > 0
      ? table(
          `Rows that differ from the stored draw (${r.conflicts.length})`,
          [
            { head: 'Date', cell: (x: ImportReport['conflicts'][number]) => x.date },
            { head: 'Stored', cell: (x) => balls(x.stored.whites, x.stored.powerball) },
            { head: 'In the file', cell: (x) => balls(x.incoming.whites, x.incoming.powerball) },
          ],
          r.conflicts.slice(0, 100),
        )
      : null,
  );
}

/** Upload a file, see what it would change, then import it. */
export function importCard(onChange: () => void): HTMLElement {
  const file = h('input', {
    type: 'file',
    name: 'file',
    accept: '.csv,.json,.txt,text/csv,application/json',
    required: true,
  });
  const format = h(
    'select',
    { name: 'format' },
    ...[
      ['auto', 'detect'],
      ['ny', 'NY open data'],
      ['csv', 'CSV, one column per ball'],
      ['json', 'JSON'],
    ].map(([v, t]) => h('option', { value: v }, t)),
  );
  const overwrite = h('input', { type: 'checkbox', name: 'overwrite', id: 'import-overwrite' });
  const result = h('div', { 'aria-live': 'polite' });
  const previewButton = h('button', { type: 'submit' }, 'Preview the import');
  const send = (dryRun: boolean) => {
    const chosen = file.files?.[0];
    if (!chosen) throw new Error('Choose a draw file first.');
    const body = new FormData();
    body.set('file', chosen);
    return api.post<ImportReport>('/draws/import', body, {
      format: format.value,
      skipInvalid: true,
      overwrite: overwrite.checked,
      dryRun,
    });
  };
  const show = (el: HTMLElement) => {
    result.replaceChildren(el);
    focusResult(el);
  };
  const form = h(
    'form',
    {
      class: 'row',
      'aria-label': 'Import a draw file',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        previewButton.disabled = true;
        try {
          const preview = await send(true);
          const changes = preview.inserted + preview.updated;
          const apply = h(
            'button',
            { type: 'button', disabled: changes === 0 },
            changes === 0 ? 'Nothing to import' : `Import ${fmtInt(changes)} draw(s)`,
          );
          apply.addEventListener('click', () => {
            apply.disabled = true;
            send(false)
              .then((done) => {
                show(h('div', { role: 'status' }, h('p', {}, 'Imported.'), importSummary(done, false)));
                onChange();
              })
              .catch((error: unknown) => show(errorBox(error)));
          });
          show(
            h(
              'div',
              {},
              importSummary(preview, true),
              h('p', { class: 'muted' }, 'Nothing is written until you import.'),
              apply,
            ),
          );
        } catch (error) {
          show(errorBox(error));
        } finally {
          previewButton.disabled = false;
        }
      },
    },
    field('Draw file', file, 'NY open-data CSV, the draws CSV, a legacy CSV or JSON'),
    field('Format', format),
    h(
      'div',
      { class: 'field check' },
      h('label', { for: 'import-overwrite' }, overwrite, ' Replace stored draws the file disagrees with'),
    ),
    previewButton,
  );
  return section('Import draws', form, result);
}

/** The history as files another tool (or this one) reads back. */
export function exportCard(): HTMLElement {
  return section(
    'Export the history',
    h(
      'p',
      {},
      h(
        'a',
        { href: '/api/draws/export/csv', download: 'powerball-draws.csv', class: 'button' },
        'Download CSV',
      ),
      ' ',
      h(
        'a',
        { href: '/api/draws/export/json', download: 'powerball-draws.json', class: 'button' },
        'Download JSON',
      ),
    ),
    h('p', { class: 'muted' }, 'Every stored draw, oldest first; both files can be imported again.'),
  );
}
