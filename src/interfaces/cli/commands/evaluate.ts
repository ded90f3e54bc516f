/**
 * `pbi evaluate` — score stored predictions whose draw has happened; update the strategy weights.
 */
import type { EvaluationReport } from '../../../services/evaluation-service.js';
import { table } from '../output.js';
import { registerCommands } from '../program.js';

export function renderEvaluation(r: EvaluationReport): string {
  if (r.nothingNew) {
    return `Nothing new to evaluate: every stored prediction whose draw is stored is already scored.\n${weightsLine(r.weights)}\n\n${r.notice}`;
  }
  const tiers = Object.entries(r.tiers);
  const lines = [
    `Scored ${r.scored} prediction(s).` +
      (tiers.length
        ? ` Prizes: ${tiers.map(([t, n]) => `${t} ×${n}`).join(', ')}; $${r.amount.toLocaleString('en-US')} in fixed prizes` +
          (r.jackpots ? ` and ${r.jackpots} jackpot(s)` : '') +
          '.'
        : ' No prizes.'),
  ];
  if (r.updates.length > 0) {
    lines.push(
      '',
      `Weight updates from ${r.updates.length} draw(s) (log-likelihood ratio vs uniform, nats):`,
    );
    const names = Object.keys(r.weights);
    lines.push(
      table(
        ['draw', ...names],
        r.updates.map((u) => [
          u.drawDate,
          ...names.map((n) => (u.scores[n] === undefined ? 'asleep' : (u.scores[n] as number).toFixed(4))),
        ]),
      ),
    );
  }
  lines.push('', weightsLine(r.weights), ...r.notes.map((n) => `Note: ${n}`), '', r.notice);
  return lines.join('\n');
}

function weightsLine(w: Readonly<Record<string, number>>): string {
  return `Weights now: ${Object.entries(w)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ')}`;
}

registerCommands((program, ctx) => {
  program
    .command('evaluate')
    .description('score stored predictions whose draw has happened and update the strategy weights')
    .action(() => {
      const { out, service } = ctx();
      const report = service().evaluation.evaluate();
      out.result(report, () => renderEvaluation(report));
    });
});
