/**
 * `pbi ask`, `POST /api/ask` and the dashboard's Ask page: a question in plain English, answered
 * from the stored draws by the code of `pbi analyze`. Our parser reads the question; when it cannot
 * and a language model is configured, the model may translate it into a structured query, which is
 * validated and answered here exactly like a parsed one. The answer says which path was taken.
 */
import { type IsoDate, isoDateOf } from '../domain/dates.js';
import { FieldError } from '../domain/errors.js';
import type { AnalysisService } from './analysis-service.js';
import { answerQuery } from './ask/ask-answer.js';
import { QuestionRefusedError } from './ask/ask-errors.js';
import { exampleQuestions } from './ask/ask-examples.js';
import { type AskResult, INDEPENDENCE } from './ask/ask-format.js';
import { MAX_QUESTION_CHARS, parseQuestion } from './ask/ask-parser.js';
import type { AskQuery } from './ask/ask-query.js';
import { chatCompletionsUrl, isHosted, translateQuestion } from './ask/ask-translator.js';
import type { AskModelSettings, ServiceContext } from './context.js';

/** `auto`: our parser, then the model when one is configured; `parser` or `model`: only that one. */
export type AskVia = 'auto' | 'parser' | 'model';
export const ASK_VIAS: readonly AskVia[] = ['auto', 'parser', 'model'];

/** How the question became a query. */
export type AskPath =
  | { readonly kind: 'parser' }
  | { readonly kind: 'model'; readonly endpoint: string; readonly model: string; readonly hosted: boolean };

export interface AskAnswer extends AskResult {
  readonly question: string;
  readonly query: AskQuery;
  readonly path: AskPath;
  /** Independence of draws, and (model path) what was sent where. */
  readonly note: string;
}

export interface AskOptions {
  readonly via?: AskVia;
  /** Overrides of the configured model (CLI flags). */
  readonly model?: Partial<AskModelSettings>;
}

export interface AskModelInfo {
  readonly configured: boolean;
  readonly endpoint: string | null;
  readonly model: string | null;
  readonly hosted: boolean;
}

export class AskService {
  /** Reads no repository itself: the draws come through the analysis service. */
  constructor(
    private readonly ctx: ServiceContext<never>,
    private readonly analysis: AnalysisService,
  ) {}

  private today(): IsoDate {
    return isoDateOf(this.ctx.clock.now());
  }

  /**
   * Answers with our parser only (no network): what the benchmark times.
   * @throws QuestionRefusedError when the question is not understood or asks for the impossible;
   * InsufficientDataError when the period holds no stored draw.
   */
  answer(question: string): AskAnswer {
    const today = this.today();
    return this.respond(question, parseQuestion(question, today), { kind: 'parser' }, today);
  }

  /** Answers a structured query given directly (already validated by its caller's schema). */
  answerQuery(query: AskQuery): AskAnswer {
    const today = this.today();
    return this.respond('', query, { kind: 'parser' }, today);
  }

  /**
   * Answers a question by the chosen path.
   * @throws QuestionRefusedError; LanguageModelError (NETWORK) when the model was needed and failed;
   * ValidationError when `via` is `model` and none is configured.
   */
  async ask(question: string, options: AskOptions = {}): Promise<AskAnswer> {
    const via = options.via ?? 'auto';
    const today = this.today();
    const length = question.trim().length;
    const configured = (options.model?.url ?? this.ctx.config.askModel?.url) !== undefined;
    if (via === 'model' && !configured) throw noModel();
    if (via === 'parser' || !configured || length === 0 || length > MAX_QUESTION_CHARS)
      return this.answer(question);
    let refusal: QuestionRefusedError | null = null;
    if (via === 'auto') {
      try {
        return this.respond(question, parseQuestion(question, today), { kind: 'parser' }, today);
      } catch (error) {
        // Only a question the parser did not understand goes to the model; an impossible number or
        // period is refused the same whoever reads it.
        if (!(error instanceof QuestionRefusedError) || error.understood) throw error;
        refusal = error;
      }
    }
    // Resolved only now: a URL without a model name must not stop the parser's answers.
    const settings = this.settings(options.model) as AskModelSettings;
    const model = settings.model as string;
    const path: AskPath = {
      kind: 'model',
      endpoint: chatCompletionsUrl(settings.url),
      model,
      hosted: isHosted(settings.url),
    };
    const query = await translateQuestion({ ...settings, model }, question, today);
    if (query === 'unsupported')
      throw new QuestionRefusedError(
        `${refusal ? `${refusal.message}, and the` : 'The'} language model (${model}) found no query of the forms understood in it`,
        'not understood',
        refusal?.suggestions ?? exampleQuestions().slice(0, 5),
      );
    return this.respond(question, query, path, today);
  }

  /** What the dashboard shows about the model path. */
  modelInfo(): AskModelInfo {
    const s = this.ctx.config.askModel;
    if (!s) return { configured: false, endpoint: null, model: null, hosted: false };
    return {
      configured: s.model !== null,
      endpoint: chatCompletionsUrl(s.url),
      model: s.model,
      hosted: isHosted(s.url),
    };
  }

  private settings(overrides: Partial<AskModelSettings> = {}): AskModelSettings | null {
    const base = this.ctx.config.askModel;
    const url = overrides.url ?? base?.url ?? null;
    if (url === null) return null;
    const model = overrides.model ?? base?.model ?? null;
    if (model === null)
      throw new FieldError(
        (n) => `a language model URL is set but no model name: set PBI_ASK_MODEL or give ${n('model')}`,
        [{ where: 'model', reason: 'missing' }],
      );
    try {
      new URL(url);
    } catch {
      throw new FieldError(
        () => `the language model URL "${url}" is not a URL`,
        [{ where: 'modelUrl', reason: 'not a URL' }],
      );
    }
    return {
      url,
      model,
      apiKey: overrides.apiKey ?? base?.apiKey ?? null,
      timeoutMs: overrides.timeoutMs ?? base?.timeoutMs ?? 15_000,
    };
  }

  private respond(question: string, query: AskQuery, path: AskPath, today: IsoDate): AskAnswer {
    const result = answerQuery(this.analysis.history(), query, today);
    const via =
      path.kind === 'model'
        ? ` The question was translated into the query by the language model ${path.model} at ${path.endpoint} (only the question text was sent${path.hosted ? ', to a hosted service' : ', on this machine'}); every figure was computed here.`
        : '';
    return { question, query, path, ...result, note: `${INDEPENDENCE}${via}` };
  }
}

function noModel(): FieldError {
  return new FieldError(
    () => 'no language model is configured: set PBI_ASK_URL and PBI_ASK_MODEL (off by default)',
    [{ where: 'via', reason: 'no language model configured' }],
  );
}
