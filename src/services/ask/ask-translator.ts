/**
 * The optional language model: an endpoint that speaks the OpenAI chat-completions protocol (a
 * hosted service, or a local server such as Ollama or llama.cpp) is asked only to translate the
 * question into one structured query, under a JSON-schema response format. Its reply is parsed and
 * validated here; nothing it returns is ever run, and only the question text is sent (no draws).
 */
import type { IsoDate } from '../../domain/dates.js';
import { PbiError } from '../../domain/errors.js';
import { type AskQuery, AskQuerySchema, modelReplyJsonSchema, UnsupportedSchema } from './ask-query.js';

/** Where the model is and how long to wait for it (resolved once in src/main/config.ts). */
export interface AskModelConfig {
  /** Base URL (`http://127.0.0.1:11434/v1`) or the full `…/chat/completions` URL. */
  readonly url: string;
  readonly model: string;
  /** Sent as `Authorization: Bearer …` when set. */
  readonly apiKey: string | null;
  readonly timeoutMs: number;
}

/** The language model failed to translate: no answer, an error status, malformed or off-schema output. */
export class LanguageModelError extends PbiError {
  constructor(message: string, reason: string, options?: ErrorOptions) {
    super('NETWORK', message, [{ where: 'language model', reason }], options);
  }
}

/** Largest reply read from the endpoint. */
const MAX_REPLY_BYTES = 256 * 1024;

export function chatCompletionsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/chat/completions') ? trimmed : `${trimmed}/chat/completions`;
}

/** True when the endpoint is not on this machine (the question then leaves it). */
export function isHosted(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host));
}

function systemPrompt(today: IsoDate): string {
  return [
    'You translate questions about the history of Powerball draws into exactly one structured query.',
    'Reply with a JSON object {"query": …} matching the JSON schema you are given, and nothing else.',
    'Never compute or guess any figure: the application computes every number from its own data.',
    `Today is ${today}. Resolve dates to YYYY-MM-DD: "since March 2020" is {"kind":"dates","from":"2020-03-01","to":null};`,
    '"in 2019" is from 2019-01-01 to 2019-12-31; "last 100 draws" is {"kind":"last","draws":100};',
    '"this era" is {"kind":"era","era":"current"} and "ever" is {"kind":"era","era":"all"}.',
    'pool is "white" for a white ball, "powerball" for the red Powerball, "any" when the question does not say.',
    'When the question is none of the query kinds, reply {"query":{"kind":"unsupported"}}.',
  ].join('\n');
}

/**
 * Asks the model for the query of `question`.
 * @throws LanguageModelError (NETWORK) on a timeout, a refused connection, an error status, a reply
 * that is not JSON, or JSON outside the schema.
 */
export async function translateQuestion(
  config: AskModelConfig,
  question: string,
  today: IsoDate,
): Promise<AskQuery | 'unsupported'> {
  const url = chatCompletionsUrl(config.url);
  const signal = AbortSignal.timeout(config.timeoutMs);
  const body = {
    model: config.model,
    temperature: 0,
    messages: [
      { role: 'system', content: systemPrompt(today) },
      { role: 'user', content: question },
    ],
    response_format: {
      type: 'json_schema',
      json_schema: { name: 'powerball_query', schema: modelReplyJsonSchema() },
    },
  };
  let text: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      signal,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
    });
    text = await response.text();
    if (!response.ok)
      throw new LanguageModelError(
        `the language model at ${url} answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`,
        `HTTP ${response.status}`,
      );
  } catch (error) {
    if (error instanceof LanguageModelError) throw error;
    if (signal.aborted)
      throw new LanguageModelError(
        `the language model at ${url} did not answer within ${config.timeoutMs} ms (timed out)`,
        'timeout',
        { cause: error },
      );
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new LanguageModelError(
      `cannot reach the language model at ${url}: ${error instanceof Error ? error.message : String(error)}${cause}`,
      'unreachable',
      { cause: error },
    );
  }
  return readReply(text, url);
}

/** The query inside a chat-completions reply. @throws LanguageModelError naming what was wrong. */
export function readReply(text: string, url: string): AskQuery | 'unsupported' {
  if (text.length > MAX_REPLY_BYTES)
    throw new LanguageModelError(
      `the language model at ${url} sent more than ${MAX_REPLY_BYTES} bytes`,
      'too large',
    );
  const content = parseJson(text, url, 'reply');
  const message = (content as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]
    ?.message?.content;
  if (typeof message !== 'string')
    throw new LanguageModelError(
      `the language model at ${url} sent no choices[0].message.content`,
      'not a chat-completions reply',
    );
  // Some local servers wrap JSON in a Markdown fence despite the response format.
  const unfenced = message
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  const reply = parseJson(unfenced, url, 'message content') as { query?: unknown } | null;
  const query = reply !== null && typeof reply === 'object' ? reply.query : undefined;
  if (UnsupportedSchema.safeParse(query).success) return 'unsupported';
  // Checked against the queries alone, so the first issue names the field that was wrong.
  const parsed = AskQuerySchema.safeParse(query);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ['query', ...(issue?.path ?? []).map(String)].join('.');
    throw new LanguageModelError(
      `the language model at ${url} answered a query outside the schema (${where}: ${issue?.message ?? 'invalid'}); nothing was answered from it`,
      'query outside the schema',
    );
  }
  return parsed.data;
}

function parseJson(text: string, url: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new LanguageModelError(
      `the language model at ${url} sent malformed JSON as its ${what}: ${JSON.stringify(text.slice(0, 80))}`,
      'malformed JSON',
    );
  }
}
