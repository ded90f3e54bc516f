/**
 * Reliability on real processes: concurrent writers (prediction sets, model versions, ticket
 * imports) never see a busy error and lose nothing; a writer killed with SIGKILL at a random moment
 * leaves only complete sets, whole ticket batches and a clean `db check`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { tempDir } from '../support/child-process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
// The writer is bundled to one plain JS file once (esbuild, already installed for tsx/vite): a
// process start then costs a fraction of what a TypeScript loader costs, which matters for 50
// kills. It lives under node_modules/.cache so `better-sqlite3` resolves from there.
const CACHE = path.join(root, 'node_modules', '.cache', 'pbi-store-test');
const CHILD = path.join(CACHE, `writer-child-${process.pid}.mjs`);
const REGISTER_CHILD = path.join(CACHE, `register-child-${process.pid}.mjs`);
const TICKET_CHILD = path.join(CACHE, `ticket-import-child-${process.pid}.mjs`);

beforeAll(async () => {
  fs.mkdirSync(CACHE, { recursive: true });
  for (const [entry, outfile] of [
    ['writer-child.ts', CHILD],
    ['register-child.ts', REGISTER_CHILD],
    ['ticket-import-child.ts', TICKET_CHILD],
  ] as const)
    await build({
      entryPoints: [path.join(here, entry)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      external: ['better-sqlite3'],
      outfile,
      logLevel: 'error',
    });
});
afterAll(() => {
  for (const file of [CHILD, REGISTER_CHILD, TICKET_CHILD]) fs.rmSync(file, { force: true });
});

/**
 * A temporary folder for a test's database, removed by `cleanup()`. Not test-db.ts's `makeTestDb`:
 * that module loads the whole service layer, which only the parent's store checks here would use.
 */
function makeTestDb(): { dir: string; cleanup(): void } {
  const dir = tempDir('pbi-reliability-');
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// A test that fails or times out mid-loop must not leave a writer running after it.
const running = new Set<ChildProcess>();
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
});

function startChild(script: string, args: readonly string[]): ChildProcess {
  const child = spawn(process.execPath, [script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.on('close', () => running.delete(child));
  return child;
}

function startWriter(file: string, writer: string, count: number | 'forever' | 'hold'): ChildProcess {
  return startChild(CHILD, [file, writer, String(count)]);
}

function startImporter(file: string, writer: string, count: number | 'forever'): ChildProcess {
  return startChild(TICKET_CHILD, [file, writer, String(count)]);
}

function finished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

/**
 * Every stored set (of `source`, or all) holds exactly the tickets its writer stored
 * (1 + index % 7), in order; and `db check` (totals of every set, orphans, one current set per
 * source) is clean.
 */
function expectSetsComplete(file: string, source?: string): number {
  const store = openStore(file);
  try {
    let sets = 0;
    // Plain checks gathered into one assertion: thousands of `expect` calls cost more than the reads.
    const problems: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = store.predictions.findSets({ limit: 1000, offset, ...(source ? { source } : {}) });
      for (const s of page.items) {
        const index = Number(s.notes?.split(':')[1]);
        if (s.total !== 1 + (index % 7)) problems.push(`${s.setId}: total ${s.total}, index ${index}`);
        if (s.tickets.length !== s.total)
          problems.push(`${s.setId}: ${s.tickets.length} of ${s.total} tickets`);
        if (s.tickets.some((t, i) => t.position !== i))
          problems.push(`${s.setId}: positions ${s.tickets.map((t) => t.position).join(',')}`);
      }
      sets += page.items.length;
      if (!page.hasMore) break;
    }
    expect(problems).toEqual([]);
    expect(store.check()).toEqual({ ok: true, problems: [] });
    return sets;
  } finally {
    store.close();
  }
}

describe('store reliability', () => {
  it('4 processes storing 500 sets each at once: no error, all 2,000 sets present and complete', async () => {
    const t = makeTestDb();
    try {
      const file = path.join(t.dir, 'concurrent.db');
      openStore(file).close(); // migrate once, so the writers race on data, not on schema
      const writers = ['a', 'b', 'c', 'd'].map((w) => finished(startWriter(file, w, 500)));
      const results = await Promise.all(writers);
      for (const r of results) {
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
      }
      expect(expectSetsComplete(file)).toBe(2000);
      const store = openStore(file);
      for (const w of ['a', 'b', 'c', 'd']) {
        expect(store.predictions.findSets({ source: `writer-${w}`, limit: 1000 }).items).toHaveLength(500);
        expect(store.predictions.currentSet(`writer-${w}`)?.notes).toBe(`${w}:499`);
      }
      store.close();
    } finally {
      t.cleanup();
    }
  });

  it('2 processes registering versions of one model at once get distinct consecutive numbers', async () => {
    const t = makeTestDb();
    try {
      const file = path.join(t.dir, 'registry.db');
      openStore(file).close();
      const runs = ['a', 'b'].map((w) => finished(startChild(REGISTER_CHILD, [file, w, '30'])));
      for (const r of await Promise.all(runs)) expect(r).toMatchObject({ code: 0, stderr: '' });
      const store = openStore(file);
      const versions = store.models.showModel('shared').versions;
      expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual(
        [...Array(60).keys()].map((i) => i + 1),
      );
      expect(versions.filter((v) => v.active)).toHaveLength(1);
      // Each writer's own versions are in its order.
      for (const w of ['a', 'b']) {
        const mine = versions.filter((v) => v.hyperparameters.writer === w).reverse();
        expect(mine.map((v) => v.hyperparameters.i)).toEqual([...Array(30).keys()]);
      }
      expect(store.check()).toEqual({ ok: true, problems: [] });
      store.close();
    } finally {
      t.cleanup();
    }
  });

  it('a writer killed inside an open write transaction: the half-written set is rolled back', async () => {
    const t = makeTestDb();
    try {
      const file = path.join(t.dir, 'held.db');
      openStore(file).close();
      const child = startWriter(file, 'h', 'hold');
      const done = finished(child);
      let out = '';
      await new Promise<void>((resolve) => {
        child.stdout?.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('holding')) resolve();
        });
        child.on('close', () => resolve());
      });
      // Inside its transaction the writer sees set 3 written; no other connection does.
      expect(out).toContain('holding 3 visible=4');
      expect(expectSetsComplete(file, 'writer-h')).toBe(3);
      child.kill('SIGKILL');
      expect(await done).toMatchObject({ signal: 'SIGKILL', stderr: '' });
      // After the kill: sets 0..2 complete, set 3 gone, db check clean.
      expect(expectSetsComplete(file, 'writer-h')).toBe(3);
      const store = openStore(file);
      expect(
        store.predictions
          .findSets({ source: 'writer-h', limit: 10 })
          .items.map((s) => s.notes)
          .sort(),
      ).toEqual(['h:0', 'h:1', 'h:2']);
      store.close();
    } finally {
      t.cleanup();
    }
  });

  it('a writer killed with SIGKILL at a random moment, 50 times: every set complete or absent, db check clean', async () => {
    const t = makeTestDb();
    try {
      const file = path.join(t.dir, 'killed.db');
      openStore(file).close();
      // Each round: start a writer, let it store a random number of sets, kill it mid-flight, check.
      let seed = 12345;
      const random = () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return seed / 2 ** 31;
      };
      let midWrite = 0;
      let rolledBack = 0;
      for (let round = 0; round < 50; round++) {
        const child = startWriter(file, `k${round}`, 'forever');
        const done = finished(child);
        const target = 1 + Math.floor(random() * 40);
        let out = '';
        await new Promise<void>((resolve) => {
          child.stdout?.on('data', (d: Buffer) => {
            out += d.toString();
            if ((out.match(/^stored /gm) ?? []).length >= target) resolve();
          });
          child.on('close', () => resolve());
        });
        // A random sub-millisecond delay, so the kill lands at varying points of a transaction.
        await new Promise((r) => setTimeout(r, random() * 3));
        child.kill('SIGKILL');
        const r = await done;
        expect(r.signal).toBe('SIGKILL');
        expect(r.stderr).toBe('');
        // Sets the writer reported stored are all there; the one it had begun is there only if
        // its commit landed before the kill.
        const last = (word: string) =>
          Math.max(-1, ...[...out.matchAll(new RegExp(`^${word} (\\d+)$`, 'gm'))].map((m) => Number(m[1])));
        const [begun, stored] = [last('begin'), last('stored')];
        const sets = expectSetsComplete(file, `writer-k${round}`);
        expect(sets).toBeGreaterThanOrEqual(stored + 1);
        expect(sets).toBeLessThanOrEqual(begun + 1);
        if (begun > stored) midWrite++;
        if (begun > stored && sets === begun) rolledBack++;
      }
      // About half the kills land while a set is being written, and that set is rolled back.
      expect(midWrite).toBeGreaterThan(0);
      expect(rolledBack).toBeGreaterThan(0);
      console.log(`kills while a set was being written: ${midWrite}/50, of which rolled back: ${rolledBack}`);
    } finally {
      t.cleanup();
    }
    // Fifty process starts and kills: minutes on a machine busy with other work.
  }, 180_000);
});

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
    // Plain checks gathered into one assertion: thousands of `expect` calls cost more than the reads.
    const problems: string[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = store.tickets.list({ limit: 1000, offset });
      for (const t of page.items) {
        if (t.plays.length !== 4) problems.push(`ticket ${t.id}: ${t.plays.length} plays`);
        if (!t.plays.every((p) => p.result !== null)) problems.push(`ticket ${t.id}: a play unchecked`);
        bySize.set(t.note as string, (bySize.get(t.note as string) ?? 0) + 1);
      }
      if (!page.hasMore) break;
    }
    for (const [note, n] of bySize)
      if (n !== 50 + (Number(note.split(':')[1]) % 50)) problems.push(`batch ${note}: ${n} tickets`);
    expect(problems).toEqual([]);
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
      const results = await Promise.all(['a', 'b'].map((w) => finished(startImporter(file, w, 15))));
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
        const child = startImporter(file, `k${round}`, 'forever');
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
    // Fifty process starts and kills: minutes on a machine busy with other work.
  }, 180_000);
});
