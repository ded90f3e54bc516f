/**
 * Long work (searches, backtests, importance) runs as server-side jobs, so its result outlives the
 * page: on render a page lists its recent jobs, follows one still running, and shows the newest
 * finished result again.
 */
import { api } from './api.js';
import { errorBox, h, progressBar, table } from './ui.js';

export interface JobView<R = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly params: unknown;
  readonly status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  readonly progress: { readonly fraction: number; readonly message: string };
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly result: R | null;
  readonly error: { readonly message: string } | null;
}

const finished = (j: JobView) =>
  j.status === 'succeeded' || j.status === 'failed' || j.status === 'cancelled';

/**
 * A section body listing the recent jobs of `kind`; `showResult` draws a succeeded job's result
 * (the newest one at first, any other when its button is pressed).
 */
export function recentJobs<R>(
  kind: string,
  what: string,
  showResult: (job: JobView<R>, out: HTMLElement) => void,
): HTMLElement {
  const box = h('div', { 'data-testid': `recent-${kind}` });
  const out = h('div', {});
  void (async () => {
    try {
      const { jobs } = await api.get<{ jobs: JobView<R>[] }>('/jobs');
      const mine = jobs.filter((j) => j.kind === kind).slice(0, 10);
      if (mine.length === 0) {
        box.replaceChildren(h('p', { class: 'muted' }, `No ${what} has run since the server started.`));
        return;
      }
      const list = table(
        `Recent ${what}es, newest first`,
        [
          { head: 'Started', cell: (j: JobView<R>) => j.createdAt.slice(0, 19).replace('T', ' ') },
          { head: 'Status', cell: (j) => (finished(j) ? j.status : `${j.status}: ${j.progress.message}`) },
          {
            head: 'Result',
            cell: (j) =>
              j.status === 'succeeded'
                ? h(
                    'button',
                    { type: 'button', class: 'secondary', onclick: () => showResult(j, out) },
                    'Show',
                  )
                : j.status === 'failed'
                  ? (j.error?.message ?? 'failed')
                  : '–',
          },
        ],
        mine,
      );
      box.replaceChildren(list, out);
      const running = mine.find((j) => !finished(j));
      if (running) {
        const bar = progressBar(`Progress of the ${what}`);
        out.replaceChildren(bar.el);
        const done = await api.followJob<JobView<R>>(running.id, (j) =>
          bar.set(j.progress.fraction, j.progress.message),
        );
        if (done.status === 'succeeded') showResult(done, out);
        else out.replaceChildren(errorBox(new Error(done.error?.message ?? done.status)));
        return;
      }
      const last = mine.find((j) => j.status === 'succeeded');
      if (last) showResult(last, out);
    } catch (error) {
      box.replaceChildren(errorBox(error));
    }
  })();
  return box;
}
