/**
 * `POST /api/ask` and `GET /api/ask/examples` in-process on the real history: answers match the
 * response schema and the service, refusals are 400 with the nearest forms, bad bodies name the
 * field, and the OpenAPI document describes both routes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/interfaces/http/app.js';
import { AskAnswerSchema } from '../../src/interfaces/http/routes/ask.js';
import { makeTestService, type TestService } from '../support/test-db.js';

let t: TestService;
let app: ReturnType<typeof createApp>['app'];
beforeAll(() => {
  t = makeTestService();
  app = createApp({ service: t.service, staticDir: null }).app;
});
afterAll(() => t.cleanup());

const post = (body: unknown) =>
  app.request('/api/ask', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface ErrorBody {
  error: {
    code: string;
    message: string;
    issues: { where: string; reason: string }[];
    suggestions?: string[];
  };
}

describe('POST /api/ask', () => {
  it('answers from the stored draws, in the documented shape, as the service does', async () => {
    const question = 'How often has 23 been drawn as a white ball since March 2020?';
    const res = await post({ question });
    expect(res.status).toBe(200);
    const body = AskAnswerSchema.parse(await res.json());
    const direct = t.service.ask.answer(question);
    expect(body.query).toEqual(direct.query);
    expect(body.figures).toEqual(direct.figures);
    expect(body.sentence).toBe(direct.sentence);
    expect(body.command).toBe('pbi analyze --era all --from 2020-03-01');
    expect(body.path).toEqual({ kind: 'parser' });
    expect(body.coverage?.eras.map((e) => e.id)).toEqual(['2015-10-07']);
  });

  it('a refusal is 400 INVALID_INPUT with the reason and clickable suggestions', async () => {
    const res = await post({ question: 'how often was 70 drawn as a white ball' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^70 has never been a valid white ball/);
    expect(error.issues[0]).toEqual({ where: 'question', reason: 'number outside every era' });
    expect(error.suggestions?.length).toBeGreaterThan(0);
    expect(error.issues.filter((i) => i.where === 'try').map((i) => i.reason)).toEqual(error.suggestions);
  });

  it('empty, 10 KB, ambiguous and future questions get clear refusals', async () => {
    const cases: [string, RegExp][] = [
      ['', /^the question is empty$/],
      ['x'.repeat(10_240), /^the question is 10240 characters long; ask in at most 300$/],
      ['how often were 12 and 34 drawn', /names 2 numbers/],
      ['how often was 23 drawn in 2031', /is in the future/],
      ['how often was 23 drawn in 1985', /before the first Powerball draw/],
    ];
    for (const [question, message] of cases) {
      const res = await post({ question });
      expect(res.status, question.slice(0, 30)).toBe(400);
      expect(((await res.json()) as ErrorBody).error.message).toMatch(message);
    }
  });

  it('bodies outside the schema name the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'body.question'],
      [{ question: 42 }, 'body.question'],
      [{ question: 'x'.repeat(20_001) }, 'body.question'],
      [{ question: 'help', via: 'shell' }, 'body.via'],
      [{ question: 'help', code: 'print(1)' }, 'body'],
    ];
    for (const [body, where] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as ErrorBody;
      expect(error.issues.map((i) => i.where)).toContain(where);
    }
    const notJson = await app.request('/api/ask', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"question": ',
    });
    expect(notJson.status).toBe(400);
  });

  it('via=model without a configured model is refused, naming --via', async () => {
    const res = await post({ question: 'how often was 23 drawn', via: 'model' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorBody;
    expect(error.message).toBe(
      'no language model is configured: set PBI_ASK_URL and PBI_ASK_MODEL (off by default)',
    );
  });

  it('a token-protected server wants the token, like every POST', async () => {
    const guarded = createApp({ service: t.service, staticDir: null, token: 'a-token-of-16-chars' }).app;
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"question":"help"}',
    };
    expect((await guarded.request('/api/ask', init)).status).toBe(401);
    const ok = await guarded.request('/api/ask', {
      ...init,
      headers: { ...init.headers, authorization: 'Bearer a-token-of-16-chars' },
    });
    expect(ok.status).toBe(200);
  });
});

describe('GET /api/ask/examples and the OpenAPI document', () => {
  it('lists one example per form, each of them answered', async () => {
    const res = await app.request('/api/ask/examples');
    const body = (await res.json()) as { examples: string[]; model: { configured: boolean } };
    expect(body.model.configured).toBe(false);
    expect(body.examples.length).toBeGreaterThanOrEqual(15);
    for (const q of body.examples) expect((await post({ question: q })).status, q).toBe(200);
  });

  it('documents the request, the answer and the refusal', async () => {
    const doc = (await (await app.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths['/ask']!)).toEqual(['post']);
    expect(Object.keys(doc.paths['/ask']!.post!.responses)).toEqual(
      expect.arrayContaining(['200', '400', '502']),
    );
    expect(doc.components.schemas).toHaveProperty('AskRequest');
    expect(doc.components.schemas).toHaveProperty('AskAnswer');
    expect(doc.components.schemas).toHaveProperty('AskRefusal');
  });
});

describe('GET /api/analyze with the options ask reproduces from', () => {
  it('from/to, numbers and pb give the selection; bad lists are 400 naming the field', async () => {
    const res = await app.request('/api/analyze?era=all&from=2019-01-01&to=2019-12-31&numbers=23,34&pb=7');
    expect(res.status).toBe(200);
    const r = (await res.json()) as {
      eras: { draws: number; from: string; selection: { whites: number[]; powerball: number } }[];
    };
    expect(r.eras).toHaveLength(1);
    expect(r.eras[0]!.draws).toBe(104);
    expect(r.eras[0]!.selection).toMatchObject({ whites: [23, 34], powerball: 7 });
    const bad = await app.request('/api/analyze?numbers=23;34');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error.issues[0]!.where).toBe('query.numbers');
    const twice = await app.request('/api/analyze?numbers=5,5');
    expect(twice.status).toBe(400);
    const e = ((await twice.json()) as ErrorBody).error;
    expect(e.message).toBe('query.numbers: a white ball is repeated');
    expect(e.issues[0]!.where).toBe('query.numbers');
  });
});
