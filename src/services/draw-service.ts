/**
 * Draw history use cases: init (load the bundled history), import, add, list.
 */
import fs from 'node:fs';
import path from 'node:path';
import { nextDrawDate } from '../domain/calendar.js';
import { type IsoDate, isoDateOf } from '../domain/dates.js';
import { createDraw, type Draw, sameDraw } from '../domain/draw.js';
import { CURRENT_ERA, eraOf, type RuleEra } from '../domain/eras.js';
import { type ErrorIssue, PbiError } from '../domain/errors.js';
import type { ServiceContext } from './context.js';
import { parseDrawFile, type DrawFileFormat } from './draw-import/parse-draw-file.js';

export interface ImportOptions {
  readonly format?: DrawFileFormat | 'auto';
  /** Import the good rows and report the others instead of rejecting the file. */
  readonly skipInvalid?: boolean;
  /** Apply rows whose numbers differ from what is stored for that date. */
  readonly overwrite?: boolean;
  /** Report what would happen without writing. */
  readonly dryRun?: boolean;
}

export interface RejectedRow {
  readonly line: number;
  readonly reason: string;
}

export interface ImportReport {
  readonly source: string;
  readonly format: DrawFileFormat;
  readonly rows: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Rows whose numbers differ from the stored draw of that date (not applied without --overwrite). */
  readonly conflicts: readonly { line: number; date: IsoDate; stored: Draw; incoming: Draw }[];
  readonly rejected: readonly RejectedRow[];
}

export interface InitReport {
  readonly database: string;
  readonly loadedBundled: ImportReport | null;
  readonly summary: HistorySummary;
}

export interface HistorySummary {
  readonly draws: number;
  readonly firstDate: IsoDate | null;
  readonly lastDate: IsoDate | null;
  readonly currentEra: RuleEra;
  readonly currentEraDraws: number;
  /** Most and least frequent numbers of the current era (whites and Powerball separately). */
  readonly hottestWhites: readonly { number: number; count: number }[];
  readonly coldestWhites: readonly { number: number; count: number }[];
  readonly hottestPowerballs: readonly { number: number; count: number }[];
  readonly coldestPowerballs: readonly { number: number; count: number }[];
  readonly nextDrawDate: IsoDate;
}

export class DrawService {
  constructor(private readonly ctx: ServiceContext) {}

  private today(): IsoDate {
    return isoDateOf(this.ctx.clock.now());
  }

  /** Creates or upgrades the database; loads the bundled history when it holds no draws. */
  init(): InitReport {
    let loaded: ImportReport | null = null;
    if (this.ctx.store.draws.count() === 0) {
      loaded = this.importFile(path.join(this.ctx.config.bundledDataDir, 'draws.csv'), { format: 'csv' });
    }
    return { database: this.ctx.store.path, loadedBundled: loaded, summary: this.summary() };
  }

  /**
   * Imports a draw file. All-or-nothing unless `skipInvalid`.
   * @throws PbiError (IMPORT_REJECTED) listing every bad line; MALFORMED_FILE/UNKNOWN_FORMAT.
   */
  importFile(file: string, options: ImportOptions = {}): ImportReport {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new PbiError('INVALID_INPUT', `cannot read ${file}: ${(error as Error).message}`, [
        { where: file, reason: 'unreadable' },
      ]);
    }
    return this.importText(text, path.basename(file), options);
  }

  /** Imports draw file content (`source` names it in errors). */
  importText(text: string, source: string, options: ImportOptions = {}): ImportReport {
    const parsed = parseDrawFile(text, source, options.format ?? 'auto');
    const today = this.today();
    const rejected: RejectedRow[] = [...parsed.errors];
    const valid: { line: number; draw: Draw }[] = [];
    const seen = new Map<string, number>();
    for (const row of parsed.rows) {
      try {
        const draw = createDraw(row.input, today, `${source}:${row.line}`);
        const first = seen.get(draw.date);
        if (first !== undefined) {
          rejected.push({ line: row.line, reason: `duplicate date ${draw.date} (also on line ${first})` });
          continue;
        }
        seen.set(draw.date, row.line);
        valid.push({ line: row.line, draw });
      } catch (error) {
        if (!(error instanceof PbiError)) throw error;
        rejected.push({
          line: row.line,
          reason: error.issues.map((i) => i.reason).join('; ') || error.message,
        });
      }
    }
    rejected.sort((a, b) => a.line - b.line);
    if (rejected.length > 0 && !options.skipInvalid) {
      const issues: ErrorIssue[] = rejected.map((r) => ({ where: `${source}:${r.line}`, reason: r.reason }));
      throw new PbiError(
        'IMPORT_REJECTED',
        `${source}: ${rejected.length} invalid row(s); nothing was imported (use --skip-invalid to import the valid rows)`,
        issues,
      );
    }
    const stored = this.ctx.store.draws.getMany(valid.map((v) => v.draw.date));
    const insert: Draw[] = [];
    const update: Draw[] = [];
    const conflicts: ImportReport['conflicts'][number][] = [];
    let unchanged = 0;
    for (const { line, draw } of valid) {
      const existing = stored.get(draw.date);
      if (!existing) insert.push(draw);
      else if (sameDraw(existing, draw)) unchanged++;
      else if (sameNumbers(existing, draw) && existing.multiplier !== null && draw.multiplier === null)
        unchanged++;
      else if (options.overwrite) update.push(draw);
      else conflicts.push({ line, date: draw.date, stored: existing, incoming: draw });
    }
    if (!options.dryRun && (insert.length > 0 || update.length > 0)) {
      this.ctx.store.draws.apply({ insert, update, source, at: this.ctx.clock.now().toISOString() });
    }
    return {
      source,
      format: parsed.format,
      rows: parsed.rows.length + parsed.errors.length,
      inserted: insert.length,
      updated: update.length,
      unchanged,
      conflicts,
      rejected,
    };
  }

  /** Draws, oldest first (the newest `last` when given). */
  list(last?: number): Draw[] {
    return this.ctx.store.draws.list(last === undefined ? {} : { last });
  }

  /** Size, range and the hottest/coldest numbers of the current era. */
  summary(): HistorySummary {
    const all = this.ctx.store.draws.list();
    const era = CURRENT_ERA;
    const eraDraws = all.filter((d) => eraOf(d.date) === era);
    const whites = new Array<number>(era.whiteMax + 1).fill(0);
    const pbs = new Array<number>(era.powerballMax + 1).fill(0);
    for (const d of eraDraws) {
      for (const w of d.whites) whites[w] = (whites[w] ?? 0) + 1;
      pbs[d.powerball] = (pbs[d.powerball] ?? 0) + 1;
    }
    const ranked = (counts: number[]) =>
      counts
        .map((count, number) => ({ number, count }))
        .slice(1)
        .sort((a, b) => b.count - a.count || a.number - b.number);
    const w = ranked(whites);
    const p = ranked(pbs);
    const last = all[all.length - 1]?.date ?? null;
    return {
      draws: all.length,
      firstDate: all[0]?.date ?? null,
      lastDate: last,
      currentEra: era,
      currentEraDraws: eraDraws.length,
      hottestWhites: w.slice(0, 5),
      coldestWhites: w.slice(-5).reverse(),
      hottestPowerballs: p.slice(0, 3),
      coldestPowerballs: p.slice(-3).reverse(),
      nextDrawDate: nextDrawDate(last !== null && last > this.today() ? last : this.today()),
    };
  }
}

function sameNumbers(a: Draw, b: Draw): boolean {
  return a.powerball === b.powerball && a.whites.every((w, i) => w === b.whites[i]);
}
