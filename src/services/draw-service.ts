/**
 * Draw history use cases: init (load the bundled history), import a file, add one draw by hand,
 * update from the official NY export, list, count, summary, overview.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  assertDrawDate,
  latestDrawnDay,
  missingDrawsNotice,
  missingScheduledDraws,
  nextScheduledDraw,
} from '../domain/calendar.js';
import { checkDateRange, dateField, type IsoDate } from '../domain/dates.js';
import { said, type Said } from '../domain/hints.js';
import { notUtf8 } from '../domain/text.js';
import { createDraw, type Draw, sameDraw } from '../domain/draw.js';
import { CURRENT_ERA, ERAS, eraOf, type RuleEra } from '../domain/eras.js';
import { checkField, FieldError, type FieldIssue, NotFoundError, PbiError } from '../domain/errors.js';
import type { ServiceContext } from './context.js';
import { drawOverview, type Overview } from './draw-overview.js';
import { parseDrawDate } from './draw-import/draw-dates.js';
import { download } from './draw-import/download.js';
import { MAX_DRAW_FILE_BYTES, MAX_LISTED_PROBLEMS } from './draw-import/limits.js';
import { parseDrawFile, type DrawFileFormat } from './draw-import/parse-draw-file.js';
import { RowProblem } from './draw-import/types.js';

export { MAX_DRAW_FILE_BYTES };

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

export interface DrawConflict {
  readonly line: number;
  readonly date: IsoDate;
  readonly stored: Draw;
  readonly incoming: Draw;
}

export interface ImportReport {
  readonly source: string;
  readonly format: DrawFileFormat;
  readonly rows: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Rows whose numbers differ from the stored draw of that date (not applied without overwrite). */
  readonly conflicts: readonly DrawConflict[];
  readonly rejected: readonly RejectedRow[];
  /** Played tickets' plays checked because their draw arrived or changed with this import. */
  readonly playsChecked: number;
}

export interface UpdateOptions extends ImportOptions {
  /** Where to download from; the configured official export when absent. */
  readonly url?: string;
  /** Called as the download arrives: bytes so far and the announced total (null when unknown). */
  readonly onProgress?: (received: number, total: number | null) => void;
}

export interface UpdateReport extends ImportReport {
  readonly url: string;
  readonly bytes: number;
}

export interface AddDrawRequest {
  /** The draw date in any spelling the importers accept (`YYYY-MM-DD`, `MM/DD/YYYY`, …). */
  readonly date: string;
  readonly whites: readonly number[];
  readonly powerball: number;
  readonly multiplier?: number | null;
  /** The Double Play draw's numbers (from 2021-08-23), when known. */
  readonly doublePlay?: { readonly whites: readonly number[]; readonly powerball: number } | null;
  /** Replace a stored draw of that date whose numbers differ. */
  readonly overwrite?: boolean;
}

export interface AddDrawReport {
  readonly draw: Draw;
  readonly status: 'inserted' | 'updated' | 'unchanged';
  /** The draw stored before, when it was replaced. */
  readonly previous: Draw | null;
  /** Played tickets' plays checked against this draw now. */
  readonly playsChecked: number;
}

export interface DrawPage {
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly hasMore: boolean;
  /** Newest first; `era` is the id (start date) of the rules the draw was drawn under. */
  readonly draws: readonly (Draw & { readonly era: IsoDate })[];
}

export interface RemoveDrawReport {
  readonly draw: Draw;
  /** Played tickets' results against this draw, removed (those plays wait for the draw again). */
  readonly playResultsRemoved: number;
  /** Prediction scores against this draw, removed (those sets are scored again by evaluate). */
  readonly scoresRemoved: number;
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
  /** The first scheduled draw whose draw time (10:59 pm US Eastern) has not passed. */
  readonly nextDrawDate: IsoDate;
  /** Scheduled draws whose time has passed but that are not stored, and what to do about them. */
  readonly missingDraws: number;
  readonly missingDrawsNotice: Said | null;
}

export class DrawService {
  /** Draws and the checks of played tickets they settle, written in one transaction. */
  constructor(private readonly ctx: ServiceContext<'draws' | 'tickets' | 'transaction' | 'path'>) {}

  /** The latest day whose draw has happened by now (a draw dated later cannot be known yet). */
  private lastDrawn(): IsoDate {
    return latestDrawnDay(this.ctx.clock.now());
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
   * @throws PbiError IMPORT_REJECTED listing every bad line; MALFORMED_FILE / UNKNOWN_FORMAT;
   * INVALID_INPUT when the file cannot be read; TOO_LARGE over MAX_DRAW_FILE_BYTES.
   */
  importFile(file: string, options: ImportOptions = {}): ImportReport {
    let text: string;
    try {
      const size = fs.statSync(file).size;
      if (size > MAX_DRAW_FILE_BYTES)
        throw new PbiError(
          'TOO_LARGE',
          `${file} is ${size} bytes; draw files are limited to ${MAX_DRAW_FILE_BYTES}`,
        );
      const bytes = fs.readFileSync(file);
      const encoding = notUtf8(bytes);
      if (encoding)
        throw new PbiError(
          'MALFORMED_FILE',
          `${file} is ${encoding}; draw files must be UTF-8 text (save it as UTF-8 CSV or JSON)`,
          [{ where: file, reason: encoding }],
        );
      text = bytes.toString('utf8');
    } catch (error) {
      if (error instanceof PbiError) throw error;
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
      throw new PbiError('INVALID_INPUT', `cannot read ${file}: ${reason}`, [{ where: file, reason }]);
    }
    return this.importText(text, file, options);
  }

  /**
   * Imports draw file content (`source` names it in errors and in the stored rows).
   * @throws PbiError as `importFile`.
   */
  importText(text: string, source: string, options: ImportOptions = {}): ImportReport {
    const parsed = parseDrawFile(text, source, options.format ?? 'auto');
    const today = this.lastDrawn();
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
        // Date problems read best as the full message ("2025-06-01 is a Sunday, not a draw day …");
        // number problems as the list of every rule broken.
        const reason =
          error.code === 'INVALID_DRAW_DATE' || error.issues.length === 0
            ? error.message
            : error.issues.map((i) => i.reason).join('; ');
        rejected.push({ line: row.line, reason });
      }
    }
    rejected.sort((a, b) => a.line - b.line);
    if (rejected.length > 0 && !options.skipInvalid) {
      // The first problems and a count: a broken million-line file must not make a million issues.
      const issues: FieldIssue[] = rejected
        .slice(0, MAX_LISTED_PROBLEMS)
        .map((r) => ({ where: `${source}:${r.line}`, reason: r.reason, inData: true }));
      if (rejected.length > MAX_LISTED_PROBLEMS)
        issues.push({
          where: source,
          reason: `… and ${rejected.length - MAX_LISTED_PROBLEMS} more invalid row(s)`,
          inData: true,
        });
      throw new FieldError(
        said`${source}: ${rejected.length} invalid row(s); nothing was imported ${{ kind: 'import-valid-rows' }}`,
        issues,
        'IMPORT_REJECTED',
      );
    }
    const stored = this.ctx.store.draws.getMany(valid.map((v) => v.draw.date));
    const insert: Draw[] = [];
    const update: Draw[] = [];
    const conflicts: DrawConflict[] = [];
    let unchanged = 0;
    for (const { line, draw } of valid) {
      const existing = stored.get(draw.date);
      if (!existing) insert.push(draw);
      else if (sameDraw(existing, draw)) unchanged++;
      else {
        // A file without the multiplier or Double Play numbers says nothing new about a draw stored
        // with them, and one with them fills in a draw stored without: new facts, not a conflict.
        const merged = sameNumbers(existing, draw) ? withNewFacts(existing, draw) : null;
        if (merged && sameDraw(merged, existing)) unchanged++;
        else if (merged) update.push(merged);
        else if (options.overwrite) update.push(draw);
        else conflicts.push({ line, date: draw.date, stored: existing, incoming: draw });
      }
    }
    let playsChecked = 0;
    if (!options.dryRun && (insert.length > 0 || update.length > 0)) {
      playsChecked = this.store([...insert, ...update], source, insert.length);
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
      playsChecked,
    };
  }

  /**
   * Stores new and changed draws and checks the played tickets of those draws in the same
   * transaction, so a result exists exactly when its draw does. Returns the plays checked.
   */
  private store(draws: readonly Draw[], source: string, inserted: number): number {
    const at = this.ctx.clock.now().toISOString();
    return this.ctx.store.transaction(() => {
      this.ctx.store.draws.apply({
        insert: draws.slice(0, inserted),
        update: draws.slice(inserted),
        source,
        at,
      });
      return this.ctx.store.tickets.checkDraws(
        draws.map((d) => d.date),
        at,
      );
    });
  }

  /**
   * Enters one draw by hand, with the same validation as an import.
   * @throws ValidationError (INVALID_DRAW_DATE, INVALID_NUMBERS); ConflictError when a draw with
   * other numbers is stored for that date and `overwrite` is not set.
   */
  add(request: AddDrawRequest): AddDrawReport {
    let date: IsoDate;
    try {
      date = parseDrawDate(request.date);
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      const { message } = error;
      throw new FieldError(() => message, [{ where: 'date', reason: message }], 'INVALID_DRAW_DATE');
    }
    // The date is the request's own field (the numbers' problems are named within the draw).
    checkField('date', () => assertDrawDate(date, this.lastDrawn()));
    const draw = createDraw(
      {
        date,
        whites: request.whites,
        powerball: request.powerball,
        multiplier: request.multiplier ?? null,
        doublePlay: request.doublePlay ?? null,
      },
      this.lastDrawn(),
      'draw',
    );
    const existing = this.ctx.store.draws.get(date);
    if (existing && sameDraw(existing, draw))
      return { draw, status: 'unchanged', previous: null, playsChecked: 0 };
    // Same numbers with a multiplier or Double Play numbers added: new facts, not a conflict.
    const merged = existing && sameNumbers(existing, draw) ? withNewFacts(existing, draw) : null;
    if (existing && merged && !request.overwrite) {
      if (sameDraw(merged, existing))
        return { draw: existing, status: 'unchanged', previous: null, playsChecked: 0 };
      return {
        draw: merged,
        status: 'updated',
        previous: existing,
        playsChecked: this.store([merged], 'manual', 0),
      };
    }
    if (existing && !request.overwrite) {
      throw new FieldError(
        said`a different draw is stored for ${date}: ${describeDraw(existing)} ${{ kind: 'overwrite-draw', with: describeDraw(draw) }}`,
        [{ where: 'date', reason: 'draw already stored with other numbers' }],
        'CONFLICT',
      );
    }
    const playsChecked = this.store([draw], 'manual', existing ? 0 : 1);
    return { draw, status: existing ? 'updated' : 'inserted', previous: existing, playsChecked };
  }

  /**
   * Downloads the NY open-data export (or `options.url`) and imports it like a file. Nothing is
   * stored unless the whole download arrived and parsed.
   * @throws PbiError NETWORK (unreachable, HTTP error status, timeout, not a draw file), TOO_LARGE,
   * INVALID_INPUT (bad URL), and the import errors of `importText`.
   */
  async update(options: UpdateOptions = {}): Promise<UpdateReport> {
    const url = options.url ?? this.ctx.config.updateUrl;
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(url);
    } catch {
      throw new FieldError(
        (n) => `${n('url')} "${url}" is not a URL`,
        [{ where: 'url', reason: 'not a URL' }],
      );
    }
    if (parsedUrl.protocol !== 'http:' && parsedUrl.protocol !== 'https:')
      throw new FieldError(
        (n) => `${n('url')} must be http or https, got ${parsedUrl.protocol}`,
        [{ where: 'url', reason: 'unsupported protocol' }],
      );
    const timeoutMs = this.ctx.config.httpTimeoutMs;
    const text = await download(url, timeoutMs, options.onProgress);
    let report: ImportReport;
    try {
      report = this.importText(text, url, options);
    } catch (error) {
      if (error instanceof PbiError && (error.code === 'MALFORMED_FILE' || error.code === 'UNKNOWN_FORMAT'))
        throw new PbiError('NETWORK', `${url} did not return a draw file: ${error.message}`, error.issues, {
          cause: error,
        });
      throw error;
    }
    return { ...report, url, bytes: Buffer.byteLength(text) };
  }

  /** Draws, oldest first (the newest `last` when given). */
  list(
    query: number | { readonly last?: number; readonly from?: string; readonly to?: string } = {},
  ): Draw[] {
    const q = typeof query === 'number' ? { last: query } : query;
    const from = q.from === undefined ? undefined : dateField('from', q.from);
    const to = q.to === undefined ? undefined : dateField('to', q.to);
    checkDateRange(from, to);
    return this.ctx.store.draws.list({
      ...(q.last === undefined ? {} : { last: q.last }),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    });
  }

  /** How many draws are stored. */
  count(): number {
    return this.ctx.store.draws.count();
  }

  /** The dashboard overview's figures: latest and next draw, jackpot odds, draws per era. */
  overview(): Overview {
    // Counts per era and the two ends, not every row: the dashboard asks for this on every visit.
    const draws = this.ctx.store.draws;
    const perEra = new Map<string, number>();
    for (const era of ERAS)
      perEra.set(
        era.id,
        draws.page({ from: era.from, ...(era.to ? { to: era.to } : {}), limit: 0, offset: 0 }).total,
      );
    const total = [...perEra.values()].reduce((n, c) => n + c, 0);
    const oldest = total > 0 ? draws.page({ limit: 1, offset: total - 1 }).draws[0] : undefined;
    return drawOverview(
      { latest: draws.latest(), firstDate: oldest?.date ?? null, perEra },
      this.ctx.clock.now(),
    );
  }

  /**
   * A page of the history, newest first, each draw with the rule era it was drawn under.
   * @throws ValidationError when `from` is after `to`.
   */
  page(query: { from?: IsoDate; to?: IsoDate; limit: number; offset: number }): DrawPage {
    checkDateRange(query.from, query.to);
    const { total, draws } = this.ctx.store.draws.page(query);
    return {
      total,
      offset: query.offset,
      limit: query.limit,
      hasMore: query.offset + draws.length < total,
      draws: draws.map((draw) => ({ ...draw, era: eraOf(draw.date).id })),
    };
  }

  /**
   * Deletes the stored draw of `date` (a draw entered by mistake). Results and scores computed
   * against it are removed with it, so they are recomputed when the right draw arrives.
   * @throws ValidationError for a malformed date; NotFoundError when no draw is stored for it.
   */
  remove(dateText: string): RemoveDrawReport {
    const date = dateField('date', dateText);
    const removed = this.ctx.store.draws.remove(date);
    if (!removed) throw new NotFoundError(`no draw is stored for ${date}`);
    return { draw: removed.draw, playResultsRemoved: removed.playResults, scoresRemoved: removed.scores };
  }

  /** The whole history as a file the importers read back: CSV (the bundled layout) or JSON. */
  exportHistory(format: 'csv' | 'json'): string {
    const draws = this.ctx.store.draws.list();
    if (format === 'json') return `${JSON.stringify(draws, null, 1)}\n`;
    const lines = ['draw_date,white_1,white_2,white_3,white_4,white_5,powerball,multiplier'];
    for (const d of draws) lines.push([d.date, ...d.whites, d.powerball, d.multiplier ?? ''].join(','));
    return `${lines.join('\n')}\n`;
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
    const missing = missingScheduledDraws(last, this.ctx.clock.now());
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
      nextDrawDate: nextScheduledDraw(this.ctx.clock.now()),
      missingDraws: missing.length,
      missingDrawsNotice: missingDrawsNotice(missing),
    };
  }
}

/**
 * `stored` completed with the multiplier and Double Play numbers `incoming` adds; null when they
 * contradict what is stored.
 */
function withNewFacts(stored: Draw, incoming: Draw): Draw | null {
  if (stored.multiplier !== null && incoming.multiplier !== null && stored.multiplier !== incoming.multiplier)
    return null;
  if (
    stored.doublePlay &&
    incoming.doublePlay &&
    !sameDraw({ ...stored, doublePlay: stored.doublePlay }, { ...stored, doublePlay: incoming.doublePlay })
  )
    return null;
  const doublePlay = stored.doublePlay ?? incoming.doublePlay;
  return {
    date: stored.date,
    whites: stored.whites,
    powerball: stored.powerball,
    multiplier: stored.multiplier ?? incoming.multiplier,
    ...(doublePlay ? { doublePlay } : {}),
  };
}

function sameNumbers(a: Draw, b: Draw): boolean {
  return a.powerball === b.powerball && a.whites.every((w, i) => w === b.whites[i]);
}

function describeDraw(d: Draw): string {
  const dp = d.doublePlay
    ? `, Double Play ${d.doublePlay.whites.join(' ')} PB ${d.doublePlay.powerball}`
    : '';
  return `${d.whites.join(' ')} PB ${d.powerball}${d.multiplier === null ? '' : ` x${d.multiplier}`}${dp}`;
}
