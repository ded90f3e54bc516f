/**
 * The one parser of `--param KEY=VALUE` flags (`pbi train`, and `pbi tune` with `KEY=V1,V2,...`):
 * the command line is the only place hyperparameters arrive as text, so it is the only place they
 * are parsed. Values are typed here (null, true/false, decimal numbers, else a word); whether a value
 * suits the parameter is the service's check, whose errors `inFlagTerms` words in flags.
 */
import { FieldError, PbiError, ValidationError } from '../../domain/errors.js';
import type { ParamValue } from '../../domain/params.js';
import { asFlag, cliHintWords } from './hints.js';

/** Parsed `--param` flags: each key as typed, with its values in order. */
export type ParamFlags = Readonly<Record<string, readonly ParamValue[]>>;

// Decimal only: `0x10`, `0b1`, `1_000` stay text, which the service refuses for a numeric parameter.
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const WORDS: Readonly<Record<string, ParamValue>> = {
  null: null,
  none: null,
  None: null,
  true: true,
  True: true,
  false: false,
  False: false,
};

/** One value as typed on the command line. */
export function paramValue(text: string): ParamValue {
  if (text in WORDS) return WORDS[text] as ParamValue;
  const n = Number(text);
  return DECIMAL.test(text) && Number.isFinite(n) ? n : text;
}

function usage(message: string, where: string, reason: string): ValidationError {
  return new ValidationError(message, [{ where, reason }], 'USAGE');
}

/**
 * Commander's collector for a repeatable `--param KEY=V1[,V2...]`.
 * @throws ValidationError (USAGE) naming the flag: no `=`, an empty value, a key given twice.
 */
export function collectParam(flag: string, previous: ParamFlags): ParamFlags {
  const eq = flag.indexOf('=');
  const key = eq > 0 ? flag.slice(0, eq).trim() : '';
  const values =
    eq > 0
      ? flag
          .slice(eq + 1)
          .split(',')
          .map((v) => v.trim())
      : [];
  if (key === '' || values.length === 0 || values.some((v) => v === ''))
    throw usage(
      `--param must look like KEY=VALUE (pbi tune: KEY=V1,V2,...), got "${flag}"`,
      '--param',
      'expected KEY=VALUE',
    );
  if (key in previous) throw usage(`--param ${key} is given twice`, `--param ${key}`, 'given twice');
  return { ...previous, [key]: values.map(paramValue) };
}

/**
 * One value per key, for commands that train one setting (`pbi train`).
 * @throws ValidationError (USAGE) naming `--param KEY` when a key has a list.
 */
export function singleValues(flags: ParamFlags): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [key, values] of Object.entries(flags)) {
    if (values.length !== 1)
      throw usage(
        `--param ${key} takes one value here; lists of values are for pbi tune`,
        `--param ${key}`,
        'one value expected',
      );
    out[key] = values[0] as ParamValue;
  }
  return out;
}

/** Request fields the command line takes as arguments, not flags (`pbi draws add DATE …`). */
const ARGUMENTS: Readonly<Record<string, string>> = { date: 'DATE' };

/**
 * A service's field error worded as the command line names its fields: `params.KEY` → `--param KEY`,
 * `params` → `--param`, a field of `flags` as given there (`spaceFile` → `--space`), any other field
 * as its flag (`window` → `--window`, `forDate` → `--for-date`); a hint in the message as its command
 * or flag (cli/hints.ts). Other errors, and one already worded by a command, pass unchanged.
 */
export function inFlagTerms(error: unknown, flags: Readonly<Record<string, string>> = {}): unknown {
  if (!(error instanceof PbiError)) return error;
  const named = error instanceof FieldError && !error.worded ? flagNamed(error, flags) : error;
  return named.inWords(cliHintWords);
}

function flagNamed(error: FieldError, flags: Readonly<Record<string, string>>): FieldError {
  return error.renamed((where) =>
    where.startsWith('--')
      ? where // named by the command itself
      : where === 'params'
        ? '--param'
        : where.startsWith('params.')
          ? `--param ${where.slice('params.'.length)}`
          : (flags[where] ?? ARGUMENTS[where] ?? asFlag(where)),
  );
}
