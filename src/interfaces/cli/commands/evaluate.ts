/**
 * `pbi evaluate` — score stored predictions whose draw has happened; update the strategy weights.
 */
import type { EvaluationReport } from '../../../services/evaluation-service.js';
import type { EvaluationComparison } from '../../../services/legacy-accuracy-view.js';
import { inCliWords } from '../hints.js';
import { intFlag } from '../parse.js';
import { table } from '../output.js';
import type { CommandModule } from '../cli-context.js';

export function renderEvaluation(r: EvaluationReport): string {
  if (r.nothingNew) {
    return `Nothing new to evaluate: every stored prediction whose draw is stored is already scored.\n${weightsLine(r.weights)}${renderStandings(r.standings)}\n\n${r.notice}`;
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
  lines.push('', weightsLine(r.weights), ...r.notes.map((n) => `Note: ${n}`));
  lines.push(renderStandings(r.standings), '', r.notice);
  return lines.join('\n');
}

const num = (x: number | null, digits: number): string => (x === null ? '-' : x.toFixed(digits));
const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

/** The product's scores per source, then the migrated legacy accuracy per legacy model, labelled. */
export function renderStandings(s: EvaluationReport['standings']): string {
  const lines: string[] = [];
  if (s.product.length > 0)
    lines.push(
      '',
      'Scores so far (this product, every stored score):',
      table(
        ['source', 'tickets', 'draws', 'white matches/ticket', 'Powerball hit rate', 'won $'],
        s.product.map((p) => [
          p.source,
          p.tickets,
          p.draws,
          num(p.meanWhiteMatches, 3),
          pct(p.powerballHitRate),
          p.amount.toLocaleString('en-US'),
        ]),
      ),
    );
  if (s.legacy.length > 0)
    lines.push(
      '',
      'Legacy accuracy (migrated from the legacy app, its own figures as written; ours on the same tickets beside):',
      table(
        [
          'legacy model',
          'records',
          'linked',
          'legacy white matches',
          'legacy Powerball',
          'legacy score',
          'disagree / checked',
          'ours: white matches/ticket',
          'ours: Powerball',
        ],
        s.legacy.map((m) => [
          `legacy: ${m.model}`,
          m.records,
          m.linked,
          num(m.meanWhiteMatches, 3),
          pct(m.powerballMatchShare),
          num(m.meanAccuracyScore, 4),
          `${m.disagreements} / ${m.checked}`,
          m.product ? `${num(m.product.meanWhiteMatches, 3)} (${m.product.tickets} tickets)` : '-',
          m.product ? pct(m.product.powerballHitRate) : '-',
        ]),
      ),
      s.legacyNotice ?? '',
    );
  return lines.join('\n');
}

function weightsLine(w: Readonly<Record<string, number>>): string {
  return `Weights now: ${Object.entries(w)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(', ')}`;
}

/** The newest migrated legacy accuracy records, each with its link and its check against the draw. */
export function renderLegacyRecords(c: EvaluationComparison): string {
  if (c.legacy.total === 0) return '\nNo legacy accuracy records (run `pbi migrate LEGACY_DIR`).';
  return [
    '',
    `Legacy accuracy records, newest draw first (${c.legacy.records.length} of ${c.legacy.total}):`,
    table(
      [
        'draw',
        'legacy model',
        'figures',
        'white',
        'Powerball',
        'score',
        'linked',
        'against the draw',
        'ours',
      ],
      c.legacy.records.map((r) => [
        r.drawDate ?? '-',
        `legacy: ${r.model}`,
        r.shape === 'summary' ? 'set average' : 'one ticket',
        num(r.whiteMatches, 2),
        r.powerballMatch === null ? '-' : r.powerballMatch ? 'yes' : 'no',
        num(r.accuracyScore, 4),
        r.link === 'none' ? `no: ${r.linkNote ?? ''}` : r.link,
        r.check === 'disagrees' ? `disagrees: ${r.differences.join('; ')}` : r.check,
        r.product
          ? `${num(r.product.meanWhiteMatches, 2)} white, PB ${r.product.powerballHits}/${r.product.tickets}`
          : '-',
      ]),
    ),
  ].join('\n');
}

/** Adds `pbi evaluate` to the program. */
export const registerEvaluate: CommandModule = (program, ctx) => {
  program
    .command('evaluate')
    .description('score stored predictions whose draw has happened and update the strategy weights')
    .option(
      '--legacy <n>',
      'also list the newest N migrated legacy accuracy records with their links and checks (1-100000)',
      intFlag('--legacy', 1, 100_000),
    )
    .action((opts: { legacy?: number }) => {
      const { out, service } = ctx();
      const report = service().evaluation.evaluate();
      if (opts.legacy === undefined) {
        out.result(report, () => renderEvaluation(inCliWords(report)));
        return;
      }
      const legacy = service().evaluation.comparison({ limit: opts.legacy });
      out.result(
        { ...report, legacy },
        () => renderEvaluation(inCliWords(report)) + '\n' + renderLegacyRecords(legacy),
      );
    });
};
