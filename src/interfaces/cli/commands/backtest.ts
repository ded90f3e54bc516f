/**
 * `pbi backtest [--strategy NAME|all] [--from DATE] [--to DATE] [--seed S]` — walk-forward over the
 * current era, every strategy against the random baseline.
 */
import type { BacktestServiceReport } from '../../../services/backtest-service.js';
import { PredictionService } from '../../../services/prediction-service.js';
import { inCliWords } from '../hints.js';
import { table } from '../output.js';
import { choiceFlag, intFlag } from '../parse.js';
import type { CommandModule } from '../cli-context.js';
import { MAX_SEED } from '../../../domain/limits.js';

const f = (x: number, d = 4) => (x >= 0 ? '+' : '') + x.toFixed(d);

export function renderBacktest(r: BacktestServiceReport): string {
  const lines: string[] = [];
  for (const rep of r.reports) {
    lines.push(
      `Walk-forward over ${rep.draws} draws, ${rep.from} to ${rep.to} (seed ${rep.seed}, ${rep.ticketsPerDraw} tickets per strategy per draw):`,
      table(
        ['strategy', 'LLR nats/draw', '95% CI', 'white matches/ticket', 'PB hit rate', 'uniform share'],
        rep.results.map((s) => [
          s.strategy,
          s.llr.mean.toFixed(4),
          s.llr.ci95 ? `${f(s.llr.ci95[0])} to ${f(s.llr.ci95[1])}` : 'too few draws',
          `${s.whiteMatches.mean.toFixed(4)} (chance ${s.whiteMatches.expected.toFixed(4)})`,
          `${s.powerballHits.mean.toFixed(4)} (chance ${s.powerballHits.expected.toFixed(4)})`,
          `${(s.uniformWeight * 100).toFixed(1)}%`,
        ]),
      ),
      '',
    );
    for (const s of rep.results) {
      lines.push(`${s.strategy}: ${s.verdict}`);
      lines.push(
        '  tiers (hits, rate vs chance): ' +
          s.tiers
            .filter((t) => t.tier !== '5+PB' && t.tier !== '5')
            .map((t) => `${t.tier} ${t.hits} (${t.rate.toExponential(2)} vs ${t.expected.toExponential(2)})`)
            .join(', ') +
          `; 5: ${s.tiers.find((t) => t.tier === '5')?.hits ?? 0}, 5+PB: ${s.tiers.find((t) => t.tier === '5+PB')?.hits ?? 0}`,
      );
    }
    lines.push('');
  }
  lines.push(
    `Significance: each strategy's log score, white matches, Powerball hits and 9 prize tiers are compared with ` +
      `${r.family.chanceSequences.toLocaleString('en-US')} replays of this backtest on simulated uniform draws ` +
      `(Monte Carlo p-values, valid at any number of draws); one ${r.family.method} family of ${r.family.tests} tests ` +
      `at α = ${r.family.alpha}. Intervals only from 30 draws (Student t).`,
  );
  for (const s of r.skipped) lines.push(`${s.strategy} skipped: ${s.reason}`);
  lines.push(
    `(${(r.elapsedMs / 1000).toFixed(1)} s) LLR is the log-likelihood of each actual draw against the uniform baseline: 0 is chance.`,
    r.notice,
  );
  return lines.join('\n');
}

/** Adds `pbi backtest` to the program. */
export const registerBacktest: CommandModule = (program, ctx) => {
  program
    .command('backtest')
    .description('walk-forward backtest of the strategies over the current era, against the random baseline')
    .option(
      '--strategy <name>',
      `all, or one of ${PredictionService.strategyNames.join(', ')}`,
      choiceFlag('--strategy', ['all', ...PredictionService.strategyNames]),
      'all',
    )
    .option('--from <date>', 'first draw date to test (default: the start of the current era)')
    .option('--to <date>', 'last draw date to test (default: the latest stored draw)')
    .option('--seed <s>', 'seed of the ticket sampling', intFlag('--seed', 0, MAX_SEED), 42)
    .action((opts: { strategy: string; from?: string; to?: string; seed: number }) => {
      const { out, service } = ctx();
      const report = service().backtest.run({
        strategy: opts.strategy,
        seed: opts.seed,
        ...(opts.from !== undefined ? { from: opts.from } : {}),
        ...(opts.to !== undefined ? { to: opts.to } : {}),
        onProgress: (fraction) => out.progress('backtest', fraction),
      });
      out.done();
      out.result(report, () => renderBacktest(inCliWords(report)));
    });
};
