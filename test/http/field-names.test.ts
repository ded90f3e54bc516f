/**
 * A refused request names the API's own fields (`query.from`, `body.params.alpha`, `path.date`),
 * never a command-line flag: the services name fields neutrally and the API words them, against a
 * real listening server. (The command line's wording of the same errors: test/cli.)
 */
import { describe, expect, it } from 'vitest';
import { serveTestService } from '../support/test-server.js';

interface Refusal {
  readonly method?: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly body?: unknown;
  readonly csv?: string;
  readonly status: number;
  /** The field the first issue names, and text the message must hold. */
  readonly where: string;
  readonly message: RegExp;
  /** The error's hint (what to do about it) as data, when it has one. */
  readonly hint?: unknown;
}

const CSV_HEADER = 'draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier';

const REFUSALS: readonly Refusal[] = [
  {
    path: '/api/analyze?from=2020-01-01&to=2019-01-01',
    status: 400,
    where: 'query.from',
    message: /^query\.from 2020-01-01 is after query\.to 2019-01-01$/,
  },
  {
    path: '/api/analyze?numbers=5,5',
    status: 400,
    where: 'query.numbers',
    message: /^query\.numbers: a white ball is repeated$/,
  },
  {
    path: '/api/analysis/trends?era=2000-01-01',
    status: 400,
    where: 'query.era',
    message: /no rule era starts on 2000-01-01/,
  },
  {
    path: '/api/draws/history?from=2024-01-01&to=2023-01-01',
    status: 400,
    where: 'query.from',
    message: /query\.from 2024-01-01 is after query\.to/,
  },
  {
    path: '/api/runs?where=mae~3',
    status: 400,
    where: 'query.where',
    message: /query\.where: expected METRIC<VALUE/,
  },
  {
    method: 'POST',
    path: '/api/backtest',
    body: { from: '2024-01-01', to: '2023-01-01' },
    status: 400,
    where: 'body.from',
    message: /^body\.from 2024-01-01 is after body\.to 2023-01-01$/,
  },
  {
    method: 'POST',
    path: '/api/predict',
    body: { strength: 'strong' },
    status: 400,
    where: 'body.strength',
    message: /^body\.strength must be calibrated, raw, or a number/,
  },
  {
    method: 'POST',
    path: '/api/predict',
    body: { forDate: '2026-08-09' },
    status: 400,
    where: 'body.forDate',
    message: /2026-08-09 is a Sunday, not a draw day/,
  },
  {
    method: 'POST',
    path: '/api/train',
    body: { model: 'ridge', params: { alpha: 'lots' } },
    status: 400,
    where: 'body.params.alpha',
    message: /body\.params\.alpha: ridge: alpha must be/,
  },
  {
    method: 'POST',
    path: '/api/tune',
    body: { model: 'ridge', search: 'grid', trials: 1, params: { alpha: [1, 2, 3] } },
    status: 400,
    where: 'body.trials',
    message: /body\.trials: the grid has 3 combinations, more than the trial budget of 1/,
  },
  {
    method: 'POST',
    path: '/api/draws',
    body: { date: '2026-08-05', whites: [1, 2, 3, 4, 5], powerball: 6 },
    status: 409,
    where: 'body.date',
    message: /use body\.overwrite to replace it/,
    hint: {
      kind: 'overwrite-draw',
      with: '1 2 3 4 5 PB 6',
      words: '(use body.overwrite to replace it with 1 2 3 4 5 PB 6)',
    },
  },
  {
    method: 'PUT',
    path: '/api/draws/2026-08-04',
    body: { whites: [1, 2, 3, 4, 5], powerball: 6 },
    status: 400,
    where: 'path.date',
    message: /2026-08-04 is a Tuesday, not a draw day/,
  },
  {
    method: 'POST',
    path: '/api/draws/import',
    csv: `${CSV_HEADER}\n2024-01-02,1,2,3,4,5,6,2\n`,
    status: 400,
    where: 'upload:2',
    message: /nothing was imported \(use query\.skipInvalid to import the valid rows\)/,
    hint: { kind: 'import-valid-rows', words: '(use query.skipInvalid to import the valid rows)' },
  },
];

describe('field names in API errors', () => {
  const served = serveTestService();

  it.each(REFUSALS)('$path names $where', async (r) => {
    const res = await fetch(`${served.server.url}${r.path}`, {
      method: r.method ?? 'GET',
      ...(r.body !== undefined && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(r.body),
      }),
      ...(r.csv !== undefined && { headers: { 'content-type': 'text/csv' }, body: r.csv }),
    });
    const text = await res.text();
    expect(res.status, text).toBe(r.status);
    // No command-line flag anywhere in the body: not in the message, not in an issue.
    expect(text).not.toMatch(/--/);
    const { error } = JSON.parse(text) as {
      error: { message: string; issues: { where: string }[]; hint?: unknown };
    };
    expect(error.issues[0]?.where).toBe(r.where);
    expect(error.message).toMatch(r.message);
    // What to do about it, as data an API client can act on.
    expect(error.hint).toEqual(r.hint);
  });
});
