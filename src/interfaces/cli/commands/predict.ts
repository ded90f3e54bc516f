/**
 * `pbi predict [--count N] [--strategy NAME] [--seed S] [--for-date YYYY-MM-DD]` — generate and store
 * one prediction set and print it, with the true odds.
 */
import type { PredictionReport } from '../../../services/prediction-service.js';
import { PredictionService } from '../../../services/prediction-service.js';
import { table } from '../output.js';
import { choiceFlag, intFlag } from '../parse.js';
import { registerCommands } from '../program.js';
import { MAX_SEED } from '../../../domain/limits.js';

const ticketText = (t: { whites: readonly number[]; powerball: number }): string =>
  `${t.whites.map((w) => String(w).padStart(2, '0')).join(' ')} PB ${String(t.powerball).padStart(2, '0')}`;

const oneIn = (n: number): string => `1 in ${Math.round(n).toLocaleString('en-US')}`;

export function renderPrediction(r: PredictionReport): string {
  const shares = (c: Readonly<Record<string, number>>) =>
    Object.entries(c)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`)
      .join(', ');
  const lines = [
    `Prediction set ${r.setId} for the draw of ${r.targetDrawDate} (strategy ${r.strategy}, seed ${r.seed})`,
    '',
    table(
      [
        '#',
        'ticket',
        'probability under the model',
        'as odds',
        r.strategy === 'weighted' ? 'mostly from' : '',
      ],
      r.tickets.map((t, i) => [
        i + 1,
        ticketText(t),
        t.probability.toExponential(3),
        oneIn(t.oneIn),
        r.strategy === 'weighted' ? shares(t.contributions) : '',
      ]),
    ),
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

registerCommands((program, ctx) => {
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
    .option('--for-date <date>', 'the draw date to predict (default: the next draw after the latest stored)')
    .action((opts: { count: number; strategy: string; seed?: number; forDate?: string }) => {
      const { out, service } = ctx();
      const report = service().predictor.generate({
        count: opts.count,
        strategy: opts.strategy,
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.forDate !== undefined ? { forDate: opts.forDate } : {}),
      });
      out.result(report, () => renderPrediction(report));
    });
});
