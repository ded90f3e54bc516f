/**
 * `pbi draws import | add | list | update`: the draw history.
 */
import type { Command } from 'commander';
import type { Draw } from '../../../domain/draw.js';
import { ValidationError } from '../../../domain/errors.js';
import type { ImportReport } from '../../../services/draw-service.js';
import type { DrawFileFormat } from '../../../services/draw-import/parse-draw-file.js';
import { table } from '../output.js';
import { choiceFlag, intFlag } from '../parse.js';
import type { CommandModule } from '../cli-context.js';

const FORMATS = ['auto', 'ny', 'csv', 'json'] as const;
/** Draws `pbi draws list` shows when no range is given. */
const DEFAULT_LIST = 20;

interface AddDrawFlags {
  multiplier?: number;
  doublePlay?: string;
  overwrite?: boolean;
}

interface ImportFlags {
  format: DrawFileFormat | 'auto';
  skipInvalid?: boolean;
  overwrite?: boolean;
}

/** Text form of an import report: counts, then every conflict and rejected line. */
export function renderImport(r: ImportReport): string {
  const lines = [
    `${r.source} (${r.format}): ${r.rows} row(s): ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged, ${r.conflicts.length} conflict(s), ${r.rejected.length} rejected`,
  ];
  if (r.inserted === 0 && r.updated === 0) lines.push('Nothing changed in the database.');
  if (r.playsChecked > 0) lines.push(`${r.playsChecked} played ticket play(s) checked against these draws.`);
  for (const c of r.conflicts)
    lines.push(
      `  line ${c.line}: ${c.date} stored as ${drawNumbers(c.stored)}, file has ${drawNumbers(c.incoming)} (not applied; use --overwrite)`,
    );
  for (const x of r.rejected) lines.push(`  line ${x.line}: rejected: ${x.reason}`);
  return lines.join('\n');
}

function drawNumbers(d: Draw): string {
  return `${d.whites.join(' ')} PB ${d.powerball}${d.multiplier === null ? '' : ` x${d.multiplier}`}`;
}

/** Reads one ball argument strictly (no `7.5`, no `07x`). */
function ballArg(name: string, value: string): number {
  if (!/^\d{1,3}$/.test(value.trim()))
    throw new ValidationError(
      `${name} must be a whole number, got "${value}"`,
      [{ where: name, reason: 'not a whole number' }],
      'INVALID_NUMBERS',
    );
  return Number(value);
}

/** Adds `pbi draws` to the program. */
export const registerDraws: CommandModule = (program: Command, ctx) => {
  const draws = program.command('draws').description('the draw history: import, add, list, update');
  registerImport(draws, ctx);
  registerAdd(draws, ctx);
  registerList(draws, ctx);
  registerUpdate(draws, ctx);
};

type Ctx = Parameters<CommandModule>[1];

function registerImport(draws: Command, ctx: Ctx): void {
  draws
    .command('import')
    .description(
      'import a draw file (NY open-data CSV, draws CSV, legacy CSV or JSON); all-or-nothing unless --skip-invalid',
    )
    .argument('<file>', 'the file to import')
    .option('--format <format>', 'auto | ny | csv | json', choiceFlag('--format', FORMATS), 'auto')
    .option('--skip-invalid', 'import the valid rows and report the others')
    .option('--overwrite', 'replace stored draws whose numbers differ from the file')
    .action((file: string, flags: ImportFlags) => {
      const { out, service } = ctx();
      const report = service().draws.importFile(file, {
        format: flags.format,
        skipInvalid: flags.skipInvalid === true,
        overwrite: flags.overwrite === true,
      });
      out.result(report, () => renderImport(report));
    });
}

function registerAdd(draws: Command, ctx: Ctx): void {
  draws
    .command('add')
    .description('enter one draw by hand')
    .argument('<date>', 'draw date (YYYY-MM-DD or MM/DD/YYYY)')
    .argument('<numbers...>', 'five white balls then the Powerball: W1 W2 W3 W4 W5 PB')
    .option('--multiplier <m>', 'Power Play multiplier', intFlag('--multiplier', 1, 10))
    .option('--double-play <numbers>', 'the Double Play draw: "W1 W2 W3 W4 W5 PB" (from 2021-08-23)')
    .option('--overwrite', 'replace a stored draw of that date whose numbers differ')
    .action((date: string, numbers: string[], flags: AddDrawFlags) => {
      if (numbers.length !== 6)
        throw new ValidationError(
          `expected six numbers after the date (W1 W2 W3 W4 W5 PB), got ${numbers.length}`,
          [{ where: 'numbers', reason: `expected 6, got ${numbers.length}` }],
          'INVALID_NUMBERS',
        );
      const balls = numbers.map((v, i) => ballArg(i < 5 ? `W${i + 1}` : 'PB', v));
      let doublePlay: { whites: number[]; powerball: number } | null = null;
      if (flags.doublePlay !== undefined) {
        const dp = flags.doublePlay.trim().split(/[\s,]+/);
        if (dp.length !== 6)
          throw new ValidationError(
            `--double-play expects six numbers, got ${dp.length}`,
            [{ where: '--double-play', reason: `expected 6 numbers, got ${dp.length}` }],
            'INVALID_NUMBERS',
          );
        const n = dp.map((v, i) => ballArg(`--double-play ${i < 5 ? `W${i + 1}` : 'PB'}`, v));
        doublePlay = { whites: n.slice(0, 5), powerball: n[5] as number };
      }
      const { out, service } = ctx();
      const report = service().draws.add({
        date,
        whites: balls.slice(0, 5),
        powerball: balls[5] as number,
        multiplier: flags.multiplier ?? null,
        doublePlay,
        overwrite: flags.overwrite === true,
      });
      out.result(report, () =>
        report.status === 'unchanged'
          ? `${report.draw.date} ${drawNumbers(report.draw)} is already stored; nothing changed.`
          : `${report.status} ${report.draw.date}: ${drawNumbers(report.draw)}${report.previous ? ` (was ${drawNumbers(report.previous)})` : ''}${report.playsChecked > 0 ? `\n${report.playsChecked} played ticket play(s) checked against it (pbi tickets list)` : ''}`,
      );
    });
}

function registerList(draws: Command, ctx: Ctx): void {
  draws
    .command('list')
    .description('list stored draws, oldest first: the newest 20 unless --last, --from/--to or --all')
    .option('--last <n>', `only the newest N draws (default ${DEFAULT_LIST})`, intFlag('--last', 1))
    .option('--from <date>', 'draws on or after this day (YYYY-MM-DD)')
    .option('--to <date>', 'draws on or before this day (YYYY-MM-DD)')
    .option('--all', 'every stored draw')
    .action((flags: { last?: number; from?: string; to?: string; all?: boolean }) => {
      const { out, service } = ctx();
      const ranged = flags.from !== undefined || flags.to !== undefined;
      // Thousands of rows scroll past a terminal: the newest 20 unless a range or --all is asked for.
      const last = flags.last ?? (ranged || flags.all ? undefined : DEFAULT_LIST);
      const list = service().draws.list({
        ...(last === undefined ? {} : { last }),
        ...(flags.from === undefined ? {} : { from: flags.from }),
        ...(flags.to === undefined ? {} : { to: flags.to }),
      });
      out.result({ count: list.length, draws: list }, () =>
        list.length === 0
          ? 'No draws stored; run pbi init or pbi draws import FILE.'
          : table(
              ['date', 'white balls', 'PB', 'x'],
              list.map((d) => [
                d.date,
                d.whites.map((w) => String(w).padStart(2, ' ')).join(' '),
                d.powerball,
                d.multiplier,
              ]),
            ),
      );
    });
}

function registerUpdate(draws: Command, ctx: Ctx): void {
  draws
    .command('update')
    .description('download the official NY open-data export (or --url) and import it')
    .option('--url <url>', 'where to download from (default: the NY open-data export)')
    .option('--format <format>', 'auto | ny | csv | json', choiceFlag('--format', FORMATS), 'auto')
    .option('--skip-invalid', 'import the valid rows and report the others')
    .option('--overwrite', 'replace stored draws whose numbers differ from the download')
    .action(async (flags: ImportFlags & { url?: string }) => {
      const { out, service, config } = ctx();
      out.info(`Downloading ${flags.url ?? config.updateUrl} …`);
      const report = await service().draws.update({
        ...(flags.url === undefined ? {} : { url: flags.url }),
        format: flags.format,
        skipInvalid: flags.skipInvalid === true,
        overwrite: flags.overwrite === true,
        onProgress: (received, total) => out.progress('Downloading', total ? received / total : 0),
      });
      out.done();
      out.result(report, () => renderImport(report));
    });
}
