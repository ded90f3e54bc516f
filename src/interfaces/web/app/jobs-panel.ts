/**
 * Long work (searches, backtests, importance) runs as server-side jobs, so its result outlives the
 * page: on render a page lists its recent jobs, follows one still running, and shows the newest
 * finished result again.
 */
import { api } from './api.js';
import { errorBox, h, progressBar, section, table } from './ui.js';

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

/** How a panel names its kind of work: "search" and "searches". */
export interface WorkName {
  readonly one: string;
  readonly many: string;
}

type JobProgress = Pick<JobView, 'progress'>;

/**
 * Starts a job with `start`, shows its progress (with a Cancel button) in `out` until it ends, and
 * resolves with the finished job, whatever its status. Rejects with what `start` threw.
 */
export async function runJob<J extends { readonly id: string } & JobProgress>(
  out: HTMLElement,
  label: string,
  start: () => Promise<J>,
): Promise<J> {
  const bar = progressBar(label);
  out.replaceChildren(bar.el);
  const job = await start();
  bar.cancellable(() => api.cancelJob(job.id));
  return api.followJob<J & { status: string }>(job.id, (j) =>
    bar.set(j.progress.fraction, j.progress.message),
  );
}

/**
 * A titled form that starts a job on submit: its progress shows in `out`, then `show` draws the
 * succeeded job there, or `out` says why it failed; the button is disabled meanwhile.
 */
export function jobForm<J extends { readonly id: string; readonly status: string } & JobProgress>(o: {
  readonly title: string;
  readonly intro: string;
  readonly label: string;
  readonly submit: string;
  readonly progress: string;
  readonly fields: readonly HTMLElement[];
  readonly out: HTMLElement;
  /** Shown in the section after the form (the result area, when it sits inside). */
  readonly after?: readonly HTMLElement[];
  readonly start: () => Promise<J>;
  readonly show: (job: J) => void;
}): HTMLElement {
  const button = h('button', { type: 'submit' }, o.submit);
  const submit = async (e: Event) => {
    e.preventDefault();
    button.disabled = true;
    try {
      const done = await runJob(o.out, o.progress, o.start);
      if (done.status === 'succeeded') o.show(done);
      else o.out.replaceChildren(errorBox(new Error(errorOf(done) ?? done.status)));
    } catch (error) {
      o.out.replaceChildren(errorBox(error));
    } finally {
      button.disabled = false;
    }
  };
  return section(
    o.title,
    h('p', { class: 'muted' }, o.intro),
    h('form', { class: 'row', 'aria-label': o.label, onsubmit: submit }, ...o.fields, button),
    ...(o.after ?? []),
  );
}

const errorOf = (job: object): string | undefined =>
  (job as { error?: { message?: string } | null }).error?.message;

/**
 * A section body listing the recent jobs of `kind`; `showResult` draws a succeeded job's result
 * (the newest one at first, any other when its button is pressed) into `out`: by default a box
 * below the list, or the page's own result area, which is filled only while it is still empty
 * (a job the user has just started there is not replaced).
 */
export function recentJobs<R>(
  kind: string,
  what: WorkName,
  showResult: (job: JobView<R>, out: HTMLElement) => void,
  into?: HTMLElement,
): HTMLElement {
  const box = h('div', { 'data-testid': `recent-${kind}` });
  const own = into === undefined;
  const out = into ?? h('div', {});
  const showFirst = (job: JobView<R>) => {
    if (own || out.childElementCount === 0) showResult(job, out);
  };
  void (async () => {
    try {
      const { jobs } = await api.get<{ jobs: JobView<R>[] }>('/jobs');
      const mine = jobs.filter((j) => j.kind === kind).slice(0, 10);
      if (mine.length === 0) {
        box.replaceChildren(h('p', { class: 'muted' }, `No ${what.one} has run since the server started.`));
        return;
      }
      const list = table(
        `Recent ${what.many}, newest first`,
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
      box.replaceChildren(list, ...(own ? [out] : []));
      const running = mine.find((j) => !finished(j));
      if (running) {
        const bar = progressBar(`Progress of the ${what.one}`);
        if (own || out.childElementCount === 0) out.replaceChildren(bar.el);
        const done = await api.followJob<JobView<R>>(running.id, (j) =>
          bar.set(j.progress.fraction, j.progress.message),
        );
        if (!bar.el.isConnected) return;
        if (done.status === 'succeeded') showResult(done, out);
        else out.replaceChildren(errorBox(new Error(done.error?.message ?? done.status)));
        return;
      }
      const last = mine.find((j) => j.status === 'succeeded');
      if (last) showFirst(last);
    } catch (error) {
      box.replaceChildren(errorBox(error));
    }
  })();
  return box;
}
