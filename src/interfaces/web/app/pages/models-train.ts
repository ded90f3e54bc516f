/**
 * The train form: model, folds, seed, and every hyperparameter of the chosen model, generated from
 * the server's description of them (GET /api/train/hyperparameters), so a new hyperparameter shows
 * up here without touching the page.
 */
import type { ApiHint } from '../../../http/contract/common.js';
import type { HyperparameterSpec, Hyperparameters, TrainReport } from '../../../http/contract/models.js';
import type { JobOf } from '../../../http/contract/jobs.js';
import { api } from '../api.js';
import { inDashboardWords } from '../hints.js';
import { focusResult } from '../page-kit.js';
import { errorBox, field, fmt, h, progressBar, section } from '../ui.js';

export type TrainJob = JobOf<TrainReport>;

/** "Registered ridge v1 (CV MAE 8.123, alpha 10 chosen by nested time-series CV): …". */
export function trainResult(report: TrainReport | null, hints?: readonly ApiHint[]): HTMLElement {
  const models = report?.models ?? [];
  return h(
    'p',
    { role: 'status', 'data-testid': 'train-result' },
    'Registered ',
    models
      .map(
        (m) =>
          `${m.name} v${m.version} (CV MAE ${fmt(m.cv.mae, 3)}${
            m.alphaSelection ? `, alpha ${m.alphaSelection.alpha} chosen by nested time-series CV` : ''
          }): ${inDashboardWords(m.activation, hints)}`,
      )
      .join('; '),
    '.',
  );
}

/** Shows a train job's progress until it ends, then its result (or why it failed). */
export async function followTrain(status: HTMLElement, jobId: string, onTrained: () => void): Promise<void> {
  const bar = progressBar('Training progress');
  status.replaceChildren(bar.el);
  bar.cancellable(() => api.cancelJob(jobId));
  const done = await api.followJob<TrainJob>(jobId, (j) => bar.set(j.progress.fraction, j.progress.message));
  const out =
    done.status === 'succeeded'
      ? trainResult(done.result, done.hints)
      : errorBox(new Error(inDashboardWords(done.error?.message ?? `training ${done.status}`, done.hints)));
  status.replaceChildren(out);
  focusResult(out);
  if (done.status === 'succeeded') onTrained();
}

function paramControl(spec: HyperparameterSpec): HTMLElement {
  const id = `hp-${spec.name}`;
  const defaultText = spec.default === null ? 'none' : String(spec.default);
  if (spec.type === 'boolean') {
    return field(
      spec.name,
      h(
        'select',
        { id, name: spec.name, 'data-param': spec.name },
        h('option', { value: '' }, `default (${defaultText})`),
        h('option', { value: 'true' }, 'true'),
        h('option', { value: 'false' }, 'false'),
      ),
      spec.description,
    );
  }
  const words = [...spec.choices, ...(spec.nullable ? ['none'] : [])];
  const numeric = words.length === 0;
  const bounds =
    spec.min !== null || spec.max !== null
      ? `${spec.type === 'integer' ? 'whole number' : 'number'} ${spec.min ?? '−∞'} to ${spec.max ?? '∞'}`
      : '';
  const hint = [
    spec.description,
    bounds,
    words.length ? `or ${words.join(' / ')}` : '',
    spec.log ? 'log scale: try powers of ten' : '',
  ]
    .filter((x) => x !== '')
    .join('; ');
  const input = h('input', {
    id,
    name: spec.name,
    'data-param': spec.name,
    type: numeric ? 'number' : 'text',
    inputmode: 'decimal',
    placeholder: `default ${defaultText}`,
    ...(numeric && spec.min !== null ? { min: spec.min } : {}),
    ...(numeric && spec.max !== null ? { max: spec.max } : {}),
    ...(numeric ? { step: spec.type === 'integer' ? 1 : 'any' } : {}),
    autocomplete: 'off',
  });
  return field(spec.name, input, hint);
}

/** The values the user set (empty fields keep the model's default). */
function chosenParams(box: HTMLElement): Record<string, number | string | boolean | null> {
  const out: Record<string, number | string | boolean | null> = {};
  box.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-param]').forEach((el) => {
    const v = el.value.trim();
    if (v === '') return;
    const name = el.dataset.param as string;
    if (v === 'true' || v === 'false') out[name] = v === 'true';
    else if (v === 'none' || v === 'null') out[name] = null;
    else if (Number.isFinite(Number(v))) out[name] = Number(v);
    else out[name] = v;
  });
  return out;
}

/**
 * The hyperparameter fields of the model chosen in `model`, redrawn when it changes, from the
 * server's description of them.
 */
function hyperparameterFields(model: HTMLSelectElement): HTMLElement {
  const params = h('div', { 'data-testid': 'hyperparameters' });
  let specs: Hyperparameters['models'] = [];
  const showParams = () => {
    const chosen = specs.find((s) => s.model === model.value);
    params.replaceChildren(
      chosen
        ? h(
            'fieldset',
            { class: 'row params' },
            h('legend', {}, `Hyperparameters of ${chosen.model.replace('_', ' ')} (empty: the default)`),
            ...chosen.params.map(paramControl),
          )
        : h(
            'p',
            { class: 'muted' },
            'Choose one model to set its hyperparameters; “all” trains each with its defaults.',
          ),
    );
  };
  model.addEventListener('change', showParams);
  void api
    .get<Hyperparameters>('/train/hyperparameters')
    .then((r) => {
      specs = r.models;
      showParams();
    })
    .catch((error: unknown) => params.replaceChildren(errorBox(error)));
  showParams();
  return params;
}

export function trainForm(status: HTMLElement, onTrained: () => void): HTMLElement {
  const model = h(
    'select',
    { name: 'model' },
    ...['all', 'ridge', 'random_forest', 'gradient_boosting', 'lasso'].map((m) =>
      h('option', { value: m }, m.replace('_', ' ')),
    ),
  );
  const folds = h('input', {
    name: 'folds',
    type: 'number',
    min: 2,
    max: 20,
    value: 5,
    required: true,
    inputmode: 'numeric',
  });
  const seed = h('input', {
    name: 'seed',
    type: 'number',
    min: 0,
    value: 42,
    required: true,
    inputmode: 'numeric',
  });
  const params = hyperparameterFields(model);
  const button = h('button', { type: 'submit' }, 'Train');
  const form = h(
    'form',
    {
      'aria-label': 'Train a new version',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        button.disabled = true;
        // The previous result goes at once, so it is never read as this request's.
        status.replaceChildren(h('p', { role: 'status' }, 'Starting the training…'));
        try {
          const chosen = model.value === 'all' ? {} : chosenParams(params);
          const job = await api.post<TrainJob>('/train', {
            model: model.value,
            folds: Number(folds.value),
            seed: Number(seed.value),
            ...(Object.keys(chosen).length > 0 ? { params: chosen } : {}),
          });
          await followTrain(status, job.id, onTrained);
        } catch (error) {
          const box = errorBox(error);
          status.replaceChildren(box);
          focusResult(box);
        } finally {
          button.disabled = false;
        }
      },
    },
    h(
      'div',
      { class: 'row' },
      field('Model', model),
      field('Folds', folds, 'walk-forward splits'),
      field('Seed', seed),
    ),
    params,
    button,
  );
  return section(
    'Train a new version',
    h(
      'p',
      { class: 'muted' },
      'Cross-validates on the current era (walk-forward, never the future), fits on all rows and registers a new version. It becomes active only when its CV MAE beats both naive baselines and the active version.',
    ),
    form,
    status,
  );
}
