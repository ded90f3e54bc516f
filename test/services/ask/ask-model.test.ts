/**
 * The optional language model against a local fake OpenAI-compatible server (a real HTTP server on
 * a free port): a good translation is validated and answered by our code, the request carries only
 * the question and the JSON-schema response format; malformed JSON, a query outside the schema, an
 * error status and a timeout each fail with their own clear error; the parser's questions never
 * reach the model.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors.js';
import { AskService } from '../../../src/services/ask-service.js';
import { QuestionRefusedError } from '../../../src/services/ask/ask-errors.js';
import { LanguageModelError } from '../../../src/services/ask/ask-translator.js';
import type { AskModelSettings } from '../../../src/services/context.js';
import { makeTestService, type TestService } from '../../support/test-db.js';

type Reply = { status?: number; body?: string; content?: string; hang?: boolean };

let t: TestService;
let server: http.Server;
let base: string;
let reply: Reply;
const requests: { headers: http.IncomingHttpHeaders; body: string; url: string }[] = [];

const QUESTION = "what's the story with twenty-three as a white ball since march 2020";
const GOOD = {
  kind: 'count',
  number: 23,
  pool: 'white',
  period: { kind: 'dates', from: '2020-03-01', to: null },
};

function chat(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
}

function ask(settings: Partial<AskModelSettings> = {}): AskService {
  const askModel: AskModelSettings = {
    url: `${base}/v1`,
    model: 'fake-llm',
    apiKey: 'sk-test',
    timeoutMs: 2000,
    ...settings,
  };
  return new AskService(
    { ...t.service.context, config: { ...t.service.context.config, askModel } },
    t.service.analysis,
  );
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  t = makeTestService();
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ headers: req.headers, body, url: req.url ?? '' });
      if (reply.hang) return; // never answers: the client must time out
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      res.end(reply.body ?? chat(reply.content ?? ''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  t.cleanup();
});
beforeEach(() => {
  requests.length = 0;
  reply = { content: JSON.stringify({ query: GOOD }) };
});

describe('a language model that translates questions', () => {
  it('a good translation is validated and answered by our code, exactly as the parser would', async () => {
    const a = await ask().ask(QUESTION);
    expect(a.query).toEqual(GOOD);
    expect(a.path).toEqual({
      kind: 'model',
      endpoint: `${base}/v1/chat/completions`,
      model: 'fake-llm',
      hosted: false,
    });
    const parsed = t.service.ask.answer('how often has 23 been drawn as a white ball since march 2020');
    expect(a.figures).toEqual(parsed.figures);
    expect(a.sentence).toBe(parsed.sentence);
    expect(a.note).toContain('translated into the query by the language model fake-llm');
    expect(a.note).toContain('only the question text was sent, on this machine');

    expect(requests).toHaveLength(1);
    const sent = JSON.parse(requests[0]!.body);
    expect(requests[0]!.url).toBe('/v1/chat/completions');
    expect(requests[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(sent.model).toBe('fake-llm');
    expect(sent.response_format.type).toBe('json_schema');
    expect(sent.response_format.json_schema.schema.properties.query).toBeDefined();
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: QUESTION });
    // Only the question leaves: no draw of the history is in the request.
    const lastDraw = t.service.context.store.draws.list().at(-1)!;
    expect(requests[0]!.body).not.toContain(lastDraw.date);
    expect(requests[0]!.body.length).toBeLessThan(20_000);
  });

  it('a JSON reply wrapped in a Markdown fence is still read', async () => {
    reply = { content: `\`\`\`json\n${JSON.stringify({ query: GOOD })}\n\`\`\`` };
    expect((await ask().ask(QUESTION)).query).toEqual(GOOD);
  });

  it('malformed JSON is refused with what was received', async () => {
    reply = { content: 'Sure! Here is the query: {"query": {"kind": "count"' };
    const e = await failure(ask().ask(QUESTION));
    expect(e).toBeInstanceOf(LanguageModelError);
    expect((e as LanguageModelError).code).toBe('NETWORK');
    expect(e.message).toBe(
      `the language model at ${base}/v1/chat/completions sent malformed JSON as its message content: "Sure! Here is the query: {\\"query\\": {\\"kind\\": \\"count\\""`,
    );
    reply = { body: '<html>gateway</html>' };
    expect((await failure(ask().ask(QUESTION))).message).toMatch(/sent malformed JSON as its reply/);
    reply = { body: JSON.stringify({ error: 'no choices here' }) };
    expect((await failure(ask().ask(QUESTION))).message).toMatch(/sent no choices\[0\]\.message\.content/);
  });

  it('a query outside the schema is never answered (code to run, a wrong pool, extra fields)', async () => {
    for (const [query, where] of [
      [
        { kind: 'execute_python', code: 'import os; os.system("rm -rf /")' },
        /outside the schema \(query(\.kind)?: /,
      ],
      [{ ...GOOD, pool: 'red' }, /outside the schema \(query\.pool: /],
      [{ ...GOOD, number: 23.5 }, /outside the schema \(query\.number: /],
      [{ ...GOOD, sql: 'DROP TABLE draws' }, /outside the schema \(query: /],
    ] as const) {
      reply = { content: JSON.stringify({ query }) };
      const e = await failure(ask().ask(QUESTION));
      expect(e).toBeInstanceOf(LanguageModelError);
      expect(e.message).toMatch(where);
      expect(e.message).toMatch(/nothing was answered from it$/);
    }
    expect(t.service.context.store.draws.count()).toBeGreaterThan(3000); // nothing was touched
  });

  it('a valid query asking the impossible is refused by our checks, like a parsed one', async () => {
    reply = { content: JSON.stringify({ query: { ...GOOD, number: 70 } }) };
    const e = await failure(ask().ask(QUESTION));
    expect(e).toBeInstanceOf(QuestionRefusedError);
    expect(e.message).toMatch(/^70 has never been a valid white ball/);
  });

  it('"unsupported" from the model is a refusal with suggestions', async () => {
    reply = { content: JSON.stringify({ query: { kind: 'unsupported' } }) };
    const e = (await failure(ask().ask('what is the meaning of life'))) as QuestionRefusedError;
    expect(e).toBeInstanceOf(QuestionRefusedError);
    expect(e.message).toBe(
      'the question is none of the forms understood, and the language model (fake-llm) found no query of the forms understood in it',
    );
    expect(e.suggestions.length).toBeGreaterThan(0);
  });

  it('a timeout, an error status and an unreachable endpoint fail clearly', async () => {
    reply = { hang: true };
    const t0 = Date.now();
    const e = await failure(ask({ timeoutMs: 300 }).ask(QUESTION));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e.message).toBe(
      `the language model at ${base}/v1/chat/completions did not answer within 300 ms (timed out)`,
    );
    expect((e as LanguageModelError).httpStatus).toBe(502);
    reply = { status: 500, body: '{"error":"overloaded"}' };
    expect((await failure(ask().ask(QUESTION))).message).toBe(
      `the language model at ${base}/v1/chat/completions answered HTTP 500: {"error":"overloaded"}`,
    );
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect((await failure(ask({ url: `http://127.0.0.1:${port}` }).ask(QUESTION))).message).toMatch(
      new RegExp(`^cannot reach the language model at http://127.0.0.1:${port}/chat/completions`),
    );
  });

  it('auto: what the parser understands never reaches the model; impossible questions neither', async () => {
    const a = await ask().ask('how often has 23 been drawn as a white ball since march 2020');
    expect(a.path).toEqual({ kind: 'parser' });
    await failure(ask().ask('how often was 70 drawn as a white ball'));
    await failure(ask().ask(''));
    await failure(ask().ask('x'.repeat(10_240)));
    expect(requests).toHaveLength(0);
    // via=parser never calls it; via=model always does.
    await failure(ask().ask(QUESTION, { via: 'parser' }));
    expect(requests).toHaveLength(0);
    expect(
      (await ask().ask('how often has 23 been drawn as a white ball since march 2020', { via: 'model' })).path
        .kind,
    ).toBe('model');
    expect(requests).toHaveLength(1);
  });

  it('off by default; a URL without a model name, or a bad URL, is a clear error', async () => {
    expect(t.service.ask.modelInfo()).toEqual({
      configured: false,
      endpoint: null,
      model: null,
      hosted: false,
    });
    const e = await failure(t.service.ask.ask(QUESTION, { via: 'model' }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.message).toBe(
      'no language model is configured: set PBI_ASK_URL and PBI_ASK_MODEL (off by default)',
    );
    const noName = new AskService(
      {
        ...t.service.context,
        config: {
          ...t.service.context.config,
          askModel: { url: base, model: null, apiKey: null, timeoutMs: 1000 },
        },
      },
      t.service.analysis,
    );
    expect((await failure(noName.ask(QUESTION))).message).toMatch(
      /no model name: set PBI_ASK_MODEL or give model$/,
    );
    expect((await failure(ask({ url: 'not a url' }).ask(QUESTION))).message).toBe(
      'the language model URL "not a url" is not a URL',
    );
    expect(ask({ url: 'https://api.example.com/v1' }).modelInfo()).toEqual({
      configured: true,
      endpoint: 'https://api.example.com/v1/chat/completions',
      model: 'fake-llm',
      hosted: true,
    });
  });
});
