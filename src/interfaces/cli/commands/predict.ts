/**
 * `pbi predict [--count N] [--strategy NAME] [--seed S] [--for-date YYYY-MM-DD]` — generate and store
 * one prediction set and print it, with the true odds.
 */
import type { PredictionReport } from '../../../services/prediction-service.js';
import { PredictionService } from '../../../services/prediction-service.js';
import { ValidationError } from '../../../domain/errors.js';
import { beliefText } from '../../../domain/belief.js';
import { inCliWords } from '../hints.js';
import { table } from '../output.js';
import { choiceFlag, intFlag } from '../parse.js';
import type { CommandModule } from '../cli-context.js';
import { MAX_SEED } from '../../../domain/limits.js';

const ticketText = (t: { whites: readonly number[]; powerball: number }): string =>
  `${t.whites.map((w) => String(w).padStart(2, '0')).join(' ')} PB ${String(t.powerball).padStart(2, '0')}`;

export function renderPrediction(r: PredictionReport): string {
  const shares = (c: Readonly<Record<string, number>>) =>
    Object.entries(c)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
      .join(', ');
  const lines = [
    `Prediction set ${r.setId} for the draw of ${r.targetDrawDate} (strategy ${r.strategy}, strength ${r.strength.label}, seed ${r.seed})`,
    `True odds of every ticket: 1 in ${r.jackpotOdds.toLocaleString('en-US')}.`,
    '',
    table(
      ['#', 'ticket', 'belief (not odds)', r.strategy === 'weighted' ? 'mostly from' : ''],
      r.tickets.map((t, i) => [
        i + 1,
        ticketText(t),
        beliefText(t.beliefMultiple),
        r.strategy === 'weighted' ? shares(t.contributions) : '',
      ]),
    ),
    '',
    `What strength ${r.strength.label} costs on the real draws (log-likelihood against chance):`,
    ...r.strength.costs.map((c) => `  ${c.text}`),
    r.strength.whyCalibrated,
    '',
    `Weights (${r.weightsSource}): ${Object.entries(r.weights)
      .map(([k, v]) => `${k} ${v.toFixed(3)}`)
      .join(', ')}`,
    ...r.strategies.map((s) => `  ${s.name}: ${s.belief} — shrinks: ${s.shrinkage.description}`),
    ...(r.sumRange ? [`Tickets keep the white-ball sum within ${r.sumRange[0]}–${r.sumRange[1]}.`] : []),
    ...r.notes.map((n) => `Note: ${n}`),
    '',
    r.notice,
  ];
  return lines.join('\n');
}

/** Adds `pbi predict` to the program. */
export const registerPredict: CommandModule = (program, ctx) => {
  program
    .command('predict')
    .description('generate and store one prediction set for the next draw (states the true odds)')
    .option('--count <n>', 'tickets in the set, 1-100', intFlag('--count', 1, 100), 5)
    .option(
      '--strategy <name>',
      `one of ${PredictionService.strategyNames.join(', ')}`,
      choiceFlag('--strategy', PredictionService.strategyNames),
      'weighted',
    )
    .option('--seed <s>', 'seed of the sampling (recorded with the set)', intFlag('--seed', 0, MAX_SEED))
    .option(
      '--for-date <date>',
      'the draw date to predict, past or future (default: the next scheduled draw)',
    )
    .option(
      '--strength <s>',
      'belief strength: calibrated (default, backtest-chosen), raw (unshrunk), or the weight of the raw belief from 0 to 1',
    )
    .option('--play', 'also record the set as tickets you play (pbi tickets), linked to the set')
    .option('--power-play', 'with --play: the tickets have Power Play')
    .option('--double-play', 'with --play: the tickets have Double Play')
    .action(
      (opts: {
        count: number;
        strategy: string;
        seed?: number;
        forDate?: string;
        strength?: string;
        play?: boolean;
        powerPlay?: boolean;
        doublePlay?: boolean;
      }) => {
        const { out, service } = ctx();
        if ((opts.powerPlay || opts.doublePlay) && !opts.play)
          throw new ValidationError('--power-play and --double-play go with --play', [
            { where: opts.powerPlay ? '--power-play' : '--double-play', reason: 'needs --play' },
          ]);
        const report = service().predictor.generate({
          count: opts.count,
          strategy: opts.strategy,
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          ...(opts.forDate !== undefined ? { forDate: opts.forDate } : {}),
          ...(opts.strength !== undefined ? { strength: opts.strength } : {}),
        });
        if (!opts.play) {
          out.result(report, () => renderPrediction(inCliWords(report)));
          return;
        }
        const played = service().tickets.playSet(report.setId, {
          powerPlay: opts.powerPlay === true,
          doublePlay: opts.doublePlay === true,
        });
        const spent = played.tickets.reduce((s, t) => s + t.price, 0);
        out.result({ ...report, played }, () =>
          [
            renderPrediction(inCliWords(report)),
            '',
            `Recorded as ${played.tickets.length} played ticket(s) (ids ${played.tickets.map((t) => t.id).join(', ')}), $${spent}; see pbi tickets list.`,
          ].join('\n'),
        );
      },
    );
};
