/**
 * `pbi train [--model ridge|random_forest|gradient_boosting|lasso|all] [--param KEY=VALUE ...] [--folds N]
 * [--seed S]`: walk-forward CV with per-fold MAE beside the naive baselines, then a new registered
 * version of each model fitted on every row.
 */
import {
  DEFAULT_FOLDS,
  DEFAULT_SEED,
  TARGET_KEYS,
  type TrainedModelReport,
  type TrainReport,
} from '../../../services/training-service.js';
import { MODEL_NAMES, TRAIN_ALL_MODELS } from '../../../domain/model-names.js';
import { inCliWords } from '../hints.js';
import { table } from '../output.js';
import { collectParam, inFlagTerms, type ParamFlags, singleValues } from '../param-flags.js';
import { choiceFlag, intFlag } from '../parse.js';
import type { CommandModule } from '../cli-context.js';
import { MAX_SEED } from '../../../domain/limits.js';

const f2 = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : v.toFixed(2));

function renderModel(m: TrainedModelReport): string {
  const baselineNames = Object.keys(m.baselines);
  const foldRows = m.folds.map((f) => [
    f.fold + 1,
    f.trainSize ?? '-',
    f.testSize ?? '-',
    f2(f.metrics.mae),
    ...TARGET_KEYS.map((t) => f2(f.metrics[`mae_${t}`])),
    ...baselineNames.map((b) => f2(f.baselines?.[b]?.mae)),
  ]);
  const meanRow = [
    'mean',
    '',
    '',
    f2(m.cv.mae),
    ...TARGET_KEYS.map((t) => f2(m.cv.perTarget[t])),
    ...baselineNames.map((b) => f2(m.baselines[b]?.mae)),
  ];
  const params = Object.entries(m.hyperparameters)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  const best = baselineNames.reduce<{ name: string; mae: number } | null>((acc, b) => {
    const mae = m.baselines[b]?.mae ?? Number.NaN;
    return acc === null || mae < acc.mae ? { name: b, mae } : acc;
  }, null);
  const verdict =
    best === null
      ? ''
      : m.cv.mae < best.mae
        ? `beats the best baseline (${best.name}) by ${f2(best.mae - m.cv.mae)} on mean MAE`
        : `does not beat the ${best.name} baseline (MAE ${f2(m.cv.mae)} vs ${f2(best.mae)})`;
  return [
    `${m.name}@${m.version}${m.active ? ' (active)' : ''}  ${params}`,
    table(
      [
        'fold',
        'train',
        'test',
        'MAE',
        ...TARGET_KEYS.map((t) => `MAE ${t}`),
        ...baselineNames.map((b) => `${b} MAE`),
      ],
      [...foldRows, meanRow],
    ),
    `CV ${(m.cvDurationMs / 1000).toFixed(2)} s, final fit ${(m.trainingDurationMs / 1000).toFixed(2)} s, artifact ${m.artifactBytes} bytes; ${verdict}.`,
    `${m.name}@${m.version} ${m.activation}.`,
    ...alphaLines(m),
    ...m.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

/** Ridge with alpha auto: the chosen alpha, whether it sits on the grid's edge, and the curve. */
function alphaLines(m: TrainedModelReport): string[] {
  const s = m.alphaSelection;
  if (!s) return [];
  if (s.curve.length === 0)
    return [`alpha: too few rows for an inner CV; the legacy alpha ${s.alpha} was used.`];
  const first = s.curve[0] as (typeof s.curve)[number];
  const last = s.curve[s.curve.length - 1] as (typeof s.curve)[number];
  const edge =
    s.alpha === last.alpha
      ? ' (the top of the grid: ridge is then close to predicting the training mean)'
      : s.alpha === first.alpha
        ? ' (the bottom of the grid)'
        : '';
  return [
    `alpha chosen by ${s.innerFolds}-fold time-series CV on all ${s.rows} rows: ${fmtAlpha(s.alpha)}${edge}; ` +
      'each CV fold above scored the alpha chosen inside its own training rows (nested).',
    `alpha → CV MAE: ${s.curve.map((c) => `${fmtAlpha(c.alpha)} ${f2(c.mae)}`).join(', ')}`,
  ];
}

const fmtAlpha = (a: number): string => (a >= 1e4 || a < 1e-2 ? a.toExponential(2) : String(a));

export function renderTrainReport(r: TrainReport): string {
  return [
    `Trained on ${r.data.rows} rows × ${r.data.features} features (draws ${r.data.firstDate} to ${r.data.lastDate}), ${r.folds}-fold walk-forward CV, seed ${r.seed}.`,
    '',
    ...r.models.map((m) => `${renderModel(m)}\n`),
    'Draws are random: a model that does not beat the baselines has learned nothing usable.',
  ].join('\n');
}

/** Adds `pbi train` to the program. */
export const registerTrain: CommandModule = (program, ctx) => {
  program
    .command('train')
    .description('cross-validate (walk-forward), fit on all data and register a new model version')
    .option(
      '--model <name>',
      `${MODEL_NAMES.join(', ')} or all (${TRAIN_ALL_MODELS.join(', ')})`,
      choiceFlag('--model', [...MODEL_NAMES, 'all'] as const),
      'all',
    )
    .option(
      '--param <key=value>',
      'hyperparameter (repeatable), e.g. alpha=10 (ridge default: auto, chosen by nested CV), n_estimators=200, max_depth=null',
      collectParam,
      {} as ParamFlags,
    )
    .option('--folds <n>', 'time-series CV folds', intFlag('--folds', 2, 100), DEFAULT_FOLDS)
    .option('--seed <s>', 'seed of every random choice', intFlag('--seed', 0, MAX_SEED), DEFAULT_SEED)
    .option(
      '--activate',
      'make the new versions active even when they do not beat the naive baselines or the active version',
    )
    .action(
      (flags: { model: string; param: ParamFlags; folds: number; seed: number; activate?: boolean }) => {
        const { out, service } = ctx();
        let stage = '';
        try {
          const report = service().training.train({
            model: flags.model,
            params: singleValues(flags.param),
            folds: flags.folds,
            seed: flags.seed,
            ...(flags.activate ? { activate: true } : {}),
            onProgress: (p) => {
              // One progress line per model and stage; the message is padded so a shorter one overwrites.
              const key = `${p.model}:${p.stage}`;
              if (key !== stage) {
                out.done();
                stage = key;
              }
              out.progress(p.message.padEnd(44), p.fraction);
            },
          });
          out.done();
          out.result(report, () => renderTrainReport(inCliWords(report)));
        } catch (error) {
          throw inFlagTerms(error, { model: '--model', folds: '--folds', seed: '--seed' });
        } finally {
          out.done();
        }
      },
    );
};
