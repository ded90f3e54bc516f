/**
 * `pbi ask` as the real executable on the bundled history: the answer and its --json document,
 * refusals with exit code 1 and the nearest forms (never a stack trace), usage errors with 2, and
 * the language-model path configured from the environment against a local fake server.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileHash } from '../support/child-process.js';
import { runPbi } from '../support/run-pbi.js';
import { makeTestDb } from '../support/test-db.js';

let dir: string;
let db: string;
let server: http.Server;
let modelUrl: string;
let modelReply: string | null = null;

beforeAll(async () => {
  ({ dir, dbPath: db } = makeTestDb({ name: 'a.db' }));
  expect((await runPbi(['--db', db, 'init'])).code).toBe(0);
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (modelReply === null) return; // hangs: the CLI must time out
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: modelReply } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  modelUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);

describe('pbi ask', () => {
  it('answers with the figure, the period and era, the chance value and the command', async () => {
    const r = await runPbi(['--db', db, 'ask', 'How often has 23 been drawn as a white ball in 2019?']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^23 was drawn as a white ball \d+ times against 7\.5 expected by chance, in 104 draws from 2019-01-02 to 2019-12-28, all in the current era/,
    );
    expect(lines[1]).toBe('reproduce: pbi analyze --era all --from 2019-01-01 --to 2019-12-31');
    expect(lines[2]).toBe('(read by the built-in parser; nothing left this machine)');
    // The reproduction command prints the same count.
    const count = Number(/white ball (\d+) times/.exec(lines[0]!)![1]);
    const again = await runPbi([
      '--db',
      db,
      '--json',
      'analyze',
      '--era',
      'all',
      '--from',
      '2019-01-01',
      '--to',
      '2019-12-31',
    ]);
    expect(JSON.parse(again.stdout).eras[0].whites.numbers[22].count).toBe(count);
  });

  it('--json gives the structured query, the figures and the sentence', async () => {
    const r = await runPbi(['--db', db, '--json', 'ask', 'is', '23', 'overdue', 'as', 'a', 'white', 'ball']);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.query).toEqual({
      kind: 'overdue',
      number: 23,
      pool: 'white',
      period: { kind: 'era', era: 'current' },
    });
    expect(a.figures.find((f: { name: string }) => f.name === 'white gap')).toMatchObject({
      chance: 13.8,
      era: '2015-10-07',
    });
    expect(a.sentence).toMatch(/^No number is ever overdue: draws are independent\./);
    expect(a.path).toEqual({ kind: 'parser' });
  });

  it('refusals exit 1 with the reason and the nearest forms, never a stack trace; the database is untouched', async () => {
    const before = fileHash(db);
    for (const [question, message] of [
      ['how often was 70 drawn as a white ball', /^pbi: 70 has never been a valid white ball/],
      ['', /^pbi: the question is empty/],
      ['x'.repeat(10_240), /^pbi: the question is 10240 characters long; ask in at most 300/],
      ['how often was 23 drawn since 1985', /^pbi: 1985-01-01 is before the first Powerball draw/],
      ['how often was 23 drawn in 2099', /^pbi: 2099-01-01 is in the future/],
      ['how often were 12 and 34 drawn', /^pbi: the question names 2 numbers/],
    ] as const) {
      const r = await runPbi(['--db', db, 'ask', question]);
      expect(r.code, question.slice(0, 30)).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/\n {2}try: /);
      noStack(r.stderr);
    }
    const json = await runPbi(['--db', db, '--json', 'ask', 'banana']);
    expect(json.code).toBe(1);
    const e = JSON.parse(json.stderr).error;
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.suggestions.length).toBeGreaterThan(0);
    expect(fileHash(db)).toBe(before);
  });

  it('a missing question or a bad flag is a usage error (exit 2)', async () => {
    expect((await runPbi(['--db', db, 'ask'])).code).toBe(2);
    const bad = await runPbi(['--db', db, 'ask', '--via', 'shell', 'help']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--via must be one of auto, parser, model/);
  });

  it('the language model from the environment: used only for what the parser cannot read, and said so', async () => {
    modelReply = JSON.stringify({
      query: { kind: 'last', number: 7, pool: 'powerball', period: { kind: 'era', era: 'all' } },
    });
    const env = { PBI_ASK_URL: modelUrl, PBI_ASK_MODEL: 'tiny-local' };
    const r = await runPbi(['--db', db, 'ask', 'lucky seven in red, when did we last see it'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^7 was last drawn as the Powerball on \d{4}-\d{2}-\d{2}, \d+ draws? ago/);
    expect(r.stdout).toContain(
      `(translated by the language model tiny-local at ${modelUrl}/chat/completions; on this machine)`,
    );
    const parsed = await runPbi(['--db', db, '--json', 'ask', 'when was 7 last drawn as the powerball'], env);
    expect(JSON.parse(parsed.stdout).path).toEqual({ kind: 'parser' });

    modelReply = '{"query": {"kind": "run_code", "code": "print(42)"}}';
    const off = await runPbi(['--db', db, 'ask', 'lucky seven in red, when did we last see it'], env);
    expect(off.code).toBe(1);
    expect(off.stderr).toMatch(
      /answered a query outside the schema \(query\.kind: .*\); nothing was answered from it/,
    );
    noStack(off.stderr);

    modelReply = null;
    const slow = await runPbi(['--db', db, 'ask', 'lucky seven in red, when did we last see it'], {
      ...env,
      PBI_ASK_TIMEOUT_MS: '300',
    });
    expect(slow.code).toBe(1);
    expect(slow.stderr).toMatch(/did not answer within 300 ms \(timed out\)/);
    noStack(slow.stderr);
  });
});
