/**
 * `pbi ask "QUESTION"`: a plain-English question answered from the stored draws by the code of
 * `pbi analyze` — one sentence with the figure, its period and era, the chance value and the
 * command that reproduces it. `--json` gives the structured query, the figures and the sentence.
 * A question it will not answer exits 1 with the nearest forms it understands.
 */
import { ASK_VIAS, type AskAnswer, type AskVia } from '../../../services/ask-service.js';
import { choiceFlag, intFlag } from '../parse.js';
import type { CommandModule } from '../cli-context.js';

interface AskFlags {
  via: AskVia;
  modelUrl?: string;
  model?: string;
  modelTimeoutMs?: number;
}

function render(a: AskAnswer): string {
  const path =
    a.path.kind === 'parser'
      ? 'read by the built-in parser; nothing left this machine'
      : `translated by the language model ${a.path.model} at ${a.path.endpoint}; ${a.path.hosted ? 'a hosted service: the question text was sent there' : 'on this machine'}`;
  return [a.sentence, ...(a.command ? [`reproduce: ${a.command}`] : []), `(${path})`, a.note].join('\n');
}

/** Adds `pbi ask` to the program. */
export const registerAsk: CommandModule = (program, ctx) => {
  program
    .command('ask')
    .description('answer a question about the draw history in plain English, from the same code as analyze')
    .argument('<question...>', 'the question, e.g. "how often has 23 been drawn since March 2020"')
    .option(
      '--via <path>',
      'auto (the parser, then the language model if one is configured) | parser | model',
      choiceFlag('--via', ASK_VIAS),
      'auto',
    )
    .option(
      '--model-url <url>',
      'OpenAI-compatible endpoint for free phrasing (default $PBI_ASK_URL; off when unset)',
    )
    .option('--model <name>', 'model name at that endpoint (default $PBI_ASK_MODEL)')
    .option(
      '--model-timeout-ms <ms>',
      'how long to wait for the model',
      intFlag('--model-timeout-ms', 100, 600_000),
    )
    .action(async (words: string[], flags: AskFlags) => {
      const { out, service } = ctx();
      const answer = await service().ask.ask(words.join(' '), {
        via: flags.via,
        model: {
          ...(flags.modelUrl === undefined ? {} : { url: flags.modelUrl }),
          ...(flags.model === undefined ? {} : { model: flags.model }),
          ...(flags.modelTimeoutMs === undefined ? {} : { timeoutMs: flags.modelTimeoutMs }),
        },
      });
      out.result(answer, () => render(answer));
    });
};
