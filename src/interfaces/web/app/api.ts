/**
 * The dashboard's only way to the server: JSON over /api, the server's error shape turned into
 * ApiError, and the token (when the server needs one) kept for this browser tab only.
 */

import type { ApiHint } from '../../http/contract/common.js';

export interface ApiIssue {
  readonly where: string;
  readonly reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly ApiIssue[] = [],
    /** What the user can do about it, as data (its words are in the message). */
    readonly hint?: ApiHint,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'pbi-token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

type Query = Record<string, string | number | boolean | undefined | null>;

function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

async function request<T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = getToken();
  if (token && method !== 'GET') headers.authorization = `Bearer ${token}`;
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(url(path, query), { method, headers, body: payload });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (
      data as { error?: { code?: string; message?: string; issues?: ApiIssue[]; hint?: ApiHint } } | null
    )?.error;
    throw new ApiError(
      res.status,
      e?.code ?? 'HTTP',
      e?.message ?? `HTTP ${res.status}`,
      e?.issues ?? [],
      e?.hint,
    );
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, query),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, query, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, undefined, body ?? {}),
  delete: <T>(path: string) => request<T>('DELETE', path),
  /** Asks the server to cancel a queued or running job. */
  cancelJob: (id: string) =>
    request<unknown>('POST', `/jobs/${encodeURIComponent(id)}/cancel`, undefined, {}),
  /** Streams a job's server-sent events until it finishes; resolves with the final job. */
  followJob<J extends { status: string }>(id: string, onProgress: (job: J) => void): Promise<J> {
    return new Promise((resolve, reject) => {
      const source = new EventSource(`/api/jobs/${encodeURIComponent(id)}/events`);
      source.addEventListener('progress', (e) => onProgress(JSON.parse((e as MessageEvent).data) as J));
      source.addEventListener('done', (e) => {
        source.close();
        const job = JSON.parse((e as MessageEvent).data) as J;
        onProgress(job);
        resolve(job);
      });
      source.onerror = () => {
        source.close();
        // The stream dropped: fall back to polling.
        const poll = async () => {
          try {
            const job = await request<J>('GET', `/jobs/${encodeURIComponent(id)}`);
            onProgress(job);
            if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled')
              resolve(job);
            else setTimeout(poll, 500);
          } catch (error) {
            reject(error);
          }
        };
        void poll();
      };
    });
  },
};
