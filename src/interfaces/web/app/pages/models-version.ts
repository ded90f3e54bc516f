/**
 * One model version in full: hyperparameters, the data it was trained on (digest), its verdict
 * against the baselines, its lineage (the run that trained it and the search it came from), the
 * moves of its aliases; and its feature importance, computed as a job whose result stays on the
 * server, so it is shown again when the user comes back.
 */
import type { JobOf } from '../../../http/contract/jobs.js';
import type { FeatureScore, ImportanceReport, VersionDetails } from '../../../http/contract/models.js';
import { api } from '../api.js';
import { focusResult } from '../page-kit.js';
import { errorBox, fmt, h, load, progressBar, section, table } from '../ui.js';

type ImportanceJob = JobOf<ImportanceReport>;

const paramText = (v: unknown) =>
  v === null ? 'none' : typeof v === 'object' ? JSON.stringify(v) : String(v);

export async function showVersionDetails(el: HTMLElement, name: string, version: number): Promise<void> {
  await load(el, async () => {
    const d = await api.get<VersionDetails>(`/models/${encodeURIComponent(name)}/versions/${version}`);
    const v = d.version;
    const params = Object.entries(v.hyperparameters);
    const run = d.run;
    el.replaceChildren(
      section(
        `${name} v${version}: details and lineage`,
        h(
          'dl',
          { class: 'facts', 'data-testid': 'version-facts' },
          h('dt', {}, 'Kind'),
          h('dd', {}, `${v.kind} (${v.source})`),
          h('dt', {}, 'Verdict'),
          h('dd', { 'data-testid': 'version-verdict' }, v.verdict.text),
          h('dt', {}, 'Trained on'),
          h(
            'dd',
            {},
            v.trainingData
              ? `${v.trainingData.rows} rows${v.trainingData.firstDate ? ` from ${v.trainingData.firstDate} to ${v.trainingData.lastDate ?? '?'}` : ''}`
              : 'unknown',
          ),
          h('dt', {}, 'Data digest'),
          h(
            'dd',
            { 'data-testid': 'data-digest' },
            run?.dataDigest
              ? [h('code', {}, run.dataDigest), ` (sha256 of the ${run.nDraws ?? '?'} draws it saw)`]
              : 'not recorded (a migrated version)',
          ),
          h('dt', {}, 'Seed'),
          h('dd', {}, v.seed === null ? 'unknown' : String(v.seed)),
          h('dt', {}, 'Features'),
          h('dd', {}, String(v.featureNames.length)),
          h('dt', {}, 'Aliases now'),
          h('dd', {}, d.aliases.length ? d.aliases.join(', ') : 'none'),
          h('dt', {}, 'Lineage'),
          h(
            'dd',
            { 'data-testid': 'lineage' },
            run
              ? `trained by ${run.kind} run #${run.id} (experiment ${run.experiment}, ${run.startedAt.slice(0, 19).replace('T', ' ')})` +
                  (d.parentRun ? `, a trial of ${d.parentRun.kind} run #${d.parentRun.id}` : '')
              : 'no tracked run (migrated or trained before runs were tracked)',
          ),
        ),
        params.length === 0
          ? h('p', { class: 'muted' }, 'No hyperparameters recorded.')
          : table(
              `Hyperparameters of ${name} v${version}`,
              [
                { head: 'Name', cell: (p: [string, unknown]) => h('code', {}, p[0]) },
                { head: 'Value', cell: (p) => paramText(p[1]) },
              ],
              params,
            ),
        d.aliasEvents.length === 0
          ? h('p', { class: 'muted' }, 'No alias has pointed at this version yet.')
          : table(
              `Alias history of ${name} v${version}`,
              [
                {
                  head: 'When',
                  cell: (e: VersionDetails['aliasEvents'][number]) => e.at.slice(0, 19).replace('T', ' '),
                },
                { head: 'Alias', cell: (e) => e.alias },
                {
                  head: 'Move',
                  cell: (e) =>
                    `${e.previousVersion === null ? 'none' : `v${e.previousVersion}`} → ${e.version === null ? 'removed' : `v${e.version}`}`,
                },
                { head: 'Note', cell: (e) => e.note ?? '' },
              ],
              d.aliasEvents,
            ),
      ),
    );
  });
}

function scoreTable(caption: string, scores: readonly FeatureScore[]): HTMLElement {
  const top = scores.slice(0, 20);
  const max = Math.max(1e-12, ...top.map((s) => Math.abs(s.importance)));
  return table(
    caption,
    [
      { head: 'Feature', cell: (s: FeatureScore) => h('code', {}, s.feature) },
      {
        head: 'Importance',
        numeric: true,
        cell: (s) => `${fmt(s.importance, 5)}${s.std > 0 ? ` ± ${fmt(s.std, 5)}` : ''}`,
      },
      {
        head: 'Relative',
        cell: (s) =>
          h(
            'span',
            { class: 'contrib', 'aria-hidden': 'true' },
            h('span', { style: `width:${(Math.max(0, s.importance) / max) * 100}%;background:#1f5fa8` }),
          ),
      },
    ],
    top,
  );
}

function importanceTables(r: ImportanceReport): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'importance-result' },
    r.permutation
      ? scoreTable(
          `The 20 most important features by permutation (MAE ${fmt(r.permutation.baselineMae, 3)} before shuffling)`,
          r.permutation.scores,
        )
      : h('p', {}, `No permutation importance: ${r.permutationNote ?? 'not available'}.`),
    r.impurity
      ? scoreTable('The 20 most important features by impurity', r.impurity)
      : h('p', { class: 'muted' }, r.impurityNote ?? ''),
  );
}

/** Follows an importance job to its end and shows its result. */
async function followImportance(out: HTMLElement, jobId: string, focus: boolean): Promise<void> {
  const bar = progressBar('Feature importance progress');
  out.replaceChildren(bar.el);
  bar.cancellable(() => api.cancelJob(jobId));
  const done = await api.followJob<ImportanceJob>(jobId, (j) =>
    bar.set(j.progress.fraction, j.progress.message),
  );
  const shown =
    done.status !== 'succeeded' || !done.result
      ? errorBox(new Error(done.error?.message ?? `importance ${done.status}`))
      : importanceTables(done.result);
  out.replaceChildren(shown);
  if (focus) focusResult(shown);
}

/**
 * Feature importance of one version, computed on demand (it refits the model on the last fold).
 * `jobs` are the server's recent jobs: this version's importance job still running is followed, else
 * its newest result is shown again.
 */
export function importanceSection(
  name: string,
  version: number,
  jobs: readonly JobOf<unknown>[],
): HTMLElement {
  const ref = `${name}@${version}`;
  const out = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button' }, `Compute feature importance of ${name} v${version}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const job = await api.post<ImportanceJob>(`/models/${encodeURIComponent(ref)}/importance`, {
        repeats: 3,
      });
      await followImportance(out, job.id, true);
    } catch (error) {
      const box = errorBox(error);
      out.replaceChildren(box);
      focusResult(box);
    } finally {
      button.disabled = false;
    }
  });
  // A run still going is followed; otherwise the newest that succeeded is shown, even when a later
  // one failed or was cancelled.
  const mine = jobs.filter(
    (j) => j.kind === 'importance' && (j.params as { model?: string } | null)?.model === ref,
  );
  const running = mine.find((j) => j.status === 'queued' || j.status === 'running');
  const last = mine.find((j) => j.status === 'succeeded' && j.result);
  if (running)
    void followImportance(out, running.id, false).catch((error: unknown) =>
      out.replaceChildren(errorBox(error)),
    );
  else if (last)
    out.replaceChildren(
      h('p', { class: 'muted' }, `Computed ${last.finishedAt?.slice(0, 19).replace('T', ' ') ?? ''}:`),
      importanceTables(last.result as ImportanceReport),
    );
  return section(
    `${name} v${version}: feature importance`,
    h(
      'p',
      { class: 'muted' },
      'Permutation importance: how much the error on the last walk-forward fold grows when one feature is shuffled. Impurity importance for tree models.',
    ),
    button,
    out,
  );
}
