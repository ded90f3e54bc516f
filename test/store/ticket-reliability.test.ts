/**
 * Ticket imports on real processes: two importers at once lose nothing and never see a busy
 * error; an importer killed with SIGKILL at random moments leaves every batch whole or absent
 * (no partial ticket, no ticket without all its plays, no play of a stored draw unchecked) and a
 * clean `db check`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { makeTestDb } from '../support/test-db.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const CACHE = path.join(root, 'node_modules', '.cache', 'pbi-store-test');
const CHILD = path.join(CACHE, `ticket-import-child-${process.pid}.mjs`);

beforeAll(async () => {
  fs.mkdirSync(CACHE, { recursive: true });
  await build({
    entryPoints: [path.join(here, 'ticket-import-child.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    outfile: CHILD,
    logLevel: 'error',
  });
});
afterAll(() => fs.rmSync(CHILD, { force: true }));

function start(file: string, writer: string, count: number | 'forever'): ChildProcess {
  return spawn(process.execPath, [CHILD, file, writer, String(count)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

/** A database with the real draws of July 2026, so imported plays are checked in the import. */
function prepare(file: string): void {
  const store = openStore(file);
  const lines = fs
    .readFileSync(path.join(root, 'data', 'powerball', 'draws.csv'), 'utf8')
    .trim()
    .split('\n');
  const draws = lines
    .filter((l) => l.startsWith('2026-07'))
    .map((l) => {
      const [date, ...n] = l.split(',');
      return {
        date: date as never,
        whites: n.slice(0, 5).map(Number) as never,
        powerball: Number(n[5]),
        multiplier: n[6] ? Number(n[6]) : null,
      };
    });
  store.draws.apply({ insert: draws, update: [], source: 'test', at: '2026-08-06T00:00:00.000Z' });
  store.close();
}

/** Every batch present holds all its tickets, each with its 4 plays, all checked; db check clean. */
function expectBatchesWhole(file: string): number {
  const store = openStore(file);
  try {
    const bySize = new Map<string, number>();
    for (let offset = 0; ; offset += 1000) {
      const page = store.tickets.list({ limit: 1000, offset });
      for (const t of page.items) {
        expect(t.plays, `ticket ${t.id}`).toHaveLength(4);
        expect(t.plays.every((p) => p.result !== null)).toBe(true);
        bySize.set(t.note as string, (bySize.get(t.note as string) ?? 0) + 1);
      }
      if (!page.hasMore) break;
    }
    for (const [note, n] of bySize) expect(n, note).toBe(50 + (Number(note.split(':')[1]) % 50));
    expect(store.check()).toEqual({ ok: true, problems: [] });
    return bySize.size;
  } finally {
    store.close();
  }
}

describe('ticket import reliability', () => {
  it('2 processes importing 15 batches each at once: no error, all 30 batches whole', async () => {
    const t = makeTestDb();
    try {
      const file = path.join(t.dir, 'concurrent.db');
      prepare(file);
      const results = await Promise.all(['a', 'b'].map((w) => finished(start(file, w, 15))));
      for (const r of results) expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(expectBatchesWhole(file)).toBe(30);
    } finally {
      t.cleanup();
    }
  });

  it('an importer killed with SIGKILL at a random moment, 15 times: each batch whole or absent', async () => {
    const t = makeTestDb();
    try {
      const file = path.join(t.dir, 'killed.db');
      prepare(file);
      let seed = 4242;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      for (let round = 0; round < 15; round++) {
        const child = start(file, `k${round}`, 'forever');
        const done = finished(child);
        const target = 1 + Math.floor(random() * 4);
        await new Promise<void>((resolve) => {
          let seen = 0;
          child.stdout?.on('data', (d: Buffer) => {
            seen += d
              .toString()
              .split('\n')
              .filter((l) => l.startsWith('imported')).length;
            if (seen >= target) resolve();
          });
          child.on('close', () => resolve());
        });
        // A batch takes a few milliseconds: a random delay lands the kill inside one most times.
        await new Promise((r) => setTimeout(r, random() * 15));
        child.kill('SIGKILL');
        const r = await done;
        expect(r.signal).toBe('SIGKILL');
        expect(r.stderr).toBe('');
        expectBatchesWhole(file);
      }
      const store = openStore(file);
      expect(store.tickets.counts().tickets).toBeGreaterThanOrEqual(15 * 50);
      store.close();
    } finally {
      t.cleanup();
    }
  });
});
