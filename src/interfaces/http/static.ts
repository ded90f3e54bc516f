/**
 * Serves the built dashboard. Every file of the build folder is read into memory once at start
 * (the bundle is small), gzipped once, and served from that map: no request path ever reaches the
 * file system, so nothing outside the build can be read. Hashed assets are cached for good;
 * index.html is revalidated so a rebuilt dashboard shows at once. Unknown non-API paths get
 * index.html (the dashboard routes on the client).
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

interface StaticFile {
  readonly body: Uint8Array;
  readonly gzip: Uint8Array | null;
  readonly type: string;
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Reads a build folder into memory; an absent folder gives an empty map. */
export function loadStaticFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!fs.existsSync(dir)) return files;
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        const rel = `/${path.relative(dir, full).split(path.sep).join('/')}`;
        const body = fs.readFileSync(full);
        const type = TYPES[path.extname(full)] ?? 'application/octet-stream';
        const compressible = /text|javascript|json|svg/.test(type) && body.length > 1024;
        files.set(rel, {
          body,
          gzip: compressible ? gzipSync(body, { level: 9 }) : null,
          type,
          immutable: rel.startsWith('/assets/'),
        });
      }
    }
  };
  walk(dir);
  return files;
}

/** The dashboard handler for GET/HEAD of every non-API path. */
export function serveDashboard(files: Map<string, StaticFile>): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const p = c.req.path;
    let file = files.get(p === '/' ? '/index.html' : p);
    if (!file && !path.extname(p)) file = files.get('/index.html');
    if (!file) {
      if (files.size === 0 && (p === '/' || !path.extname(p))) {
        return c.text('The dashboard is not built: run `npm run build`. The API is under /api.', 503);
      }
      return next();
    }
    const gzip = file.gzip !== null && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
    const body = gzip ? (file.gzip as Uint8Array) : file.body;
    c.header('content-type', file.type);
    c.header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    c.header('vary', 'accept-encoding');
    if (gzip) c.header('content-encoding', 'gzip');
    c.header('x-content-type-options', 'nosniff');
    if (file.type.startsWith('text/html')) {
      // Only this origin's scripts and data; inline style attributes are what the charts use.
      c.header(
        'content-security-policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
    }
    if (c.req.method === 'HEAD') return c.body(null, 200);
    return c.body(body as unknown as ArrayBuffer, 200);
  };
}
