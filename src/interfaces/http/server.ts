/**
 * Listens: the app of app.ts on a host and port, with the binding rules of security.ts.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { PbiError } from '../../domain/errors.js';
import { createApp, type AppOptions, type PbiApp } from './app.js';
import { assertSafeBinding, isLoopbackHost } from './security.js';

/** Where `npm run build` puts the dashboard (vite), from src/ or dist/ alike. */
export const DEFAULT_DASHBOARD_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'dist',
  'web',
);

export interface ServerOptions extends Omit<AppOptions, 'loopbackOnly'> {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
}

export interface RunningServer extends PbiApp {
  /** `http://host:port` as a client reaches it. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, waits for running jobs, closes connections. */
  close(): Promise<void>;
}

/** How long an idle keep-alive socket stays open; see keepSocketsAlive. */
export const KEEP_ALIVE_MS = 65_000;

/**
 * Node closes an idle keep-alive socket after 5 s, but Chromium reuses idle sockets for longer: a
 * request sent on a socket at the moment the server closes it fails with ERR_CONNECTION_RESET (seen
 * under heavy CPU load, when the close and the reuse race). Keeping sockets open longer than browsers
 * reuse them leaves the closing to the client. `headersTimeout` must exceed `keepAliveTimeout`, or a
 * request arriving late on an idle socket is cut off by the headers timer instead.
 */
function keepSocketsAlive(server: ServerType): void {
  if (!('keepAliveTimeout' in server)) return;
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
}

/**
 * Starts the server.
 * @throws PbiError (USAGE) for a non-loopback host without a token; (INVALID_INPUT) when the port is
 * taken or the address cannot be bound.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? null;
  assertSafeBinding(options.host, token);
  const built = createApp({
    ...options,
    staticDir: options.staticDir === undefined ? DEFAULT_DASHBOARD_DIR : options.staticDir,
    loopbackOnly: isLoopbackHost(options.host),
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: built.app.fetch, hostname: options.host, port: options.port }, () => resolve(s));
    s.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new PbiError(
          'INVALID_INPUT',
          error.code === 'EADDRINUSE'
            ? `port ${options.port} is already in use on ${options.host}`
            : `cannot listen on ${options.host}:${options.port}: ${error.message}`,
          [
            {
              where: error.code === 'EADDRINUSE' ? '--port' : '--host',
              reason: error.code ?? 'listen failed',
            },
          ],
          { cause: error },
        ),
      ),
    );
  });
  keepSocketsAlive(server);
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    ...built,
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server)
          (server as { closeAllConnections(): void }).closeAllConnections();
      });
      await built.jobs.idle();
    },
  };
}
