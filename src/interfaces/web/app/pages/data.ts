/**
 * Data: the database file (size, draws), its integrity check, and backups (list, make one).
 */
import type { BackupReport, DatabaseStatus, IntegrityReport } from '../../../http/contract/data.js';
import { api } from '../api.js';
import { actionButton, focusResult } from '../page-kit.js';
import { fmtInt, h, load, section, table } from '../ui.js';
import '../data-pages.css';

/** "1.4 MB" */
export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

export async function renderData(root: HTMLElement): Promise<void> {
  const status = h('div', {});
  root.replaceChildren(status, checkCard());
  await showStatus(status);
}

async function showStatus(el: HTMLElement, focus?: HTMLElement): Promise<void> {
  await load(el, async () => {
    const s = await api.get<DatabaseStatus>('/data');
    const backupResult = h('div', { 'aria-live': 'polite' });
    const button = actionButton(
      'Make a backup now',
      backupResult,
      'Writing the backup…',
      () => api.post<BackupReport>('/data/backups'),
      (b) => {
        const done = h(
          'p',
          { role: 'status', 'data-testid': 'backup-done' },
          `Backup written: ${b.file} (${fmtBytes(b.bytes)}, ${fmtInt(b.draws)} draws read back from it)` +
            (b.removed.length > 0 ? `; ${b.removed.length} older backup(s) removed.` : '.'),
        );
        void showStatus(el, done);
        return null;
      },
    );
    if (focus) backupResult.replaceChildren(focus);
    el.replaceChildren(
      section(
        'Database',
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'File'),
          h('dd', {}, h('code', {}, s.database)),
          h('dt', {}, 'Size'),
          h('dd', { 'data-testid': 'db-size' }, fmtBytes(s.bytes + s.walBytes)),
          h('dt', {}, 'Draws stored'),
          h('dd', {}, fmtInt(s.draws)),
        ),
      ),
      section(
        'Backups',
        h(
          'p',
          { class: 'muted' },
          `Consistent copies written while the server keeps working, into ${s.backupDir}; the newest ${s.backupKeep} are kept.`,
        ),
        button,
        backupResult,
        s.backups.length === 0
          ? h(
              'p',
              { 'data-testid': 'no-backups' },
              'No backup has been made yet. Make one with the button above.',
            )
          : table(
              `Backups, newest first (${s.backups.length})`,
              [
                {
                  head: 'Made',
                  cell: (b: DatabaseStatus['backups'][number]) => b.createdAt.slice(0, 19).replace('T', ' '),
                },
                { head: 'File', cell: (b) => h('code', {}, b.file.split(/[\\/]/).pop() ?? b.file) },
                { head: 'Size', numeric: true, cell: (b) => fmtBytes(b.bytes) },
              ],
              s.backups,
            ),
      ),
    );
    if (focus) focusResult(focus);
  });
}

function checkCard(): HTMLElement {
  const result = h('div', { 'aria-live': 'polite' });
  const button = actionButton(
    'Check the database',
    result,
    'Checking every table…',
    () => api.get<IntegrityReport>('/data/check'),
    (r) =>
      h(
        'div',
        { 'data-testid': 'check-result', role: 'status' },
        h(
          'p',
          {},
          h('strong', {}, r.ok ? 'The database is sound' : `${r.problems.length} problem(s) found`),
          r.ok ? ': SQLite’s integrity check, the foreign keys and every rule of the stored data pass.' : ':',
        ),
        r.problems.length > 0 ? h('ul', {}, ...r.problems.map((p) => h('li', {}, p))) : null,
        r.notes && r.notes.length > 0
          ? h('ul', { class: 'muted' }, ...r.notes.map((n) => h('li', {}, n)))
          : null,
      ),
  );
  return section(
    'Integrity check',
    h(
      'p',
      { class: 'muted' },
      'SQLite’s own check, the foreign keys, and every rule the stored draws, models, predictions and tickets must keep.',
    ),
    button,
    result,
  );
}
