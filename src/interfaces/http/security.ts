/**
 * Who may change what. Reading is open; every mutating request (anything but GET/HEAD/OPTIONS)
 * needs the server's token when it has one. Bound to a loopback address the server may run without
 * a token, and then it also refuses requests whose Host is not a loopback name (a web page that
 * rebinds its own domain to 127.0.0.1 cannot drive the API) and cross-site form posts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { PbiError } from '../../domain/errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Refuses an unsafe start: a non-loopback address without a token.
 * @throws PbiError (USAGE) naming --token and PBI_TOKEN.
 */
export function assertSafeBinding(host: string, token: string | null): void {
  if (!isLoopbackHost(host) && (token === null || token.length === 0)) {
    throw new PbiError(
      'USAGE',
      `refusing to listen on ${host} without a token: give --token or set PBI_TOKEN (mutating endpoints will require it)`,
      [{ where: '--token', reason: 'required when --host is not a loopback address' }],
    );
  }
  if (token !== null && token.length > 0 && token.length < 16) {
    throw new PbiError('USAGE', 'the token must be at least 16 characters long', [
      { where: '--token', reason: 'too short' },
    ]);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The token a request carries: `Authorization: Bearer T` or `X-PBI-Token: T`. */
function presentedToken(authorization: string | undefined, header: string | undefined): string | null {
  if (authorization) {
    const m = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    if (m) return (m[1] as string).trim();
  }
  return header?.trim() || null;
}

/**
 * Requires `token` on mutating requests (constant-time comparison). With no token, lets all through.
 * @throws PbiError (UNAUTHORIZED).
 */
export function requireTokenForWrites(token: string | null): MiddlewareHandler {
  const expected = token ? digest(token) : null;
  return async (c, next) => {
    if (expected === null || SAFE_METHODS.has(c.req.method)) return next();
    const given = presentedToken(c.req.header('authorization'), c.req.header('x-pbi-token'));
    if (given === null) {
      throw new PbiError('UNAUTHORIZED', 'this endpoint changes data and needs the server token', [
        { where: 'header.authorization', reason: 'missing: send "Authorization: Bearer <token>"' },
      ]);
    }
    if (!timingSafeEqual(digest(given), expected)) {
      throw new PbiError('UNAUTHORIZED', 'wrong token', [
        { where: 'header.authorization', reason: 'wrong token' },
      ]);
    }
    return next();
  };
}

/**
 * For loopback-only servers: the Host header must name a loopback host (defeats DNS rebinding), and
 * a mutating request from a browser must come from the same origin (defeats cross-site posts).
 * @throws PbiError (UNAUTHORIZED).
 */
export function loopbackGuard(): MiddlewareHandler {
  return async (c, next) => {
    // The Host header on a real server; the request URL's host in-process (same value on node-server).
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    {
      const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? '');
      if (!isLoopbackHost(name)) {
        throw new PbiError(
          'UNAUTHORIZED',
          `host ${name} is not served: this server answers on loopback names only`,
        );
      }
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== 'null') {
        let originHost = '';
        try {
          originHost = new URL(origin).host;
        } catch {
          originHost = '';
        }
        if (originHost !== host) {
          throw new PbiError('UNAUTHORIZED', `cross-origin request from ${origin} refused`);
        }
      } else if (origin === 'null') {
        throw new PbiError('UNAUTHORIZED', 'cross-origin request refused');
      }
    }
    return next();
  };
}
